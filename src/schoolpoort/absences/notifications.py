"""Who hears about an absence or a leave request, and the notify() calls. Titles only, never the
reason or the note: "Absence reported for Noor". Parents get the child's first name (a family with
several children must know which one; a first name alone says little to whoever sees a phone's lock
screen); staff get the full name (a school has several Noors).

Guardians: every registered guardian of the child, except one without parental authority whom the
school keeps from the class pages (``sees_class_pages`` off: Dutch civil code art. 1:377c, such a
parent gets only the important information the school must give, and day-to-day absence is not
that). The same guardians get the urgent message about an unexplained absence.

Staff: the teachers of the child's current groups, and the school's administration (its director
when the school has no administration account).

Each call writes one broadcast per language of its recipients, with the title in that language."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from schoolpoort.core.models import Group, Guardianship, StaffMembership

from .access import MODULE


def informed_guardian_ids(student) -> set[int]:
    """Registered guardians of the child who hear about its absences."""
    rows = Guardianship.objects.filter(student=student, user__isnull=False, user__is_active=True).values_list(
        "user_id", "has_parental_authority", "sees_class_pages"
    )
    return {user_id for user_id, authority, class_pages in rows if authority or class_pages}


def teacher_ids(student) -> set[int]:
    groups = Group.objects.current().filter(enrollments__student=student)
    return set(groups.filter(teachers__isnull=False).values_list("teachers", flat=True))


def administration_ids(school) -> set[int]:
    memberships = StaffMembership.objects.filter(school=school)
    ids = set(memberships.filter(role=StaffMembership.Role.ADMINISTRATION).values_list("user_id", flat=True))
    return ids or set(memberships.filter(role=StaffMembership.Role.DIRECTOR).values_list("user_id", flat=True))


def director_ids(school) -> set[int]:
    return set(
        StaffMembership.objects.filter(school=school, role=StaffMembership.Role.DIRECTOR).values_list(
            "user_id", flat=True
        )
    )


def notify_in_their_language(
    user_ids: Iterable[int], title: Callable[[], str], *, event: str, key: str, url: str, school, urgent=False
) -> None:
    """One notify() per language of the recipients, with ``title()`` called in that language."""
    from schoolpoort.notify.api import notify

    ids = sorted(set(user_ids))
    if not ids:
        return
    by_language: dict[str, list[int]] = defaultdict(list)
    for user_id, language in get_user_model().objects.filter(pk__in=ids).values_list("pk", "language"):
        by_language[language or settings.LANGUAGE_CODE].append(user_id)
    for language, recipients in sorted(by_language.items()):
        with translation.override(language):
            notify(recipients, event=event, key=key, module=MODULE, title=title(), url=url, school=school,
                   urgent=urgent)


def absence_reported(absence, actor) -> None:
    """A new absence: the other guardians, the group's teachers and the administration."""
    student = absence.student
    guardians = informed_guardian_ids(student) - {actor.pk}
    staff = (teacher_ids(student) | administration_ids(absence.school)) - guardians - {actor.pk}
    common = {"event": "absences.reported", "key": absence.notification_key, "url": absence.get_absolute_url(),
              "school": absence.school}
    notify_in_their_language(
        guardians, lambda: _("Absence reported for %(name)s") % {"name": student.first_name}, **common
    )
    notify_in_their_language(
        staff, lambda: _("Absence reported: %(name)s") % {"name": student.full_name}, **common
    )


def absence_better(absence, actor) -> None:
    """A sickness is over: the other guardians, the teachers and the administration."""
    student = absence.student
    guardians = informed_guardian_ids(student) - {actor.pk}
    staff = (teacher_ids(student) | administration_ids(absence.school)) - guardians - {actor.pk}
    common = {"event": "absences.better", "key": f"{absence.notification_key}:better",
              "url": absence.get_absolute_url(), "school": absence.school}
    notify_in_their_language(guardians, lambda: _("%(name)s is better") % {"name": student.first_name}, **common)
    notify_in_their_language(staff, lambda: _("Better again: %(name)s") % {"name": student.full_name}, **common)


def unexplained_absence(student, day) -> None:
    """Urgent, at once, also at quiet hours: the child is not at school and nobody reported it."""
    url = reverse("absences:report") + f"?kind={student.pk}"
    notify_in_their_language(
        informed_guardian_ids(student),
        lambda: _("%(name)s is not at school and we have no report. Please contact the school.")
        % {"name": student.first_name},
        event="absences.unexplained",
        key=f"absences.unexplained:{student.pk}:{day.isoformat()}",
        url=url,
        school=student.school,
        urgent=True,
    )


def leave_requested(leave) -> None:
    student = leave.student
    notify_in_their_language(
        director_ids(leave.school) - {leave.requested_by_id},
        lambda: _("Leave request for %(name)s") % {"name": student.full_name},
        event="absences.leave_requested",
        key=leave.notification_key,
        url=leave.get_absolute_url(),
        school=leave.school,
    )


def leave_decided(leave) -> None:
    student = leave.student
    notify_in_their_language(
        [leave.requested_by_id] if leave.requested_by_id else [],
        lambda: _("Decision on the leave request for %(name)s") % {"name": student.first_name},
        event="absences.leave_decided",
        key=f"{leave.notification_key}:decided",
        url=leave.get_absolute_url(),
        school=leave.school,
    )
