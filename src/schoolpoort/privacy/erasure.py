"""Erasure of one family on request (AVG art. 17), with four eyes: an admin of the school asks,
a different admin of the same school confirms, and the worker carries it out through each
register entry's ``erase_family``. What an entry keeps by law (no ``erase_family``) stays until
its term; the request page lists those entries."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schoolpoort.core.access import roles_of
from schoolpoort.core.models import AuditEntry, Guardianship, Student
from schoolpoort.core.scopes import school_scope

from . import register
from .models import ErasureRequest


class ErasureRefused(Exception):
    pass


def family_of(student: Student) -> tuple[list[int], list[int]]:
    """The family of a pupil at its school: the accounts of the pupil's guardians, and every pupil
    of this school one of them is guardian of."""
    user_ids = sorted(
        set(Guardianship.objects.filter(student=student, user__isnull=False).values_list("user_id", flat=True))
    )
    student_ids = set(
        Guardianship.objects.filter(user_id__in=user_ids, student__school_id=student.school_id).values_list(
            "student_id", flat=True
        )
    )
    student_ids.add(student.pk)
    return sorted(student_ids), user_ids


def family_label(student: Student) -> str:
    return _("family of %(pupil)s") % {"pupil": student.full_name}


def open_request_for(student: Student) -> ErasureRequest | None:
    return (
        ErasureRequest.objects.filter(
            student=student, status__in=[ErasureRequest.Status.REQUESTED, ErasureRequest.Status.CONFIRMED]
        )
        .order_by("-pk")
        .first()
    )


@transaction.atomic
def request_erasure(student: Student, actor, reason: str = "") -> ErasureRequest:
    school = student.school
    if not roles_of(actor).manages(school):
        raise ErasureRefused(_("Only an admin of the school can ask for an erasure."))
    if open_request_for(student):
        raise ErasureRefused(_("An erasure of this family is already waiting."))
    erasure = ErasureRequest.objects.create(
        school=school, student=student, family_label=family_label(student), reason=reason, requested_by=actor
    )
    AuditEntry.record(actor, "privacy.erasure_requested", erasure, school=school, student=student.pk)
    return erasure


@transaction.atomic
def confirm_erasure(erasure: ErasureRequest, actor) -> ErasureRequest:
    """The second pair of eyes: a different admin of the same school. The erasure itself runs
    in the worker, enqueued with this commit."""
    from .tasks import carry_out_erasure

    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    if erasure.status != ErasureRequest.Status.REQUESTED:
        raise ErasureRefused(_("This request is no longer waiting for a confirmation."))
    if not roles_of(actor).manages(erasure.school):
        raise ErasureRefused(_("Only an admin of the school can confirm an erasure."))
    if erasure.requested_by_id == actor.pk:
        raise ErasureRefused(_("A second admin must confirm: you asked for this erasure yourself."))
    erasure.status = ErasureRequest.Status.CONFIRMED
    erasure.confirmed_by = actor
    erasure.confirmed_at = timezone.now()
    erasure.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    AuditEntry.record(actor, "privacy.erasure_confirmed", erasure, school=erasure.school)
    transaction.on_commit(lambda: carry_out_erasure.enqueue(erasure.school_id, erasure.pk))
    return erasure


@transaction.atomic
def cancel_erasure(erasure: ErasureRequest, actor) -> None:
    if erasure.status != ErasureRequest.Status.REQUESTED or not roles_of(actor).manages(erasure.school):
        raise ErasureRefused(_("This request is no longer waiting for a confirmation."))
    erasure.status = ErasureRequest.Status.CANCELLED
    erasure.save(update_fields=["status"])
    AuditEntry.record(actor, "privacy.erasure_cancelled", erasure, school=erasure.school)


def carry_out(request_id: int) -> dict:
    """Erase the family of a confirmed request through every entry that erases on request."""
    with transaction.atomic():
        erasure = (
            ErasureRequest.objects.select_for_update(of=("self",))  # the student may be gone (outer join)
            .select_related("school", "student")
            .get(pk=request_id)
        )
        if erasure.status != ErasureRequest.Status.CONFIRMED:
            return {}
        school = erasure.school
        counts: dict[str, int] = {}
        if erasure.student is not None:
            student_ids, user_ids = family_of(erasure.student)
            with school_scope(school):
                for entry in register.entries():
                    if entry.erase_family is not None:
                        counts[entry.key] = entry.erase_family(school, student_ids, user_ids)
        erasure.status = ErasureRequest.Status.DONE
        erasure.done_at = timezone.now()
        erasure.result = counts
        erasure.save(update_fields=["status", "done_at", "result"])
        AuditEntry.record(None, "privacy.erasure_done", erasure, school=school, counts=counts)
    return counts
