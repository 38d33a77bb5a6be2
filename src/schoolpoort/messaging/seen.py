"""Seen-by under the viewer's own newest message of a conversation, read from the participants'
``last_read_at`` (the read tracking of ``actions.mark_read``): no query of its own.

- A parent sees which staff members read it ("Read by Ms Visser, Tuesday 8 December, 10:30"),
  never whether other parents did: no family learns another family's read state (nor that of a
  hidden ex-partner, ``core.hiding``).
- A staff member sees, in a direct conversation, who read it with the time; in a group
  conversation to many families, how many families read it ("read by 12 of 25": a family has
  read it when one of its guardians has) with the names behind a disclosure.
- Somebody reading without taking part (a director, audited) sees none of it.

``read_at`` is the reader's last visit to the conversation: at or after the moment they saw it."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Conversation, Participant


@dataclass(frozen=True)
class Reader:
    name: str
    read_at: object


@dataclass
class SeenBy:
    message_id: int
    readers: list[Reader] = field(default_factory=list)
    # A group conversation seen by staff: families that read it, of all families in it.
    families_read: int | None = None
    families: int | None = None

    @property
    def is_count(self) -> bool:
        return self.families is not None


def _has_read(participant: Participant, message) -> bool:
    return participant.last_read_at is not None and participant.last_read_at >= message.created_at


def seen_by(conversation: Conversation, me: Participant | None, participants, shown) -> SeenBy | None:
    """What the viewer (``me``) may know of who read their newest message among ``shown``."""
    if me is None:
        return None
    mine = [message for message in shown if message.sender_id == me.user_id and not message.auto_reply]
    if not mine:
        return None
    message = mine[-1]
    others = [p for p in participants if p.user_id != me.user_id]
    if not me.is_staff:
        others = [p for p in others if p.is_staff]
    if not others:
        return None  # between parents: nothing a parent may know
    readers = [p for p in others if _has_read(p, message)]
    seen = SeenBy(message.pk, [Reader(p.name, p.last_read_at) for p in readers])
    if me.is_staff and conversation.kind == Conversation.Kind.GROUP:
        families: dict[object, bool] = {}
        for participant in others:
            if participant.role != Participant.Role.GUARDIAN:
                continue
            family = ("child", participant.student_id) if participant.student_id else ("user", participant.user_id)
            families[family] = families.get(family, False) or _has_read(participant, message)
        seen.families = len(families)
        seen.families_read = sum(families.values())
    return seen
