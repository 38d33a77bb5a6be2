"""The conference pages for everyone: the list of rounds, and a round's page, where a guardian
books, changes or cancels a time per child (or takes a back-to-back suggestion for several
children, or gives preferred times for the planner) and staff see how the round is doing. Every
round is fetched through ``Round.objects.visible_to``; the actions are in ``booking.py``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import alternatives
from . import booking as domain
from .access import manages_round, plannable_groups, staff_of_round
from .families import Child, children_in_round
from .forms import PreferenceForm, preference_blocks
from .listing import request_round_or_404, visible_rounds
from .models import Preference, Round, Session
from .overview import staff_overview
from .suggestions import MAX_GAP, best


@login_required
def round_list(request):
    user = request.user
    rounds = visible_rounds(user)
    now = timezone.now()
    return render(request, "conferences/list.html", {
        "rounds": rounds,
        "now": now,
        "current": [r for r in rounds if not r.has_closed(now)],
        "past": [r for r in rounds if r.has_closed(now)],
        "can_create": plannable_groups(user).exists(),
    })


# --- The booking page ------------------------------------------------------------------------------


@dataclass
class TeacherSlots:
    teacher: object
    location: str
    slots: list = field(default_factory=list)


@dataclass
class PickerDay:
    date: datetime.date
    teachers: list[TeacherSlots]


def picker_days(slots) -> list[PickerDay]:
    days: dict[datetime.date, dict[tuple, TeacherSlots]] = {}
    for slot in slots:
        day = days.setdefault(timezone.localtime(slot.starts_at).date(), {})
        location = slot.session.location
        key = (slot.teacher_id, location)
        if key not in day:
            day[key] = TeacherSlots(slot.teacher, location)
        day[key].slots.append(slot)
    return [PickerDay(date, list(teachers.values())) for date, teachers in sorted(days.items())]


def _next_to(slot, others) -> bool:
    return any(
        datetime.timedelta(0) <= slot.starts_at - other.ends_at <= MAX_GAP
        or datetime.timedelta(0) <= other.starts_at - slot.ends_at <= MAX_GAP
        for other in others
    )


def _prepare_children(round: Round, children: list[Child], now, changing: int | None) -> tuple[list, list]:
    """Each child's picker (days, teachers, slots with taken/free) and the slots right next to a
    brother's or sister's conversation, from one read of the slots with their state. Returns
    (every slot read, the free ones), for the suggestions and the alternatives."""
    times = domain.family_free_times(round, children, now=now)
    booked_slots = {child.student.pk: child.booking.slot for child in children if not child.exempt and child.booking}
    for child in children:
        if child.exempt:
            continue
        child.days = picker_days([slot for slot in times.slots if slot.group_id in child.group_ids])
        child.free_slots = times.by_child[child.student.pk]
        child.clashes = times.clashes[child.student.pk]
        siblings = [slot for sid, slot in booked_slots.items() if sid != child.student.pk]
        child.next_to_sibling = {slot.pk for slot in child.free_slots if _next_to(slot, siblings)}
        child.changing = child.booking is not None and child.booking.pk == changing
    return times.slots, times.free


TAKEN_PARAM = "bezet"  # the picks a family just lost ("student:slot,..."), in the address they are sent back to
TURN_PARAM = "beurt"  # how many families lost them just before (alternatives.turn_of_loser)


def _turn(value: str) -> int:
    try:
        return min(max(int(value), 0), 10_000)
    except ValueError:
        return 0


def _just_taken(value: str, slots: list, free: list, children: list[Child], turn: int = 0) -> dict | None:
    """The card of a family whose time was just taken: the lost times (when they are still taken
    in this read) and the nearest free ones instead, from the same read as the rest of the page."""
    by_id = {slot.pk: slot for slot in slots}
    unbooked = {child.student.pk: child for child in children if child.can_book}
    picks = [
        (unbooked[pick.student_id], by_id[pick.slot_id])
        for pick in domain.parse_picks([value])
        if pick.student_id in unbooked and pick.slot_id in by_id
    ]
    lost = [slot for _child, slot in picks if slot.taken or slot.blocked]
    if not lost:
        return None
    choices = alternatives.around([slot for _child, slot in picks], [child for child, _slot in picks], free, turn=turn)
    return {"lost": lost, "choices": choices}


def _mark_read(user, round: Round) -> None:
    from schoolpoort.notify.api import mark_read_under

    mark_read_under(user, round.notification_key)


@login_required
def detail(request, pk: int):
    user = request.user
    round = request_round_or_404(request, pk)
    now = timezone.now()
    children = children_in_round(round, user)
    context = {"round": round, "now": now, "is_open": round.is_open(now), "children": children}
    if children:
        try:
            changing = int(request.GET.get("wijzig", ""))
        except ValueError:
            changing = None
        slots, free = _prepare_children(round, children, now, changing)
        unbooked = [child for child in children if child.can_book]
        if request.GET.get(TAKEN_PARAM) and context["is_open"]:
            context["just_taken"] = _just_taken(
                request.GET[TAKEN_PARAM], slots, free, children, _turn(request.GET.get(TURN_PARAM, ""))
            )
        if len(unbooked) > 1 and context["is_open"]:
            context["suggestions"] = best(unbooked, free)
            context["suggestion_children"] = unbooked
        if round.takes_preferences(now) and unbooked:
            context["preference"] = Preference.objects.filter(round=round, user=user).first()
            context["takes_preferences"] = True
    if staff_of_round(user, round):
        context["staff"] = staff_overview(round, user)
        context["manages"] = manages_round(user, round)
    elif not children:
        raise Http404  # a guardian whose children are no longer in the round's groups
    _mark_read(user, round)
    return render(request, "conferences/round.html", context)


def _error(request, error: domain.BookingError) -> None:
    messages.error(request, error.message)


def _back(round: Round, anchor: str = ""):
    return redirect(reverse("conferences:detail", args=[round.pk]) + (f"#{anchor}" if anchor else ""))


def _guardian_round_or_404(request, pk: int) -> Round:
    round = request_round_or_404(request, pk)
    if not children_in_round(round, request.user):
        raise Http404
    return round


@login_required
@require_POST
def book(request, pk: int):
    round = request_round_or_404(request, pk)
    children = children_in_round(round, request.user)
    if not children:
        raise Http404
    picks = domain.parse_picks(request.POST.getlist("pick"))
    try:
        appointment = domain.book(round, request.user, picks, children=children)
    except domain.SlotTaken as error:
        # Back to the page, which shows the nearest free times as one-tap choices.
        _error(request, error)
        lost = ",".join(f"{pick.student_id}:{pick.slot_id}" for pick in picks)
        query = {TAKEN_PARAM: lost, **({TURN_PARAM: error.turn} if error.turn else {})}
        return redirect(reverse("conferences:detail", args=[round.pk]) + "?" + urlencode(query) + "#vrij")
    except domain.BookingError as error:
        _error(request, error)
        return _back(round)
    if len(appointment.made_bookings) > 1:
        messages.success(request, _("Your conferences are booked, one after the other. You will get a confirmation."))
    else:
        messages.success(request, _("Your conference is booked. You will get a confirmation."))
    return _back(round)


@login_required
@require_POST
def change(request, pk: int, booking_id: int):
    round = _guardian_round_or_404(request, pk)
    if domain.guardian_booking(round, request.user, booking_id) is None:
        raise Http404
    try:
        slot_id = int(request.POST.get("slot", ""))
    except ValueError:
        messages.error(request, _("Choose a new time first."))
        return redirect(reverse("conferences:detail", args=[round.pk]) + f"?wijzig={booking_id}")
    try:
        domain.change(round, request.user, booking_id, slot_id)
    except domain.BookingError as error:
        _error(request, error)
        return redirect(reverse("conferences:detail", args=[round.pk]) + f"?wijzig={booking_id}")
    messages.success(request, _("Your conference has been moved. You will get a confirmation."))
    return _back(round)


@login_required
@require_POST
def cancel(request, pk: int, booking_id: int):
    round = _guardian_round_or_404(request, pk)
    if domain.guardian_booking(round, request.user, booking_id) is None:
        raise Http404
    try:
        domain.cancel(round, request.user, booking_id)
    except domain.BookingError as error:
        _error(request, error)
        return _back(round)
    messages.success(request, _("Your conference has been cancelled; the time is free for others again."))
    return _back(round)


@login_required
def preferences(request, pk: int):
    """Instead of booking: the times that suit the family; the planner places them later."""
    user = request.user
    round = request_round_or_404(request, pk)
    children = [child for child in children_in_round(round, user) if child.can_book]
    if not children or not round.takes_preferences():
        raise Http404
    group_ids = set().union(*(child.group_ids for child in children))
    sessions = Session.objects.filter(round=round, group_id__in=group_ids)
    preference = Preference.objects.filter(round=round, user=user).first()
    initial = {"windows": ["|".join(window) for window in preference.windows]} if preference else {}
    data = request.POST if request.method == "POST" else None  # ticking nothing withdraws the preference
    form = PreferenceForm(data, blocks=preference_blocks(sessions), initial=initial)
    if request.method == "POST" and form.is_valid():
        windows = form.cleaned_windows()
        if windows:
            Preference.objects.update_or_create(round=round, user=user, defaults={"windows": windows})
            messages.success(request, _("Thank you. The planner will place your conference within these times."))
        else:
            Preference.objects.filter(round=round, user=user).delete()
            messages.info(request, _("You gave no times; you can still book a time yourself."))
        return _back(round)
    return render(request, "conferences/preferences.html", {
        "round": round, "form": form, "children": children, "preference": preference,
    })
