"""Sign in on the phone by QR code: the computer's pages (show the code, confirm or refuse, end a
phone's session) and the phone's (open the code, wait, be signed in). Rules in phone_link.py."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from schoolpoort.lib.providers import module_hooks

from . import phone_link, second_factor
from .models import PhoneLink
from .views import ratelimited

POLL_SECONDS = 2


def _own_link(request, pk) -> PhoneLink:
    return get_object_or_404(PhoneLink.objects.visible_to(request.user), pk=pk)


def _state(link: PhoneLink) -> str:
    """The link's status, or "expired" while it still waits for a step that came too late."""
    waiting = (PhoneLink.Status.WAITING, PhoneLink.Status.SCANNED, PhoneLink.Status.CONFIRMED)
    return "expired" if link.status in waiting and link.is_expired() else link.status


def _computer_page(request, link, qr=None, url=None, status=200):
    return render(
        request,
        "accounts/phone_link.html",
        {"link": link, "qr": qr, "phone_url": url, "poll_seconds": POLL_SECONDS,
         "state": _state(link), "lifetime_minutes": int(phone_link.LIFETIME.total_seconds() // 60)},
        status=status,
    )


@login_required
@require_POST
@never_cache
def start(request):
    """Make a code and show it once: only its hash is stored, so the QR code is in this answer only."""
    if not phone_link.session_is_complete(request):
        raise PermissionDenied
    if phone_link.limited(request, "start", key=str(request.user.pk)):
        return ratelimited(request)
    if not request.user.check_password(request.POST.get("password", "")):
        messages.error(request, _("That is not your password. Type it again to show a QR code."))
        return redirect(f"{reverse('accounts:account')}#link-phone")
    link, token = phone_link.start(request.user)
    url = phone_link.phone_url(request, token)
    qr = segno.make(url, error="m").svg_data_uri(scale=5, border=2, dark="#000")
    return _computer_page(request, link, qr=qr, url=url)


@login_required
@require_safe
@never_cache
def computer_status(request, pk: int):
    """The code's state on the computer; htmx polls it, and without JavaScript a button reloads it."""
    link = _own_link(request, pk)
    if phone_link.limited(request, "computer_poll", key=str(request.user.pk)):
        return ratelimited(request)
    return _computer_page(request, link)


@login_required
@require_POST
@never_cache
def answer(request, pk: int):
    link = _own_link(request, pk)
    confirm = request.POST.get("action") == "confirm"
    if confirm and not phone_link.session_is_complete(request):
        raise PermissionDenied
    if not phone_link.answer(request, link, confirm):
        messages.error(request, _("This request has expired or was already answered."))
    return redirect("accounts:phone_link_status", pk=link.pk)


@login_required
@require_POST
@never_cache
def end(request, pk: int):
    link = _own_link(request, pk)
    if phone_link.end(request.user, link):
        messages.success(request, _("The phone (%(device)s) has been logged out.") % {"device": link.device})
    return redirect("accounts:account")


# --- On the phone ------------------------------------------------------------------------------


def _phone_page(request, link=None, problem=None, status=200):
    return render(
        request,
        "accounts/phone_link_phone.html",
        {"link": link, "problem": problem, "poll_seconds": POLL_SECONDS},
        status=status,
    )


@require_safe
@never_cache
def phone_open(request, token: str):
    """The phone's camera opened the QR code: claim it, then wait on an address without the token."""
    mine = phone_link.claimed_link(request)
    if mine is not None and token.startswith(mine.selector + "."):
        return redirect("accounts:phone_link_wait")  # the same phone opened it again
    if phone_link.limited(request, "open"):
        return ratelimited(request)
    try:
        claim = phone_link.claim(token, request.headers.get("User-Agent", ""))
    except phone_link.LinkProblem as problem:
        return _phone_page(request, problem=problem.reason, status=404 if problem.reason == "unknown" else 410)
    phone_link.remember_claim(request, claim)
    return redirect("accounts:phone_link_wait")


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def phone_wait(request):
    """"Confirm on your computer", with the matching code; htmx polls it. Once the computer
    confirmed, the phone shows whose account it would log in to, and its POST signs it in."""
    link = phone_link.claimed_link(request)
    if link is None:
        return _phone_page(request, problem="unknown", status=404)
    if phone_link.limited(request, "phone_poll", key=str(link.pk)):
        return ratelimited(request)
    if request.method == "POST" and request.POST.get("want_token") == "1":
        return _phone_token(request, link)
    if request.method == "POST" and link.status == PhoneLink.Status.CONFIRMED and phone_link.complete(request, link):
        messages.success(request, _("You are logged in on this phone."))
        return redirect(settings.LOGIN_REDIRECT_URL)
    state = _state(link)
    problems = ("expired", "cancelled", "ended", "contested")
    return _phone_page(request, link=link, problem=state if state in problems else None)


def _phone_token(request, link):
    """The app's variant of "Log in as <name>" (POST with ``want_token=1``): the phone is signed in
    as in the browser, and the JSON answer carries a device token for the app (shown once; the API
    makes it, api/device_tokens.py). An account with a second factor gets one only when the
    computer confirmed with it; refused before anything is signed in."""
    issuers = module_hooks("account_devices", "issue_token")
    if link.status != PhoneLink.Status.CONFIRMED or link.is_expired() or not issuers:
        return JsonResponse({"error": "not_confirmed"}, status=409)
    if phone_link.needs_factor(link.user) and not (link.verified and second_factor.has_any_factor(link.user)):
        return JsonResponse({"error": "second_factor"}, status=403)
    if not phone_link.complete(request, link):
        return JsonResponse({"error": "not_confirmed"}, status=409)
    answer = issuers[0](link.user, request.headers.get("User-Agent", ""), link.verified)
    if answer is None:
        return JsonResponse({"error": "second_factor"}, status=403)
    return JsonResponse(answer, status=201)


@login_required
@require_POST
@never_cache
def end_device(request, pk: int):
    """"Log out this device": revokes one of the account's own device tokens (404 for any other)."""
    revoked = [revoke(request.user, pk) for revoke in module_hooks("account_devices", "revoke_device")]
    token = next((found for found in revoked if found is not None), None)
    if token is None:
        raise Http404
    messages.success(request, _("The device (%(device)s) has been logged out.") % {"device": token.name})
    return redirect("accounts:account")
