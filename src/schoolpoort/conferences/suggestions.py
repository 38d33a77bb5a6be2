"""Back-to-back times for a family with several children: one free slot per child, each starting
when the one before ends (with the same or another teacher), in any order of the children. The
booking page shows the best few; the planner uses all of them, within the family's preferred
times. Pure functions on slots already read from the database."""

from __future__ import annotations

import bisect
import datetime
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

MAX_GAP = datetime.timedelta(minutes=10)  # "back to back": at most this long a wait in between
MAX_CHILDREN = 4  # permutations beyond that add little and cost much


@dataclass(frozen=True)
class Suggestion:
    """One slot per child, in time order: ((child, slot), ...)."""

    picks: tuple

    @property
    def starts_at(self) -> datetime.datetime:
        return self.picks[0][1].starts_at

    @property
    def ends_at(self) -> datetime.datetime:
        return self.picks[-1][1].ends_at

    @property
    def wait(self) -> datetime.timedelta:
        """The total wait between the conversations."""
        return sum(
            (b[1].starts_at - a[1].ends_at for a, b in itertools.pairwise(self.picks)), datetime.timedelta()
        )

    @property
    def slot_ids(self) -> frozenset[int]:
        return frozenset(slot.pk for _child, slot in self.picks)

    @property
    def value(self) -> str:
        """The picks as a form value: "student:slot,student:slot"."""
        return ",".join(f"{child.student.pk}:{slot.pk}" for child, slot in self.picks)


def _within(slot, windows) -> bool:
    return windows is None or any(start <= slot.starts_at and slot.ends_at <= end for start, end in windows)


def _by_start(slots: list) -> tuple[list, list[datetime.datetime]]:
    ordered = sorted(slots, key=lambda slot: (slot.starts_at, slot.pk))
    return ordered, [slot.starts_at for slot in ordered]


def combinations(
    children: list, free_slots: Iterable, *, windows=None, max_gap: datetime.timedelta = MAX_GAP
) -> list[Suggestion]:
    """Every back-to-back combination for ``children`` (objects with ``group_ids`` and
    ``student``) among ``free_slots``, best first: the shortest wait, then the earliest start.
    ``windows`` ([(start, end)]) keeps to the family's preferred times."""
    children = children[:MAX_CHILDREN]
    free_slots = [slot for slot in free_slots if _within(slot, windows)]
    options = {}
    for child in children:
        options[child.student.pk] = _by_start([slot for slot in free_slots if slot.group_id in child.group_ids])
    found: dict[frozenset, Suggestion] = {}
    for order in itertools.permutations(children):
        first_slots, _starts = options[order[0].student.pk]
        for first in first_slots:
            chain = _extend([(order[0], first)], order[1:], options, max_gap)
            if chain is not None:
                suggestion = Suggestion(tuple(chain))
                known = found.get(suggestion.slot_ids)
                if known is None or (suggestion.wait, suggestion.starts_at) < (known.wait, known.starts_at):
                    found[suggestion.slot_ids] = suggestion
    return sorted(found.values(), key=lambda s: (s.wait, s.starts_at, s.value))


def _extend(chain: list, rest: tuple, options: dict, max_gap: datetime.timedelta) -> list | None:
    """The chain continued with the earliest fitting slot for each next child (no backtracking:
    the earliest fitting slot leaves the most room for the ones after it)."""
    for child in rest:
        previous = chain[-1][1]
        slots, starts = options[child.student.pk]
        used = {slot.pk for _c, slot in chain}
        index = bisect.bisect_left(starts, previous.ends_at)
        while index < len(slots) and slots[index].starts_at - previous.ends_at <= max_gap:
            if slots[index].pk not in used:
                break
            index += 1
        else:
            return None
        chain = [*chain, (child, slots[index])]
    return chain


def best(children: list, free_slots: Iterable, *, limit: int = 3) -> list[Suggestion]:
    """The few to show: the best ones at different days and hours first, never sharing a slot."""
    ranked = combinations(children, free_slots)
    chosen: list[Suggestion] = []
    for distinct_moments in (True, False):
        for suggestion in ranked:
            if len(chosen) >= limit:
                break
            if suggestion in chosen or any(suggestion.slot_ids & c.slot_ids for c in chosen):
                continue
            moment = (suggestion.starts_at.date(), _part_of_day(suggestion.starts_at))
            if distinct_moments and any(
                (c.starts_at.date(), _part_of_day(c.starts_at)) == moment for c in chosen
            ):
                continue
            chosen.append(suggestion)
    return sorted(chosen, key=lambda s: s.starts_at)


def _part_of_day(moment: datetime.datetime) -> int:
    return timezone.localtime(moment).hour
