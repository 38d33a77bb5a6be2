"""Booking, changing and cancelling conference times: the domain the pages, the planner and a later
JSON API share.

No double booking, ever. Every write takes the row locks of the slots it touches, in the order of
their ids (two families after the same two slots never wait on each other in a circle), checks
under those locks that the slots are still free, and writes; the database's unique constraints
(one active booking per slot, one conversation per child and party) are the last line. A family
that loses the race gets ``SlotTaken`` with a clear message, the times that are still free and
the nearest of them to offer instead (``alternatives.py``); a single time another family is booking
at this very moment is answered so at once rather than waited for (a rush never queues behind its
winners). A booking of several children is all or nothing: one transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from schoolpoort.core.versions import content_changed
from schoolpoort.lib import dates, events

from . import alternatives, notifications
from .families import children_in_round
from .models import FAMILY, Appointment, Booking, Round, Slot

FREE_TIMES_IN_MESSAGE = 6


class BookingError(Exception):
    """A booking that cannot be made; ``message`` says why, ``free_slots`` what is still free."""

    code = "invalid"

    def __init__(self, message: str, free_slots=()):
        super().__init__(message)
        self.message = message
        self.free_slots = list(free_slots)


class SlotTaken(BookingError):
    """``lost``: the slots that were taken; ``alternatives``: the nearest free times instead (one
    suggestion per choice, a whole back-to-back set for brothers and sisters) and ``turn``: how
    many families lost the same times just before (``alternatives.turn_of_loser``), filled by ``book``."""

    code = "taken"

    def __init__(self, message: str, free_slots=(), lost=()):
        super().__init__(message, free_slots)
        self.lost = list(lost)
        self.alternatives: list = []
        self.turn = 0


class AlreadyBooked(BookingError):
    code = "already_booked"


class BookingClosed(BookingError):
    code = "closed"


class NotBookable(BookingError):
    code = "not_bookable"


@dataclass(frozen=True)
class Pick:
    student_id: int
    slot_id: int


@dataclass(frozen=True)
class Entry:
    """One child's booking to make: in which slot, for which party, in which of its groups."""

    student_id: int
    slot_id: int
    party: int
    group_ids: frozenset[int]


def parse_picks(values) -> list[Pick]:
    """Form values "student:slot" (several per value, comma-separated) as picks; bad ones dropped."""
    picks = []
    for value in values:
        for part in str(value).split(","):
            student, _sep, slot = part.partition(":")
            if student.strip().isdigit() and slot.strip().isdigit():
                picks.append(Pick(int(student), int(slot)))
    return picks


# --- Reading -------------------------------------------------------------------------------------


def active_booking_exists():
    return Exists(Booking.objects.filter(slot=OuterRef("pk"), cancelled_at__isnull=True))


def slots_with_state(round: Round, group_ids, *, now: datetime.datetime | None = None):
    """The round's coming slots of these groups, each with ``taken`` (one query)."""
    now = now or timezone.now()
    return (
        Slot.objects.filter(round=round, group_id__in=list(group_ids), starts_at__gt=now)
        .annotate(taken=active_booking_exists())
        .select_related("teacher", "session")
        .order_by("starts_at", "teacher__last_name", "pk")
    )


def free_slots(round: Round, group_ids, *, now: datetime.datetime | None = None) -> list[Slot]:
    """What a family can still book for these groups: coming, not blocked, not taken."""
    return [slot for slot in slots_with_state(round, group_ids, now=now) if not slot.taken and not slot.blocked]


@dataclass
class FamilyTimes:
    """What a family can book in a round, from one read of the slots (the page and the API share it)."""

    slots: list  # the coming slots of the children's groups, each with ``taken``
    free: list  # free for the family: not taken, not blocked, overlapping none of its conversations
    by_child: dict  # {student id: the child's free slots, none overlapping a brother's or sister's conversation}
    clashes: dict  # {student id: ids of the child's free slots that overlap a brother's or sister's conversation}


