"""The personal data of class lists, for the register (schoolpoort.lib.personal_data). Nothing is
kept by the school here: what a family shares, it switched on itself, and it ends with the family."""

from django.utils.translation import gettext_lazy as _

from schoolpoort.lib.personal_data import Anchor, Basis, Entry, Term, delete_items, label

from .models import GuardianContact, SharingChoice


def _closed_accounts(school, cutoff):
    """Choices of accounts that were closed (their term runs with the account's)."""
    return SharingChoice.objects.filter(group__school=school, user__is_active=False).order_by("pk")


def _erase_family(school, student_ids, user_ids) -> int:
    count, _ = SharingChoice.objects.filter(group__school=school, user_id__in=user_ids).delete()
    GuardianContact.objects.filter(user_id__in=user_ids, user__is_active=False).delete()
    return count


def register() -> list[Entry]:
    return [
        Entry(
            key="classlist.sharing",
            label=_("What a family shares on the class list: name, phone number, e-mail address, address"),
            purpose=_("Letting parents of a group contact each other, only when they chose to."),
            basis=Basis.CONSENT,
            who=_("The parents of the group, for what the family switched on."),
            anchor=Anchor.FAMILY_LEFT,
            term=Term(3),
            source=_("Ends with the family's account (see parents' accounts), or when the family switches it off."),
            expired=_closed_accounts,
            erase=delete_items,
            erase_family=_erase_family,
            describe=label,
        ),
    ]
