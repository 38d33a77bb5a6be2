"""Staff pages: make and change a round, add time windows, the teacher's schedule with blocking,
the printable day list and its CSV, the pupils with their marks, and placing a family that did
not book. Rounds come through ``Round.objects.visible_to``; what a page offers is decided by
``manages_round`` (the school's administration, or the teacher who made it) or by teaching."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from schoolpoort.core.access import get_visible_or_404, taught_group_ids
from schoolpoort.core.audit import audit_read, read_part
from schoolpoort.core.models import Enrollment, Group, Guardianship, Student
from schoolpoort.lib.csv import spreadsheet_writer

from . import actions
from .access import manages_round, plannable_groups, staff_of_round
from .booking import BookingError, free_slots
from .families import exemptions, separated_student_ids
from .forms import PlaceForm, RoundForm, SessionForm
from .listing import round_or_404
from .models import Booking, Preference, Session, Slot
from .schedule import schedule_sessions, schedule_teachers, teacher_or_default, teacher_schedule

SCHEDULE_EXPORT = read_part("conference_schedule_export", gettext_lazy("Conference schedule (export)"))


def _staff_round_or_404(user, pk: int):
    round = round_or_404(user, pk)
    if not staff_of_round(user, round):
        raise Http404
    return round


def _managed_round_or_404(user, pk: int):
    round = _staff_round_or_404(user, pk)
    if not manages_round(user, round):
        raise Http404
    return round


def _teaches(user, group_ids) -> bool:
    return Group.objects.filter(pk__in=list(group_ids)).filter(pk__in=taught_group_ids(user)).exists()


# --- The round -------------------------------------------------------------------------------------


@login_required
def create(request):
    if not plannable_groups(request.user).exists():
        raise Http404
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in actions.ROUND_FIELDS}
        round = actions.create_round(request.user, school=form.school, groups=form.cleaned_data["groups"], **fields)
        messages.success(request, _("The round has been made. Now add the times the teachers are available."))
        return redirect("conferences:add_session", round.pk)
    return render(request, "conferences/round_form.html", {"form": form, "round": None})


@login_required
def edit(request, pk: int):
    round = _managed_round_or_404(request.user, pk)
    form = RoundForm(request.POST or None, instance=round, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in actions.ROUND_FIELDS}
        actions.update_round(round, request.user, groups=form.cleaned_data["groups"], **fields)
        messages.success(request, _("The round has been saved."))
        return redirect(round)
    return render(request, "conferences/round_form.html", {"form": form, "round": round})


@login_required
def add_session(request, pk: int):
    user = request.user
    round = _staff_round_or_404(user, pk)
    manages = manages_round(user, round)
    if not manages and not _teaches(user, [group.pk for group in round.groups.all()]):
        raise Http404
    form = SessionForm(request.POST or None, round=round, user=user, manages=manages)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = actions.add_session(
            round, user, teacher=data["teacher"], group=data["group"], date=data["date"],
            starts_at=data["starts_at"], ends_at=data["ends_at"], breaks=data["breaks"], location=data["location"],
        )
        count = session.slots.count()
        messages.success(request, _("The times have been added: %(count)d conversations.") % {"count": count})
        if "another" in request.POST:
            return redirect("conferences:add_session", round.pk)
        return redirect(round)
    return render(request, "conferences/session_form.html", {"form": form, "round": round})


@login_required
@require_POST
def delete_session(request, pk: int, session_id: int):
    user = request.user
    round = _staff_round_or_404(user, pk)
    session = Session.objects.filter(round=round, pk=session_id).first()
    if session is None or not (manages_round(user, round) or session.teacher_id == user.pk):
        raise Http404
    try:
        actions.delete_session(session, user)
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The time window has been removed."))
    return redirect(round)


# --- The schedule ------------------------------------------------------------------------------------


def _schedule_context(request, pk: int, day: datetime.date | None = None):
    user = request.user
    round = _staff_round_or_404(user, pk)
    sessions = list(schedule_sessions(round, user))
    teachers = schedule_teachers(sessions)
    teacher = teacher_or_default(teachers, user, request.GET.get("leerkracht"))
    if teacher is None and (request.GET.get("leerkracht") or day is not None):
        raise Http404
    days = teacher_schedule(round, user, teacher, day=day) if teacher is not None else []
    return {
        "round": round,
        "teachers": teachers,
        "teacher": teacher,
        "days": days,
        "can_block": teacher is not None and (manages_round(user, round) or teacher.pk == user.pk),
        "can_place": manages_round(user, round) or _teaches(user, [s.group_id for s in sessions]),
    }


@login_required
def schedule(request, pk: int):
    return render(request, "conferences/schedule.html", _schedule_context(request, pk))


def _day_or_404(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise Http404 from None


@login_required
def day_list(request, pk: int, day: str):
    context = _schedule_context(request, pk, _day_or_404(day))
    if not context["days"]:
        raise Http404
    context["day"] = context["days"][0]
    return render(request, "conferences/day_list.html", context)


@login_required
def day_csv(request, pk: int, day: str):
    context = _schedule_context(request, pk, _day_or_404(day))
    if not context["days"]:
        raise Http404
    teacher, day = context["teacher"], context["days"][0]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"gesprekken-{day.date.isoformat()}-{teacher.last_name or teacher.pk}.csv".replace(" ", "-")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = spreadsheet_writer(response, delimiter=";")
    writer.writerow([_("Start"), _("End"), _("Pupil"), _("Group"), _("Guardians"), _("Status")])
    labels = {"booked": _("booked"), "blocked": _("blocked"), "free": _("free")}
    for row in day.rows:
        start, end = timezone.localtime(row.slot.starts_at), timezone.localtime(row.slot.ends_at)
        writer.writerow([
            f"{start:%H:%M}", f"{end:%H:%M}",
            row.booking.student.full_name if row.booking else "",
            row.slot.group.name,
            ", ".join(row.guardians),
            labels[row.status],
        ])
    pupils = {row.booking.student.pk: row.booking.student for row in day.rows if row.booking}
    audit_read(request.user, list(pupils.values()), SCHEDULE_EXPORT)
    return response


@login_required
@require_POST
def toggle_block(request, pk: int, slot_id: int):
    user = request.user
    round = _staff_round_or_404(user, pk)
    slot = Slot.objects.filter(round=round, pk=slot_id).first()
    if slot is None or not (manages_round(user, round) or slot.teacher_id == user.pk):
        raise Http404
    try:
        slot = actions.set_blocked(slot, not slot.blocked, user)
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The time has been blocked.") if slot.blocked else _("The time is free again."))
    url = reverse("conferences:schedule", args=[round.pk]) + f"?leerkracht={slot.teacher_id}"
    return redirect(url + f"#slot-{slot.pk}")


# --- Pupils ------------------------------------------------------------------------------------------


def _pupil_rows(round, user):
    group_ids = [group.pk for group in round.groups.all()]
    enrollments = list(
        Enrollment.objects.filter(group_id__in=group_ids, student__archived_at__isnull=True)
        .filter(student__in=Student.objects.visible_to(user))
        .select_related("student", "group")
        .order_by("group__grades", "group__name", "student__first_name", "student__last_name")
    )
    student_ids = [e.student_id for e in enrollments]
    exempt_students, exempt_groups = exemptions(round)
    bookings: dict[int, list] = {}
    for booking in (
        Booking.objects.visible_to(user).active().filter(round=round, student_id__in=student_ids)
        .select_related("slot__teacher")
    ):
        bookings.setdefault(booking.student_id, []).append(booking)
    with_preferences = set(
        Guardianship.objects.filter(
            student_id__in=student_ids, user_id__in=Preference.objects.filter(round=round).values("user_id")
        ).values_list("student_id", flat=True)
    )
    separated = separated_student_ids(round, student_ids)
    marked = set(round.separate_students.filter(pk__in=student_ids).values_list("pk", flat=True))
    rows = []
    for enrollment in enrollments:
        sid = enrollment.student_id
        rows.append({
            "student": enrollment.student,
            "group": enrollment.group,
            "exempt": sid in exempt_students,
            "group_exempt": enrollment.group_id in exempt_groups,
            "bookings": sorted(bookings.get(sid, []), key=lambda b: b.slot.starts_at),
            "preference": sid in with_preferences,
            "separated": sid in separated,
            "marked_separate": sid in marked,
        })
    return rows


@login_required
def pupils(request, pk: int):
    user = request.user
    round = _staff_round_or_404(user, pk)
    rows = _pupil_rows(round, user)
    groups = sorted({row["group"] for row in rows}, key=lambda g: (g.grades, g.name))
    _students, exempt_groups = exemptions(round)
    return render(request, "conferences/pupils.html", {
        "round": round, "rows": rows, "groups": groups, "exempt_groups": exempt_groups,
        "manages": manages_round(user, round),
    })


def _may_mark(user, round, group_ids) -> bool:
    return manages_round(user, round) or _teaches(user, group_ids)


@login_required
@require_POST
def mark(request, pk: int):
    """No conference needed (a pupil or a group), or needed again; guardians book separately."""
    user = request.user
    round = _staff_round_or_404(user, pk)
    kind = request.POST.get("kind", "")
    round_groups = {group.pk: group for group in round.groups.all()}
    if kind in ("exempt_group", "include_group"):
        group = round_groups.get(_int(request.POST.get("group")))
        if group is None or not _may_mark(user, round, [group.pk]):
            raise Http404
        actions.set_exempt(round, user, group=group, exempt=kind == "exempt_group")
    elif kind in ("exempt", "include", "separate", "together"):
        student = get_visible_or_404(Student, user, pk=_int(request.POST.get("student")))
        group_ids = set(Enrollment.objects.filter(student=student).values_list("group_id", flat=True)) & set(
            round_groups
        )
        if not group_ids or not _may_mark(user, round, group_ids):
            raise Http404
        if kind in ("exempt", "include"):
            actions.set_exempt(round, user, student=student, exempt=kind == "exempt")
        else:
            actions.set_separate(round, user, student, kind == "separate")
    else:
        raise Http404
    messages.success(request, _("Saved."))
    return redirect(reverse("conferences:pupils", args=[round.pk]))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def place(request, pk: int, student_id: int):
    """Book a time for a family that did not: choose one of the free times of the pupil's teachers."""
    user = request.user
    round = _staff_round_or_404(user, pk)
    student = get_visible_or_404(Student, user, pk=student_id)
    group_ids = set(
        Enrollment.objects.filter(student=student, group__in=round.groups.all()).values_list("group_id", flat=True)
    )
    if not group_ids or not _may_mark(user, round, group_ids):
        raise Http404
    slots = free_slots(round, group_ids)
    parties = actions.placement_parties(round, student)
    form = PlaceForm(request.POST or None, slots=slots, parties=parties)
    if request.method == "POST" and form.is_valid():
        try:
            actions.place(round, user, student, form.cleaned_data["slot"], party=form.cleaned_data["party"])
        except BookingError as error:
            messages.error(request, error.message)
            return redirect("conferences:place", round.pk, student.pk)
        messages.success(request, _("%(name)s's family has been placed and will get a message.")
                         % {"name": student.first_name})
        return redirect("conferences:pupils", round.pk)
    existing = Booking.objects.visible_to(user).active().filter(round=round, student=student).filter(
        Q(slot__group_id__in=group_ids)
    ).select_related("slot__teacher")
    return render(request, "conferences/place.html", {
        "round": round, "student": student, "form": form, "existing": list(existing), "has_slots": bool(slots),
    })
