"""Image consent pages: guardians answer per child per use for this school year; staff see the
overview of their groups (a table: child × use) and can remind the families who have not
answered. Guardians without parental authority see the answers but cannot change them."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from schoolpoort.core.models import Use

from . import consent
from .forms import ConsentForm
from .models import SHORT_LABELS


def _mark_reminders_read(user) -> None:
    from schoolpoort.notify.api import mark_read_under

    mark_read_under(user, "albums.consent:")


@login_required
@require_http_methods(["GET", "POST"])
def guardian_consent(request):
    user = request.user
    slots = consent.guardian_children(user)
    if not slots:
        raise Http404
    year = consent.current_year()
    answerable = [slot.student for slot in slots if slot.has_parental_authority]
    others = [slot.student for slot in slots if not slot.has_parental_authority]
    answers = consent.answers_for([slot.student_id for slot in slots], year)
    form = ConsentForm(request.POST or None, children=answerable, answers=answers)
    if request.method == "POST":
        if not answerable:
            raise Http404
        if form.is_valid():
            for student in answerable:
                consent.save_answers(user, student, year, form.answers()[student.pk])
            messages.success(request, _("Thank you: your answers have been saved."))
            return redirect("albums:consent")
    else:
        _mark_reminders_read(user)
    read_only = [(student, [(use, answers.get(student.pk, {}).get(use.value)) for use in Use]) for student in others]
    return render(
        request,
        "albums/consent.html",
        {"form": form, "year": year, "read_only": read_only, "answers": answers},
    )


@login_required
def staff_overview(request):
    groups = list(consent.staff_groups(request.user))
    if not groups:
        raise Http404
    year = consent.current_year()
    return render(
        request,
        "albums/consent_groups.html",
        {"summaries": consent.group_summaries(groups, year), "year": year},
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_overview(request, group_id: int):
    group = consent.staff_groups(request.user).filter(pk=group_id).first()
    if group is None:
        raise Http404
    if request.method == "POST":
        count = consent.remind_unanswered(group, actor=request.user, every=datetime.timedelta(hours=20))
        if count:
            messages.success(
                request,
                ngettext(
                    "A reminder has been sent to %(count)d parent.",
                    "A reminder has been sent to %(count)d parents.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("No one needed a reminder (parents are reminded at most once a day)."))
        return redirect("albums:consent_group", group.pk)
    overview = consent.group_overview(group)
    uses = [(use, SHORT_LABELS[use]) for use in Use]
    return render(request, "albums/consent_group.html", {"overview": overview, "uses": uses})
