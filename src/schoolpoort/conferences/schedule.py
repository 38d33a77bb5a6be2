"""A teacher's schedule as staff see it: per day the slots with who comes (pupil, guardians),
blocked slots and free ones. Shared by the schedule page, the printable day list and the CSV
export; a fixed number of queries whatever the number of slots and bookings."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from schoolpoort.core.access import roles_of, taught_group_ids
from schoolpoort.core.models import Guardianship

from .access import manages_round
from .models import FAMILY, Booking, Round, Session, Slot


@dataclass
class Row:
    slot: Slot
    booking: Booking | None = None
    guardians: list[str] = field(default_factory=list)
    next_to: list[Slot] = field(default_factory=list)  # the family's other conversations right before or after

    @property
    def status(self) -> str:
        if self.booking is not None:
            return "booked"
        return "blocked" if self.slot.blocked else "free"


@dataclass
class Day:
    date: datetime.date
    rows: list[Row]

    @property
    def booked(self) -> int:
        return sum(1 for row in self.rows if row.booking is not None)


def schedule_sessions(round: Round, user):
    """The sessions whose schedule ``user`` may see: all for those who manage the round, a
    teacher's own and those of the groups they teach otherwise."""
    sessions = Session.objects.filter(round=round).select_related("teacher", "group")
    if not (manages_round(user, round) or roles_of(user).administers(round.school)):
        sessions = sessions.filter(Q(teacher=user) | Q(group_id__in=taught_group_ids(user)))
    return sessions.order_by("date", "starts_at", "pk")


def schedule_teachers(sessions) -> list:
    seen = {}
    for session in sessions:
        seen.setdefault(session.teacher_id, session.teacher)
    return sorted(seen.values(), key=lambda u: (u.last_name, u.first_name, u.pk))


def teacher_schedule(round: Round, user, teacher, *, day: datetime.date | None = None) -> list[Day]:
    """``teacher``'s days in the round (or one day), with the bookings ``user`` may see."""
    slots = Slot.objects.filter(round=round, teacher=teacher).select_related("group", "session")
    if day is not None:
        slots = slots.filter(starts_at__date=day)
    slots = list(slots.order_by("starts_at", "pk"))
    bookings = {
        booking.slot_id: booking
        for booking in Booking.objects.visible_to(user)
        .active()
        .filter(round=round, slot__in=[slot.pk for slot in slots])
        .select_related("student", "appointment")
    }
    guardians = _guardian_names(bookings.values())
    neighbours = _appointment_neighbours(bookings.values())
    days: dict[datetime.date, list[Row]] = defaultdict(list)
    for slot in slots:
        booking = bookings.get(slot.pk)
        row = Row(slot, booking)
        if booking is not None:
            names = guardians.get(booking.student_id, [])
            row.guardians = [name for user_id, name in names if booking.party in (FAMILY, user_id)]
            row.next_to = neighbours.get(booking.pk, [])
        days[timezone.localtime(slot.starts_at).date()].append(row)
    return [Day(date, rows) for date, rows in sorted(days.items())]


def _guardian_names(bookings) -> dict[int, list[tuple[int | None, str]]]:
    names: dict[int, list[tuple[int | None, str]]] = defaultdict(list)
    student_ids = {booking.student_id for booking in bookings}
    if not student_ids:
        return names
    for slot in Guardianship.objects.filter(student_id__in=student_ids).select_related("user").order_by("pk"):
        names[slot.student_id].append((slot.user_id, slot.display_name))
    return names


def _appointment_neighbours(bookings) -> dict[int, list[Slot]]:
    """For each booking, the slots of the same appointment (other children, other teachers)."""
    bookings = list(bookings)
    appointment_ids = {booking.appointment_id for booking in bookings}
    if not appointment_ids:
        return {}
    others: dict[int, list[Booking]] = defaultdict(list)
    for other in (
        Booking.objects.active().filter(appointment_id__in=appointment_ids).select_related("slot__teacher")
    ):
        others[other.appointment_id].append(other)
    return {
        booking.pk: [o.slot for o in others[booking.appointment_id] if o.pk != booking.pk] for booking in bookings
    }


def teacher_or_default(teachers: list, user, requested: str | None):
    """The teacher asked for in the query string, else the user when they hold conversations,
    else the first; None when there is nobody (a 404 for the schedule page when asked for)."""
    by_id = {teacher.pk: teacher for teacher in teachers}
    if requested:
        try:
            return by_id[int(requested)]
        except (KeyError, ValueError):
            return None
    if user.pk in by_id:
        return by_id[user.pk]
    return teachers[0] if teachers else None
