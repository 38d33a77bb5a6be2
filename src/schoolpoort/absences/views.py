"""The absence pages that parents and staff share: the overview, the report form, one absence, the
history of one child. Every absence is fetched through ``Absence.objects.visible_to`` (what the user
may not see is a 404); the module check is part of it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from schoolpoort.core.access import get_visible_or_404
from schoolpoort.core.hiding import hidden_guardians
from schoolpoort.core.models import Student

from . import actions
from .access import guardian_children, staff_student_q, usable_school_ids
from .forms import AbsenceForm
from .lists import school_counts, taught_group_counts
from .models import Absence, AbsenceSettings, LeaveRequest
from .rules import late_report_notice
from .scope import scope_or_404

PER_PAGE = 20


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def late_notices(schools, now=None) -> list[str]:
    """The cut-off notice of each school whose time for today has passed (one query)."""
    schools = list({school.pk: school for school in schools}.values())
    rows = {row.school_id: row for row in AbsenceSettings.objects.filter(school__in=schools)}
    notices = []
    for school in schools:
        notice = late_report_notice(school, rows.get(school.pk) or AbsenceSettings(school=school), now)
        if notice:
            notices.append(notice)
    return notices


def _notify_mark_read(user, key: str) -> None:
    from schoolpoort.notify.api import mark_read

    mark_read(user, key)


@login_required
def index(request):
    user = request.user
    scope = scope_or_404(user)
    today = timezone.localdate()
    children = list(guardian_children(user))
    child_ids = [slot.student_id for slot in children]
    current, leaves = [], []
    if children:
        current = list(
            Absence.objects.visible_to(user).filter(student_id__in=child_ids).current(today)
            .select_related("student", "confirmed_by").order_by("starts_on", "pk")
        )
        leaves = list(
            LeaveRequest.objects.visible_to(user).filter(student_id__in=child_ids)
            .select_related("student").order_by("-created_at", "-pk")[:10]
        )
    staff_schools = scope.staff_schools
    groups = taught_group_counts(user, today) if staff_schools else []
    administered = scope.administered_schools
    schools = school_counts(user, [s.pk for s in administered], today) if administered else []
    pending = dict(
        LeaveRequest.objects.filter(school__in=administered, status=LeaveRequest.Status.REQUESTED)
        .values("school_id").annotate(n=Count("pk")).values_list("school_id", "n")
    ) if administered else {}
    for school in schools:
        school.pending_leave = pending.get(school.pk, 0)
        school.manages = scope.roles.manages(school)
    return render(request, "absences/index.html", {
        "children": children,
        "current": current,
        "leaves": leaves,
        "groups": groups,
        "schools": schools,
        "registers": bool(staff_schools),
        "staff_schools": staff_schools,
        "today": today,
    })


@login_required
@require_http_methods(["GET", "POST"])
def report(request):
    user = request.user
    children = list(guardian_children(user))
    if not children:
        raise Http404
    students = Student.objects.filter(pk__in=[slot.student_id for slot in children]).select_related("school")
    initial = {}
    chosen = request.GET.get("kind")
    if chosen and any(str(slot.student_id) == chosen for slot in children):
        initial["student"] = int(chosen)
    elif len(children) == 1:
        initial["student"] = children[0].student_id
    form = AbsenceForm(request.POST or None, students=students, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        absence = actions.report_absence(
            user, data["student"], reason=data["reason"], starts_on=data["starts_on"], ends_on=data["ends_on"],
            from_time=data["from_time"], until_time=data["until_time"], note=data["note"],
            source=Absence.Source.GUARDIAN,
        )
        messages.success(request, _("The absence of %(name)s has been reported to the school.") % {
            "name": absence.student.first_name})
        if absence.after_cutoff:
            for notice in late_notices([absence.student.school]):
                messages.warning(request, notice)
        return redirect("absences:index")
    return render(request, "absences/report.html", {
        "form": form,
        "notices": late_notices([slot.student.school for slot in children]),
    })


def _absence_or_404(user, pk: int, queryset=None) -> Absence:
    queryset = queryset if queryset is not None else Absence.objects.all()
    return get_visible_or_404(
        queryset.select_related("student__school", "reported_by", "confirmed_by", "better_reported_by"), user, pk=pk
    )


@login_required
def detail(request, pk: int):
    user = request.user
    absence = _absence_or_404(user, pk)
    _notify_mark_read(user, absence.notification_key)
    _notify_mark_read(user, f"{absence.notification_key}:better")
    is_staff = Absence.objects.for_staff(user).filter(pk=absence.pk).exists()
    # The other guardian who reported it is not named to an ex-partner they hide from (``core.hiding``).
    reporter_hidden = not is_staff and absence.reported_by_id in hidden_guardians(user).user_ids
    return render(request, "absences/detail.html", {
        "absence": absence, "is_staff": is_staff, "reporter_hidden": reporter_hidden,
    })


@login_required
@require_POST
def better(request, pk: int):
    absence = _absence_or_404(request.user, pk)
    if actions.report_better(absence, request.user, back_today=request.POST.get("back") != "tomorrow"):
        messages.success(request, _("Good to hear that %(name)s is better. The school has been told.") % {
            "name": absence.student.first_name})
    return redirect(safe_next(request, absence.get_absolute_url()))


@login_required
@require_POST
def confirm(request, pk: int):
    absence = _absence_or_404(request.user, pk, Absence.objects.for_staff(request.user))
    actions.confirm_absence(absence, request.user)
    if request.htmx:
        return HttpResponse(
            f'<span class="status-ok absences-confirmed">{_("Confirmed")}</span>'
        )
    messages.success(request, _("The absence has been confirmed."))
    return redirect(safe_next(request, absence.get_absolute_url()))


@login_required
def student_history(request, student_id: int):
    user = request.user
    student = get_visible_or_404(
        Student.objects.filter(school_id__in=usable_school_ids(user)).select_related("school"), user, pk=student_id
    )
    absences = (
        Absence.objects.visible_to(user).filter(student=student)
        .select_related("reported_by", "confirmed_by").order_by("-starts_on", "-pk")
    )
    page = Paginator(absences, PER_PAGE).get_page(request.GET.get("pagina"))
    leaves = list(
        LeaveRequest.objects.visible_to(user).filter(student=student).order_by("-starts_on", "-pk")[:PER_PAGE]
    )
    can_register = Student.objects.filter(pk=student.pk).filter(staff_student_q(user)).exists()
    return render(request, "absences/student.html", {
        "student": student, "page": page, "leaves": leaves, "can_register": can_register,
    })

