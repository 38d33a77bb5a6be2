"""A hidden ex-partner stays hidden: the one rule every path asks where one guardian can see or
reach another.

A separated guardian may keep their contact details from the other guardian of the same child
(``Guardianship.hides_contact_from_other_guardians``, set from the administration system or by the
school). For every viewer this means: the accounts that hide from them are not listed, not named,
not offered as a recipient and not reachable, anywhere another guardian is shown to them (class
lists, message recipients and participants, the records card, the school square, ...).

The rule is the hider's choice and runs one way: the hider still sees the other guardian. Staff
are not viewers of this rule (they see every guardian), but when they put guardians together
(one conversation for "the parents of"), ``keeps_apart`` says whom they must not put together.

``hidden_user_ids_q`` is a subquery (no query of its own, usable in any filter);
``hidden_guardians`` runs one query for what a page filters in Python; both cost the same
whatever the number of children."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from .models import Guardianship


def _hiding_slots(viewer) -> QuerySet:
    """The guardian slots of the viewer's children that hide from the viewer (the rule, once)."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return Guardianship.objects.none()
    children = Guardianship.objects.filter(user=viewer).values("student_id")
    return Guardianship.objects.filter(student_id__in=children, hides_contact_from_other_guardians=True).exclude(
        user=viewer
    )


def hidden_user_ids_q(viewer) -> QuerySet:
    """The ids of the accounts that keep their contact details from ``viewer``: a guardian of one
    of the viewer's children who chose to hide from the other guardian. A subquery for
    ``.exclude(user_id__in=...)``; empty for someone who is no guardian."""
    return _hiding_slots(viewer).filter(user__isnull=False).values("user_id")


@dataclass(frozen=True)
class HiddenGuardians:
    """What one viewer must not see of other guardians: the accounts, and the guardian slots (also
    those without an account yet, which only carry the name the school knows)."""

    user_ids: frozenset[int] = frozenset()
    slot_ids: frozenset[int] = frozenset()

    def hides(self, slot: Guardianship) -> bool:
        return slot.pk in self.slot_ids or (slot.user_id is not None and slot.user_id in self.user_ids)

    def visible(self, slots: Iterable[Guardianship]) -> list:
        """The slots the viewer may see: their own, and every other that does not hide from them."""
        return [slot for slot in slots if not self.hides(slot)]


def hidden_guardians(viewer) -> HiddenGuardians:
    """What hides from ``viewer``; one query (none for someone not signed in)."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return HiddenGuardians()
    rows = list(_hiding_slots(viewer).values_list("pk", "user_id"))
    return HiddenGuardians(
        user_ids=frozenset(user_id for _pk, user_id in rows if user_id is not None),
        slot_ids=frozenset(pk for pk, _user_id in rows),
    )


def hidden_user_ids(viewer) -> frozenset[int]:
    """The accounts of ``hidden_user_ids_q`` as a set; one query."""
    return hidden_guardians(viewer).user_ids


def keeps_apart(slots: Iterable[Guardianship]) -> bool:
    """Whether the guardians of one child must not be put together (one conversation, one list
    where they see each other): one of several keeps their contact details from the others."""
    slots = list(slots)
    return len(slots) > 1 and any(slot.hides_contact_from_other_guardians for slot in slots)


def kept_apart_student_ids_q() -> QuerySet:
    """Pupils whose guardians are kept apart (``keeps_apart``): each books, hears and is written
    to on their own. A subquery of student ids."""
    return Guardianship.objects.filter(hides_contact_from_other_guardians=True).values("student_id")