def family_free_times(round: Round, children, *, now: datetime.datetime | None = None) -> FamilyTimes:
    """Each bookable child's free times (``families.children_in_round``), one query."""
    bookable = [child for child in children if not child.exempt]
    group_ids = set().union(*(child.group_ids for child in bookable)) if bookable else set()
    slots = list(slots_with_state(round, group_ids, now=now)) if group_ids else []
    booked_slots = {child.student.pk: child.booking.slot for child in bookable if child.booking}
    by_child, clashes = {}, {}
    for child in bookable:
        free = [slot for slot in slots if slot.group_id in child.group_ids and not slot.taken and not slot.blocked]
        siblings = [slot for sid, slot in booked_slots.items() if sid != child.student.pk]
        clashes[child.student.pk] = {slot.pk for slot in free if any(overlaps(slot, s) for s in siblings)}
        by_child[child.student.pk] = [slot for slot in free if slot.pk not in clashes[child.student.pk]]
    booked = list(booked_slots.values())
    family_free = [
        slot for slot in slots
        if not slot.taken and not slot.blocked and not any(overlaps(slot, other) for other in booked)
    ]
    return FamilyTimes(slots, family_free, by_child, clashes)


def _taken_message(slots: list[Slot], free: list[Slot]) -> str:
    times = ", ".join(dates.style(timezone.localtime(slot.starts_at), "time") for slot in slots)
    message = _("Sorry, %(times)s was just taken by another family.") % {"times": times}
    if free:
        shown = ", ".join(
            dates.style(timezone.localtime(slot.starts_at), "short_time") for slot in free[:FREE_TIMES_IN_MESSAGE]
        )
        message += " " + _("Still free: %(times)s.") % {"times": shown}
    else:
        message += " " + _("There are no free times left; please contact the teacher.")
    return message


def _slot_taken(round: Round, entries: list[Entry], slot_ids, now) -> SlotTaken:
    group_ids = set().union(*(entry.group_ids for entry in entries))
    # read after our rollback; the lost slots may still be in a winner's open transaction
    free = [slot for slot in free_slots(round, group_ids, now=now) if slot.pk not in set(slot_ids)]
    lost = list(Slot.objects.filter(pk__in=list(slot_ids)).order_by("starts_at"))
    return SlotTaken(_taken_message(lost, free), free, lost)


# --- Writing -------------------------------------------------------------------------------------


def _lock_slots(round: Round, slot_ids, *, skip_locked: bool = False) -> dict[int, Slot]:
    """Row locks on the slots, taken in the order of their ids (two bookings never wait on each
    other in a circle). ``skip_locked``: a slot another booking holds right now is left out instead
    of waited for (the caller counts it as taken), so a rush never queues behind one winner. Only
    the slot rows: the scoped manager joins the round, whose row every booking would otherwise lock
    (and, skipping, take for a taken slot)."""
    locked = (
        Slot.objects.select_for_update(skip_locked=skip_locked, of=("self",))
        .filter(round=round, pk__in=sorted(set(slot_ids)))
        .order_by("pk")
    )
    return {slot.pk: slot for slot in locked}


def _check_children(round: Round, entries: list[Entry]) -> None:
    """One conversation per child: per family, or per guardian where they book each their own
    (then a booking of the family as a whole counts for them too)."""
    existing: dict[int, set[int]] = {}
    for student_id, party in Booking.objects.active().filter(
        round=round, student_id__in=[e.student_id for e in entries]
    ).values_list("student_id", "party"):
        existing.setdefault(student_id, set()).add(party)
    for entry in entries:
        parties = existing.get(entry.student_id, set())
        if (entry.party == FAMILY and parties) or (entry.party != FAMILY and parties & {FAMILY, entry.party}):
            raise AlreadyBooked(_("There already is a conference for this child in this round."))


