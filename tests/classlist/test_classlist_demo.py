"""The class list of the demo school (DEMO.md) shows exactly what each family shared, to exactly
the parents of that group: nothing of Smit to jansen@, and nothing of a separated parent to the
other parent; the teacher sees everything."""

from django.urls import reverse

from schoolpoort.classlist.lists import guardian_phone
from schoolpoort.classlist.models import GuardianContact, SharingChoice
from schoolpoort.core.models import Guardianship
from schoolpoort.lib.demo import ARK, REGENBOOG
from tests.classlist.helpers import class_page, english, shown_contacts


def expected_for(viewer, group) -> dict[str, list[str]]:
    """What ``viewer`` may see on the class list of ``group``, worked out from the rows."""
    choices = {choice.user_id: choice for choice in SharingChoice.objects.filter(group=group)}
    addresses = dict(GuardianContact.objects.values_list("user_id", "address"))
    own_children = Guardianship.objects.filter(user=viewer).values("student_id")
    hidden = set(
        Guardianship.objects.filter(student_id__in=own_children, hides_contact_from_other_guardians=True)
        .exclude(user=viewer).values_list("user_id", flat=True)
    )
    expected = {"name": [], "phone": [], "email": [], "address": []}
    slots = Guardianship.objects.filter(
        student__enrollments__group=group, user__isnull=False, student__archived_at__isnull=True
    ).select_related("user")
    for slot in slots:
        choice = choices.get(slot.user_id)
        if choice is None or slot.user_id in hidden:
            continue
        if choice.share_name:
            expected["name"].append(slot.user.full_name)
        if choice.share_phone:
            expected["phone"].append(guardian_phone(slot))
        if choice.share_email:
            expected["email"].append(slot.user.email)
        if choice.share_address and addresses.get(slot.user_id):
            expected["address"].append(addresses[slot.user_id])
    return {kind: sorted(values) for kind, values in expected.items()}


def smit_details(world) -> list[str]:
    daan = world.students["Daan Smit"]
    details = []
    for slot in Guardianship.objects.filter(student=daan).select_related("user"):
        details += [slot.display_name, slot.phone, slot.email]
        if slot.user_id:
            details += [slot.user.full_name, slot.user.email]
    return [detail for detail in details if detail]


def test_jansen_sees_nothing_of_smit_on_groep_3_and_exactly_what_the_others_shared(client, demo):
    jansen = demo.users["jansen@ouders.example"]
    english(jansen)
    group = demo.groups[REGENBOOG, "3"]
    html = class_page(client, jansen, group)

    assert "Daan Smit" in html  # the child is on the list, by the school's choice of names
    for detail in smit_details(demo):
        assert detail not in html, detail
    assert "Linda" not in html and "smit@ouders.example" not in html

    shown = {kind: sorted(values) for kind, values in shown_contacts(html).items()}
    assert shown == expected_for(jansen, group)
    assert "Eva Jansen" in shown["name"]  # what jansen@ shares herself
    assert any(shown.values()) and len(shown["name"]) > 5  # others did share


def test_smit_shares_nothing_and_the_fixed_families_share_as_demo_md_says(demo):
    def shared(email, grade):
        choice = SharingChoice.objects.filter(user=demo.users[email], group=demo.groups[REGENBOOG, grade]).first()
        return {name for name in ("name", "phone", "email", "address") if choice and getattr(choice, f"share_{name}")}

    assert shared("smit@ouders.example", "3") == set()
    daan_parents = Guardianship.objects.filter(student=demo.students["Daan Smit"]).values("user_id")
    assert not SharingChoice.objects.filter(user_id__in=daan_parents).exists()
    assert shared("jansen@ouders.example", "3") == shared("jansen@ouders.example", "6") == {"name", "phone", "email"}
    assert shared("devries@ouders.example", "6") == {"name", "email"}
    assert shared("bakker@ouders.example", "6") == {"name"}
    assert shared("elmoussaoui@ouders.example", "6") == {"name", "phone"}


def test_devries_cannot_open_groep_3_and_never_sees_the_separated_mother(client, demo):
    devries, bakker = demo.users["devries@ouders.example"], demo.users["bakker@ouders.example"]
    english(devries, bakker)
    client.force_login(devries)
    assert client.get(reverse("classlist:group", args=[demo.groups[REGENBOOG, "3"].pk])).status_code == 404

    group6 = demo.groups[REGENBOOG, "6"]
    html = class_page(client, devries, group6)
    assert "Sanne Bakker" not in html and "bakker@ouders.example" not in html  # she shares her name, not with him
    assert shown_contacts(html)["name"].count("Martijn de Vries") == 1
    assert {kind: sorted(values) for kind, values in shown_contacts(html).items()} == expected_for(devries, group6)

    html = class_page(client, bakker, group6)  # he keeps nothing from her: she sees what he shares
    assert "Martijn de Vries" in html and "devries@ouders.example" in html
    assert "Sanne Bakker" in html  # her own line

    jansen = demo.users["jansen@ouders.example"]  # a parent of the same group sees both
    english(jansen)
    html = class_page(client, jansen, group6)
    assert "Sanne Bakker" in html and "Martijn de Vries" in html


def test_the_groep_3_teacher_sees_every_guardian_and_the_groep_6_teacher_not_groep_3(client, demo):
    teacher = demo.users["leerkracht.groep3@regenboog.example"]
    english(teacher)
    group = demo.groups[REGENBOOG, "3"]
    html = class_page(client, teacher, group)
    assert 'class="classlist-full"' in html
    for slot in Guardianship.objects.filter(student__enrollments__group=group).select_related("user"):
        assert slot.display_name in html
        assert guardian_phone(slot) in html
        email = slot.user.email if slot.user_id else slot.email
        if email:
            assert email in html
    for detail in smit_details(demo):
        assert detail in html
    client.force_login(teacher)
    assert client.get(reverse("classlist:print", args=[group.pk])).status_code == 200

    client.force_login(demo.users["leerkracht.groep6@regenboog.example"])
    assert client.get(reverse("classlist:group", args=[group.pk])).status_code == 404


def test_the_class_lists_of_de_ark_are_off(client, demo):
    group = demo.groups[ARK, "5"]
    for email in ("elmoussaoui@ouders.example", "leerkracht.groep5@deark.example", "bestuur@stichting.example"):
        client.force_login(demo.users[email])
        assert client.get(reverse("classlist:group", args=[group.pk])).status_code == 404, email
