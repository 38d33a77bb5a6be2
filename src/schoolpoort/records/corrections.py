"""Correction requests: personal data and medical details are read-only for parents; they propose
a change, the administration gets it in a queue (and a notification by e-mail through notify),
handles it within five working days (weekends and the school's vacations skipped), and the record
changes only when the administration applies it. The requester follows the status (received,
processed, refused with a reason)."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from schoolpoort.core.access import managed_school_ids
from schoolpoort.core.models import AuditEntry, StaffMembership
from schoolpoort.lib.days_off import days_off

from .models import CorrectionRequest, MedicalInfo, StudentCard

MODULE = "records"
WORKING_DAYS = 5
FIELDS = {
    CorrectionRequest.Subject.CARD: ["street", "postal_code", "city", "phone", "mobile", "email"],
    CorrectionRequest.Subject.MEDICAL: ["allergies", "medication", "diet", "doctor", "dentist", "notes"],
}
MODELS = {CorrectionRequest.Subject.CARD: StudentCard, CorrectionRequest.Subject.MEDICAL: MedicalInfo}


class NothingChanged(ValueError):
    pass


class AlreadyHandled(ValueError):
    pass


def add_working_days(day: datetime.date, count: int, days_off=frozenset()) -> datetime.date:
    """``count`` working days after ``day``, skipping Saturdays, Sundays and ``days_off``."""
    while count > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in days_off:
            count -= 1
    return day


# Far enough ahead for five working days after the longest vacation (summer: six weeks).
VACATION_HORIZON = datetime.timedelta(days=120)


def vacation_days(school, first: datetime.date, last: datetime.date) -> set[datetime.date]:
    """The days from ``first`` to ``last`` in the school's vacations, as the calendar module has them
    (asked through the kernel, so records does not import the calendar)."""
    return days_off(school, first, last)


def due_date(school, today: datetime.date) -> datetime.date:
    """When the administration should have handled a request made today: five working days,
    outside weekends and the school's vacations."""
    return add_working_days(today, WORKING_DAYS, vacation_days(school, today, today + VACATION_HORIZON))


def record_of(student, subject: str):
    """The card or medical details of the pupil (unsaved and empty when there are none yet)."""
    model = MODELS[subject]
    return model.objects.filter(student=student).first() or model(student=student)


def changes_of(request: CorrectionRequest) -> list[tuple[str, str, str, str]]:
    """(field, label, old value, proposed value) for display."""
    model = MODELS[request.subject]
    rows = []
    for field, (old, new) in json.loads(request.changes or "{}").items():
        rows.append((field, str(model._meta.get_field(field).verbose_name), old, new))
    return rows


def requests_of_guardian(user, student) -> QuerySet:
    return CorrectionRequest.objects.filter(student=student, requested_by=user)


def queue_for(user) -> QuerySet:
    """Requests of the schools the user administers (administration, director, board)."""
    return CorrectionRequest.objects.filter(school_id__in=managed_school_ids(user)).select_related(
        "student", "school", "requested_by", "handled_by"
    )


# --- Actions ------------------------------------------------------------------------------------


def propose(user, student, subject: str, values: dict, comment: str = "", today=None) -> CorrectionRequest:
    record = record_of(student, subject)
    changes = {}
    for field in FIELDS[subject]:
        if field not in values:
            continue
        old, new = getattr(record, field) or "", (values[field] or "").strip()
        if new != old:
            changes[field] = [old, new]
    if not changes:
        raise NothingChanged
    today = today or timezone.localdate()
    with transaction.atomic():
        request = CorrectionRequest.objects.create(
            student=student,
            school=student.school,
            subject=subject,
            changes=json.dumps(changes, ensure_ascii=False),
            comment=comment.strip(),
            requested_by=user,
            due_on=due_date(student.school, today),
        )
        AuditEntry.record(user, "records.correction_requested", obj=request, school=student.school)
        _tell(
            office_ids(student.school) - {user.pk},
            lambda: _("Correction request for %(name)s") % {"name": student.full_name},
            event="records.correction_received",
            request=request,
            url=reverse("records:correction", args=[request.pk]),
        )
    return request


def apply(request_id: int, user, queryset: QuerySet) -> CorrectionRequest:
    """Change the record as proposed. ``queryset`` is what the user may handle (``queue_for``)."""
    with transaction.atomic():
        request = queryset.select_for_update(of=("self",)).get(pk=request_id)
        if request.status != CorrectionRequest.Status.RECEIVED:
            raise AlreadyHandled
        record = record_of(request.student, request.subject)
        for field, (_old, new) in json.loads(request.changes).items():
            if field in FIELDS[request.subject]:
                setattr(record, field, new)
        record.full_clean(exclude=["student"])
        record.save()
        _close(request, user, CorrectionRequest.Status.PROCESSED, "")
    return request


def refuse(request_id: int, user, reason: str, queryset: QuerySet) -> CorrectionRequest:
    with transaction.atomic():
        request = queryset.select_for_update(of=("self",)).get(pk=request_id)
        if request.status != CorrectionRequest.Status.RECEIVED:
            raise AlreadyHandled
        _close(request, user, CorrectionRequest.Status.REFUSED, reason.strip())
    return request


def _close(request: CorrectionRequest, user, status: str, reason: str) -> None:
    request.status = status
    request.reason = reason
    request.handled_by = user
    request.handled_at = timezone.now()
    request.save(update_fields=["status", "reason", "handled_by", "handled_at"])
    AuditEntry.record(user, f"records.correction_{status}", obj=request, school=request.school)
    if request.requested_by_id:
        first_name = request.student.first_name
        if status == CorrectionRequest.Status.PROCESSED:
            title = lambda: _("Your correction for %(name)s has been processed") % {"name": first_name}  # noqa: E731
        else:
            title = lambda: _("Your correction for %(name)s was not processed") % {"name": first_name}  # noqa: E731
        _tell(
            {request.requested_by_id},
            title,
            event=f"records.correction_{status}",
            request=request,
            url=reverse("records:corrections", args=[request.student_id]),
        )


# --- Who hears about it --------------------------------------------------------------------------


def office_ids(school) -> set[int]:
    """The school's administration; its director when it has no administration account."""
    memberships = StaffMembership.objects.filter(school=school)
    ids = set(memberships.filter(role=StaffMembership.Role.ADMINISTRATION).values_list("user_id", flat=True))
    return ids or set(memberships.filter(role=StaffMembership.Role.DIRECTOR).values_list("user_id", flat=True))


def _tell(user_ids, title, *, event: str, request: CorrectionRequest, url: str) -> None:
    """One notify() per language of the recipients (title only: never the proposed values)."""
    from schoolpoort.notify.api import notify

    ids = sorted(set(user_ids))
    if not ids:
        return
    by_language: dict[str, list[int]] = defaultdict(list)
    for user_id, language in get_user_model().objects.filter(pk__in=ids).values_list("pk", "language"):
        by_language[language or settings.LANGUAGE_CODE].append(user_id)
    for language, recipients in sorted(by_language.items()):
        with translation.override(language):
            notify(
                recipients,
                event=event,
                key=f"records.correction:{request.pk}:{event}",
                module=MODULE,
                title=title(),
                url=url,
                school=request.school,
            )
