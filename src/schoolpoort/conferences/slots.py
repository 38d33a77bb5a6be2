"""Slots from a session's time window: conversations of the round's length one after another, a
break after every N conversations, and the session's own breaks left free."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from .models import Session, Slot

_BREAK = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*[-–]\s*(\d{1,2})[:.](\d{2})\s*$")


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def parse_breaks(text: str) -> list[tuple[datetime.time, datetime.time]]:
    """"19:30-19:45, 20:30-20:40" as pairs of times; ValueError with a readable message."""
    breaks = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;\n]", text or ""))):
        match = _BREAK.match(part)
        if not match:
            raise ValueError(_("Write breaks as from-until, for example 19:30-19:45: %(part)s") % {"part": part})
        h1, m1, h2, m2 = (int(x) for x in match.groups())
        try:
            start, end = datetime.time(h1, m1), datetime.time(h2, m2)
        except ValueError:
            raise ValueError(_("That is not a time: %(part)s") % {"part": part}) from None
        if end <= start:
            raise ValueError(_("A break must end after it starts: %(part)s") % {"part": part})
        breaks.append((start, end))
    return sorted(breaks)


def slot_times(
    date: datetime.date,
    start: datetime.time,
    end: datetime.time,
    *,
    minutes: int,
    break_every: int = 0,
    break_minutes: int = 0,
    breaks: list[tuple[datetime.time, datetime.time]] = (),
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The (start, end) of every conversation in the window, as aware local times. A slot never
    overlaps a break; a break (regular or the session's own) starts the count of N anew."""
    zone = local_zone()
    moment = datetime.datetime.combine(date, start, tzinfo=zone)
    window_end = datetime.datetime.combine(date, end, tzinfo=zone)
    pauses = [
        (datetime.datetime.combine(date, a, tzinfo=zone), datetime.datetime.combine(date, b, tzinfo=zone))
        for a, b in breaks
    ]
    length = datetime.timedelta(minutes=minutes)
    times, since_break = [], 0
    while moment + length <= window_end:
        finish = moment + length
        pause = next(((a, b) for a, b in pauses if a < finish and b > moment), None)
        if pause is not None:
            moment, since_break = pause[1], 0
            continue
        times.append((moment, finish))
        moment, since_break = finish, since_break + 1
        if break_every and since_break >= break_every and break_minutes:
            moment, since_break = moment + datetime.timedelta(minutes=break_minutes), 0
    return times


def session_slot_times(session: Session) -> list[tuple[datetime.datetime, datetime.datetime]]:
    round = session.round
    return slot_times(
        session.date,
        session.starts_at,
        session.ends_at,
        minutes=round.slot_minutes,
        break_every=round.break_every,
        break_minutes=round.break_minutes,
        breaks=parse_breaks(session.breaks),
    )


def create_slots(session: Session) -> list[Slot]:
    """The session's slots, written in one query."""
    return Slot.objects.bulk_create(
        Slot(
            round_id=session.round_id,
            session=session,
            teacher_id=session.teacher_id,
            group_id=session.group_id,
            starts_at=start,
            ends_at=end,
        )
        for start, end in session_slot_times(session)
    )
