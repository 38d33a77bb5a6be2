"""The staff pages of a sign-up form: make and change it, its questions and places, publish, the
results with the CSV export, and the reminder for those who have not answered. For anyone who may
not manage the form (``access.manages``), these pages do not exist: 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from . import actions, answering, signing
from .access import manages
from .forms import CapacityForm, FormSettingsForm, QuestionForm
from .models import Form, Option, Question
from .results import export_csv, results
from .scope import targets_for


def managed_form_or_404(request, form_id: int) -> Form:
    form = answering.form_or_404(request.user, form_id)
    if not manages(request.user, form):
        raise Http404
    return form


def _settings_page(request, settings_form: FormSettingsForm, form: Form | None):
    return render(request, "signups/form_settings.html", {"settings_form": settings_form, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    targets = targets_for(request.user)
    if not targets:
        raise Http404
    settings_form = FormSettingsForm(request.POST or None, targets=targets)
    if request.method == "POST" and settings_form.is_valid():
        form = settings_form.save(commit=False)
        form.created_by = request.user
        group_ids = settings_form.apply_audience(form)
        actions.save_form(form, group_ids=group_ids)
        messages.success(request, _("The form has been made. Now add the questions, then publish it."))
        return redirect("signups:add_question", form.pk)
    return _settings_page(request, settings_form, None)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, form_id: int):
    form = managed_form_or_404(request, form_id)
    settings_form = FormSettingsForm(request.POST or None, instance=form, targets=targets_for(request.user))
    if request.method == "POST" and settings_form.is_valid():
        form = settings_form.save(commit=False)
        group_ids = None if settings_form.locked else settings_form.apply_audience(form)
        actions.save_form(form, group_ids=group_ids)
        messages.success(request, _("The form has been saved."))
        return redirect(form)
    return _settings_page(request, settings_form, form)


def _question_page(request, form: Form, question_form: QuestionForm, question: Question | None):
    return render(
        request, "signups/question_form.html", {"form": form, "question_form": question_form, "question": question}
    )


def _save_question(request, form: Form, question: Question | None):
    if form.responses.exists():
        messages.error(request, _("Parents have answered already: the questions can no longer be changed."))
        return redirect(form)
    question_form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and question_form.is_valid():
        try:
            actions.save_question(form, question_form.save(commit=False), question_form.cleaned_data["option_specs"])
        except actions.ActionRefused as refused:
            messages.error(request, refused.message)
            return redirect(form)
        messages.success(request, _("The question has been saved."))
        if "another" in request.POST:
            return redirect("signups:add_question", form.pk)
        return redirect(form)
    return _question_page(request, form, question_form, question)


@login_required
@require_http_methods(["GET", "POST"])
def add_question(request, form_id: int):
    return _save_question(request, managed_form_or_404(request, form_id), None)


def _question_or_404(form: Form, question_id: int) -> Question:
    question = Question.objects.filter(form=form, pk=question_id).prefetch_related("options").first()
    if question is None:
        raise Http404
    return question


@login_required
@require_http_methods(["GET", "POST"])
def edit_question(request, form_id: int, question_id: int):
    form = managed_form_or_404(request, form_id)
    return _save_question(request, form, _question_or_404(form, question_id))


@login_required
@require_POST
def delete_question(request, form_id: int, question_id: int):
    form = managed_form_or_404(request, form_id)
    question = _question_or_404(form, question_id)
    try:
        actions.delete_question(form, question)
    except actions.ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The question has been deleted."))
    return redirect(form)


@login_required
@require_POST
def capacity(request, form_id: int, option_id: int):
    """More (or fewer) places for an option, also after parents have signed up."""
    form = managed_form_or_404(request, form_id)
    option = Option.objects.filter(question__form=form, pk=option_id, capacity__isnull=False).first()
    if option is None:
        raise Http404
    capacity_form = CapacityForm(request.POST, prefix=f"o{option.pk}")
    if not capacity_form.is_valid():
        messages.error(request, _("Give a number of places from 1 to 999."))
        return redirect(form)
    try:
        signing.set_capacity(option, capacity_form.cleaned_data["capacity"])
    except signing.SignupError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The number of places of “%(option)s” has been saved.") % {"option": option.label})
    return redirect(form)


@login_required
@require_POST
def publish(request, form_id: int):
    form = managed_form_or_404(request, form_id)
    try:
        count = actions.publish_form(form, request.user)
    except actions.ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            ngettext(
                "The form has been published; %(count)d parent gets a notification.",
                "The form has been published; %(count)d parents get a notification.",
                count,
            )
            % {"count": count},
        )
    return redirect(form)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, form_id: int):
    form = managed_form_or_404(request, form_id)
    if request.method == "POST":
        actions.delete_form(form, request.user)
        messages.success(request, _("The form has been deleted."))
        return redirect("signups:index")
    return render(request, "signups/confirm_delete.html", {"item": form, "cancel_url": form.get_absolute_url()})


@login_required
def results_page(request, form_id: int):
    form = managed_form_or_404(request, form_id)
    return render(request, "signups/results.html", {"form": form, "results": results(form)})


@login_required
def export(request, form_id: int):
    form = managed_form_or_404(request, form_id)
    text, _count = export_csv(form, request.user)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    name = slugify(form.title)[:60] or "formulier"
    response["Content-Disposition"] = f'attachment; filename="intekenlijst-{form.pk}-{name}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def remind(request, form_id: int):
    form = managed_form_or_404(request, form_id)
    try:
        count = actions.remind(form, request.user)
    except actions.ActionRefused as refused:
        messages.error(request, refused.message)
        return redirect("signups:results", form.pk)
    if count:
        message = (
            ngettext(
                "A reminder has been sent for %(count)d child that has no answer yet.",
                "A reminder has been sent for %(count)d children that have no answer yet.",
                count,
            )
            if form.per_child
            else ngettext(
                "A reminder has been sent to %(count)d family.",
                "A reminder has been sent to %(count)d families.",
                count,
            )
        )
        messages.success(request, message % {"count": count})
    else:
        messages.info(request, _("Everyone has answered: no reminder was needed."))
    return redirect("signups:results", form.pk)
