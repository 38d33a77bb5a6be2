import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from schoolpoort.core.models import SchoolYear
from schoolpoort.records.results.models import (
    LevelBand,
    MethodTest,
    ReportCard,
    ReportCardLine,
    ReportPeriod,
    StandardisedTest,
    Subject,
)
from tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


def add_results(student, today=None):
    """A released and an unreleased report card, two method tests and three standardised tests."""
    today = today or timezone.localdate()
    year = SchoolYear.for_date(today)
    released = ReportPeriod.objects.create(
        school=student.school, school_year=year, name="Rapport 1", released_on=today - datetime.timedelta(days=1)
    )
    future = ReportPeriod.objects.create(
        school=student.school, school_year=year, name="Rapport 2", released_on=today + datetime.timedelta(days=10)
    )
    card = ReportCard.objects.create(student=student, period=released, remark="Goed gedaan")
    ReportCardLine.objects.create(report_card=card, subject="Rekenen", grade="7,5")
    hidden = ReportCard.objects.create(student=student, period=future, remark="Nog geheim")
    ReportCardLine.objects.create(report_card=hidden, subject="Rekenen", grade="8,0")
    day = year.starts_on + datetime.timedelta(days=40)
    MethodTest.objects.create(
        student=student,
        subject=Subject.ARITHMETIC,
        method="Pluspunt",
        block="Blok 1",
        taken_on=day,
        score=Decimal("85"),
        norm=Decimal("70"),
    )
    MethodTest.objects.create(
        student=student,
        subject=Subject.ARITHMETIC,
        method="Pluspunt",
        block="Blok 2",
        taken_on=day + datetime.timedelta(days=28),
        score=Decimal("62"),
        norm=Decimal("70"),
    )
    last = SchoolYear.for_date(year.starts_on - datetime.timedelta(days=30))
    for moment, score, level, school_year in [
        ("M3", "41", "III", last),
        ("E3", "52.5", "II", last),
        ("M4", "60", "II", year),
    ]:
        StandardisedTest.objects.create(
            student=student,
            test="CITO Rekenen-Wiskunde",
            moment=moment,
            school_year=school_year,
            taken_on=school_year.starts_on + datetime.timedelta(days=170 if moment[0] == "M" else 310),
            ability_score=Decimal(score),
            level=level,
        )
    for level, lower in [("V", 0), ("IV", 35), ("III", 40), ("II", 45), ("I", 55)]:
        LevelBand.objects.create(
            school=student.school, test="CITO Rekenen-Wiskunde", moment="M3", level=level, lower_bound=Decimal(lower)
        )
    return {"card": card, "hidden": hidden, "released": released, "future": future}


@pytest.fixture
def results(world):
    return add_results(world.child)


def add_more_results(student):
    """Many more rows of every kind, for the constant-query checks."""
    year = SchoolYear.for_date(timezone.localdate())
    for n in range(3, 9):
        period = ReportPeriod.objects.create(
            school=student.school, school_year=year, name=f"Extra {n}", released_on=year.starts_on
        )
        card = ReportCard.objects.create(student=student, period=period)
        ReportCardLine.objects.create(report_card=card, subject="Taal", grade="7")
        MethodTest.objects.create(
            student=student,
            subject=Subject.SPELLING,
            method="Staal",
            block=f"Blok {n}",
            taken_on=year.starts_on + datetime.timedelta(days=n * 7),
            score=Decimal(70),
        )
    for moment in ("M5", "E5", "M6"):
        StandardisedTest.objects.create(
            student=student,
            test="CITO Spelling",
            moment=moment,
            school_year=year,
            taken_on=year.starts_on + datetime.timedelta(days=20),
            ability_score=Decimal(120),
            level="I",
        )
