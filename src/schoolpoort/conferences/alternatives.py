"""What a family whose time was just taken gets instead, in the same answer: the free times of the
same teacher nearest to the lost one, or for brothers and sisters the back-to-back pairs nearest
to it (a whole pair or nothing, never half). Pure functions on slots already read; the domain
(``booking.book``) and the round page share them."""

from __future__ import annotations

import datetime

from .suggestions import Suggestion, combinations

LIMIT = 3  # one-tap choices shown; the full picker stays below them


def nearest_times(lost, child, free_slots, *, limit: int = LIMIT) -> list[Suggestion]:
    """The free slots of ``lost``'s teacher (in the child's groups) nearest in time to it, each as
    a one-child suggestion; nearest first, the earlier of two equally near."""

    def distance(slot) -> tuple[datetime.timedelta, datetime.datetime, int]:
        return abs(slot.starts_at - lost.starts_at), slot.starts_at, slot.pk

    same_teacher = [
        slot for slot in free_slots
        if slot.teacher_id == lost.teacher_id and slot.group_id in child.group_ids and slot.pk != lost.pk
    ]
    return [Suggestion(((child, slot),)) for slot in sorted(same_teacher, key=distance)[:limit]]


def nearest_pairs(lost: list, children: list, free_slots, *, limit: int = LIMIT) -> list[Suggestion]:
    """Back-to-back times for all ``children`` nearest to the lost ones (whole combinations only),
    never two sharing a slot; nearest first."""
    around = min(slot.starts_at for slot in lost)
    lost_ids = {slot.pk for slot in lost}
    ranked = sorted(
        (s for s in combinations(children, [slot for slot in free_slots if slot.pk not in lost_ids])
         if len(s.picks) == len(children)),
        key=lambda s: (abs(s.starts_at - around), s.wait, s.starts_at, s.value),
    )
    chosen: list[Suggestion] = []
    for suggestion in ranked:
        if len(chosen) >= limit:
            break
        if not any(suggestion.slot_ids & other.slot_ids for other in chosen):
            chosen.append(suggestion)
    return chosen


def around(lost: list, children: list, free_slots, *, limit: int = LIMIT) -> list[Suggestion]:
    """The alternatives for a lost booking of ``children`` (one slot per child in ``lost``)."""
    if not lost or not children:
        return []
    if len(children) == 1:
        return nearest_times(lost[0], children[0], free_slots, limit=limit)
    return nearest_pairs(lost, children, free_slots, limit=limit)
