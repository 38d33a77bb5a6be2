"""What a family whose time was just taken gets instead, in the same answer: the free times of the
same teacher nearest to the lost one, or for brothers and sisters the back-to-back pairs nearest
to it (a whole pair or nothing, never half). Pure functions on slots already read; the domain
(``booking.book``) and the round page share them.

When a round opens, many families lose the same time at once. Offered the same three nearest
times, they would race for those and lose again (the bench's P6 saw families give up with times
still free). So the losers of one time take turns (``turn_of_loser``, counted in the shared
cache): the first is offered the nearest times, the next ones the nearest after those, within
the ``WINDOW`` nearest."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.cache import caches

from .suggestions import Suggestion, combinations

LIMIT = 3  # one-tap choices shown; the full picker stays below them
WINDOW = 4 * LIMIT  # the nearest free times the losers of one time share out
TURN_SECONDS = 120  # how long the losers of one time count as losing it together


def turn_of_loser(round_id: int, lost_slot_ids) -> int:
    """0 for the first family that lost these times within ``TURN_SECONDS``, 1 for the next, …
    Counted where every app server sees it (the rate limits' shared cache); an approximate
    count (the database cache's increment is not atomic) spreads the families all the same."""
    cache = caches[settings.RATELIMIT_USE_CACHE]
    key = f"conferences:lost:{round_id}:{','.join(str(pk) for pk in sorted(lost_slot_ids))}"
    cache.add(key, 0, TURN_SECONDS)
    try:
        return cache.incr(key) - 1
    except ValueError:  # expired between the two calls: a new first loser
        cache.add(key, 1, TURN_SECONDS)
        return 0


def _take_turn(ranked: list, turn: int, limit: int, key) -> list:
    """``limit`` of the ``WINDOW`` first of ``ranked`` (nearest first), from the ``turn``-th set of
    ``limit`` on (round the window), shown nearest first again."""
    window = ranked[: max(WINDOW, limit)]
    if turn <= 0 or len(window) <= limit:
        return window[:limit]
    start = (turn * limit) % len(window)
    return sorted((window[start:] + window[:start])[:limit], key=key)


def nearest_times(lost, child, free_slots, *, limit: int = LIMIT, turn: int = 0) -> list[Suggestion]:
    """The free slots of ``lost``'s teacher (in the child's groups) nearest in time to it, each as
    a one-child suggestion; nearest first, the earlier of two equally near (``turn``: see above)."""

    def distance(slot) -> tuple[datetime.timedelta, datetime.datetime, int]:
        return abs(slot.starts_at - lost.starts_at), slot.starts_at, slot.pk

    same_teacher = [
        slot for slot in free_slots
        if slot.teacher_id == lost.teacher_id and slot.group_id in child.group_ids and slot.pk != lost.pk
    ]
    chosen = _take_turn(sorted(same_teacher, key=distance), turn, limit, distance)
    return [Suggestion(((child, slot),)) for slot in chosen]


def nearest_pairs(lost: list, children: list, free_slots, *, limit: int = LIMIT, turn: int = 0) -> list[Suggestion]:
    """Back-to-back times for all ``children`` nearest to the lost ones (whole combinations only),
    never two sharing a slot; nearest first (``turn``: see above)."""
    around = min(slot.starts_at for slot in lost)
    lost_ids = {slot.pk for slot in lost}

    def nearness(s: Suggestion):
        return abs(s.starts_at - around), s.wait, s.starts_at, s.value

    ranked = sorted(
        (s for s in combinations(children, [slot for slot in free_slots if slot.pk not in lost_ids])
         if len(s.picks) == len(children)),
        key=nearness,
    )
    apart: list[Suggestion] = []
    for suggestion in ranked:
        if len(apart) >= max(WINDOW, limit):
            break
        if not any(suggestion.slot_ids & other.slot_ids for other in apart):
            apart.append(suggestion)
    return _take_turn(apart, turn, limit, nearness)


def around(lost: list, children: list, free_slots, *, limit: int = LIMIT, turn: int = 0) -> list[Suggestion]:
    """The alternatives for a lost booking of ``children`` (one slot per child in ``lost``);
    ``turn``: how many families lost the same times just before (``turn_of_loser``)."""
    if not lost or not children:
        return []
    if len(children) == 1:
        return nearest_times(lost[0], children[0], free_slots, limit=limit, turn=turn)
    return nearest_pairs(lost, children, free_slots, limit=limit, turn=turn)