def reserve(
    round: Round,
    entries: list[Entry],
    *,
    booked_by,
    source: str = Appointment.Source.GUARDIAN,
    event: str = "conferences.booked",
    now: datetime.datetime | None = None,
) -> Appointment:
    """Book ``entries`` as one appointment, all or nothing. The caller has decided that
    ``booked_by`` may book for these children; this checks the slots and the children."""
    now = now or timezone.now()
    slot_ids = [entry.slot_id for entry in entries]
    if not entries:
        raise NotBookable(_("Choose a time first."))
    if len(set(slot_ids)) != len(slot_ids) or len({e.student_id for e in entries}) != len(entries):
        raise NotBookable(_("Choose one time for each child."))
    try:
        with transaction.atomic():
            # One slot: skip it when another family holds it (taken, answered at once). Several:
            # wait in id order, so two families after overlapping pairs never both lose half.
            slots = _lock_slots(round, slot_ids, skip_locked=len(slot_ids) == 1)
            if len(slots) < len(slot_ids) and _in_round(round, slot_ids, len(slots)):
                raise _Taken  # another family is booking it this very moment
            for entry in entries:
                slot = slots.get(entry.slot_id)
                if slot is None or slot.group_id not in entry.group_ids:
                    raise NotBookable(_("That time is not one of this child's teacher."))
                if slot.blocked or slot.starts_at <= now:
                    raise _Taken
            if Booking.objects.active().filter(slot_id__in=slot_ids).exists():
                raise _Taken
            _check_children(round, entries)
            parties = {entry.party for entry in entries}
            appointment = Appointment.objects.create(
                round=round, party=parties.pop() if len(parties) == 1 else FAMILY, source=source, booked_by=booked_by
            )
            bookings = Booking.objects.bulk_create(
                Booking(
                    appointment=appointment, round=round, slot=slots[entry.slot_id], student_id=entry.student_id,
                    party=entry.party, booked_by=booked_by,
                )
                for entry in entries
            )
            content_changed("conferences")  # bulk_create passes the signals (conferences/signals.py)
            for booking in bookings:
                booking.round = round
            notifications.appointment_made(appointment, bookings, event=event)
            for booking in bookings:
                _announce(events.BOOKING_MADE, booking)
            appointment.made_bookings = bookings
            return appointment
    except _Taken:
        raise _slot_taken(round, entries, slot_ids, now) from None
    except IntegrityError:
        # Another transaction won between our check and our write (or took the child's turn).
        if Booking.objects.active().filter(slot_id__in=slot_ids).exists():
            raise _slot_taken(round, entries, slot_ids, now) from None
        raise AlreadyBooked(_("There already is a conference for this child in this round.")) from None


class _Taken(Exception):
    pass


def _in_round(round: Round, slot_ids, locked: int) -> bool:
    """Whether some of the slots a skip-locked read left out exist (then someone else holds them)."""
    return Slot.objects.filter(round=round, pk__in=list(slot_ids)).count() > locked


def _require_open(round: Round, now) -> None:
    if round.opens_later(now):
        raise BookingClosed(_("Booking has not opened yet."))
    if round.has_closed(now):
        raise BookingClosed(_("Booking has closed. Please contact the teacher to change your conference."))


def book(
    round: Round, user, picks: list[Pick], *, now: datetime.datetime | None = None, children=None
) -> Appointment:
    """A guardian books one time per child (one child, or a back-to-back suggestion for several).
    ``children``: the user's ``children_in_round`` when the caller read them already. A time taken
    meanwhile raises ``SlotTaken`` with the nearest free alternatives."""
    now = now or timezone.now()
    _require_open(round, now)
    if children is None:
        children = children_in_round(round, user)
    children = {child.student.pk: child for child in children}
    entries = []
    for pick in picks:
        child = children.get(pick.student_id)
        if child is None:
            raise NotBookable(_("That child is not in this round."))
        if child.exempt:
            raise NotBookable(_("No conference is needed for %(name)s.") % {"name": child.student.first_name})
        if child.booking is not None:
            raise AlreadyBooked(_("There already is a conference for %(name)s.") % {"name": child.student.first_name})
        entries.append(Entry(child.student.pk, pick.slot_id, child.party, frozenset(child.group_ids)))
    booked = [child.booking.slot for child in children.values() if child.booking is not None]
    _refuse_overlaps(round, [entry.slot_id for entry in entries], booked)
    try:
        return reserve(round, entries, booked_by=user, now=now)
    except SlotTaken as taken:
        free = [slot for slot in taken.free_slots if not any(overlaps(slot, other) for other in booked)]
        taken.turn = alternatives.turn_of_loser(round.pk, [slot.pk for slot in taken.lost])
        taken.alternatives = alternatives.around(
            taken.lost, [children[e.student_id] for e in entries], free, turn=taken.turn
        )
        raise


