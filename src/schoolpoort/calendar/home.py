"""The next events on the home page: five occurrences in one query (the first single events, and
the repeating ones that are still running).

At board scale (20,000 events) the access rule read with subqueries costs more than the events:
they are tested against every event still running. The block reads the same rule
(``visibility.event_q``) from what the request knows already — the user's ids
(``core.access.request_reach``, shared with the news block) and the module states of the
overview — as plain ``IN`` lists, so PostgreSQL only looks at the user's own boards, schools and
groups (tests/calendar/test_calendar_home_reach.py)."""

import datetime

from django.db.models import Q
from django.utils import timezone

from schoolpoort.core.access import ReachIds, request_reach, roles_of
from schoolpoort.lib.home import HomeBlock

from .models import Event
from .recurrence import expand
from .visibility import MODULE, event_q

COUNT = 5
HORIZON_DAYS = 120


def home_block(request, overview):
    if not any(state.info.code == MODULE for modules in overview.modules for state in modules.usable):
        return None
    today = timezone.localdate()
    until = today + datetime.timedelta(days=HORIZON_DAYS)
    visible_q = event_q(ReachIds(request.user, request_reach(request), overview.modules))
    visible = Event.objects.filter(visible_q).between(today, until)
    # One query: the first few single events (a LIMIT inside IN) and every repeating one still running.
    first_single = visible.filter(rrule="").order_by("starts_on", "start_time", "pk").values("pk")[:COUNT]
    events = visible.filter(Q(pk__in=first_single) | ~Q(rrule="")).select_related("school", "board")
    upcoming = expand(events, today, until)[:COUNT]
    if not roles_of(request.user).is_staff:
        # A parent's home timeline holds today and tomorrow (or else the next event); the Agenda tab the rest.
        tomorrow = today + datetime.timedelta(days=1)
        upcoming = [occurrence for occurrence in upcoming if occurrence.first_day <= tomorrow] or upcoming[:1]
    return HomeBlock("calendar/_home_block.html", {"occurrences": upcoming, "today": today}, order=30, section="today")
