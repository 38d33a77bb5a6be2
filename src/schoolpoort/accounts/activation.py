"""Activation links, for guardians whose e-mail address the school already has.

The link carries a signed token with the user's id and a fingerprint of their password and last
login. Setting a password changes the fingerprint, so a used link stops working; the signature's
age makes an old link expire after ``ACTIVATION_LINK_DAYS``."""

from __future__ import annotations

from enum import Enum

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from schoolpoort.core.models import Guardianship

from .emails import absolute_url, send_templated_email
from .models import User

_TOKEN_SALT = "schoolpoort.accounts.activation"
_FINGERPRINT_SALT = "schoolpoort.accounts.activation.fingerprint"


class TokenProblem(Enum):
    EXPIRED = "expired"
    INVALID = "invalid"  # tampered with, or already used


class ActivationError(Exception):
    def __init__(self, problem: TokenProblem):
        super().__init__(problem.value)
        self.problem = problem


def _fingerprint(user: User) -> str:
    last_login = user.last_login.isoformat() if user.last_login else ""
    return salted_hmac(_FINGERPRINT_SALT, f"{user.password}:{last_login}", algorithm="sha256").hexdigest()[:32]


def make_activation_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "f": _fingerprint(user)}, salt=_TOKEN_SALT)


def user_for_activation_token(token: str) -> User:
    """The user the token was made for, while it is fresh and unused; else ``ActivationError``."""
    try:
        data = signing.loads(token, salt=_TOKEN_SALT, max_age=settings.ACTIVATION_LINK_DAYS * 24 * 60 * 60)
    except signing.SignatureExpired:
        raise ActivationError(TokenProblem.EXPIRED) from None
    except signing.BadSignature:
        raise ActivationError(TokenProblem.INVALID) from None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or not constant_time_compare(_fingerprint(user), str(data.get("f", ""))):
        raise ActivationError(TokenProblem.INVALID)
    return user


def activation_url(user: User) -> str:
    return absolute_url(reverse("accounts:activate", args=[make_activation_token(user)]))


def _send(template_prefix: str, user: User, context: dict, connection=None) -> None:
    """A refused recipient raises ``smtplib.SMTPRecipientsRefused`` (the batch records it)."""
    send_templated_email(template_prefix, user, context, connection=connection)


def send_activation_email(user: User, student=None, connection=None) -> None:
    _send(
        "accounts/email/activation",
        user,
        {
            "user": user,
            "student": student,
            "activation_url": activation_url(user),
            "days": settings.ACTIVATION_LINK_DAYS,
        },
        connection,
    )


def send_child_added_email(user: User, student, connection=None) -> None:
    _send(
        "accounts/email/child_added",
        user,
        {"user": user, "student": student, "login_url": absolute_url(reverse("accounts:login"))},
        connection,
    )


def invite_guardian(guardianship: Guardianship, connection=None) -> User:
    """Give the guardian slot an account for the e-mail address the school has, and tell them.

    A slot already linked keeps its account. A new account has no password yet: it gets an
    activation link (again, each time this is called, until a password is set). An account that
    already has a password gets a short notice when the child is newly linked to it. With an open
    mail ``connection`` the mail goes over it (batches); a refusal raises SMTPRecipientsRefused
    after the account exists, so that the slot shows as invited and the address as refused."""
    with transaction.atomic():
        slot = (
            Guardianship.objects.select_for_update(of=("self",))
            .select_related("student", "user")
            .get(pk=guardianship.pk)
        )
        linked_now = False
        if slot.user is not None:
            user = slot.user
        else:
            email = slot.email.strip()
            if not email:
                raise ValueError("This guardian has no e-mail address")
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = User.objects.create_user(email, None, first_name=slot.first_name, last_name=slot.last_name)
            # A second slot of the same child for the same person stays free (unique per child).
            if not Guardianship.objects.filter(student_id=slot.student_id, user=user).exists():
                slot.user = user
                slot.save(update_fields=["user"])
                linked_now = True
    guardianship.user = slot.user
    if not user.has_usable_password():
        send_activation_email(user, slot.student, connection)
    elif linked_now:
        send_child_added_email(user, slot.student, connection)
    return user
