"""A child's results as the user may read them, for the results pages and the JSON API alike:
after ``student_for_part_or_404`` (relation, module, part opened to parents, closed period,
parental authority), the rows through ``visible_to`` (a report card only from its release day)."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch

from .models import MethodTest, ReportCard, ReportCardLine, StandardisedTest


def report_cards_of(user, student, today: datetime.date) -> list[ReportCard]:
    return list(
        ReportCard.objects.visible_to(user, today)
        .filter(student=student)
        .select_related("period__school_year", "group")
        .prefetch_related(Prefetch("lines", queryset=ReportCardLine.objects.order_by("position", "pk")))
        .order_by("-period__school_year__starts_on", "-period__released_on", "-pk")
    )


def method_tests_of(user, student) -> list[MethodTest]:
    return list(MethodTest.objects.visible_to(user).filter(student=student).order_by("taken_on", "pk"))


def standardised_tests_of(user, student) -> list[StandardisedTest]:
    return list(StandardisedTest.objects.visible_to(user).filter(student=student).select_related("school_year"))
