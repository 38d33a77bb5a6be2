"""The personal data of absences, for the register (schoolpoort.lib.personal_data). Absences and
leave requests are the school's attendance record under the Leerplichtwet: kept for their term,
also when a family asks for erasure."""

from django.utils.translation import gettext_lazy as _

from schoolpoort.lib.personal_data import Anchor, Basis, Entry, Term, delete_items, label

from .models import Absence, AttendanceMark, LeaveRequest


def _old_absences(school, cutoff):
    return Absence.objects.filter(school=school, starts_on__lt=cutoff.date()).only("pk").order_by("pk")


def _old_marks(school, cutoff):
    return AttendanceMark.objects.filter(school=school, created_at__lt=cutoff).only("pk").order_by("pk")


def _old_leave(school, cutoff):
    return LeaveRequest.objects.filter(school=school, created_at__lt=cutoff).order_by("pk")


def register() -> list[Entry]:
    who = _("The school's administration and director; teachers of the pupil's group; the pupil's guardians; "
            "the attendance officer (leerplichtambtenaar) when the law requires a report.")
    source = _("5 years (Leerplichtwet 1969; model privacy regulations PO: absence records).")
    return [
        Entry(
            key="absences.absences",
            label=_("Absence reports and attendance: dates, reason, notes"),
            purpose=_("Keeping the attendance record the Leerplichtwet requires."),
            basis=Basis.LEGAL_OBLIGATION,
            who=who,
            anchor=Anchor.CREATED,
            term=Term(60),
            source=source,
            expired=_old_absences,
            erase=delete_items,
            describe=label,
        ),
        Entry(
            key="absences.marks",
            label=_("Attendance marks of the teacher (present, absent)"),
            purpose=_("Keeping the attendance record the Leerplichtwet requires."),
            basis=Basis.LEGAL_OBLIGATION,
            who=who,
            anchor=Anchor.CREATED,
            term=Term(60),
            source=source,
            expired=_old_marks,
            erase=delete_items,
            describe=label,
            for_parents=False,
        ),
        Entry(
            key="absences.leave",
            label=_("Requests for leave, with the employer's statement"),
            purpose=_("Deciding on leave outside the school holidays (Leerplichtwet art. 11 and 13a)."),
            basis=Basis.LEGAL_OBLIGATION,
            who=who,
            anchor=Anchor.CREATED,
            term=Term(60),
            source=source,
            expired=_old_leave,
            erase=lambda items: delete_items(items, "statement"),
            describe=label,
        ),
    ]
