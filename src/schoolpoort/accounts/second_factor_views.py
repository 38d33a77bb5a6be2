"""The second-factor pages: the code after the password, setting up an app (QR code and
recovery codes), the user's own apps and codes on Mijn account, and the staff page where a
school admin resets someone's second factor. The rules are in second_factor.py."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.core import get_usage

from schoolpoort.core.access import get_visible_or_404, roles_of
from schoolpoort.core.models import School, StaffMembership

from . import second_factor
from .forms import EnrolForm, SecondFactorForm
from .models import User

WRONG_FIRST_CODE = gettext_lazy(
    "This code is not correct. Check that the app shows Schoolpoort and try the code it shows now."
)


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse(settings.LOGIN_REDIRECT_URL)


def _user_key(group, request) -> str:
    return str(request.user.pk)


def _codes_limited(request, *, wrong: bool) -> bool:
    """At most OTP_CODE_FAILURE_LIMIT wrong codes per account in OTP_CODE_COOLOFF_MINUTES, from
    any address (the password is already known to whoever types them): the last wrong code and
    every attempt after it answer "wait"."""
    usage = get_usage(
        request,
        group="accounts.second_factor",
        key=_user_key,
        rate=f"{settings.OTP_CODE_FAILURE_LIMIT}/{settings.OTP_CODE_COOLOFF_MINUTES}m",
        increment=wrong,
    )
    return usage is not None and usage["count"] >= usage["limit"]


def _locked(request):
    return render(
        request, "accounts/second_factor_locked.html", {"minutes": settings.OTP_CODE_COOLOFF_MINUTES}, status=429
    )


@login_required
@never_cache
def verify(request):
    """The second step of signing in: a code from the app or a recovery code."""
    next_url = _next_url(request)
    if second_factor.is_verified(request):
        return redirect(next_url)
    if not second_factor.has_any_factor(request.user):
        return redirect(f"{reverse('accounts:second_factor_enrol')}?{urlencode({'next': next_url})}")
    days = min(settings.OTP_REMEMBER_DAYS, 30)
    form = SecondFactorForm(request.POST or None, days=days)
    if request.method == "POST":
        # Checked before the code, so that a locked account learns nothing from a right code.
        if _codes_limited(request, wrong=False):
            return _locked(request)
        if form.is_valid():
            device = second_factor.verify_code(request.user, form.cleaned_data["code"])
            if device is not None:
                second_factor.mark_verified(request, device)
                response = redirect(next_url)
                if form.cleaned_data["remember"]:
                    second_factor.remember_device(response, request.user)
                return response
            if _codes_limited(request, wrong=True):
                return _locked(request)
            form.add_error("code", _("This code is not correct. Try the code your app shows now."))
    passkeys = second_factor.has_passkey(request.user) and second_factor.passkeys_work_here(request)
    return render(request, "accounts/second_factor.html", {"form": form, "next": next_url, "passkeys": passkeys},
                  status=400 if request.method == "POST" else 200)


@login_required
@never_cache
def enrol(request):
    """Set up an authenticator app: at the first sign-in of staff, or from Mijn account."""
    user = request.user
    next_url = _next_url(request)
    if not second_factor.is_verified(request) and second_factor.has_any_factor(user):
        # Adding an app needs the factor the account already has.
        return redirect(f"{reverse('accounts:second_factor')}?{urlencode({'next': next_url})}")
    device = second_factor.pending_app(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST":
        if _codes_limited(request, wrong=False):
            return _locked(request)
        if form.is_valid():
            codes = second_factor.confirm_app(device, form.cleaned_data["code"])
            if codes is not None:
                second_factor.mark_verified(request, device)
                if not codes:
                    messages.success(request, _("Your authenticator app is set up."))
                    return redirect(next_url)
                return render(request, "accounts/second_factor_codes.html", {"codes": codes, "next": next_url})
            if _codes_limited(request, wrong=True):
                return _locked(request)
            form.add_error("code", WRONG_FIRST_CODE)
    return render(
        request,
        "accounts/second_factor_enrol.html",
        {"form": form, "secret": second_factor.secret_of(device), "next": next_url,
         "required": second_factor.required_for(user)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@never_cache
def qr(request):
    """The QR code of the app being set up, for the signed-in user only."""
    device = second_factor.unconfirmed_app(request.user)
    if device is None:
        raise Http404
    return HttpResponse(second_factor.qr_svg(device), content_type="image/svg+xml")


# --- Mijn account ------------------------------------------------------------------------------


@login_required
@require_POST
@never_cache
def recovery_codes(request):
    if not (second_factor.has_app(request.user) or second_factor.has_passkey(request.user)):
        raise Http404
    codes = second_factor.new_recovery_codes(request.user)
    return render(
        request, "accounts/second_factor_codes.html", {"codes": codes, "next": reverse("accounts:account")}
    )


@login_required
@require_POST
@never_cache
def remove_app(request, device_id: int):
    if not second_factor.remove_app(request.user, device_id):
        raise Http404
    if second_factor.required_for(request.user) and not (
        second_factor.has_app(request.user) or second_factor.has_passkey(request.user)
    ):
        messages.warning(request, _("Your app has been removed. Set up an app again before you next sign in."))
    else:
        messages.success(request, _("Your app has been removed."))
    return redirect("accounts:account")


# --- Staff page: reset someone's second factor ----------------------------------------------------


def _resettable_school_or_404(user, school_id) -> School:
    """Director / school admin of the school, or board admin of its board."""
    school = get_visible_or_404(School, user, pk=school_id)
    if not roles_of(user).manages(school):
        raise Http404
    return school


@login_required
@never_cache
def reset(request, school_id: int):
    school = _resettable_school_or_404(request.user, school_id)
    staff = (
        User.objects.filter(staff_memberships__school=school).exclude(pk=request.user.pk).distinct()
        .order_by("last_name", "first_name", "email")
    )
    if request.method == "POST":
        try:
            target = staff.get(pk=int(request.POST.get("user", "")))
        except (User.DoesNotExist, ValueError):
            raise Http404 from None
        second_factor.reset(request.user, target, school)
        messages.success(
            request,
            _("The second factor of %(name)s has been removed. They set up an app again at their next sign-in.")
            % {"name": target.full_name or target.email},
        )
        return redirect("accounts:second_factor_reset", school.pk)
    rows = list(staff)
    enrolled = set(
        second_factor.TOTPDevice.objects.filter(user__in=rows, confirmed=True).values_list("user_id", flat=True)
    ) | set(
        second_factor.WebAuthnCredential.objects.filter(user__in=rows, confirmed=True).values_list("user_id", flat=True)
    )
    roles = {}
    for membership in StaffMembership.objects.filter(school=school, user__in=rows):
        roles.setdefault(membership.user_id, []).append(membership.get_role_display())
    people = [{"user": u, "enrolled": u.pk in enrolled, "roles": ", ".join(roles.get(u.pk, []))} for u in rows]
    return render(request, "accounts/second_factor_reset.html", {"school": school, "people": people})
