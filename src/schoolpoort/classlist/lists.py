"""The class list of one group as one viewer meets it. A fixed number of queries whatever the size
of the group: the settings, the pupils with their guardians (two), the sharing choices, the typed-in
addresses and, for a guardian, whom a separated guardian keeps their details from.

- Staff (``full=True``) see every guardian of every child with the contact details the school has:
  name, phone and e-mail from the account (or as the school knows them) and the address where the
  guardian typed one in; and what each shares with the class.
- A guardian sees, per child, only what each guardian of that child switched on for this group,
  and nothing at all of a guardian who keeps their contact details from the viewer (separated
  parents: the one rule of ``core.hiding``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from schoolpoort.core.hiding import HiddenGuardians, hidden_guardians
from schoolpoort.core.models import Group, Guardianship, Student

from .models import ClassListSettings, GuardianContact, SharingChoice


@dataclass
class Contact:
    """One guardian's line under a child; empty strings for what the viewer may not see."""

    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    relation: str = ""  # staff only
    registered: bool = True  # staff only
    hides_from_other_guardian: bool = False  # staff only
    shared: tuple[str, ...] = ()  # what the guardian shares with the class (staff see this)
    is_viewer: bool = False


@dataclass
class ChildRow:
    student: Student
    name: str
    contacts: list[Contact] = field(default_factory=list)


SHARE_FIELDS = ("name", "phone", "email", "address")


def guardian_phone(slot: Guardianship) -> str:
    """The phone number of a guardian: the account's, or the one the school knows."""
    return (slot.user.phone if slot.user_id else "") or slot.phone


def _shared(choice: SharingChoice | None) -> tuple[str, ...]:
    if choice is None:
        return ()
    return tuple(name for name in SHARE_FIELDS if getattr(choice, f"share_{name}"))


def class_list(group: Group, viewer, *, full: bool) -> list[ChildRow]:
    settings = ClassListSettings.for_school(group.school_id)
    slots = Guardianship.objects.select_related("user").order_by("relation", "pk")
    students = list(
        Student.objects.filter(enrollments__group=group, archived_at__isnull=True)
        .prefetch_related(Prefetch("guardianships", queryset=slots))
        .order_by("first_name", "last_name", "pk")
    )
    choices = {choice.user_id: choice for choice in SharingChoice.objects.filter(group=group)}
    group_guardians = Guardianship.objects.filter(
        student__enrollments__group=group, user__isnull=False
    ).values("user_id")
    contacts = GuardianContact.objects.filter(user_id__in=group_guardians).exclude(address="")
    addresses = dict(contacts.values_list("user_id", "address"))
    hidden = HiddenGuardians() if full else hidden_guardians(viewer)

    rows = []
    for student in students:
        row = ChildRow(student=student, name=settings.child_name(student))
        for slot in student.guardianships.all():
            shared = _shared(choices.get(slot.user_id)) if slot.user_id else ()
            if full:
                row.contacts.append(_full_contact(slot, shared, addresses))
            elif shared and not hidden.hides(slot):
                contact = _shared_contact(slot, shared, addresses, viewer)
                if contact.name or contact.phone or contact.email or contact.address:
                    row.contacts.append(contact)
        rows.append(row)
    return rows


def _full_contact(slot: Guardianship, shared: tuple[str, ...], addresses: dict) -> Contact:
    return Contact(
        name=slot.display_name,
        phone=guardian_phone(slot),
        email=slot.user.email if slot.user_id else slot.email,
        address=addresses.get(slot.user_id, "") if slot.user_id else "",
        relation=slot.get_relation_display(),
        registered=slot.is_registered,
        hides_from_other_guardian=slot.hides_contact_from_other_guardians,
        shared=shared,
    )


def _shared_contact(slot: Guardianship, shared: tuple[str, ...], addresses: dict, viewer) -> Contact:
    user = slot.user
    return Contact(
        name=user.full_name if "name" in shared else "",
        phone=guardian_phone(slot) if "phone" in shared else "",
        email=user.email if "email" in shared else "",
        address=addresses.get(user.pk, "") if "address" in shared else "",
        shared=shared,
        is_viewer=user.pk == viewer.pk,
    )
