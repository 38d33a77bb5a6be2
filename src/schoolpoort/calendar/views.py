"""The calendar pages: upcoming events, month, week, one event and its .ics download. Each page
costs a fixed number of queries: the events of a period come in one query (groups in a second)
and repeating ones are expanded in Python."""

from __future__ import annotations

import calendar as month_calendar
import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from schoolpoort.core.access import (
    get_visible_or_404,
    guardian_student_ids,
    require_module,
    roles_of,
    taught_group_ids,
)
from schoolpoort.core.models import Enrollment, Group, School, SchoolYear, Student
from schoolpoort.lib import dates
from schoolpoort.lib.days_off import days_off_by_school
from schoolpoort.lib.weekly import weekly_entries

from . import recurrence, vacations
from .feed import event_calendar
from .models import Event
from .visibility import MODULE, usable_school_ids

LIST_DAYS = 366  # how far ahead the list of upcoming events looks
PAGE_SIZE = 30
MAX_DOTS = 3


@dataclass
class Scope:
    """What one request's calendar pages work with: the schools whose calendar the user can open,
    the user's children there, and the child chosen with ?kind=."""

    user: object
    schools: list[School]
    children: list[Student] = field(default_factory=list)
    child: Student | None = None

    def group_ids(self, child: Student) -> list[int]:
        return [enrollment.group_id for enrollment in child.current_enrollments]

    def events(self):
        events = Event.objects.visible_to(self.user).select_related("school", "board").prefetch_related("groups")
        if self.child is not None:
            events = events.for_child(self.child, self.group_ids(self.child))
        return events

    def fetch(self, first_day: datetime.date, last_day: datetime.date) -> list[Event]:
        """The events of a period, each marked with the children it concerns (for parents of more
        than one child)."""
        events = list(self.events().between(first_day, last_day))
        if len(self.children) > 1 and self.child is None:
            for event in events:
                event.for_children = [child.first_name for child in self.children if self._concerns(event, child)]
        return events

    def weekly(self) -> list[recurrence.WeeklyItem]:
        """The weekly activities of the user's own groups at these schools (gym, from the
        timetable, through lib/weekly.py): the children's groups and the groups they teach (a
        director's calendar is not every group's timetable), each marked with its children."""
        if self.child is not None:
            group_ids = set(self.group_ids(self.child))
        else:
            group_ids = {pk for child in self.children for pk in self.group_ids(child)}
            group_ids |= set(taught_group_ids(self.user).values_list("pk", flat=True))
        school_ids = {school.pk for school in self.schools}
        items = []
        for entry in weekly_entries(self.user, group_ids):
            if entry.school_id not in school_ids:
                continue
            item = recurrence.WeeklyItem(entry)
            if len(self.children) > 1 and self.child is None:
                item.for_children = [c.first_name for c in self.children if entry.group_id in self.group_ids(c)]
            items.append(item)
        return items

    def occurrences(self, first_day: datetime.date, last_day: datetime.date) -> list[recurrence.Occurrence]:
        """Every occurrence between the two days: the events and the weekly activities, both
        skipping their school's days off (one query for the days off of every school)."""
        events, weekly = self.fetch(first_day, last_day), self.weekly()
        schools = {event.school_id for event in events if event.school_id} | {w.entry.school_id for w in weekly}
        days_off = days_off_by_school(schools, first_day, last_day)
        found = recurrence.expand(events, first_day, last_day, days_off)
        found += recurrence.weekly_occurrences(weekly, first_day, last_day, days_off)
        return sorted(found, key=lambda o: o.sort_key)

    def _concerns(self, event: Event, child: Student) -> bool:
        if event.audience == Event.Audience.BOARD:
            return event.board_id == child.school.board_id
        if event.audience == Event.Audience.SCHOOL:
            return event.school_id == child.school_id
        return bool({group.pk for group in event.groups.all()} & set(self.group_ids(child)))

    def query(self, **params) -> str:
        """A query string for a link on the same page, keeping the chosen child."""
        if self.child is not None:
            params["kind"] = self.child.pk
        return "?" + urlencode(params) if params else ""

    @property
    def administered_schools(self) -> list[School]:
        roles = roles_of(self.user)
        return [school for school in self.schools if roles.administers(school)]

    @property
    def is_staff(self) -> bool:
        return roles_of(self.user).is_staff


def calendar_scope(request) -> Scope:
    """404 when the calendar is not usable at any school of the user, or ?kind= is not one of
    their children there."""
    user = request.user
    schools = list(
        School.objects.visible_to(user).filter(pk__in=usable_school_ids(user)).select_related("board").order_by("name")
    )
    if not schools:
        raise Http404
    scope = Scope(user, schools)
    if roles_of(user).is_guardian:
        current = Enrollment.objects.filter(group__in=Group.objects.current())
        scope.children = list(
            Student.objects.visible_to(user)
            .filter(pk__in=guardian_student_ids(user), school__in=schools)
            .select_related("school")
            .prefetch_related(Prefetch("enrollments", queryset=current, to_attr="current_enrollments"))
            .order_by("first_name", "pk")
        )
    if kind := request.GET.get("kind"):
        scope.child = next((child for child in scope.children if str(child.pk) == kind), None)
        if scope.child is None:
            raise Http404
    return scope


def _context(scope: Scope, view: str, **extra) -> dict:
    return {"scope": scope, "view": view, "today": timezone.localdate(), **extra}


def _parse_day(value: str | None) -> datetime.date | None:
    try:
        day = datetime.date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


# --- Upcoming ------------------------------------------------------------------------------------


