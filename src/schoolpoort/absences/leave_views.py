"""Leave (verlof): the parent asks, sees the status and can withdraw; the director approves or refuses
with a reason. Every request is fetched through ``LeaveRequest.objects.visible_to``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from schoolpoort.core.access import get_visible_or_404, roles_of
from schoolpoort.core.files import send_file
from schoolpoort.core.models import Student

from . import actions
from .access import guardian_children
from .forms import DecisionForm, LeaveForm
from .models import LeaveRequest
from .scope import scope_or_404

PER_PAGE = 20


def _leave_or_404(user, pk: int, queryset=None) -> LeaveRequest:
    queryset = queryset if queryset is not None else LeaveRequest.objects.all()
    return get_visible_or_404(
        queryset.select_related("student__school", "requested_by", "decided_by"), user, pk=pk
    )


def _mark_read(user, leave: LeaveRequest) -> None:
    from schoolpoort.notify.api import mark_read

    mark_read(user, leave.notification_key)
    mark_read(user, f"{leave.notification_key}:decided")


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    user = request.user
    children = list(guardian_children(user))
    if not children:
        raise Http404
    students = Student.objects.filter(pk__in=[slot.student_id for slot in children]).select_related("school")
    initial = {"student": children[0].student_id} if len(children) == 1 else {}
    form = LeaveForm(request.POST or None, request.FILES or None, students=students, user=user, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            leave = form.request_leave()
            messages.success(request, _("Your leave request has been sent to the director."))
            return redirect(leave)
        form.keep_statement()
    return render(request, "absences/leave_form.html", {"form": form})


@login_required
def detail(request, pk: int):
    user = request.user
    leave = _leave_or_404(user, pk)
    _mark_read(user, leave)
    roles = roles_of(user)
    return render(request, "absences/leave_detail.html", {
        "leave": leave,
        "can_withdraw": leave.requested_by_id == user.pk and leave.can_be_withdrawn(),
        "can_decide": leave.is_pending and roles.manages(leave.student.school),
        "is_staff": roles.administers(leave.student.school),
        "form": DecisionForm(),
    })


@login_required
def attachment(request, pk: int):
    """The employer's statement, for whoever may see the request; always as a download."""
    leave = _leave_or_404(request.user, pk)
    return send_file(request, leave.statement, filename=leave.statement_name or None,
                     content_type=leave.statement_type or None)


@login_required
@require_POST
def withdraw(request, pk: int):
    user = request.user
    leave = _leave_or_404(user, pk, LeaveRequest.objects.filter(requested_by=user))
    if actions.withdraw_leave(leave, user):
        messages.success(request, _("The leave request has been withdrawn."))
    else:
        messages.error(request, _("This request can no longer be withdrawn. Please contact the school."))
    return redirect(leave)


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, pk: int):
    user = request.user
    leave = _leave_or_404(user, pk)
    if not roles_of(user).manages(leave.student.school):
        raise Http404
    if not leave.is_pending:
        messages.info(request, _("A decision on this request has been made already."))
        return redirect(leave)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if actions.decide_leave(leave, user, approve=form.approves, reason=form.cleaned_data["reason"]):
            messages.success(request, _("The leave has been approved.") if form.approves
                             else _("The leave has been refused."))
        return redirect(leave)
    return render(request, "absences/leave_detail.html", {
        "leave": leave, "can_decide": True, "is_staff": True, "form": form,
    })


@login_required
def school_list(request, school_id: int):
    """The school's leave requests: those waiting for a decision first, then the rest, newest first."""
    scope = scope_or_404(request.user)
    school = scope.administered_school_or_404(school_id)
    base = LeaveRequest.objects.visible_to(request.user).filter(school=school).select_related("student", "decided_by")
    pending = list(base.filter(status=LeaveRequest.Status.REQUESTED).order_by("starts_on", "pk"))
    decided = base.exclude(status=LeaveRequest.Status.REQUESTED).order_by("-created_at", "-pk")
    page = Paginator(decided, PER_PAGE).get_page(request.GET.get("pagina"))
    return render(request, "absences/leave_list.html", {
        "school": school, "pending": pending, "page": page, "manages": scope.roles.manages(school),
    })
