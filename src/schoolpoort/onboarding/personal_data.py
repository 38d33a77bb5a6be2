"""The personal data of onboarding, for the register (schoolpoort.lib.personal_data)."""

from django.utils.translation import gettext_lazy as _

from schoolpoort.lib.personal_data import Anchor, Basis, Entry, Term, delete_items, label

from .models import LetterBatch


def _old_letters(school, cutoff):
    return LetterBatch.objects.filter(school=school, created_at__lt=cutoff).order_by("pk")


def register() -> list[Entry]:
    return [
        Entry(
            key="onboarding.letters",
            label=_("Registration letters (PDF): guardians' names and registration codes"),
            purpose=_("Inviting parents to the portal."),
            basis=Basis.LEGITIMATE_INTEREST,
            who=_("The school's administration and director."),
            anchor=Anchor.CREATED,
            term=Term(12),
            source=_("1 year (model privacy regulations PO, correspondence)."),
            expired=_old_letters,
            erase=lambda items: delete_items(items, "file"),
            describe=label,
            for_parents=False,
        ),
    ]
