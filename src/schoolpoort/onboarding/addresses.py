"""The administration changes a guardian's e-mail address: a parent phones in with a new one, or
the one the school had was refused. For a guardian with an account it is the login address (the
account's e-mail); the old address gets a notice, and the change is in the audit log. An account
still waiting for activation gets its activation link at the new address at once."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from schoolpoort.accounts.activation import send_activation_email
from schoolpoort.accounts.emails import send_templated_email
from schoolpoort.accounts.models import User
from schoolpoort.core.models import AuditEntry, BoardMembership, Guardianship, StaffMembership

from .models import BouncedAddress


class AddressTaken(Exception):
    """Another account already logs in with this address."""


class StaffAccount(Exception):
    """The account is also a staff or board account: its owner changes it under "My account" (the
    administration must not be able to take over a colleague's login)."""


def is_staff_account(user: User) -> bool:
    return StaffMembership.objects.filter(user=user).exists() or BoardMembership.objects.filter(user=user).exists()


def change_guardian_email(actor, slot: Guardianship, new_email: str) -> str:
    """Set the slot's address (and its account's login address); returns the old address.
    Raises ``AddressTaken`` or ``StaffAccount``."""
    new_email = User.objects.normalize_email(new_email.strip()).lower()
    school = slot.student.school
    try:
        with transaction.atomic():
            slot = Guardianship.objects.select_for_update(of=("self",)).select_related("user").get(pk=slot.pk)
            user = slot.user
            if user is not None:
                user = User.objects.select_for_update().get(pk=user.pk)
                if is_staff_account(user):
                    raise StaffAccount
                old = user.email
                if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
                    raise AddressTaken
                user.email = new_email
                user.save(update_fields=["email"])
            else:
                old = slot.email
            # The school's own record follows, so the next import or letter uses the new address.
            slot.email = new_email
            slot.save(update_fields=["email"])
            if user is not None:  # the same parent's slots of brothers and sisters
                Guardianship.objects.filter(user=user, student__school=school).update(email=new_email)
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
    except IntegrityError:  # the address got an account a moment ago
        raise AddressTaken from None
    if user is not None:
        if old and old.lower() != new_email:
            send_templated_email(
                "accounts/email/email_changed",
                old,
                {"user": user, "old_email": old, "new_email": new_email},
                language=user.language,
            )
        if not user.has_usable_password():
            send_activation_email(user, slot.student)
    return old
