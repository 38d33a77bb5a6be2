"""The personal data of results (part of the pupil's file), for the register
(schoolpoort.lib.personal_data): kept while the pupil is at school and two years after."""

from django.utils.translation import gettext_lazy as _

from schoolpoort.lib.personal_data import Anchor, Basis, Entry, Term, delete_items, label

from .models import MethodTest, ReportCard, StandardisedTest


def _leavers(model):
    def expired(school, cutoff):
        return model.objects.filter(student__school=school, student__archived_at__lt=cutoff).order_by("pk")

    return expired


def register() -> list[Entry]:
    common = dict(
        basis=Basis.PUBLIC_TASK,
        who=_("The pupil's teachers, the intern supervisor (IB), the administration and director; "
              "guardians with parental authority, where the school opened it."),
        anchor=Anchor.LEFT,
        term=Term(24),
        source=_("2 years after leaving (model privacy regulations PO: leerlingdossier)."),
        describe=label,
    )
    return [
        Entry(
            key="results.report_cards",
            label=_("Report cards, with their PDFs"),
            purpose=_("Reporting the pupil's progress to the parents."),
            expired=_leavers(ReportCard),
            erase=lambda items: delete_items(items, "file"),
            **common,
        ),
        Entry(
            key="results.tests",
            label=_("Test results: method tests and standardised tests"),
            purpose=_("Following the pupil's development (WPO art. 8; the pupil monitoring system)."),
            expired=lambda school, cutoff: [
                *_leavers(MethodTest)(school, cutoff), *_leavers(StandardisedTest)(school, cutoff)
            ],
            erase=_erase_tests,
            **common,
        ),
    ]


def _erase_tests(items) -> int:
    count = 0
    for model in (MethodTest, StandardisedTest):
        count += delete_items([item for item in items if isinstance(item, model)])
    return count
