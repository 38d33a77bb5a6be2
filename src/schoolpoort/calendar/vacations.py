"""The Dutch school vacations as the government publishes them (core/data/schoolvakanties.json),
loaded into a school's calendar for the school's region. Loading twice adds nothing: each
vacation remembers where it came from, and one the school changed or cancelled stays as it is."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from schoolpoort.core.models import AuditEntry, SchoolYear

from .models import Event

DATA_FILE = Path(__file__).resolve().parent.parent / "core" / "data" / "schoolvakanties.json"  # shared with absences


@dataclass(frozen=True)
class Vacation:
    school_year: str
    key: str
    name: str
    region: str
    first_day: datetime.date
    last_day: datetime.date
    advisory: bool  # advice dates (autumn, spring) a school may deviate from

    @property
    def source_key(self) -> str:
        return f"schoolvakanties:{self.school_year}:{self.key}"


@cache
def _data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def source() -> str:
    return _data()["source"]


def school_years() -> list[str]:
    return sorted(_data()["school_years"])


def vacations(school_year: str, region: str) -> list[Vacation]:
    """The vacations of one school year in one region; empty when the file does not have it."""
    return [
        Vacation(
            school_year=school_year,
            key=row["key"],
            name=row["name"],
            region=region,
            first_day=datetime.date.fromisoformat(row[region][0]),
            last_day=datetime.date.fromisoformat(row[region][1]),
            advisory=row["advisory"],
        )
        for row in _data()["school_years"].get(school_year, [])
    ]


def current_school_year() -> str:
    return SchoolYear.for_date(timezone.localdate()).name


@transaction.atomic
def load_vacations(school, school_year: str | None = None, actor=None) -> list[Event]:
    """Add the vacations of ``school_year`` (the current one by default) for the school's region
    as all-day school events; returns the events it added (none when they are there already)."""
    school_year = school_year or current_school_year()
    wanted = vacations(school_year, school.region)
    present = set(
        Event.objects.filter(school=school, source_key__in=[v.source_key for v in wanted]).values_list(
            "source_key", flat=True
        )
    )
    added = []
    for vacation in wanted:
        if vacation.source_key in present:
            continue
        added.append(
            Event.objects.create(
                audience=Event.Audience.SCHOOL,
                school=school,
                title=vacation.name,
                category=Event.Category.VACATION,
                all_day=True,
                starts_on=vacation.first_day,
                ends_on=vacation.last_day,
                source_key=vacation.source_key,
                created_by=actor,
            )
        )
    if added:
        AuditEntry.record(actor, "calendar.vacations_loaded", school=school, school_year=school_year,
                          region=school.region, count=len(added))
    return added
