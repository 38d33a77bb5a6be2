"""The family export (``lib.family_export``): report cards (with their PDFs), method tests and
standardised tests of the user's children, as the results pages show them to the user as a
guardian: each through its manager (``visible_to``), limited to the children whose part the user
may open as a guardian (``rules.guardian_rows_q``: parental authority decides)."""

from __future__ import annotations

from django.utils import timezone

from schoolpoort.lib.family_export import Section, row
from schoolpoort.records import rules

from .access import REPORT_CARDS
from .models import MethodTest, ReportCard, StandardisedTest


def _guardian(queryset, user, part: str, today):
    return queryset.visible_to(user, today).filter(rules.guardian_rows_q(user, part, today))


def export_for(user) -> Section | None:
    today = timezone.localdate()
    section = Section("results", None)
    cards = (
        _guardian(ReportCard.objects, user, REPORT_CARDS, today)
        .select_related("student", "period__school_year", "group")
        .prefetch_related("lines")
        .order_by("student__first_name", "period__released_on", "pk")
    )
    report_cards = [
        {
            "child": card.student.full_name,
            "period": card.period.name,
            "school_year": str(card.period.school_year),
            "group": card.group.name if card.group else "",
            "remark": card.remark,
            "lines": [row(line, ["subject", "grade", "text"]) for line in card.lines.all()],
            "file": section.add_file("report_cards", card.pk, card.file, card.file_name or card.file.name),
        }
        for card in cards
    ]
    method_tests = [
        {"child": test.student.full_name,
         **row(test, ["subject", "method", "block", "taken_on", "score_kind", "score", "norm", "remark"])}
        for test in _guardian(MethodTest.objects, user, MethodTest.PART, today)
        .select_related("student").order_by("student__first_name", "taken_on", "pk")
    ]
    standardised = [
        {"child": test.student.full_name, "school_year": str(test.school_year),
         **row(test, ["test", "moment", "taken_on", "ability_score", "level"])}
        for test in _guardian(StandardisedTest.objects, user, StandardisedTest.PART, today)
        .select_related("student", "school_year").order_by("student__first_name", "taken_on", "pk")
    ]
    if not (report_cards or method_tests or standardised):
        return None
    section.data = {"report_cards": report_cards, "method_tests": method_tests, "standardised_tests": standardised}
    return section
