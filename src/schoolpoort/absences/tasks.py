"""Background tasks of absences. Tasks take ids, never model instances, and re-read what they need."""

import datetime

from django_tasks import task

from schoolpoort.core.scopes import in_scope_of


@task(queue_name="urgent", priority=50)
@in_scope_of("core.Student", school="school")
def check_unexplained_absence(student_id: int, day_iso: str) -> bool:
    """At the school's check time: is the pupil the teacher marked absent still without a report?
    Then the parents get an urgent message, once. Returns whether it was sent."""
    from .actions import check_unexplained

    return check_unexplained(student_id, datetime.date.fromisoformat(day_iso))