def overlaps(a, b) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def _refuse_overlaps(round: Round, slot_ids: list[int], booked: list[Slot]) -> None:
    """A guardian cannot be in two conversations at once: the new times may not overlap each other
    nor the family's other conversations in the round."""
    new = list(Slot.objects.filter(round=round, pk__in=slot_ids))
    for n, slot in enumerate(new):
        clash = next((other for other in [*new[:n], *booked] if overlaps(slot, other)), None)
        if clash is not None:
            raise NotBookable(
                _("That time overlaps your other conversation at %(time)s.")
                % {"time": dates.style(timezone.localtime(clash.starts_at), "time")}
            )


def guardian_booking(round: Round, user, booking_id: int):
    """The active booking ``user`` may change as a guardian, with its child; None otherwise."""
    for child in children_in_round(round, user):
        if child.booking is not None and child.booking.pk == booking_id:
            return child
    return None


def change(round: Round, user, booking_id: int, slot_id: int, *, now: datetime.datetime | None = None) -> Booking:
    """Move a booking to another free time of the child's teachers, until booking closes."""
    now = now or timezone.now()
    _require_open(round, now)
    children = children_in_round(round, user)
    child = next((c for c in children if c.booking is not None and c.booking.pk == booking_id), None)
    if child is None:
        raise NotBookable(_("That conference is not yours to change."))
    booking = child.booking
    entry = Entry(child.student.pk, slot_id, booking.party, frozenset(child.group_ids))
    if slot_id == booking.slot_id:
        return booking
    _refuse_overlaps(round, [slot_id], [c.booking.slot for c in children if c.booking and c is not child])
    try:
        with transaction.atomic():
            slots = _lock_slots(round, [booking.slot_id, slot_id])
            locked = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
            if locked.cancelled_at is not None or locked.slot_id != booking.slot_id:
                raise BookingError(_("This conference was changed meanwhile; please look again."))
            slot = slots.get(slot_id)
            if slot is None or slot.group_id not in entry.group_ids:
                raise NotBookable(_("That time is not one of this child's teacher."))
            if slot.blocked or slot.starts_at <= now or Booking.objects.active().filter(slot=slot).exists():
                raise _Taken
            locked.slot = slot
            locked.sequence += 1
            locked.save(update_fields=["slot", "sequence", "updated_at"])
            locked.round = round
            notifications.booking_changed(locked)
            return locked
    except _Taken:
        raise _slot_taken(round, [entry], [slot_id], now) from None
    except IntegrityError:
        raise _slot_taken(round, [entry], [slot_id], now) from None


def cancel(round: Round, user, booking_id: int, *, now: datetime.datetime | None = None) -> Booking:
    """Cancel a booking, until booking closes; the slot is free again at once."""
    now = now or timezone.now()
    _require_open(round, now)
    child = guardian_booking(round, user, booking_id)
    if child is None:
        raise NotBookable(_("That conference is not yours to cancel."))
    return cancel_booking(round, child.booking.pk, now=now)


@transaction.atomic
def cancel_booking(round: Round, booking_id: int, *, now: datetime.datetime | None = None) -> Booking:
    """Cancel without asking who (the caller decided): for guardians above and for the school."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update(of=("self",)).select_related("slot").get(pk=booking_id, round=round)
    if booking.cancelled_at is not None:
        return booking
    booking.cancelled_at = now
    booking.sequence += 1
    booking.save(update_fields=["cancelled_at", "sequence", "updated_at"])
    if not Booking.objects.active().filter(appointment_id=booking.appointment_id).exists():
        Appointment.objects.filter(pk=booking.appointment_id).update(cancelled_at=now)
    booking.round = round
    notifications.booking_cancelled(booking)
    _announce(events.BOOKING_CANCELLED, booking)
    return booking


def _announce(event: str, booking: Booking) -> None:
    """For the school's systems (webhooks): which child, which round, when."""
    events.announce(
        event, school_id=booking.round.school_id, booking_id=booking.pk, round_id=booking.round_id,
        student_id=booking.student_id, starts_at=booking.slot.starts_at, ends_at=booking.slot.ends_at,
    )
