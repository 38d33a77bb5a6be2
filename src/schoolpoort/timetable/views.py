"""The timetable pages: a group's weekly schedule for its parents and staff, and the forms with
which its teachers (and the school office) keep it. Groups and entries are fetched through the
access layer: what the user may not see or edit is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from schoolpoort.core.access import get_visible_or_404
from schoolpoort.core.models import Group

from .access import timetable_groups_editable_by, timetable_groups_visible_to
from .forms import EntryForm
from .models import TimetableEntry, Weekday
from .reminders import reminders_for


def _group_or_404(user, group_id: int) -> Group:
    return get_visible_or_404(timetable_groups_visible_to(user).select_related("school"), user, pk=group_id)


def _editable_group_or_404(user, group_id: int) -> Group:
    return get_visible_or_404(timetable_groups_editable_by(user).select_related("school"), user, pk=group_id)


def _editable_entry_or_404(user, entry_id: int) -> TimetableEntry:
    return get_visible_or_404(TimetableEntry.objects.editable_by(user).select_related("group__school"), user,
                              pk=entry_id)


@login_required
def index(request):
    groups = list(
        timetable_groups_visible_to(request.user).select_related("school").order_by("school__name", "grades", "name")
    )
    return render(request, "timetable/index.html", {
        "groups": groups,
        "many_schools": len({group.school_id for group in groups}) > 1,
        "reminders": reminders_for(request.user),
    })


@login_required
def group_week(request, group_id: int):
    group = _group_or_404(request.user, group_id)
    entries = list(group.timetable_entries.order_by("weekday", "starts_at", "pk"))
    days = [(label, [entry for entry in entries if entry.weekday == value]) for value, label in Weekday.choices]
    return render(request, "timetable/group.html", {
        "group": group,
        "days": days,
        "can_edit": timetable_groups_editable_by(request.user).filter(pk=group.pk).exists(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def create(request, group_id: int):
    group = _editable_group_or_404(request.user, group_id)
    form = EntryForm(request.POST or None, initial={"weekday": request.GET.get("dag", Weekday.MONDAY)})
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        entry.group = group
        entry.created_by = request.user
        entry.save()
        messages.success(request, _("The timetable has been saved."))
        return redirect("timetable:group", group.pk)
    return render(request, "timetable/form.html", {"group": group, "form": form, "entry": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, entry_id: int):
    entry = _editable_entry_or_404(request.user, entry_id)
    form = EntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The timetable has been saved."))
        return redirect("timetable:group", entry.group_id)
    return render(request, "timetable/form.html", {"group": entry.group, "form": form, "entry": entry})


@login_required
@require_POST
def delete(request, entry_id: int):
    entry = _editable_entry_or_404(request.user, entry_id)
    group_id = entry.group_id
    entry.delete()
    messages.success(request, _("The activity has been removed from the timetable."))
    return redirect("timetable:group", group_id)
