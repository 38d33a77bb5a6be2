"""Results of the De Regenboog children (DEMO.md): standardised tests (CITO) of every moment they
have had since groep 1, with the level bands of each moment; this school year's method tests; the
report cards of last year (released) and of this year's first period (released in the future, so
parents do not see it yet; staff do). Everything with bulk inserts: the demo is rebuilt in many
browser tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from schoolpoort.core.models import Enrollment, SchoolYear
from schoolpoort.core.scopes import school_scope, scopes_disabled
from schoolpoort.lib.demo import REGENBOOG, DemoWorld

from .models import (
    LevelBand,
    MethodTest,
    ReportCard,
    ReportCardLine,
    ReportPeriod,
    ScoreKind,
    Source,
    StandardisedTest,
    Subject,
    level_for,
)

# (test, moments, score at the first moment, growth per moment, spread between children)
KLEUTER_MOMENTS = ["M1", "E1", "M2", "E2"]
LATER_MOMENTS = ["M3", "E3", "M4", "E4", "M5", "E5", "M6", "E6", "M7", "E7", "M8"]
TESTS = [
    ("CITO Rekenen voor kleuters", KLEUTER_MOMENTS, 40, 9, 10),
    ("CITO Taal voor kleuters", KLEUTER_MOMENTS, 45, 8, 10),
    ("CITO Rekenen-Wiskunde", LATER_MOMENTS, 30, 11, 12),
    ("CITO Spelling", LATER_MOMENTS, 105, 6, 8),
    ("CITO Begrijpend lezen", LATER_MOMENTS[2:], 20, 7, 12),
]
# Where each level starts, in standard deviations from the mean: I is the top fifth of the country.
LEVEL_CUTS = [("V", -9), ("IV", -0.84), ("III", -0.25), ("II", 0.25), ("I", 0.84)]
METHODS = {
    Subject.ARITHMETIC: ("Pluspunt 4", 70),
    Subject.LANGUAGE: ("Staal Taal", 70),
    Subject.SPELLING: ("Staal Spelling", 80),
}
REPORT_SUBJECTS = ["Rekenen", "Taal", "Spelling", "Lezen", "Wereldoriëntatie"]
KLEUTER_SUBJECTS = ["Taalontwikkeling", "Rekenontwikkeling", "Samen spelen"]
# The kleuter tests are shown for the children up to groep 3 only (the chart of older children starts
# at M3): fewer rows keep the demo build fast.
KLEUTER_UNTIL_GRADE = 3
KLEUTER_GRADES = ["G", "V", "RV", "O"]  # goed, voldoende, redelijk voldoende, onvoldoende
# A minimal valid one-page PDF: enough to try the download.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def moment_day(first_year: int, moment: str) -> datetime.date:
    """The day a moment's test is taken in the school year starting in August of ``first_year``:
    middle-of-year tests in late January, end-of-year tests in mid-June."""
    return datetime.date(first_year + 1, 1, 27) if moment[0] == "M" else datetime.date(first_year + 1, 6, 12)


def load_demo(world: DemoWorld) -> None:
    # Outside any request: the demo declares the one school it fills (core/scopes.py).
    with school_scope(world.schools[REGENBOOG]):
        _load(world)


def _load(world: DemoWorld) -> None:
    rng = world.rng_for("results")
    today = timezone.localdate()
    school = world.schools[REGENBOOG]
    this_year = world.school_year
    first_year = this_year.starts_on.year
    pupils = [
        (e.student, int(e.group.grades), e.group)
        for e in Enrollment.objects.filter(group__school=school, group__school_year=this_year)
        .select_related("student", "group")
        .order_by("group__grades", "student__pk")
    ]
    teachers = world.teachers
    years = {first_year - back: SchoolYear.for_date(datetime.date(first_year - back, 9, 1)) for back in range(8)}

    # Level bands per test and moment, and every child's results of the moments they have had.
    bands, by_key = [], {}
    for test, moments, start, growth, spread in TESTS:
        for index, moment in enumerate(moments):
            mean = start + growth * index
            rows = [
                LevelBand(
                    school=school,
                    test=test,
                    moment=moment,
                    level=level,
                    lower_bound=Decimal(round(mean + cut * spread, 1)).quantize(Decimal("0.1")),
                )
                for level, cut in LEVEL_CUTS
            ]
            bands += rows
            by_key[test, moment] = rows
    LevelBand.objects.bulk_create(bands)

    results = []
    for student, grade, _group in pupils:
        for test, moments, start, growth, spread in TESTS:
            if moments is KLEUTER_MOMENTS and grade > KLEUTER_UNTIL_GRADE:
                continue
            talent = rng.gauss(0, spread * 0.9)
            for index, moment in enumerate(moments):
                moment_grade = int(moment[1])
                year_start = first_year - (grade - moment_grade)
                if moment_grade > grade or year_start not in years:
                    continue
                day = moment_day(year_start, moment) + datetime.timedelta(days=rng.randrange(0, 10))
                if day > today:
                    continue
                score = Decimal(round(start + growth * index + talent + rng.gauss(0, spread * 0.3), 1))
                score = score.quantize(Decimal("0.1"))
                results.append(
                    StandardisedTest(
                        student=student,
                        test=test,
                        moment=moment,
                        school_year=years[year_start],
                        taken_on=day,
                        ability_score=score,
                        level=level_for(by_key[test, moment], score),
                        source=Source.IMPORT,
                    )
                )
    StandardisedTest.objects.bulk_create(results)

    # Method tests of this school year: a block test every four weeks per subject, from groep 3 on.
    method_tests = []
    for student, grade, _group in pupils:
        if grade < 3:
            continue
        teacher = (teachers.get((REGENBOOG, str(grade))) or [None])[0]
        skill = rng.gauss(0, 8)
        for subject, (method, norm) in METHODS.items():
            day, block = this_year.starts_on + datetime.timedelta(days=33), 1
            while day <= today and block <= 10:
                score = max(10, min(100, round(82 + skill + rng.gauss(0, 9))))
                method_tests.append(
                    MethodTest(
                        student=student,
                        subject=subject,
                        method=method,
                        block=f"Blok {block}",
                        taken_on=day,
                        score_kind=ScoreKind.PERCENTAGE,
                        score=Decimal(score),
                        norm=Decimal(norm),
                        source=Source.IMPORT,
                        created_by=teacher,
                    )
                )
                day += datetime.timedelta(days=28)
                block += 1
    MethodTest.objects.bulk_create(method_tests)

    # Report periods: last year's two (released), and this year's first, released in the future.
    last_year = years[first_year - 1]
    release = max(datetime.date(first_year + 1, 2, 14), today + datetime.timedelta(days=21))
    periods = [
        ReportPeriod(
            school=school, school_year=last_year, name="Rapport 1", released_on=datetime.date(first_year, 2, 14)
        ),
        ReportPeriod(
            school=school, school_year=last_year, name="Rapport 2", released_on=datetime.date(first_year, 7, 3)
        ),
        ReportPeriod(school=school, school_year=this_year, name="Rapport 1", released_on=release),
        ReportPeriod(
            school=school, school_year=this_year, name="Rapport 2", released_on=datetime.date(first_year + 1, 7, 2)
        ),
    ]
    ReportPeriod.objects.bulk_create(periods)
    fixed = {student.pk for student in world.students.values()}
    cards, card_grades = [], []
    for student, grade, group in pupils:
        for period in periods[:3]:
            grade_then = grade - 1 if period.school_year_id == last_year.pk else grade
            if grade_then < 1:
                continue
            card = ReportCard(
                student=student,
                period=period,
                group=group if period.school_year == this_year else None,
                source=Source.IMPORT,
                remark="Fijn om te zien hoe je je inzet!" if rng.random() < 0.5 else "",
            )
            cards.append(card)
            card_grades.append(grade_then)
    ReportCard.objects.bulk_create(cards)
    lines = []
    for card, grade_then in zip(cards, card_grades, strict=True):
        subjects = KLEUTER_SUBJECTS if grade_then < 3 else REPORT_SUBJECTS
        for position, subject in enumerate(subjects):
            if grade_then < 3:
                mark = rng.choices(KLEUTER_GRADES, [40, 40, 15, 5])[0]
            else:
                mark = f"{max(4.0, min(10.0, round(rng.gauss(7.2, 1.0) * 2) / 2)):.1f}".replace(".", ",")
            lines.append(ReportCardLine(report_card=card, position=position, subject=subject, grade=mark))
    ReportCardLine.objects.bulk_create(lines)
    # A PDF on the fixed children's last report of last year, to try the download.
    for card in cards:
        if card.student_id in fixed and card.period is periods[1]:
            card.file_name = f"Rapport 2 {card.student.first_name}.pdf"
            card.file.save(card.file_name, ContentFile(TINY_PDF), save=False)
            ReportCard.objects.filter(pk=card.pk).update(file=card.file.name, file_name=card.file_name)


@scopes_disabled()  # every demo school, and outside any request
def clear_demo() -> None:
    """Remove the PDFs of the demo's report cards from the storage (the rows go with the pupils)."""
    from schoolpoort.lib.demo import DOMAINS

    for card in ReportCard.objects.filter(student__school__brin__in=DOMAINS).exclude(file=""):
        card.file.delete(save=False)
