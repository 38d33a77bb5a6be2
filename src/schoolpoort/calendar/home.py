"""The next events on the home page: five occurrences in two queries (single events, and the
repeating ones that are still running).

At board scale (20,000 events) the access rule of ``visibility.event_q`` costs more than the
events: its subqueries are tested against every event still running. The block reads the
same rule from what the request knows already — the user's ids (``core.access.request_reach``,
shared with the news block) and the module states of the overview — as plain ``IN`` lists, so
PostgreSQL only looks at the user's own boards, schools and groups. The result is the same as
``Event.objects.visible_to(user)`` for every role (tests/calendar/test_calendar_home_reach.py)."""

import datetime

from django.db.models import Q
from django.utils import timezone

from schoolpoort.core.access import NOTHING, request_reach
from schoolpoort.lib.home import HomeBlock

from .models import Event
from .recurrence import expand
from .visibility import BOARD, GROUPS, MODULE, SCHOOL

COUNT = 5
HORIZON_DAYS = 120


def reach_event_q(user, reach, modules) -> Q:
    """``visibility.event_q`` with plain id lists: ``reach`` is the user's ``core.access.Reach``,
    ``modules`` the ``SchoolModules`` of every school the user sees (``overview.modules``)."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return NOTHING
    calendar_states = [
        (modules_of.school, state) for modules_of in modules for state in modules_of.states if state.info.code == MODULE
    ]
    switched_on = {school.pk for school, state in calendar_states if state.enabled}
    open_ids = {school.pk for school, state in calendar_states if state.is_open}
    board_of = {school.pk: school.board_id for school, _state in calendar_states}

    # Guardians where the module is open; staff and board admins where it is switched on.
    guardian_schools = reach.child_school_ids & open_ids
    staff_schools = (reach.staff_school_ids | reach.roles.board_school_ids) & switched_on
    schools = guardian_schools | staff_schools
    boards = {board_of[pk] for pk in schools if pk in board_of}
    group_events = Q(school_id__in=sorted(reach.managed_school_ids & switched_on))
    group_events |= _of_groups(reach.taught_group_ids, switched_on)
    group_events |= _of_groups(reach.child_group_ids, open_ids)
    return (
        Q(audience=BOARD, board_id__in=sorted(boards))
        | Q(audience=SCHOOL, school_id__in=sorted(schools))
        | (Q(audience=GROUPS) & group_events)
    )


def _of_groups(group_ids, school_ids) -> Q:
    if not group_ids or not school_ids:
        return NOTHING
    of_groups = Event.groups.through.objects.filter(group_id__in=sorted(group_ids)).values("event_id")
    return Q(pk__in=of_groups, school_id__in=sorted(school_ids))


def home_block(request, overview):
    if not any(state.info.code == MODULE for modules in overview.modules for state in modules.usable):
        return None
    today = timezone.localdate()
    until = today + datetime.timedelta(days=HORIZON_DAYS)
    visible_q = reach_event_q(request.user, request_reach(request), overview.modules)
    visible = Event.objects.filter(visible_q).between(today, until).select_related("school", "board")
    single = visible.filter(rrule="").order_by("starts_on", "start_time", "pk")[:COUNT]
    repeating = visible.exclude(rrule="")
    upcoming = expand([*single, *repeating], today, until)[:COUNT]
    return HomeBlock("calendar/_home_block.html", {"occurrences": upcoming, "today": today}, order=30)
