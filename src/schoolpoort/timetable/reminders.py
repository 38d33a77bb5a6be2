"""What to remember for school: today's and the next school day's timetable entries of a
guardian's children ("Tomorrow gym for Noor: gym clothes") and of a teacher's groups. On Friday
and Saturday the next school day is Monday; vacations and study days have none. Four queries,
whatever the number of children."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from schoolpoort.core.access import taught_group_ids
from schoolpoort.core.models import Enrollment, Group
from schoolpoort.lib.days_off import days_off_by_school

from .models import TimetableEntry

TODAY, TOMORROW, MONDAY = "today", "tomorrow", "monday"


@dataclass
class Reminder:
    day: datetime.date
    when: str  # TODAY, TOMORROW or MONDAY (the next school day after a Friday or a Saturday)
    entry: TimetableEntry
    who: list[str] = field(default_factory=list)  # the children's first names, or the group's name

    @property
    def headline(self) -> str:
        values = {"activity": self.entry.title, "who": join_names(self.who)}
        if self.when == TODAY:
            return _("Today %(activity)s for %(who)s") % values
        if self.when == TOMORROW:
            return _("Tomorrow %(activity)s for %(who)s") % values
        return _("On Monday %(activity)s for %(who)s") % values

    @property
    def text(self) -> str:
        if self.entry.reminder:
            return f"{self.headline}: {self.entry.reminder}"
        return self.headline


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def next_school_day(today: datetime.date) -> datetime.date:
    day = today + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def upcoming_days(today: datetime.date) -> list[tuple[datetime.date, str]]:
    """(day, when) of today, if it is a school day, and of the next school day."""
    days = [(today, TODAY)] if today.weekday() < 5 else []
    following = next_school_day(today)
    days.append((following, TOMORROW if following - today == datetime.timedelta(days=1) else MONDAY))
    return days


def reminders_for(user, today: datetime.date | None = None, taught_ids=None, child_groups=None) -> list[Reminder]:
    """The entries of today and the next school day for the user's children and taught groups, in
    the order of the day; one reminder per entry, naming every child of the user in that group.
    ``taught_ids``: the groups the user teaches today when the request has read them already;
    ``child_groups``: (group id, first name) of the children's current groups where the user sees
    class pages, when read already (the home page's children)."""
    if not (user and user.is_authenticated):
        return []
    today = today or timezone.localdate()
    days = upcoming_days(today)
    current = Group.objects.current(today)
    children: dict[int, list[str]] = {}
    rows = child_groups
    if rows is None:
        rows = (
            Enrollment.objects.filter(
                group__in=current,
                student__archived_at__isnull=True,
                student__guardianships__user=user,
                student__guardianships__sees_class_pages=True,
            )
            .values_list("group_id", "student__first_name")
        )
    for group_id, first_name in sorted(rows, key=lambda row: row[1]):
        names = children.setdefault(group_id, [])
        if first_name not in names:
            names.append(first_name)
    if taught_ids is None:
        taught = set(taught_group_ids(user, today).values_list("pk", flat=True))
    else:
        taught = set(taught_ids)
    entries = list(
        TimetableEntry.objects.visible_to(user, today)
        .filter(group_id__in=set(children) | taught, weekday__in=[day.weekday() for day, _when in days])
        .select_related("group")
        .order_by("starts_at", "group__grades", "pk")
    )
    # No gym in the holidays: the school's vacations and study days (lib/days_off.py), one query.
    off = days_off_by_school({entry.group.school_id for entry in entries}, days[0][0], days[-1][0])
    reminders = []
    for day, when in days:
        for entry in entries:
            if entry.weekday != day.weekday() or day in off.get(entry.group.school_id, ()):
                continue
            who = children.get(entry.group_id) or [entry.group.name]
            reminders.append(Reminder(day=day, when=when, entry=entry, who=who))
    return reminders
