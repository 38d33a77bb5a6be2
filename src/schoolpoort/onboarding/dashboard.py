"""The registration dashboard: every guardian slot of the school's current pupils in one of five
states, counted per group in one query and listed per group with a fixed number of queries.

- registered: an account with a password;
- refused: the mail server refused the address (account or not): needs a letter or a new address;
- invited: an account made from the school's address, waiting for activation;
- email_known: no account yet, the school has an address: can be invited;
- no_email: no account, no address: needs a letter."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.translation import gettext_lazy as _

from schoolpoort.accounts.guardians import current_groups, guardian_slots
from schoolpoort.core.models import Group, School

from .models import BouncedAddress

REGISTERED, REFUSED, INVITED, EMAIL_KNOWN, NO_EMAIL = "registered", "refused", "invited", "email_known", "no_email"
STATES = [REGISTERED, INVITED, EMAIL_KNOWN, NO_EMAIL, REFUSED]
LABELS = {
    REGISTERED: _("Registered"),
    INVITED: _("Invited, not activated yet"),
    EMAIL_KNOWN: _("Not yet; e-mail known"),
    NO_EMAIL: _("Not yet; no e-mail"),
    REFUSED: _("E-mail refused"),
}


def with_state(slots: QuerySet) -> QuerySet:
    """``slots`` annotated with ``address`` (the account's address, else the one the school has,
    lower-case) and ``state``."""
    address = Lower(Coalesce(NullIf("user__email", Value("")), "email"))
    refused = Exists(BouncedAddress.objects.filter(email=OuterRef("address")))
    activated = Q(user__isnull=False) & ~Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
    return slots.annotate(address=address).annotate(
        state=Case(
            When(activated, then=Value(REGISTERED)),
            When(Q(address__gt="") & refused, then=Value(REFUSED)),
            When(user__isnull=False, then=Value(INVITED)),
            When(email="", then=Value(NO_EMAIL)),
            default=Value(EMAIL_KNOWN),
            output_field=CharField(),
        )
    )


@dataclass
class GroupCounts:
    group: Group | None
    counts: dict = field(default_factory=lambda: dict.fromkeys(STATES, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def not_yet(self) -> int:
        return self.total - self.counts[REGISTERED]


def school_counts(school: School) -> tuple[list[GroupCounts], GroupCounts]:
    """Counts per current group (pupils without a group at the end) and for the school. Two queries."""
    groups = list(current_groups(school))
    per_group = {g.pk: GroupCounts(g) for g in groups}
    rows = (
        with_state(guardian_slots(school).prefetch_related(None))
        .order_by()
        .values("current_group_id", "state")
        .annotate(n=Count("pk"))
    )
    total = GroupCounts(None)
    loose = GroupCounts(None)
    for row in rows:
        target = per_group.get(row["current_group_id"], loose)
        target.counts[row["state"]] += row["n"]
        total.counts[row["state"]] += row["n"]
    result = [per_group[g.pk] for g in groups]
    return (result + [loose] if loose.total else result), total


def group_slots(school: School, group: Group) -> dict[str, list]:
    """The group's slots by state, each list in pupil order. Two queries (slots, open codes).
    A group has a few dozen slots: no pagination needed."""
    by_state: dict[str, list] = {state: [] for state in STATES}
    for slot in with_state(guardian_slots(school, group)):
        by_state[slot.state].append(slot)
    return by_state
