"""The second factor: who needs one, when a session counts as verified, enrolment, recovery
codes, the remembered device and the reset by a school admin. The views (second_factor_views.py)
and the middleware ask these functions; nothing else decides.

- Every account with a staff or board role, and every Django admin account (``is_staff``), needs
  a second factor; a parent may add one on Mijn account, and is asked for it from then on.
- A session is verified when it holds the user's id under ``VERIFIED_KEY``: set only by a right
  code (or a remembered device), dropped at every sign-in. Read from the session, so a verified
  request costs no query; a reset ends the user's sessions, so nothing stays verified by a
  device that no longer exists.
- TOTP (django-otp's ``otp_totp``) and ten recovery codes (``otp_static``, each works once).
- Passkeys (django-otp-webauthn's ``WebAuthnCredential``, also a django-otp Device): added on Mijn
  account by a verified user, used on the code step instead of a code. Never instead of the
  password. The first factor at enrolment stays the app."""

from __future__ import annotations

import segno
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http.request import split_domain_port
from django.utils.crypto import salted_hmac
from django_otp import DEVICE_ID_SESSION_KEY, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from schoolpoort.core.access import roles_of
from schoolpoort.core.models import AuditEntry

VERIFIED_KEY = "second_factor_user"  # the id of the user this session verified
PENDING_KEY = "second_factor_pending"  # signed in with a password, the factor still to come
REMEMBER_COOKIE = "schoolpoort_2fa"
_REMEMBER_SALT = "schoolpoort.accounts.second_factor.remember"
RECOVERY_CODE_COUNT = 10
APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
RESET_ACTION = "accounts.second_factor_reset"


# --- Who needs it, and is this session verified -------------------------------------------------


def required_for(user) -> bool:
    """Staff and board roles and Django admin accounts must use a second factor."""
    return bool(user.is_staff or user.is_superuser or roles_of(user).is_staff)


def has_app(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_passkey(user) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def has_any_factor(user) -> bool:
    return (
        has_app(user)
        or has_passkey(user)
        or StaticToken.objects.filter(device__user=user, device__confirmed=True).exists()
    )


def is_verified(request) -> bool:
    user = request.user
    return user.is_authenticated and request.session.get(VERIFIED_KEY) == user.pk


def must_verify(request) -> bool:
    """Signed in but not yet verified, while this account needs (or chose) a second factor."""
    if not request.user.is_authenticated or is_verified(request):
        return False
    return bool(request.session.get(PENDING_KEY)) or required_for(request.user)


def mark_verified(request, device) -> None:
    """The user proved the second factor: a new session key, marked as verified."""
    request.session.cycle_key()
    request.session[VERIFIED_KEY] = request.user.pk
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    request.session.pop(PENDING_KEY, None)


def on_sign_in(request, user) -> None:
    """At every sign-in (password, registration, activation): the factor must be proved again,
    unless this browser is a remembered device of the user."""
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(VERIFIED_KEY, None)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    if not (required_for(user) or has_any_factor(user)):
        request.session.pop(PENDING_KEY, None)
        return
    device = remembered_device(request, user)
    if device is not None:
        request.session[VERIFIED_KEY] = user.pk
        request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        request.session.pop(PENDING_KEY, None)
    else:
        request.session[PENDING_KEY] = True


# --- Codes ----------------------------------------------------------------------------------


def normalized(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def verify_code(user, code: str):
    """The device that accepts ``code`` (an app's six digits, or a recovery code, which is then
    used up), or None."""
    code = normalized(code)
    if not code:
        return None
    return match_token(user, code)


# --- Enrolment ------------------------------------------------------------------------------


def pending_app(user) -> TOTPDevice:
    """The app being set up: one unconfirmed device per user, the same until it is confirmed,
    so reloading the page shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    return device


def unconfirmed_app(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()


def secret_of(device: TOTPDevice) -> str:
    """The base32 secret, in groups of four, for typing into an app by hand."""
    import base64

    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> bytes:
    """The ``otpauth://`` address of the device as an SVG QR code."""
    import io

    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False)
    return buffer.getvalue()


@transaction.atomic
def confirm_app(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app with a code it shows. Returns new recovery codes when the user had none
    left (shown once), [] when they still have some, None when the code is wrong."""
    if not device.verify_token(normalized(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    if StaticToken.objects.filter(device__user=device.user, device__confirmed=True).exists():
        return []
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Ten fresh recovery codes; the old ones stop working. Only their values are stored by
    django-otp; they are shown to the user once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def apps_of(user) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("created_at", "pk"))


def remove_app(user, device_id) -> bool:
    """The user removes one of their own apps; False when it is not theirs (or gone)."""
    deleted, _ = TOTPDevice.objects.filter(user=user, pk=device_id).delete()
    return bool(deleted)


# --- Passkeys --------------------------------------------------------------------------------


def passkeys_of(user) -> list[WebAuthnCredential]:
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk"))


def remove_passkey(user, device_id) -> bool:
    """The user removes one of their own passkeys; False when it is not theirs (or gone)."""
    deleted, _ = WebAuthnCredential.objects.filter(user=user, pk=device_id).delete()
    return bool(deleted)


def passkeys_work_here(request) -> bool:
    """Browsers use a passkey only on its relying party's host (or a subdomain of it): on any
    other address (such as 127.0.0.1) the page does not offer them."""
    host, _port = split_domain_port(request.get_host())
    rp_id = settings.OTP_WEBAUTHN_RP_ID.lower()
    return host == rp_id or host.endswith("." + rp_id)


# --- Remembered device ----------------------------------------------------------------------


def remember_seconds() -> int:
    return min(settings.OTP_REMEMBER_DAYS, 30) * 24 * 60 * 60


def _fingerprint(user) -> str:
    """Changes when the password or the apps change: a reset or a new password forgets every
    remembered device."""
    keys = ",".join(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").values_list("key", flat=True))
    return salted_hmac(_REMEMBER_SALT, f"{user.pk}|{user.password}|{keys}").hexdigest()


def remember_device(response, user) -> None:
    """A signed, HttpOnly cookie for this browser and this user, for at most 30 days."""
    value = signing.dumps({"u": user.pk, "f": _fingerprint(user)}, salt=_REMEMBER_SALT, compress=True)
    response.set_cookie(
        REMEMBER_COOKIE,
        value,
        max_age=remember_seconds(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def remembered_device(request, user) -> TOTPDevice | WebAuthnCredential | None:
    value = request.COOKIES.get(REMEMBER_COOKIE)
    if not value:
        return None
    try:
        data = signing.loads(value, salt=_REMEMBER_SALT, max_age=remember_seconds())
    except signing.BadSignature:  # also when expired
        return None
    if not isinstance(data, dict) or data.get("u") != user.pk or data.get("f") != _fingerprint(user):
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device or WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("pk").first()


# --- Reset by a school admin ----------------------------------------------------------------


@transaction.atomic
def reset(actor, target, school) -> None:
    """Remove every second factor of ``target`` (apps, passkeys, recovery codes) and end their
    sessions: they enrol again at their next sign-in. Audited."""
    TOTPDevice.objects.filter(user=target).delete()
    WebAuthnCredential.objects.filter(user=target).delete()
    StaticDevice.objects.filter(user=target).delete()
    target.end_all_sessions()
    AuditEntry.record(actor, RESET_ACTION, obj=target, school=school)
