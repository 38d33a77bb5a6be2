"""The rules a school prints for special leave (Leerplichtwet), and for reporting absences, as plain
functions of the data and of "today", so the pages, the API and the tests share them.

Holiday leave (art. 13a): only when the parent's work makes a holiday in the school vacations
impossible (an employer's statement shows it), at most once per school year, at most ten school
days, not in the first two weeks of the school year, and asked at least eight weeks ahead.

Important circumstances (art. 11g, e.g. a wedding, a funeral, a religious obligation, moving): asked
ahead, or when that was not possible at the latest two days after it began (art. 14); more than
ten school days is for the municipality's attendance officer to decide, not the school."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from schoolpoort.lib import dates

from . import schooldays
from .models import LeaveRequest

HOLIDAY_WEEKS_AHEAD = 8
HOLIDAY_MAX_SCHOOL_DAYS = 10
CIRCUMSTANCES_MAX_SCHOOL_DAYS = 10
CIRCUMSTANCES_DAYS_AFTER = 2
MAX_DAYS_AHEAD = 366
# Circumstances that come unannounced may be asked afterwards; the others are known ahead.
UNFORESEEABLE = {LeaveRequest.Circumstance.FUNERAL, LeaveRequest.Circumstance.ILLNESS}

# Absence reports by parents.
REPORT_DAYS_BACK = 7
REPORT_DAYS_AHEAD = 60


@dataclass(frozen=True)
class Problem:
    field: str | None  # the form field it belongs to, None for the form as a whole
    message: str


def _day(value: datetime.date) -> str:
    return dates.style(value, "day")


def leave_problems(
    *,
    student,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    circumstance: str = "",
    has_statement: bool = False,
    today: datetime.date | None = None,
    exclude_pk: int | None = None,
) -> list[Problem]:
    """Every rule the request breaks, with a message for the parent; empty when it may be asked."""
    today = today or timezone.localdate()
    if ends_on < starts_on:
        return [Problem("ends_on", _("The last day cannot be before the first day."))]
    region = student.school.region
    days = schooldays.school_days(starts_on, ends_on, region)
    problems = []
    if starts_on > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        problems.append(Problem("starts_on", _("Leave can be asked at most a year ahead.")))
    if days == 0:
        problems.append(Problem("ends_on", _("There are no school days in this period, so no leave is needed.")))
    if kind == LeaveRequest.Kind.HOLIDAY:
        problems += _holiday_problems(student, starts_on, ends_on, days, has_statement, today, exclude_pk)
    elif kind == LeaveRequest.Kind.CIRCUMSTANCES:
        problems += _circumstance_problems(starts_on, days, circumstance, today)
    return problems


def _holiday_problems(student, starts_on, ends_on, days, has_statement, today, exclude_pk) -> list[Problem]:
    problems = []
    deadline = starts_on - datetime.timedelta(weeks=HOLIDAY_WEEKS_AHEAD)
    if today > deadline:
        problems.append(Problem("starts_on", _(
            "Holiday leave must be asked at least 8 weeks ahead. For leave from %(first)s, the request had to "
            "be in by %(deadline)s."
        ) % {"first": _day(starts_on), "deadline": _day(deadline)}))
    if days > HOLIDAY_MAX_SCHOOL_DAYS:
        problems.append(Problem("ends_on", _(
            "Holiday leave can be at most 10 school days; this period has %(count)d school days."
        ) % {"count": days}))
    school_year = schooldays.school_year_name(starts_on)
    first_weeks = schooldays.first_school_weeks(school_year, student.school.region)
    if first_weeks and starts_on <= first_weeks[1] and ends_on >= first_weeks[0]:
        problems.append(Problem("starts_on", _(
            "Holiday leave is not possible in the first two weeks of the school year (%(first)s to %(last)s)."
        ) % {"first": _day(first_weeks[0]), "last": _day(first_weeks[1])}))
    year_first = datetime.date(int(school_year[:4]), 8, 1)
    earlier = (
        LeaveRequest.objects.filter(
            student=student,
            kind=LeaveRequest.Kind.HOLIDAY,
            status__in=[LeaveRequest.Status.REQUESTED, LeaveRequest.Status.APPROVED],
            starts_on__gte=year_first,
            starts_on__lte=year_first.replace(year=year_first.year + 1) - datetime.timedelta(days=1),
        )
        .exclude(pk=exclude_pk)
        .order_by("starts_on")
        .first()
    )
    if earlier is not None:
        problems.append(Problem(None, _(
            "Holiday leave can be given once per school year. %(name)s already has holiday leave asked or "
            "given for %(first)s to %(last)s in this school year."
        ) % {"name": student.first_name, "first": _day(earlier.starts_on), "last": _day(earlier.ends_on)}))
    if not has_statement:
        problems.append(Problem("statement", _(
            "Holiday leave needs a statement of your employer showing that your family cannot go on holiday in "
            "any of the school vacations. Please add it."
        )))
    return problems


def _circumstance_problems(starts_on, days, circumstance, today) -> list[Problem]:
    problems = []
    if not circumstance:
        problems.append(Problem("circumstance", _("Choose the circumstance the leave is for.")))
    if starts_on < today:
        late = today - starts_on > datetime.timedelta(days=CIRCUMSTANCES_DAYS_AFTER)
        if late or (circumstance and circumstance not in UNFORESEEABLE):
            problems.append(Problem("starts_on", _(
                "Leave must be asked ahead. Only when that was not possible (a death or serious illness in the "
                "family) can it be asked afterwards, at the latest two days after it began."
            )))
    if days > CIRCUMSTANCES_MAX_SCHOOL_DAYS:
        problems.append(Problem("ends_on", _(
            "Leave of more than 10 school days is decided by the attendance officer (leerplichtambtenaar) of "
            "the municipality, not by the school. Please ask the school for the form."
        )))
    return problems


def report_problems(
    *,
    reason: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    from_time: datetime.time | None,
    until_time: datetime.time | None,
    by_staff: bool = False,
    today: datetime.date | None = None,
) -> list[Problem]:
    """What is wrong with an absence report; parents report from a week back to 60 days ahead."""
    today = today or timezone.localdate()
    problems = []
    if ends_on is not None and ends_on < starts_on:
        problems.append(Problem("ends_on", _("The last day cannot be before the first day.")))
    if not by_staff:
        if starts_on < today - datetime.timedelta(days=REPORT_DAYS_BACK):
            problems.append(Problem("starts_on", _(
                "You can report an absence up to 7 days back. For an earlier absence, please contact the school."
            )))
        if starts_on > today + datetime.timedelta(days=REPORT_DAYS_AHEAD):
            problems.append(Problem("starts_on", _(
                "You can report an absence up to 60 days ahead. For a longer time away, ask for leave."
            )))
    if (from_time is None) != (until_time is None):
        problems.append(Problem("until_time", _("Give both times, or neither for the whole day.")))
    elif from_time is not None:
        if until_time <= from_time:
            problems.append(Problem("until_time", _("The end time must be after the start time.")))
        if ends_on is not None and ends_on != starts_on:
            problems.append(Problem("from_time", _("Part of a day is for one day only: leave the last day empty.")))
    return problems


def late_report_notice(school, settings_row, now: datetime.datetime | None = None) -> str | None:
    """The form's notice after the school's time for today: the report still goes, but the school
    may not see it in time, so call as well. None before that time."""
    if not settings_row.is_past_cutoff(now):
        return None
    values = {"time": dates.style(settings_row.cutoff_time, "time"), "school": school.name, "phone": school.phone}
    if school.phone:
        return _(
            "It is past %(time)s, the time by which %(school)s asks for absence reports for today. Your report "
            "still reaches the school, but it may not be seen in time: please also call the school at %(phone)s."
        ) % values
    return _(
        "It is past %(time)s, the time by which %(school)s asks for absence reports for today. Your report still "
        "reaches the school, but it may not be seen in time: please also contact the school."
    ) % values
