"""The personal data of accounts, for the register (schoolpoort.lib.personal_data)."""

import uuid

from django.utils.translation import gettext_lazy as _

from schoolpoort.core.access import reach_changed
from schoolpoort.core.models import Guardianship
from schoolpoort.lib.personal_data import Anchor, Basis, Entry, Term, label

from .models import PhoneLink, RegistrationCode, User

ERASED_DOMAIN = "erased.invalid"  # an anonymised account's address: unique, never deliverable


def anonymise(users) -> int:
    """Deactivate accounts and remove what identifies them: name, e-mail, phone, password; every
    session ends. The row stays so that what others wrote to them keeps its shape."""
    count = 0
    for user in users:
        user.email = f"{uuid.uuid4().hex}@{ERASED_DOMAIN}"
        user.first_name = user.last_name = user.phone = ""
        user.is_active = False
        user.set_unusable_password()
        user.session_generation = uuid.uuid4()
        user.save(update_fields=["email", "first_name", "last_name", "phone", "is_active", "password",
                                 "session_generation"])
        RegistrationCode.objects.filter(used_by=user).update(used_by=None)
        PhoneLink.objects.filter(user=user).delete()  # the phones' descriptions; their sessions end above
        count += 1
    return count


def _only_guardians():
    """Accounts that are nothing but a guardian: no staff or board role, no site administrator."""
    return (
        User.objects.filter(is_staff=False, is_superuser=False, staff_memberships__isnull=True,
                            board_memberships__isnull=True)
        .exclude(email__endswith=f"@{ERASED_DOMAIN}")
    )


def _without_children(school, cutoff):
    """Guardians of this school whose children have all left, the last of them before ``cutoff``."""
    return (
        _only_guardians()
        .filter(guardianships__student__school=school)
        .exclude(guardianships__student__archived_at__isnull=True)
        .exclude(guardianships__student__archived_at__gte=cutoff)
        .distinct()
        .order_by("pk")
    )


def _erase_family(school, student_ids, user_ids) -> int:
    """The family's accounts: unlinked from its children at this school, and anonymised when they
    have nothing else here (no child at another school, no staff role)."""
    Guardianship.objects.filter(student_id__in=student_ids, user_id__in=user_ids).update(user=None)
    reach_changed(user_ids)  # an update sends no signal: the accounts lose these children now
    elsewhere = Guardianship.objects.filter(user_id__in=user_ids).values("user_id")
    return anonymise(_only_guardians().filter(pk__in=user_ids).exclude(pk__in=elsewhere))


def register() -> list[Entry]:
    return [
        Entry(
            key="accounts.accounts",
            label=_("Parents' accounts: name, e-mail address, phone number, language"),
            purpose=_("Signing in to the portal and receiving the school's messages."),
            basis=Basis.LEGITIMATE_INTEREST,
            who=_("The account holder; the school's administration and director."),
            anchor=Anchor.FAMILY_LEFT,
            term=Term(3),
            source=_("3 months: an account without children at school has no purpose (AVG art. 5(1)(e))."),
            expired=_without_children,
            erase=anonymise,
            erase_family=_erase_family,
            describe=label,
        ),
    ]
