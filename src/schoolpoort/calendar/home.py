"""The next events on the home page: five occurrences in one query (the first single events, and
the repeating ones that are still running).

At board scale (20,000 events) the access rule read with subqueries costs more than the events:
they are tested against every event still running. The block reads the same rule
(``visibility.event_q``) from what the request knows already — the user's ids
(``core.access.request_reach``, shared with the news block) and the module states of the
overview — as plain ``IN`` lists, so PostgreSQL only looks at the user's own boards, schools and
groups (tests/calendar/test_calendar_home_reach.py)."""

import datetime

from django.db.models import F, Q
from django.utils import timezone

from schoolpoort.core.access import ReachIds, request_reach, roles_of
from schoolpoort.core.blocks import cached_block
from schoolpoort.lib.days_off import days_off_by_school, remember
from schoolpoort.lib.home import HomeBlock

from .days_off import days_of_spans, is_day_off
from .models import Event
from .recurrence import OFF_CATEGORIES, expand, skips_days_off
from .visibility import MODULE, event_q, whole_school_ids

COUNT = 5
HORIZON_DAYS = 120


def home_block(request, overview):
    if not any(state.info.code == MODULE for modules in overview.modules for state in modules.usable):
        return None
    # Kept per user under the reach's versions, today's date (the block holds whole days) and the
    # events' version (calendar/signals.py).
    return cached_block(request, "calendar", lambda: (next_events(request, overview), None), topics=("calendar",))


def next_events(request, overview) -> HomeBlock:
    """The block as read from the database (``home_block`` keeps it)."""
    today = timezone.localdate()
    until = today + datetime.timedelta(days=HORIZON_DAYS)
    ids = ReachIds(request.user, request_reach(request), overview.modules)
    visible = Event.objects.filter(event_q(ids)).between(today, until)
    # One query: the first few single events (a LIMIT inside IN), every repeating one still
    # running, and the days off ahead (the repeating ones skip them; the timetable block reads them too).
    first_single = visible.filter(rrule="").order_by("starts_on", F("start_time").asc(nulls_first=True), "pk")
    first_single = first_single.values("pk")[:COUNT]
    off = Q(category__in=OFF_CATEGORIES, cancelled=False, audience__in=[Event.Audience.SCHOOL, Event.Audience.BOARD])
    rows = list(visible.filter(Q(pk__in=first_single) | ~Q(rrule="") | off).select_related("school", "board"))
    # The rows hold the first few single events (and maybe later days off): the first few of their singles.
    singles = sorted((e for e in rows if not e.rrule), key=lambda e: (e.starts_on, e.start_time is not None,
                                                                      e.start_time or datetime.time.min, e.pk))
    events = singles[:COUNT] + [e for e in rows if e.rrule]
    upcoming = expand(events, today, until, _days_off(ids, events, rows, today, until))[:COUNT]
    if not roles_of(request.user).is_staff:
        # A parent's home timeline holds today and tomorrow (or else the next event); the Agenda tab the rest.
        tomorrow = today + datetime.timedelta(days=1)
        upcoming = [occurrence for occurrence in upcoming if occurrence.first_day <= tomorrow] or upcoming[:1]
    return HomeBlock("calendar/_home_block.html", {"occurrences": upcoming, "today": today}, order=30, section="today")


def _days_off(ids: ReachIds, events, rows, first, last) -> dict[int, set[datetime.date]]:
    """The days off of the schools whose events are shown. For a school whose every school and
    board event the user sees (``whole_school_ids``), they are among ``rows`` already: no query,
    and kept for the rest of the request (the timetable block). Any other school is asked as a
    page would (lib/days_off.py)."""
    whole = {pk: set() for pk in whole_school_ids(ids)}
    spans = [(e.school_id, e.board_id, e.starts_on, e.ends_on) for e in rows if is_day_off(e)]
    found = days_of_spans(spans, {pk: ids.board_of(pk) for pk in whole}, first, last, whole)
    remember(found, first, last, found)
    others = {event.school_id for event in events if skips_days_off(event)} - set(found)
    return {**found, **days_off_by_school(others, first, last)}
