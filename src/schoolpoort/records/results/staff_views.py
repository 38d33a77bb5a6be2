"""Staff keep results by hand: teachers for the pupils of their groups, the office, the director
and the board for the whole school. Anyone else meets a 404, as if the page did not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from schoolpoort.core.access import get_visible_or_404
from schoolpoort.core.audit import audits_reads
from schoolpoort.core.models import AuditEntry, Enrollment
from schoolpoort.records.access import child_nav, is_staff_for, no_store, note_staff_read, student_for_part_or_404
from schoolpoort.records.models import Part

from .forms import MethodTestForm, ReportCardForm, ReportCardLineFormSet, StandardisedTestForm
from .models import MethodTest, ReportCard, ReportPeriod, Source, StandardisedTest


def staff_student_or_404(user, student_id: int, part: str):
    """The pupil, when the user may open ``part`` and keeps this pupil's results as staff."""
    student = student_for_part_or_404(user, student_id, part)
    if not is_staff_for(user, student):
        raise Http404
    return student


def _form_page(request, student, part, form, template, obj=None, **extra):
    if obj is not None and obj.pk:  # the form shows a result the school keeps: a read (``core.audit``)
        note_staff_read(request, student, part)
    context = child_nav(request.user, student, part)
    context.update(form=form, object=obj, can_edit=True, **extra)
    return render(request, template, context)


def _audit(user, action, obj, student):
    AuditEntry.record(user, action, obj=obj, school=student.school, student=student.pk)


# --- Method tests -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@no_store
@audits_reads
def method_test_form(request, student_id: int, test_id: int | None = None):
    user = request.user
    student = staff_student_or_404(user, student_id, Part.METHOD_TESTS)
    instance = None
    if test_id is not None:
        instance = get_visible_or_404(MethodTest.objects.editable_by(user).filter(student=student), user, pk=test_id)
    form = MethodTestForm(request.POST or None, instance=instance, student=student)
    if request.method == "POST" and form.is_valid():
        test = form.save(commit=False)
        if instance is None:
            test.student, test.created_by, test.source = student, user, Source.MANUAL
        test.save()
        _audit(user, "results.method_test.saved", test, student)
        messages.success(request, _("The method test has been saved."))
        return redirect("results:method_tests", student.pk)
    return _form_page(request, student, Part.METHOD_TESTS, form, "results/method_test_form.html", instance)


@login_required
@require_POST
def method_test_delete(request, student_id: int, test_id: int):
    user = request.user
    student = staff_student_or_404(user, student_id, Part.METHOD_TESTS)
    test = get_visible_or_404(MethodTest.objects.editable_by(user).filter(student=student), user, pk=test_id)
    _audit(user, "results.method_test.deleted", test, student)
    test.delete()
    messages.success(request, _("The method test has been removed."))
    return redirect("results:method_tests", student.pk)


# --- Standardised tests -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@no_store
@audits_reads
def standardised_test_form(request, student_id: int, test_id: int | None = None):
    user = request.user
    student = staff_student_or_404(user, student_id, Part.STANDARDISED_TESTS)
    instance = None
    if test_id is not None:
        queryset = StandardisedTest.objects.editable_by(user).filter(student=student)
        instance = get_visible_or_404(queryset, user, pk=test_id)
    form = StandardisedTestForm(request.POST or None, instance=instance, student=student)
    if request.method == "POST" and form.is_valid():
        test = form.save(commit=False)
        if instance is None:
            test.student, test.created_by, test.source = student, user, Source.MANUAL
        if not test.level and test.ability_score is not None:
            from .models import LevelBand, level_for

            bands = list(
                LevelBand.objects.filter(school_id=student.school_id, test__iexact=test.test, moment=test.moment)
            )
            test.level = level_for(bands, test.ability_score)
        test.save()
        _audit(user, "results.standardised_test.saved", test, student)
        messages.success(request, _("The test result has been saved."))
        return redirect("results:standardised_tests", student.pk)
    return _form_page(request, student, Part.STANDARDISED_TESTS, form, "results/standardised_test_form.html", instance)


@login_required
@require_POST
def standardised_test_delete(request, student_id: int, test_id: int):
    user = request.user
    student = staff_student_or_404(user, student_id, Part.STANDARDISED_TESTS)
    queryset = StandardisedTest.objects.editable_by(user).filter(student=student)
    test = get_visible_or_404(queryset, user, pk=test_id)
    _audit(user, "results.standardised_test.deleted", test, student)
    test.delete()
    messages.success(request, _("The test result has been removed."))
    return redirect("results:standardised_tests", student.pk)


# --- Report cards -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@no_store
@audits_reads
def report_card_form(request, student_id: int, period_id: int):
    """The report card of a pupil for one period: a PDF and/or grades per subject."""
    user = request.user
    student = staff_student_or_404(user, student_id, Part.REPORT_CARDS)
    years = Enrollment.objects.filter(student=student).values("group__school_year_id")
    period = get_object_or_404(
        ReportPeriod.objects.select_related("school_year"),
        pk=period_id,
        school_id=student.school_id,
        school_year_id__in=years,
    )
    card = ReportCard.objects.filter(student=student, period=period).first() or ReportCard(
        student=student, period=period
    )
    form = ReportCardForm(request.POST or None, request.FILES or None, instance=card)
    lines = ReportCardLineFormSet(request.POST or None, instance=card, prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        with transaction.atomic():
            card = form.save(commit=False)
            if card.pk is None:
                card.created_by, card.source = user, Source.MANUAL
                card.group = (
                    Enrollment.objects.filter(student=student, group__school_year=period.school_year)
                    .select_related("group")
                    .first()
                    or Enrollment(group=None)
                ).group
            upload = form.cleaned_data.get("upload")
            if upload:
                if card.file:
                    card.file.delete(save=False)
                card.file_name = upload.name.rsplit("/", 1)[-1][:255]
                card.file.save(card.file_name, upload, save=False)
            elif form.cleaned_data.get("remove_file") and card.file:
                card.file.delete(save=False)
                card.file_name = ""
            card.save()
            lines.instance = card
            saved = lines.save(commit=False)
            for position, line in enumerate(saved):
                line.position = line.position or position
                line.save()
            for line in lines.deleted_objects:
                line.delete()
            _audit(user, "results.report_card.saved", card, student)
        messages.success(request, _("The report card has been saved."))
        return redirect("results:report_cards", student.pk)
    return _form_page(
        request, student, Part.REPORT_CARDS, form, "results/report_card_form.html", card, lines=lines, period=period
    )
