"""Who sees and who keeps a pupil's results: the records' rule (``records.rules``, one domain with
the records) read for the three parts of the results, so ``MethodTest.objects.visible_to(user)``
alone respects the module switch, closed periods and parental authority.

Staff see (and edit) the results of the pupils whose records they keep (teacher: the groups they
teach this year; office, director, board: their schools); guardians see their own children's
results of the parts they may open today, and report cards only from the period's release date on."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from schoolpoort.core.access import NOTHING
from schoolpoort.records import rules

REPORT_CARDS = "report_cards"


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def staff_student_q(user, today: datetime.date | None = None) -> Q:
    return rules.staff_students_q(user, today)


def editor_student_ids(user, today: datetime.date | None = None):
    """Ids of the current pupils whose results the user keeps as staff."""
    return rules.students(rules.staff_students_q(user, today))


def editor_student_q(user, today: datetime.date | None = None) -> Q:
    if not _signed_in(user):
        return NOTHING
    return Q(student_id__in=editor_student_ids(user, today))


def result_q(user, part: str, today: datetime.date | None = None) -> Q:
    """Method tests and standardised tests of the pupils of whom the user may open ``part``."""
    if not _signed_in(user):
        return NOTHING
    return rules.part_rows_q(user, part, today)


def report_card_q(user, today: datetime.date | None = None) -> Q:
    """Report cards: staff always; guardians once the period is released."""
    if not _signed_in(user):
        return NOTHING
    today = today or timezone.localdate()
    return rules.part_rows_q(user, REPORT_CARDS, today, Q(period__released_on__lte=today))
