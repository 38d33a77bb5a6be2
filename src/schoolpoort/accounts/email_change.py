"""Changing the e-mail address of an account: a confirmation link goes to the new address, and
the address only changes when that link is followed. The old address is told afterwards.

The school's administration can ask for a change too (a parent phones in with a new address),
but it only *sends* the link: the login address changes when the parent confirms, so nobody at
school can move an account to an address they read and take it over with a reset. The old
address is told of the request at once."""

from __future__ import annotations

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from schoolpoort.core.access import reach_changed
from schoolpoort.core.models import Guardianship

from .emails import absolute_url, send_templated_email
from .models import User

_TOKEN_SALT = "schoolpoort.accounts.email_change"
_FINGERPRINT_SALT = "schoolpoort.accounts.email_change.fingerprint"
MAX_AGE_DAYS = 2


class EmailChangeError(Exception):
    """The link is expired, invalid or used, or the address got an account meanwhile."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "expired", "invalid" or "taken"


def email_in_use(email: str, exclude: User | None = None) -> bool:
    users = User.objects.filter(email__iexact=email.strip())
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.exists()


def _fingerprint(user: User) -> str:
    # The current address: once it changes, every earlier link is dead.
    return salted_hmac(_FINGERPRINT_SALT, user.email.lower(), algorithm="sha256").hexdigest()[:32]


def request_email_change(user: User, new_email: str, school=None) -> None:
    """Send a confirmation link to ``new_email``, in the user's language. ``school``: the
    administration of that school asked for it; the old address is then told at once."""
    new_email = User.objects.normalize_email(new_email.strip()).lower()
    token = signing.dumps({"u": user.pk, "e": new_email, "f": _fingerprint(user)}, salt=_TOKEN_SALT)
    context = {"user": user, "new_email": new_email, "school": school, "days": MAX_AGE_DAYS}
    send_templated_email(
        "accounts/email/email_change",
        new_email,
        {**context, "confirm_url": absolute_url(reverse("accounts:confirm_email", args=[token]))},
        language=user.language,
    )
    if school is not None and user.email.lower() != new_email:
        send_templated_email("accounts/email/email_change_requested", user.email, context, language=user.language)


def confirm_email_change(token: str) -> User:
    """Change the address the token was made for; returns the user. Raises ``EmailChangeError``."""
    try:
        data = signing.loads(token, salt=_TOKEN_SALT, max_age=MAX_AGE_DAYS * 24 * 60 * 60)
    except signing.SignatureExpired:
        raise EmailChangeError("expired") from None
    except signing.BadSignature:
        raise EmailChangeError("invalid") from None
    try:
        with transaction.atomic():
            user = User.objects.select_for_update().filter(pk=data.get("u"), is_active=True).first()
            if user is None or not constant_time_compare(_fingerprint(user), str(data.get("f", ""))):
                raise EmailChangeError("invalid")
            new_email = data["e"]
            if email_in_use(new_email, exclude=user):
                raise EmailChangeError("taken")
            old_email = user.email
            user.email = new_email
            user.save(update_fields=["email"])
            # The schools' records of this parent follow, so letters and imports use it too.
            Guardianship.objects.filter(user=user, email__iexact=old_email).update(email=new_email)
            reach_changed([user])  # the cached children hold their guardianships
    except IntegrityError:
        raise EmailChangeError("taken") from None
    send_templated_email(
        "accounts/email/email_changed",
        old_email,
        {"user": user, "old_email": old_email, "new_email": new_email},
        language=user.language,
    )
    return user
