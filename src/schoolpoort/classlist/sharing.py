"""The privacy page's data and actions: per current group of the guardian's children, what this
account shares with the parents of that group; and the address the guardian typed in."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from schoolpoort.core.models import AuditEntry, Enrollment, Group, Guardianship

from .access import guardian_group_q
from .lists import SHARE_FIELDS
from .models import GuardianContact, SharingChoice


@dataclass
class GroupSharing:
    group: Group
    children: list[str] = field(default_factory=list)  # first names of the user's children in it
    choice: SharingChoice | None = None


@dataclass
class OwnDetails:
    """What the guardian would share: from the account, the phone as the school knows it when the
    account has none, and the typed-in address."""

    name: str
    email: str
    phone: str
    contact: GuardianContact
    hides_from_other_guardian: bool


def sharing_groups(user, today: datetime.date | None = None) -> list[GroupSharing]:
    """The user's children's current groups with an open class list, with this account's choices.
    Three queries."""
    groups = list(
        Group.objects.current(today).filter(guardian_group_q(user, today)).select_related("school")
        .order_by("school__name", "grades", "name")
    )
    result = {group.pk: GroupSharing(group) for group in groups}
    children = (
        Enrollment.objects.filter(
            group_id__in=list(result),
            student__guardianships__user=user,
            student__guardianships__sees_class_pages=True,
            student__archived_at__isnull=True,
        )
        .order_by("student__first_name")
        .values_list("group_id", "student__first_name")
    )
    for group_id, first_name in children:
        if first_name not in result[group_id].children:
            result[group_id].children.append(first_name)
    for choice in SharingChoice.objects.filter(user=user, group_id__in=list(result)):
        result[choice.group_id].choice = choice
    return list(result.values())


def own_details(user) -> OwnDetails:
    slots = list(Guardianship.objects.filter(user=user).values_list("phone", "hides_contact_from_other_guardians"))
    school_phone = next((phone for phone, _hides in slots if phone), "")
    contact = GuardianContact.objects.filter(user=user).first() or GuardianContact(user=user)
    return OwnDetails(
        name=user.full_name,
        email=user.email,
        phone=user.phone or school_phone,
        contact=contact,
        hides_from_other_guardian=any(hides for _phone, hides in slots),
    )


@transaction.atomic
def save_sharing(user, choices: dict[int, dict[str, bool]], address: str | None = None) -> None:
    """Store the user's switches per group ({group_id: {"name": True, ...}}) and address."""
    for group_id, flags in choices.items():
        SharingChoice.objects.update_or_create(
            user=user, group_id=group_id,
            defaults={f"share_{name}": bool(flags.get(name)) for name in SHARE_FIELDS},
        )
    if address is not None:
        GuardianContact.objects.update_or_create(user=user, defaults={"address": address.strip()})
    AuditEntry.record(
        user, "classlist.sharing_changed",
        groups={str(group_id): sorted(k for k, v in flags.items() if v) for group_id, flags in choices.items()},
    )