@login_required
def event_list(request):
    scope = calendar_scope(request)
    today = timezone.localdate()
    until = today + datetime.timedelta(days=LIST_DAYS)
    found = recurrence.expand(scope.fetch(today, until), today, until)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("pagina"))
    days: list[tuple[datetime.date, list]] = []
    for occurrence in page.object_list:
        day = max(occurrence.first_day, today)
        if not days or days[-1][0] != day:
            days.append((day, []))
        days[-1][1].append(occurrence)
    pages = {
        "previous": scope.query(pagina=page.previous_page_number()) if page.has_previous() else None,
        "next": scope.query(pagina=page.next_page_number()) if page.has_next() else None,
    }
    return render(request, "calendar/list.html", _context(
        scope, "list", page=page, days=days, pages=pages,
        school_years=vacations.school_years(), current_school_year=SchoolYear.for_date(today).name,
    ))


# --- Month ---------------------------------------------------------------------------------------


@dataclass
class DayCell:
    day: datetime.date
    in_month: bool
    is_today: bool
    selected: bool
    occurrences: list
    link: str

    @property
    def categories(self) -> list[str]:
        seen = []
        for occurrence in self.occurrences:
            if occurrence.event.category not in seen:
                seen.append(occurrence.event.category)
        return seen[:MAX_DOTS]


@login_required
def month(request):
    scope = calendar_scope(request)
    today = timezone.localdate()
    try:
        year, number = (int(part) for part in request.GET.get("maand", "").split("-"))
        first = datetime.date(year, number, 1) if 2000 <= year <= 2100 else None
    except ValueError:
        first = None
    first = first or today.replace(day=1)
    last = first.replace(day=month_calendar.monthrange(first.year, first.month)[1])
    grid_start = first - datetime.timedelta(days=first.weekday())
    grid_end = last + datetime.timedelta(days=6 - last.weekday())
    found = scope.occurrences(grid_start, grid_end)
    per_day = recurrence.by_day(found, grid_start, grid_end)

    selected = _parse_day(request.GET.get("dag"))
    if selected is None or not first <= selected <= last:
        selected = today if first <= today <= last else None
    key = f"{first:%Y-%m}"
    weeks, week = [], []
    for day, occurrences in per_day.items():
        week.append(DayCell(day, first <= day <= last, day == today, day == selected, occurrences,
                            scope.query(maand=f"{day:%Y-%m}", dag=day.isoformat()) + "#dag"))
        if len(week) == 7:
            weeks.append(week)
            week = []
    in_month: list[tuple[datetime.date, list]] = []
    for occurrence in found:
        if occurrence.last_day < first or occurrence.first_day > last:
            continue
        day = max(occurrence.first_day, first)
        if not in_month or in_month[-1][0] != day:
            in_month.append((day, []))
        in_month[-1][1].append(occurrence)
    in_month.sort(key=lambda row: row[0])
    previous_month = (first - datetime.timedelta(days=1)).replace(day=1)
    next_month = last + datetime.timedelta(days=1)
    return render(request, "calendar/month.html", _context(
        scope, "month", first=first, weeks=weeks, key=key, selected=selected,
        selected_occurrences=per_day.get(selected, []) if selected else [],
        in_month=in_month, weekdays=[weeks[0][n].day for n in range(7)],
        previous=scope.query(maand=f"{previous_month:%Y-%m}"), next=scope.query(maand=f"{next_month:%Y-%m}"),
        this_month=scope.query(),
    ))


# --- Week ----------------------------------------------------------------------------------------


@login_required
def week(request):
    scope = calendar_scope(request)
    today = timezone.localdate()
    day = _parse_day(request.GET.get("week")) or today
    monday = day - datetime.timedelta(days=day.weekday())
    sunday = monday + datetime.timedelta(days=6)
    found = scope.occurrences(monday, sunday)
    days = list(recurrence.by_day(found, monday, sunday).items())
    return render(request, "calendar/week.html", _context(
        scope, "week", monday=monday, sunday=sunday, days=days,
        week_number=monday.isocalendar().week, is_this_week=monday <= today <= sunday,
        previous=scope.query(week=(monday - datetime.timedelta(days=7)).isoformat()),
        next=scope.query(week=(monday + datetime.timedelta(days=7)).isoformat()),
        this_week=scope.query(),
    ))


# --- One event -----------------------------------------------------------------------------------


def visible_event_or_404(user, pk: int) -> Event:
    """One event through the access layer; for a school or group event also the module check."""
    event = get_visible_or_404(
        Event.objects.select_related("school", "board").prefetch_related("groups"), user, pk=pk
    )
    if event.school_id is not None:
        require_module(user, event.school, MODULE)
    return event


@login_required
def detail(request, pk: int):
    event = visible_event_or_404(request.user, pk)
    today = timezone.localdate()
    upcoming = []
    if event.rrule:
        upcoming = recurrence.expand([event], today, today + datetime.timedelta(days=LIST_DAYS))[:8]
    can_manage = Event.objects.manageable_by(request.user).filter(pk=event.pk).exists()
    return render(request, "calendar/detail.html", {
        "event": event,
        "first": recurrence.first_occurrence(event),
        "repeats": recurrence.describe(event),
        "skipped": [dates.style(day, "weekday_year") for day in recurrence.exdate_days(event)],
        "upcoming": upcoming,
        "can_manage": can_manage,
    })


@login_required
def event_ics(request, pk: int):
    event = visible_event_or_404(request.user, pk)
    response = HttpResponse(event_calendar(event), content_type="text/calendar; charset=utf-8")
    filename = slugify(event.title) or "event"
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response
