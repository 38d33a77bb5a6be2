"""Class lists of the demo school (DEMO.md): full names at both schools, and the sharing choices
of the families of groep 3 and groep 6 of De Regenboog. The fixed families choose as DEMO.md says
(jansen@ name, phone and e-mail; devries@ name and e-mail; bakker@ name; elmoussaoui@ name and
phone; smit@ and Daan's father nothing); the generated families a mix, some with an address."""

from __future__ import annotations

from schoolpoort.core.models import Guardianship
from schoolpoort.core.scopes import scopes_disabled
from schoolpoort.lib.demo import REGENBOOG, DemoWorld

from .models import ClassListSettings, GuardianContact, SharingChoice

FIXED = {
    "jansen@ouders.example": ("name", "phone", "email"),
    "devries@ouders.example": ("name", "email"),
    "bakker@ouders.example": ("name",),
    "elmoussaoui@ouders.example": ("name", "phone"),
    "smit@ouders.example": (),
}
NOTHING_SHARED = ("Daan Smit",)  # every guardian of these children shares nothing
MIX = [(), (), ("name",), ("name",), ("name", "email"), ("name", "phone"), ("name", "phone", "email"),
       ("name", "phone", "email", "address"), ("name", "address")]


@scopes_disabled()  # the demo's rows of every demo school, outside any request
def load_demo(world: DemoWorld) -> None:
    rng = world.rng_for("classlist")
    faker = world.faker_for("classlist")
    ClassListSettings.objects.bulk_create(
        ClassListSettings(school=school, names=ClassListSettings.Names.FULL) for school in world.schools.values()
    )
    fixed = {world.users[email].pk: shared for email, shared in FIXED.items()}
    quiet = {world.students[name].pk for name in NOTHING_SHARED}
    choices, contacts = [], {}
    for grade in ("3", "6"):
        group = world.groups[REGENBOOG, grade]
        slots = (
            Guardianship.objects.filter(student__enrollments__group=group, user__isnull=False)
            .select_related("user").order_by("pk")
        )
        done = set()
        for slot in slots:
            if slot.user_id in done:
                continue
            done.add(slot.user_id)
            if slot.user_id in fixed:
                shared = fixed[slot.user_id]
            elif slot.student_id in quiet:
                shared = ()
            else:
                shared = rng.choice(MIX)
            if not shared:
                continue
            choices.append(SharingChoice(user=slot.user, group=group, **{f"share_{name}": True for name in shared}))
            if "address" in shared and slot.user_id not in contacts:
                address = f"{faker.street_address()}, {faker.postcode()} {faker.city()}"
                contacts[slot.user_id] = GuardianContact(user=slot.user, address=address)
    SharingChoice.objects.bulk_create(choices)
    GuardianContact.objects.bulk_create(contacts.values())
