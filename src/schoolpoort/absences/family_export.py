"""The family export (``lib.family_export``): the absences and leave requests of the user's children,
read through the guardian branch of the module's access rule (``access.guardian_q``), with the
employer's statements attached to leave requests. Who reported is said as "you" or "school":
another guardian's account is not named."""

from __future__ import annotations

from schoolpoort.lib.family_export import Section, row

from . import access
from .models import Absence, LeaveRequest


def _by(user, reporter_id, source_is_staff: bool) -> str:
    if reporter_id == user.pk:
        return "you"
    return "school" if source_is_staff else "another guardian"


def export_for(user) -> Section | None:
    absences = Absence.objects.filter(access.guardian_q(user)).select_related("student").order_by("starts_on", "pk")
    leave = LeaveRequest.objects.filter(access.guardian_q(user)).select_related("student").order_by("starts_on", "pk")
    section = Section("absences", None)
    absence_rows = [
        {
            "child": absence.student.full_name,
            **row(absence, ["reason", "starts_on", "ends_on", "from_time", "until_time", "note", "source",
                            "after_cutoff", "confirmed_at", "better_reported_at", "created_at"]),
            "reported_by": _by(user, absence.reported_by_id, absence.source == Absence.Source.STAFF),
        }
        for absence in absences
    ]
    leave_rows = []
    for request in leave:
        leave_rows.append({
            "child": request.student.full_name,
            **row(request, ["kind", "circumstance", "starts_on", "ends_on", "school_days", "reason", "status",
                            "decision_reason", "decided_at", "withdrawn_at", "created_at"]),
            "requested_by": _by(user, request.requested_by_id, False),
            "statement": request.statement_name,
            "statement_file": section.add_file("statements", request.pk, request.statement, request.statement_name),
        })
    if not absence_rows and not leave_rows:
        return None
    section.data = {"absences": absence_rows, "leave_requests": leave_rows}
    return section
