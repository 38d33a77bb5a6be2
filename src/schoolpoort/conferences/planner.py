"""The planner: at the round's planning moment it places every family that gave its preferred
times instead of booking, brothers and sisters side by side with their teachers, and tells them.

Deterministic and greedy with look-ahead, the way a planner at school would do it by hand:
1. every family's candidates are the back-to-back combinations of free slots for its children
   (one slot for a family with one child) inside its preferred times, shortest wait first;
2. the family with the fewest candidates left goes first (ties: more children first, then who
   gave their times first); it gets the candidate whose slots the other families need least,
   the earliest of equals; the candidates of others that used those slots are gone;
3. a family with several children for whom no side-by-side times are left gets each child its
   own time inside their preferred times, if every child can have one (reported as not side by
   side); a family that cannot be placed is reported with the reason.
The placements are booked through ``booking.reserve`` (the slots' row locks and the constraints),
so a family that booked by hand meanwhile is never double-booked: the planner takes another time."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from schoolpoort.core.models import Guardianship, Student

from . import notifications
from .booking import BookingError, Entry, free_slots, overlaps, reserve
from .families import invited_pupils, party_for, round_group_ids, separated_student_ids
from .models import FAMILY, Appointment, Booking, Preference, Round
from .suggestions import combinations

MAX_CANDIDATES = 400  # per family: plenty of choice, bounded work


@dataclass(frozen=True)
class Kid:
    student: Student
    group_ids: frozenset[int]
    party: int


@dataclass
class Family:
    user_id: int
    kids: list[Kid]
    windows: list[tuple[datetime.datetime, datetime.datetime]]
    order: int
    busy: list = field(default_factory=list)  # the family's conversations booked already (slots)
    candidates: list = field(default_factory=list)

    @property
    def student_ids(self) -> list[int]:
        return [kid.student.pk for kid in self.kids]


def families_with_preferences(round: Round) -> list[Family]:
    """Families that gave preferred times and still have children without a conference. When both
    guardians of a family gave times, the first to do so counts."""
    preferences = list(Preference.objects.filter(round=round).order_by("created_at", "pk"))
    invited = invited_pupils(round)
    rows = list(
        Guardianship.objects.filter(user_id__in=[p.user_id for p in preferences], student_id__in=list(invited))
        .order_by("student__first_name", "student_id")
        .values_list("user_id", "student_id")
    )
    student_ids = {student_id for _user, student_id in rows}
    students = Student.objects.in_bulk(list(student_ids))
    separated = separated_student_ids(round, student_ids)
    booked: dict[int, set[int]] = defaultdict(set)
    booked_slots: dict[tuple[int, int], list] = defaultdict(list)
    for booking in Booking.objects.active().filter(round=round).select_related("slot"):
        booked[booking.student_id].add(booking.party)
        booked_slots[booking.student_id, booking.party].append(booking.slot)
    children_of: dict[int, list[int]] = defaultdict(list)
    for user_id, student_id in rows:
        children_of[user_id].append(student_id)
    claimed: dict[int, set[int]] = defaultdict(set)  # pupil -> parties the planner will place
    families = []
    for order, preference in enumerate(preferences):
        kids = []
        for student_id in children_of[preference.user_id]:
            party = party_for(student_id, preference.user_id, separated)
            taken = booked[student_id] | claimed[student_id]
            if (party == FAMILY and taken) or (party != FAMILY and taken & {FAMILY, party}):
                continue
            claimed[student_id].add(party)
            kids.append(Kid(students[student_id], frozenset(invited[student_id]), party))
        if kids:
            busy = [
                slot for student_id in children_of[preference.user_id]
                for party in (FAMILY, preference.user_id) for slot in booked_slots[student_id, party]
            ]
            families.append(Family(preference.user_id, kids, preference.time_windows(), order, busy))
    return families


def choose(families: list[Family], free: list) -> tuple[list[tuple[Family, object]], list[Family]]:
    """(family, suggestion) for the families that get side-by-side times, and the ones left."""
    for family in families:
        family.candidates = [
            candidate for candidate in combinations(family.kids, free, windows=family.windows)
            if not any(overlaps(slot, busy) for _kid, slot in candidate.picks for busy in family.busy)
        ][:MAX_CANDIDATES]
    alive = {family.order: set(range(len(family.candidates))) for family in families}
    by_slot: dict[int, list[tuple[int, int]]] = defaultdict(list)
    demand: Counter = Counter()
    for family in families:
        for index, candidate in enumerate(family.candidates):
            for slot_id in candidate.slot_ids:
                by_slot[slot_id].append((family.order, index))
                demand[slot_id] += 1
    by_order = {family.order: family for family in families}
    remaining = set(by_order)
    chosen, left = [], []
    while remaining:
        order = min(remaining, key=lambda o: (len(alive[o]), -len(by_order[o].kids), o))
        family = by_order[order]
        remaining.discard(order)
        if not alive[order]:
            left.append(family)
            continue
        best = min(
            alive[order],
            key=lambda i: (
                family.candidates[i].wait,
                sum(demand[s] for s in family.candidates[i].slot_ids),
                family.candidates[i].starts_at,
                i,
            ),
        )
        pick = family.candidates[best]
        chosen.append((family, pick))
        for index in alive[order]:
            for slot_id in family.candidates[index].slot_ids:
                demand[slot_id] -= 1
        alive[order] = set()
        for slot_id in pick.slot_ids:
            for other, index in by_slot[slot_id]:
                if other in remaining and index in alive[other]:
                    alive[other].discard(index)
                    for other_slot in by_order[other].candidates[index].slot_ids:
                        demand[other_slot] -= 1
    return chosen, sorted(left, key=lambda f: f.order)


def _each_on_their_own(family: Family, free: list, used: set[int]) -> list[tuple[Kid, object]] | None:
    """One time per child inside the family's windows, not side by side (and never at the same
    time); None if a child has none."""
    picks = []
    for kid in family.kids:
        slot = next(
            (
                s for s in free
                if s.group_id in kid.group_ids and s.pk not in used
                and not any(overlaps(s, other) for other in [*(p for _k, p in picks), *family.busy])
                and any(a <= s.starts_at and s.ends_at <= b for a, b in family.windows)
            ),
            None,
        )
        if slot is None:
            return None
        picks.append((kid, slot))
    return picks


def _book(round: Round, picks, now) -> Appointment:
    entries = [Entry(kid.student.pk, slot.pk, kid.party, kid.group_ids) for kid, slot in picks]
    return reserve(round, entries, booked_by=None, source=Appointment.Source.PLANNER, event="conferences.planned",
                   now=now)


def place_all(round: Round, *, now: datetime.datetime | None = None) -> dict:
    """Place the families and book their times; returns the report (also for the round page)."""
    now = now or timezone.now()
    families = families_with_preferences(round)
    free = free_slots(round, round_group_ids(round), now=now)
    chosen, left = choose(families, free)
    used = {slot_id for _family, pick in chosen for slot_id in pick.slot_ids}
    placed, unplaced = [], []

    def booked(family, appointment, side_by_side):
        placed.append({"user": family.user_id, "students": family.student_ids, "side_by_side": side_by_side,
                       "appointment": appointment.pk})

    for family, pick in chosen:
        tries = [pick] + [c for c in family.candidates if c is not pick and not (c.slot_ids & used)]
        for attempt in tries:
            try:
                booked(family, _book(round, attempt.picks, now), len(family.kids) > 1)
                used |= attempt.slot_ids
                break
            except BookingError:
                continue  # a family booked one of these times by hand meanwhile
        else:
            left.append(family)
    for family in sorted(left, key=lambda f: f.order):
        picks = _each_on_their_own(family, free, used)
        try:
            if picks is None:
                raise BookingError("")
            appointment = _book(round, picks, now)
        except BookingError:
            unplaced.append({"user": family.user_id, "students": family.student_ids, "reason": "no_time"})
            continue
        used |= {slot.pk for _kid, slot in picks}
        booked(family, appointment, False)
    return {
        "ran_at": now.isoformat(),
        "families": len(families),
        "placed": placed,
        "unplaced": unplaced,
    }


def run(round_id: int, *, now: datetime.datetime | None = None) -> dict | None:
    """Plan the round once (the round's row lock keeps a second run out)."""
    with transaction.atomic():
        round = Round.objects.select_for_update().filter(pk=round_id).select_related("school").first()
        if round is None or round.planned_at is not None:
            return None
        report = place_all(round, now=now)
        round.planned_at = timezone.now()
        round.planner_report = report
        round.save(update_fields=["planned_at", "planner_report", "updated_at"])
        notifications.planner_done(round, len(report["placed"]), report["families"])
        return report


def run_due(round_id: int, planning_at_iso: str) -> dict | None:
    """The planning task's work: only at the round's current planning time, once."""
    from .tasks import plan_round

    round = Round.objects.filter(pk=round_id).first()
    if round is None or round.planned_at is not None or round.planning_at is None:
        return None
    if round.planning_at != datetime.datetime.fromisoformat(planning_at_iso):
        return None
    if round.planning_at > timezone.now():  # a worker whose clock runs ahead
        plan_round.using(run_after=round.planning_at).enqueue(round.pk, round.planning_at.isoformat())
        return None
    return run(round.pk)
