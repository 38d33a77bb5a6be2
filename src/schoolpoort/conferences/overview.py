"""How a round is doing, for staff: the time windows with their booked, blocked and free slots,
how many pupils have a conference, who gave preferred times, and the planner's report. A fixed
number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q

from schoolpoort.core.access import roles_of
from schoolpoort.core.models import Student

from .access import manages_round
from .families import invited_pupils
from .models import Booking, Preference, Round, Slot
from .schedule import schedule_sessions


@dataclass
class SessionRow:
    session: object
    slots: int = 0
    blocked: int = 0
    booked: int = 0
    can_delete: bool = False

    @property
    def free(self) -> int:
        return self.slots - self.blocked - self.booked


@dataclass
class StaffOverview:
    sessions: list[SessionRow]
    pupils: int
    with_conference: int
    preferences: int
    days: list[datetime.date]
    unplaced: list = field(default_factory=list)  # (pupils, reason) from the planner's report
    placed: int = 0

    @property
    def without_conference(self) -> int:
        return self.pupils - self.with_conference


def staff_overview(round: Round, user) -> StaffOverview:
    sessions = list(schedule_sessions(round, user))
    manages = manages_round(user, round) or roles_of(user).administers(round.school)
    counts = {
        row["session_id"]: row
        for row in Slot.objects.filter(round=round)
        .values("session_id")
        .annotate(total=Count("pk"), blocked=Count("pk", filter=Q(blocked=True)))
    }
    booked = dict(
        Booking.objects.active()
        .filter(round=round)
        .values("slot__session_id")
        .annotate(n=Count("pk"))
        .values_list("slot__session_id", "n")
    )
    rows = []
    for session in sessions:
        count = counts.get(session.pk, {})
        rows.append(SessionRow(
            session, count.get("total", 0), count.get("blocked", 0), booked.get(session.pk, 0),
            can_delete=(manages or session.teacher_id == user.pk) and not booked.get(session.pk),
        ))
    invited = invited_pupils(round)
    # Only the pupils the user may see count (a teacher: those of their own groups).
    invited = set(Student.objects.visible_to(user).filter(pk__in=list(invited)).values_list("pk", flat=True))
    with_conference = (
        Booking.objects.active()
        .filter(round=round, student_id__in=list(invited))
        .values("student_id")
        .distinct()
        .count()
    )
    report = round.planner_report or {}
    unplaced = []
    if report.get("unplaced"):
        ids = [sid for item in report["unplaced"] for sid in item["students"]]
        students = Student.objects.visible_to(user).in_bulk(ids)
        for item in report["unplaced"]:
            names = [students[sid].full_name for sid in item["students"] if sid in students]
            if names:
                unplaced.append(names)
    days = sorted({session.date for session in sessions})
    return StaffOverview(
        sessions=rows,
        pupils=len(invited),
        with_conference=with_conference,
        preferences=Preference.objects.filter(round=round).count(),
        days=days,
        unplaced=unplaced,
        placed=len(report.get("placed", [])),
    )
