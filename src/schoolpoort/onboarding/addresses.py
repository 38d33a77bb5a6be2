"""The administration changes a guardian's e-mail address: a parent phones in with a new one, or
the one the school had was refused. For a guardian who has registered, the school only *sends* a
confirmation link to the new address: the login address changes when the parent opens it
(accounts.email_change), and the old address is told of the request at once, so nobody at school
can move an account to an address they read and take it over with a password reset. An account
still waiting for activation, or a guardian without an account, gets the new address at once
(the activation link goes there). Every change and request is in the audit log."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from schoolpoort.accounts.activation import send_activation_email
from schoolpoort.accounts.email_change import request_email_change
from schoolpoort.accounts.emails import send_templated_email
from schoolpoort.accounts.models import User
from schoolpoort.core.access import reach_changed
from schoolpoort.core.models import AuditEntry, BoardMembership, Guardianship, StaffMembership

from .models import BouncedAddress


class AddressTaken(Exception):
    """Another account already logs in with this address."""


class StaffAccount(Exception):
    """The account is also a staff or board account: its owner changes it under "My account" (the
    administration must not be able to take over a colleague's login)."""


def is_staff_account(user: User) -> bool:
    return StaffMembership.objects.filter(user=user).exists() or BoardMembership.objects.filter(user=user).exists()


CHANGED = "changed"
CONFIRMATION_SENT = "confirmation_sent"


def change_guardian_email(actor, slot: Guardianship, new_email: str) -> str:
    """Change the slot's address, or for a registered guardian send the confirmation link.
    Returns ``CHANGED`` or ``CONFIRMATION_SENT``. Raises ``AddressTaken`` or ``StaffAccount``."""
    new_email = User.objects.normalize_email(new_email.strip()).lower()
    school = slot.student.school
    outcome, old = CHANGED, ""
    try:
        with transaction.atomic():
            slot = Guardianship.objects.select_for_update(of=("self",)).select_related("user").get(pk=slot.pk)
            user = slot.user
            if user is not None:
                user = User.objects.select_for_update().get(pk=user.pk)
                if is_staff_account(user):
                    raise StaffAccount
                if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
                    raise AddressTaken
                if user.has_usable_password():
                    AuditEntry.record(
                        actor,
                        "onboarding.guardian_email_change_requested",
                        slot,
                        school=school,
                        account=user.pk,
                        old=user.email,
                        new=new_email,
                    )
                    outcome = CONFIRMATION_SENT
            if outcome == CHANGED:
                old = _change_now(actor, slot, user, new_email)
    except IntegrityError:  # the address got an account a moment ago
        raise AddressTaken from None
    if outcome == CONFIRMATION_SENT:
        request_email_change(user, new_email, school=school)
    elif user is not None:  # an account that was never activated: its activation link goes to the new address
        if old and old.lower() != new_email:
            send_templated_email(
                "accounts/email/email_changed",
                old,
                {"user": user, "old_email": old, "new_email": new_email},
                language=user.language,
            )
        send_activation_email(user, slot.student)
    return outcome


def _change_now(actor, slot: Guardianship, user: User | None, new_email: str) -> str:
    """The address changes at once (no account, or one never activated); returns the old one."""
    school = slot.student.school
    if user is not None:
        old = user.email
        user.email = new_email
        user.save(update_fields=["email"])
    else:
        old = slot.email
    # The school's own record follows, so the next import or letter uses the new address.
    slot.email = new_email
    slot.save(update_fields=["email"])
    if user is not None:  # the same parent's slots of brothers and sisters
        Guardianship.objects.filter(user=user, student__school=school).update(email=new_email)
        reach_changed([user])  # the cached children hold their guardianships
    # A corrected address deserves a fresh try, even if it was refused once before.
    BouncedAddress.objects.filter(email=new_email).delete()
    AuditEntry.record(
        actor,
        "onboarding.guardian_email_changed",
        slot,
        school=school,
        account=user.pk if user else None,
        old=old,
        new=new_email,
    )
    return old
