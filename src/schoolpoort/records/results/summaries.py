"""From result rows to what the pages show: charts with their tables per subject and per test,
and the latest scores of a group. Plain functions, shared by the pages (and an API later)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from schoolpoort.core.models import ModuleSwitch, Student

from . import charts
from .models import LevelBand, MethodTest, ScoreKind, StandardisedTest, Subject, moment_order

MODULE = "records"


def year_of(day: datetime.date) -> str:
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}"


def school_years_of(tests) -> list[str]:
    """The school years with results, newest first."""
    return sorted({year_of(test.taken_on) for test in tests}, reverse=True)


@dataclass
class SubjectResults:
    subject: str
    label: str
    tests: list[MethodTest]
    chart: charts.Chart


def method_subjects(tests: list[MethodTest]) -> list[SubjectResults]:
    """One chart (with its table) per subject, in the order of ``Subject``."""
    by_subject: dict[str, list[MethodTest]] = {}
    for test in tests:
        by_subject.setdefault(test.subject, []).append(test)
    result = []
    for subject in Subject:
        rows = by_subject.get(subject.value)
        if not rows:
            continue
        grades = all(test.score_kind == ScoreKind.GRADE for test in rows)
        bars = [
            charts.Bar(test.block or test.method, test.taken_on, test.score, test.norm, test.method) for test in rows
        ]
        chart = charts.scores_chart(bars, maximum=10 if grades else 100, title=str(subject.label).capitalize())
        result.append(SubjectResults(subject.value, subject.label, rows, chart))
    return result


@dataclass
class TestResults:
    name: str
    tests: list[StandardisedTest]
    chart: charts.Chart
    has_bands: bool
    key: str = ""  # an id for the page


def growth(school_id: int, tests: list[StandardisedTest]) -> dict:
    """A chart of all tests together (one line per test) and one per test with its level bands."""
    by_test: dict[str, list[StandardisedTest]] = {}
    for test in sorted(tests, key=lambda t: (t.order, t.taken_on)):
        by_test.setdefault(test.test, []).append(test)
    names = sorted(by_test)
    bands: dict[tuple[str, str], list[tuple[str, object]]] = {}
    if names:
        for band in LevelBand.objects.filter(school_id=school_id, test__in=names):
            bands.setdefault((band.test, band.moment), []).append((band.level, band.lower_bound))

    def series(name):
        return charts.Series(
            name, [charts.Point(t.moment, t.ability_score, t.level, t.school_year.name) for t in by_test[name]]
        )

    per_test = []
    for index, name in enumerate(names, start=1):
        moments = {t.moment for t in by_test[name]}
        test_bands = {moment: pairs for (test, moment), pairs in bands.items() if test == name and moment in moments}
        chart = charts.growth_chart([series(name)], test_bands, title=name)
        per_test.append(TestResults(name, by_test[name], chart, bool(test_bands), f"chart-test-{index}"))
    scored = [name for name in names if any(t.ability_score is not None for t in by_test[name])]
    overview = charts.growth_chart([series(name) for name in scored]) if len(scored) > 1 else None
    return {"tests": per_test, "overview": overview}


def records_enabled(school) -> bool:
    return ModuleSwitch.objects.filter(school=school, module=MODULE, enabled=True).exists()


@dataclass
class Latest:
    test: StandardisedTest | None


def group_latest(group) -> dict:
    """Pupils of the group (current ones) and, per test, the latest result of each: two queries."""
    pupils = list(
        Student.objects.filter(enrollments__group=group, archived_at__isnull=True).order_by("first_name", "last_name")
    )
    latest: dict[tuple[int, str], StandardisedTest] = {}
    for test in StandardisedTest.objects.filter(student__in=[p.pk for p in pupils]).order_by("taken_on", "pk"):
        key = (test.student_id, test.test)
        if key not in latest or moment_order(test.moment) >= moment_order(latest[key].moment):
            latest[key] = test
    names = sorted({name for _student, name in latest})
    rows = [(pupil, [latest.get((pupil.pk, name)) for name in names]) for pupil in pupils]
    return {"test_names": names, "rows": rows}
