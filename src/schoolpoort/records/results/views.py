"""The results pages of one child, for guardians and staff: report cards, method tests and
standardised tests, each a tab of the child's records (``records/base_child.html``). Every page
reaches the child through ``student_for_part_or_404`` (relation, module, part, closed period,
parental authority), then the rows through ``visible_to``. Never cached (``no_store``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from schoolpoort.core.access import get_visible_or_404, managed_school_ids, roles_of, taught_group_ids
from schoolpoort.core.audit import audits_reads
from schoolpoort.core.files import send_file
from schoolpoort.core.models import Enrollment, Group
from schoolpoort.records.access import (
    child_nav,
    is_staff_for,
    no_store,
    note_staff_read,
    settings_for,
    student_for_part_or_404,
)
from schoolpoort.records.models import Part

from . import reading, summaries
from .models import ReportCard, ReportPeriod


def _child_context(request, student, part) -> dict:
    note_staff_read(request, student, part)
    context = child_nav(request.user, student, part)
    context["can_edit"] = is_staff_for(request.user, student)
    return context


@login_required
@require_GET
@no_store
@audits_reads
def report_cards(request, student_id: int):
    user, today = request.user, timezone.localdate()
    student = student_for_part_or_404(user, student_id, Part.REPORT_CARDS)
    context = _child_context(request, student, Part.REPORT_CARDS)
    cards = reading.report_cards_of(user, student, today)
    periods = []
    if context["can_edit"]:
        # Staff see every period of the pupil's school years, with or without a card, to fill them in.
        years = Enrollment.objects.filter(student=student).values("group__school_year_id")
        have = {card.period_id for card in cards}
        periods = [
            period
            for period in ReportPeriod.objects.filter(school_id=student.school_id, school_year_id__in=years)
            .select_related("school_year")
            .order_by("-school_year__starts_on", "-released_on")
            if period.pk not in have
        ]
    context.update(cards=cards, open_periods=periods, today=today)
    return render(request, "results/report_cards.html", context)


@login_required
@require_GET
@audits_reads
def report_card_file(request, card_id: int):
    user = request.user
    card = get_visible_or_404(ReportCard.objects.select_related("student"), user, pk=card_id)
    student = student_for_part_or_404(user, card.student_id, Part.REPORT_CARDS)
    if not card.file:
        raise Http404
    note_staff_read(request, student, Part.REPORT_CARDS)
    return send_file(
        request, card.file, filename=card.file_name or "rapport.pdf", content_type="application/pdf"
    )


@login_required
@require_GET
@no_store
@audits_reads
def method_tests(request, student_id: int):
    user = request.user
    student = student_for_part_or_404(user, student_id, Part.METHOD_TESTS)
    context = _child_context(request, student, Part.METHOD_TESTS)
    tests = reading.method_tests_of(user, student)
    years = summaries.school_years_of(tests)
    year = request.GET.get("jaar") or (years[0] if years else "")
    if year not in years:
        year = years[0] if years else ""
    context.update(
        subjects=summaries.method_subjects([t for t in tests if summaries.year_of(t.taken_on) == year]),
        years=years,
        year=year,
    )
    return render(request, "results/method_tests.html", context)


@login_required
@require_GET
@no_store
@audits_reads
def standardised_tests(request, student_id: int):
    user = request.user
    student = student_for_part_or_404(user, student_id, Part.STANDARDISED_TESTS)
    context = _child_context(request, student, Part.STANDARDISED_TESTS)
    tests = reading.standardised_tests_of(user, student)
    context.update(summaries.growth(student.school_id, tests))
    return render(request, "results/standardised_tests.html", context)


@login_required
@require_GET
@no_store
@audits_reads
def group_overview(request, group_id: int):
    """The latest standardised score per test of every pupil of a group, for its teachers and the
    school office: who needs a closer look. A fixed number of queries, however large the group."""
    user = request.user
    groups = Group.objects.visible_to(user).current().select_related("school", "school_year")
    group = get_visible_or_404(groups, user, pk=group_id)
    roles = roles_of(user)
    if not roles.is_staff_at(group.school):
        raise Http404
    staff_groups = Group.objects.filter(pk=group.pk).filter(pk__in=taught_group_ids(user)) | Group.objects.filter(
        pk=group.pk, school_id__in=managed_school_ids(user)
    )
    if not staff_groups.exists():
        raise Http404
    if not settings_for(group.school).is_on(Part.STANDARDISED_TESTS) or not summaries.records_enabled(group.school):
        raise Http404
    context = summaries.group_latest(group)
    context["group"] = group
    request.reads.add([pupil for pupil, _tests in context["rows"]], Part.STANDARDISED_TESTS, school=group.school_id)
    return render(request, "results/group_overview.html", context)
