"""Sign in on the phone by QR code: a parent (or teacher) signed in on the computer shows a QR code
on Mijn account, the phone's camera opens it, the computer confirms, and the phone is signed in
without typing the password. The views (phone_link_views.py) ask these functions; nothing else
decides.

- Only a complete session may show a code: signed in, and verified with the second factor when
  the account has or needs one (``session_is_complete``), and the password typed again: a
  computer left signed in does not hand a phone session to whoever sits down at it.
- The code holds ``<selector>.<secret>``: the row is found by the selector, only a SHA-256 of the
  secret is stored, and it is compared in constant time. It works ``LIFETIME`` (two minutes) and
  once: the first phone that opens it claims it with a secret of its own session, any later
  opening is refused. A new code replaces the user's codes still waiting.
- The phone shows a short matching code; the computer shows the same code beside the phone's
  device description and asks "confirm or refuse". Someone who got hold of the QR code (a photo
  over the shoulder, a phished screenshot) opens it on their own phone: the parent sees a
  request with a code that their phone does not show, and refuses. When a second phone opens a
  code the first one already claimed, the code is stopped (``CONTESTED``): one of the two is not
  the parent's, and nothing on the screen could tell which.
- The phone signs in only when its own user presses "Log in as <name>" after the computer
  confirmed: someone who sends a parent the link to *their own* code, and confirms it on their
  own computer, cannot silently sign the parent's phone into their account.
- Second factor: the phone's session counts as verified only when the computer's session was
  verified at the moment it confirmed (``PhoneLink.verified``). That is the decision: a staff
  member proved both factors on the computer, and the confirmation there is the proof that the
  phone in their hand is theirs. A parent without a second factor gets what a password would give.
- The phone's session starts with a new key (Django's ``login`` cycles it: no fixation), lasts
  as a password sign-in with "stay signed in" would (``session.set_session_length``), and is
  listed on Mijn account, where it can be ended alone. "Log out on all devices" and a new
  password end it too (and it then leaves the list).
- Linking and ending are written to the audit log (``core.AuditEntry``).
- Rate limits (``limits.over_limit``): making codes per user, opening codes per address, polling
  per user (computer) and per claim (phone)."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from schoolpoort.core.models import AuditEntry
from schoolpoort.lib.user_agents import device_label

from . import second_factor
from .limits import over_limit
from .models import PhoneLink
from .session import sign_in

LIFETIME = datetime.timedelta(minutes=2)
KEEP_UNUSED = datetime.timedelta(days=1)
CLAIM_SESSION_KEY = "phone_link_claim"  # in the phone's session: {"id": …, "secret": …}
LINKED_ACTION = "accounts.phone_linked"
ENDED_ACTION = "accounts.phone_unlinked"
RATES = {
    "start": "10/h",  # new codes per user
    "open": "30/10m",  # codes opened per address (guessing is hopeless anyway: 256-bit secrets)
    "computer_poll": "300/10m",  # per user: a code lives two minutes, polled every 2 s
    "phone_poll": "120/10m",  # per claim
}


class LinkProblem(Exception):
    """The phone cannot use this code: ``reason`` is "unknown", "expired", "used" or "contested"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Claim:
    link: PhoneLink
    secret: str  # kept in the phone's session


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def session_is_complete(request) -> bool:
    """Signed in with everything this account asks: the second factor when it has or needs one."""
    user = request.user
    if not user.is_authenticated:
        return False
    if second_factor.is_verified(request):
        return True
    return not (second_factor.required_for(user) or second_factor.has_any_factor(user))


def needs_factor(user) -> bool:
    """The account has or needs a second factor (every staff member)."""
    return second_factor.required_for(user) or second_factor.has_any_factor(user)


def limited(request, what: str, key: str | None = None) -> bool:
    return over_limit(request, f"accounts.phone_link.{what}", RATES[what], key=key)


# --- On the computer ---------------------------------------------------------------------------


@transaction.atomic
def start(user, now=None) -> tuple[PhoneLink, str]:
    """A new code for ``user``: (the link, the token for the QR code, shown once)."""
    now = now or timezone.now()
    PhoneLink.objects.filter(user=user, status=PhoneLink.Status.WAITING).update(
        status=PhoneLink.Status.CANCELLED, ended_at=now
    )
    # Codes that never signed a phone in are kept a day (to answer "was that me?"), then go.
    PhoneLink.objects.filter(user=user, created_at__lt=now - KEEP_UNUSED).exclude(
        status=PhoneLink.Status.SIGNED_IN
    ).delete()
    selector = secrets.token_urlsafe(12)
    secret = secrets.token_urlsafe(32)
    link = PhoneLink.objects.create(
        user=user, selector=selector, secret_hash=_hash(secret), created_at=now, expires_at=now + LIFETIME
    )
    return link, f"{selector}.{secret}"


def phone_url(request, token: str) -> str:
    """The address in the QR code, on the host the computer uses; https when the site is (behind
    a proxy, ``request.is_secure()`` follows SECURE_PROXY_SSL_HEADER)."""
    url = request.build_absolute_uri(reverse("accounts:phone_link_open", args=[token]))
    if settings.SITE_URL.startswith("https://") and url.startswith("http://"):
        url = "https://" + url.removeprefix("http://")
    return url


