"""Staff pages: the list of the day per group (teachers mark pupils absent there) and per school
(administration), registering an absence, the CSV export and the school's settings."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from schoolpoort.core.access import get_visible_or_404
from schoolpoort.core.models import Group, Student

from . import actions
from .access import staff_group_q, staff_student_q
from .export import export_csv
from .forms import AbsenceForm, ExportForm, SettingsForm
from .lists import day_rows, group_day, school_day
from .models import Absence, AbsenceSettings
from .scope import scope_or_404
from .views import safe_next


def _day(request) -> datetime.date:
    """The day of a list: ?datum=YYYY-MM-DD, today by default."""
    value = request.GET.get("datum")
    if value:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise Http404 from None
    return timezone.localdate()


def _group_or_404(user, group_id: int) -> Group:
    queryset = Group.objects.current().filter(staff_group_q(user)).select_related("school")
    return get_visible_or_404(queryset, user, pk=group_id)


def _day_links(day: datetime.date) -> dict:
    return {
        "day": day,
        "is_today": day == timezone.localdate(),
        "previous_day": day - datetime.timedelta(days=1),
        "next_day": day + datetime.timedelta(days=1),
    }


@login_required
def group_today(request, group_id: int):
    group = _group_or_404(request.user, group_id)
    day = _day(request)
    rows = group_day(group, day)
    return render(request, "absences/group_day.html", {
        "group": group,
        "rows": rows,
        "away": sum(1 for row in rows if row.is_away),
        "settings_row": AbsenceSettings.for_school(group.school_id),
        **_day_links(day),
    })


@login_required
@require_POST
def mark(request, group_id: int, student_id: int):
    """Mark a pupil of the group absent today, or take the mark back (absent=0)."""
    group = _group_or_404(request.user, group_id)
    student = Student.objects.filter(enrollments__group=group, archived_at__isnull=True, pk=student_id).first()
    if student is None:
        raise Http404
    if request.POST.get("absent") == "0":
        actions.unmark_absent(student)
    else:
        actions.mark_absent(request.user, student)
    if request.htmx:
        (row,) = day_rows([student], timezone.localdate())
        return render(request, "absences/_pupil_row.html", {"row": row, "group": group, "is_today": True})
    return redirect("absences:group_today", group.pk)


@login_required
def school_today(request, school_id: int):
    school = scope_or_404(request.user).administered_school_or_404(school_id)
    day = _day(request)
    sections = school_day(school, day)
    return render(request, "absences/school_day.html", {
        "school": school,
        "sections": sections,
        "away": sum(len(section.rows) for section in sections),
        **_day_links(day),
    })


@login_required
@require_http_methods(["GET", "POST"])
def register(request, school_id: int):
    """Staff register an absence (a parent called, or the school knows): it counts as confirmed."""
    user = request.user
    school = scope_or_404(user).staff_school_or_404(school_id)
    students = Student.objects.filter(staff_student_q(user), school=school).order_by("first_name", "last_name")
    initial = {}
    if request.GET.get("leerling", "").isdigit():
        initial["student"] = int(request.GET["leerling"])
    form = AbsenceForm(request.POST or None, students=students, by_staff=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        absence = actions.report_absence(
            user, data["student"], reason=data["reason"], starts_on=data["starts_on"], ends_on=data["ends_on"],
            from_time=data["from_time"], until_time=data["until_time"], note=data["note"],
            source=Absence.Source.STAFF,
        )
        messages.success(request, _("The absence of %(name)s has been registered.") % {
            "name": absence.student.full_name})
        return redirect(safe_next(request, absence.get_absolute_url()))
    return render(request, "absences/register.html", {
        "form": form, "school": school, "next": safe_next(request, ""),
    })


@login_required
def export(request, school_id: int):
    school = scope_or_404(request.user).administered_school_or_404(school_id)
    today = timezone.localdate()
    form = ExportForm(request.GET if "van" in request.GET else None,
                      initial={"van": today.replace(day=1), "tot": today})
    if form.is_bound and form.is_valid():
        first, last = form.cleaned_data["van"], form.cleaned_data["tot"]
        text, _count = export_csv(school, first, last, request.user)
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        name = f"absences-{school.brin}-{first.isoformat()}-{last.isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response
    return render(request, "absences/export.html", {"form": form, "school": school})


@login_required
@require_http_methods(["GET", "POST"])
def school_settings(request, school_id: int):
    school = scope_or_404(request.user).managed_school_or_404(school_id)
    instance = AbsenceSettings.for_school(school)
    form = SettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The absence settings have been saved."))
        return redirect(reverse("absences:settings", args=[school.pk]))
    return render(request, "absences/settings.html", {"form": form, "school": school})

