"""Who sees and who keeps a pupil's results, from the records app's rules (``records.access``).

Rows are filtered per pupil here: staff see (and edit) the results of the pupils whose records they
keep (teacher: the groups they teach this year; office, director, board: their schools); guardians
see their own children's results, and report cards only from the period's release date on.
Whether a part is on, closed for a period, or kept from a guardian without parental authority is
decided per pupil by ``student_for_part_or_404``, which every page calls first.

The records module is imported lazily: records' models import nothing of ours, and this module is
imported by our models."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from schoolpoort.core.access import NOTHING, guardian_student_ids


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def staff_student_q(user, today: datetime.date | None = None) -> Q:
    from schoolpoort.records.access import staff_student_q as records_staff_student_q

    return records_staff_student_q(user, today)


def editor_student_ids(user, today: datetime.date | None = None):
    """Ids of the current pupils whose results the user keeps as staff."""
    from schoolpoort.records.access import record_students_editable_by

    return record_students_editable_by(user, today).values("pk")


def editor_student_q(user, today: datetime.date | None = None) -> Q:
    if not _signed_in(user):
        return NOTHING
    return Q(student_id__in=editor_student_ids(user, today))


def result_q(user, part: str, today: datetime.date | None = None) -> Q:
    """Method tests and standardised tests: the staff's pupils and the guardian's own children."""
    if not _signed_in(user):
        return NOTHING
    return editor_student_q(user, today) | Q(student_id__in=guardian_student_ids(user))


def report_card_q(user, today: datetime.date | None = None) -> Q:
    """Report cards: staff always; guardians once the period is released."""
    if not _signed_in(user):
        return NOTHING
    today = today or timezone.localdate()
    return editor_student_q(user, today) | Q(student_id__in=guardian_student_ids(user), period__released_on__lte=today)