def answer(request, link: PhoneLink, confirm: bool, now=None) -> bool:
    """The computer confirms or refuses the phone that scanned ``link`` (one of the user's own).
    False when there is nothing to answer (expired, already answered)."""
    now = now or timezone.now()
    if link.status != PhoneLink.Status.SCANNED or link.is_expired(now):
        return False
    if confirm:
        fields = {"status": PhoneLink.Status.CONFIRMED, "verified": second_factor.is_verified(request),
                  "expires_at": now + LIFETIME}
    else:
        fields = {"status": PhoneLink.Status.REFUSED, "ended_at": now}
    # A conditional update: of two answers at once (two tabs), one wins.
    changed = PhoneLink.objects.filter(pk=link.pk, status=PhoneLink.Status.SCANNED).update(**fields)
    if changed:
        for name, value in fields.items():
            setattr(link, name, value)
    return bool(changed)


def linked_phones(user) -> list[PhoneLink]:
    """The phones signed in by QR code whose session still runs, newest first (two queries)."""
    links = list(PhoneLink.objects.visible_to(user).filter(status=PhoneLink.Status.SIGNED_IN))
    if not links:
        return []
    check = _hash(user.get_session_auth_hash())
    # Both session engines in use (db, cached_db) keep every session in the database.
    alive = set(
        Session.objects.filter(
            session_key__in=[link.session_key for link in links], expire_date__gt=timezone.now()
        ).values_list("session_key", flat=True)
    )
    return [link for link in links if link.session_key in alive and constant_time_compare(link.session_check, check)]


@transaction.atomic
def end(user, link: PhoneLink, now=None) -> bool:
    """Log the phone of ``link`` out: its session ends at once. Audited."""
    if link.status != PhoneLink.Status.SIGNED_IN:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore
    store(session_key=link.session_key).delete()
    PhoneLink.objects.filter(pk=link.pk).update(status=PhoneLink.Status.ENDED, ended_at=now or timezone.now())
    AuditEntry.record(user, ENDED_ACTION, obj=link, device=link.device)
    return True


# --- On the phone ------------------------------------------------------------------------------


def claim(token: str, user_agent: str, now=None) -> Claim:
    """The phone opened the code: the first phone claims it (the code is spent), gets a short
    matching code and waits for the computer. Raises LinkProblem."""
    now = now or timezone.now()
    selector, _dot, secret = token.partition(".")
    link = PhoneLink.objects.filter(selector=selector).first() if selector and secret else None
    if link is None or not constant_time_compare(link.secret_hash, _hash(secret)):
        raise LinkProblem("unknown")
    claimed = (PhoneLink.Status.SCANNED, PhoneLink.Status.CONFIRMED)
    if link.status in claimed and PhoneLink.objects.filter(pk=link.pk, status__in=claimed).update(
        status=PhoneLink.Status.CONTESTED, ended_at=now
    ):
        raise LinkProblem("contested")
    if link.status != PhoneLink.Status.WAITING:
        raise LinkProblem("used")
    if link.is_expired(now):
        raise LinkProblem("expired")
    claim_secret = secrets.token_urlsafe(32)
    fields = {
        "status": PhoneLink.Status.SCANNED,
        "claim_hash": _hash(claim_secret),
        "match_code": f"{secrets.randbelow(1000):03d}",
        "device": device_label(user_agent)[:100],
        "expires_at": now + LIFETIME,  # two minutes to confirm
    }
    if not PhoneLink.objects.filter(pk=link.pk, status=PhoneLink.Status.WAITING).update(**fields):
        raise LinkProblem("used")  # another phone was a moment faster
    for name, value in fields.items():
        setattr(link, name, value)
    return Claim(link=link, secret=claim_secret)


def remember_claim(request, claim: Claim) -> None:
    request.session.cycle_key()
    request.session[CLAIM_SESSION_KEY] = {"id": claim.link.pk, "secret": claim.secret}


def claimed_link(request) -> PhoneLink | None:
    """The link this phone claimed, or None."""
    data = request.session.get(CLAIM_SESSION_KEY)
    if not isinstance(data, dict):
        return None
    link = PhoneLink.objects.filter(pk=data.get("id")).select_related("user").first()
    secret = str(data.get("secret"))
    if link is None or not link.claim_hash or not constant_time_compare(link.claim_hash, _hash(secret)):
        return None
    return link


@transaction.atomic
def complete(request, link: PhoneLink, now=None) -> bool:
    """The computer confirmed: sign the phone in as the link's user (a new session key), verified
    when the computer was, and record its session so Mijn account can end it. Audited."""
    now = now or timezone.now()
    if link.status != PhoneLink.Status.CONFIRMED or link.is_expired(now) or not link.user.is_active:
        return False
    if not PhoneLink.objects.filter(pk=link.pk, status=PhoneLink.Status.CONFIRMED).update(
        status=PhoneLink.Status.SIGNED_IN, signed_in_at=now
    ):
        return False
    user = link.user
    sign_in(request, user, remember=True)  # login() cycles the key; on_sign_in drops any verification
    request.session.pop(CLAIM_SESSION_KEY, None)
    if link.verified:
        request.session[second_factor.VERIFIED_KEY] = user.pk
        request.session.pop(second_factor.PENDING_KEY, None)
    request.session.save()
    PhoneLink.objects.filter(pk=link.pk).update(
        session_key=request.session.session_key, session_check=_hash(user.get_session_auth_hash())
    )
    AuditEntry.record(user, LINKED_ACTION, obj=link, device=link.device, verified=link.verified)
    return True
