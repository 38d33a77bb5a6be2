"""Conference bookings of a school for its systems (``bookings:read``): what changed since a moment,
oldest change first, cancelled ones kept and marked, through the conference module's own access
rule (``Booking.objects.visible_to``): a token sees what its account sees at its one school."""

from __future__ import annotations

import datetime
from typing import Literal

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from ninja import Router, Schema

from schoolpoort.conferences.models import Booking

from .. import cursors
from ..errors import ERRORS
from ..moments import Moment
from ..schools import reached_school

router = Router(tags=["conferences"])
PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


class BookingChangeOut(Schema):
    id: int
    round_id: int
    round: str
    student_id: int
    student: str
    student_number: str
    group: str
    teacher: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    location: str
    status: Literal["booked", "cancelled"]
    source: str
    booked_at: datetime.datetime
    cancelled_at: datetime.datetime | None
    changed_at: datetime.datetime


class BookingPage(Schema):
    items: list[BookingChangeOut]
    next_cursor: str | None


def _out(booking: Booking) -> dict:
    slot = booking.slot
    return {
        "id": booking.pk, "round_id": booking.round_id, "round": booking.round.title,
        "student_id": booking.student_id, "student": booking.student.full_name,
        "student_number": booking.student.sis_id, "group": slot.group.name, "teacher": slot.teacher.get_full_name(),
        "starts_at": slot.starts_at, "ends_at": slot.ends_at,
        "location": slot.session.location or booking.round.location,
        "status": "booked" if booking.cancelled_at is None else "cancelled", "source": booking.appointment.source,
        "booked_at": booking.created_at, "cancelled_at": booking.cancelled_at, "changed_at": booking.updated_at,
    }


def _after(cursor: str | None) -> Q | None:
    after = cursors.decode(cursor, 2)
    if after is None:
        return None
    moment = parse_datetime(after[0]) if isinstance(after[0], str) else None
    if moment is None or not isinstance(after[1], int):
        raise cursors.invalid()
    return Q(updated_at__gt=moment) | Q(updated_at=moment, pk__gt=after[1])


@router.get("/schools/{school_id}/bookings", response={200: BookingPage, **ERRORS}, url_name="school_bookings",
            summary="Conference bookings at one school, changed since a moment")
def school_bookings(request, school_id: int, since: Moment | None = None, cursor: str | None = None,
                    limit: int = PAGE_SIZE):
    """Bookings made, moved or cancelled at or after ``since`` (all without it), the oldest change
    first; ``status`` is ``cancelled`` for a cancelled one. Pass ``next_cursor`` as ``cursor`` for
    the next page; keep the last ``changed_at`` to ask again later with ``since``."""
    caller = request.auth
    caller.require("bookings:read")
    school = reached_school(caller, school_id)
    found = Booking.objects.visible_to(caller.user).filter(round__school=school)
    if since is not None:
        found = found.filter(updated_at__gte=since)
    if (after := _after(cursor)) is not None:
        found = found.filter(after)
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    rows = list(
        found.select_related("round", "student", "appointment", "slot__group", "slot__teacher", "slot__session")
        .order_by("updated_at", "pk")[: limit + 1]
    )
    page, more = rows[:limit], len(rows) > limit
    next_cursor = cursors.encode([page[-1].updated_at.isoformat(), page[-1].pk]) if more else None
    return {"items": [_out(b) for b in page], "next_cursor": next_cursor}
