"""The school's side of messages: its communication rules (director), reports and exports (office
and leadership), the office hours of each staff member, and a parent's consent to messages from
other parents. Schools the user has no such role at do not exist for them (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schoolpoort.core.access import (
    administered_school_or_404,
    get_visible_or_404,
    managed_school_or_404,
    require_module,
    roles_of,
)
from schoolpoort.core.models import School

from . import actions
from .access import MODULE
from .export import school_csv
from .forms import AvailabilityForm, ExportForm, SchoolSettingsForm
from .models import (
    Conversation,
    ParentContactConsent,
    Participant,
    Report,
    SchoolMessagingSettings,
    TeacherAvailability,
)
from .views import PER_PAGE, usable_schools_or_404


def _with_module(user, school) -> School:
    require_module(user, school, MODULE)
    return school


def _participants():
    return Prefetch(
        "participants",
        queryset=Participant.objects.filter(left_at__isnull=True).select_related("user", "student").order_by("pk"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def school_settings(request, school_id: int):
    """The communication rules: the text parents see when they write, whether the director may
    read teacher–parent conversations, whether parents may write to each other."""
    school = _with_module(request.user, managed_school_or_404(request.user, school_id))
    settings = SchoolMessagingSettings.for_school(school)
    form = SchoolSettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        actions.save_school_settings(form.save(commit=False), request.user, form.changed_data)
        messages.success(request, _("The settings have been saved."))
        return redirect("messaging:school_settings", school.pk)
    return render(request, "messaging/school_settings.html", {"school": school, "form": form})


@login_required
@require_GET
def school_conversations(request, school_id: int):
    """For the director and board admins: the school's teacher–parent conversations, when the
    school allows them to read those (each opening is audited)."""
    school = _with_module(request.user, managed_school_or_404(request.user, school_id))
    settings = SchoolMessagingSettings.for_school(school)
    page = None
    if settings.directors_may_read:
        conversations = (
            Conversation.objects.visible_to(request.user)
            .filter(school=school, between_parents=False)
            .select_related("group")
            .prefetch_related(_participants())
            .order_by("-last_message_at", "-pk")
        )
        page = Paginator(conversations, PER_PAGE).get_page(request.GET.get("pagina"))
    return render(request, "messaging/school_conversations.html", {
        "school": school, "settings": settings, "page": page,
    })


@login_required
@require_GET
def reports(request, school_id: int):
    school = _with_module(request.user, administered_school_or_404(request.user, school_id))
    rows = (
        Report.objects.filter(conversation__school=school)
        .select_related("conversation__closed_by", "reporter", "handled_by")
        .prefetch_related(Prefetch("conversation__participants", queryset=_participants().queryset))
        .order_by("handled_at", "-created_at", "-pk")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("pagina"))
    ids = [row.conversation_id for row in page]
    readable = set(Conversation.objects.visible_to(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    for row in page:
        row.readable = row.conversation_id in readable
    return render(request, "messaging/reports.html", {"school": school, "page": page})


@login_required
@require_POST
def report_handled(request, report_id: int):
    row = Report.objects.select_related("conversation__school").filter(pk=report_id).first()
    if row is None:
        raise Http404
    school = _with_module(request.user, administered_school_or_404(request.user, row.conversation.school_id))
    actions.handle_report(row, request.user)
    messages.success(request, _("The report has been marked as handled."))
    return redirect("messaging:reports", school.pk)


@login_required
@require_GET
def export_school(request, school_id: int):
    """All the school's conversations the user may export, for a period, as CSV."""
    school = _with_module(request.user, administered_school_or_404(request.user, school_id))
    form = ExportForm(request.GET if "start" in request.GET else None, initial=ExportForm.default_period())
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        response = HttpResponse(school_csv(request.user, school, start, end), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="berichten-{school.brin}-{start}-{end}.csv"'
        return response
    settings = SchoolMessagingSettings.for_school(school)
    return render(request, "messaging/export.html", {
        "school": school, "form": form, "all_conversations": settings.directors_may_read
        and roles_of(request.user).manages(school),
    })


@login_required
@require_http_methods(["GET", "POST"])
def availability(request, school_id: int):
    """A staff member's office hours and automatic reply at one school."""
    school = get_visible_or_404(School, request.user, pk=school_id)
    if not roles_of(request.user).has_role(school, "teacher", "administration", "director"):
        raise Http404
    _with_module(request.user, school)
    instance = TeacherAvailability.objects.filter(user=request.user, school=school).first()
    instance = instance or TeacherAvailability(user=request.user, school=school)
    form = AvailabilityForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your office hours have been saved."))
        return redirect("messaging:availability", school.pk)
    return render(request, "messaging/availability.html", {"school": school, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def contact_settings(request):
    """A parent allows (or not) messages from the other parents of each group of their children,
    at schools that allow messages between parents. Nothing is allowed until they choose it."""
    schools = usable_schools_or_404(request.user)
    allowing = set(
        SchoolMessagingSettings.objects.filter(school__in=schools, parent_to_parent=True).values_list(
            "school_id", flat=True
        )
    )
    groups = list(actions.consent_groups(request.user, allowing))
    if request.method == "POST":
        chosen = {int(value) for value in request.POST.getlist("groups") if value.isdigit()}
        actions.set_consents(request.user, [g.pk for g in groups], chosen)
        messages.success(request, _("Your choice has been saved."))
        return redirect("messaging:contact_settings")
    consented = set(
        ParentContactConsent.objects.filter(user=request.user, group__in=groups).values_list("group_id", flat=True)
    )
    for group in groups:
        group.consented = group.pk in consented
    return render(request, "messaging/contact_settings.html", {
        "groups": groups, "is_guardian": roles_of(request.user).is_guardian,
    })
