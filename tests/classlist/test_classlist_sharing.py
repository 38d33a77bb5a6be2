"""What a family shares, each detail on its own, default nothing; saved per account and per group on
the privacy page; never shown to the other, separated guardian; everything for staff; and a class
page that costs the same number of queries for a small and a large group."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from schoolpoort.classlist.models import ClassListSettings, GuardianContact, SharingChoice
from schoolpoort.core.models import AuditEntry, Guardianship
from tests.classlist.helpers import CONTACT_FIELDS, class_page, english, share, shown_contacts
from tests.factories import GroupFactory, GuardianshipFactory, UserFactory, enrolled_student

ADDRESS = "Lindelaan 4, 3512 AB Utrecht"


@pytest.fixture
def classmate(world):
    """A second family in group 3: Mila with her mother, who has a phone number in her account."""
    mila = enrolled_student(world.group3, first_name="Mila", last_name="Bos")
    mother = UserFactory(email="mila.mother@example.org", first_name="Anna", last_name="Bos", phone="06-11112222")
    GuardianshipFactory(student=mila, user=mother)
    GuardianContact.objects.create(user=mother, address=ADDRESS)
    english(world.users["guardian"], world.users["other_guardian"], mother)
    return mother


def values(mother) -> dict[str, str]:
    return {"name": "Anna Bos", "phone": mother.phone, "email": mother.email, "address": ADDRESS}


def test_by_default_a_family_shares_nothing(client, world, classmate):
    html = class_page(client, world.users["guardian"], world.group3)
    assert "Mila Bos" in html  # the child is on the list
    for value in values(classmate).values():
        assert value not in html
    assert not SharingChoice.objects.exists()

    client.force_login(classmate)
    privacy = client.get(reverse("classlist:privacy")).content.decode()
    assert "checked" not in privacy


@pytest.mark.parametrize("field", CONTACT_FIELDS)
def test_each_detail_is_shared_on_its_own(client, world, classmate, field):
    share(classmate, world.group3, field)
    shown = shown_contacts(class_page(client, world.users["guardian"], world.group3))
    expected = values(classmate)
    for kind in CONTACT_FIELDS:
        assert shown[kind] == ([expected[kind]] if kind == field else []), kind


def test_what_is_shared_with_group_3_stays_on_group_3(client, world, classmate):
    share(classmate, world.group3, *CONTACT_FIELDS)
    GuardianshipFactory(student=world.classmate_of_other_group, user=classmate)  # also a parent in group 6
    html = class_page(client, world.users["guardian_other_group"], world.group6)
    assert "Anna Bos" not in html and classmate.email not in html
    html = class_page(client, world.users["guardian"], world.group3)
    assert "Anna Bos" in html and classmate.email in html


def test_a_parent_of_another_group_or_school_never_gets_the_page(client, world, classmate):
    share(classmate, world.group3, *CONTACT_FIELDS)
    for role in ("guardian_other_group", "guardian_other_school", "board_admin_other_board", "teacher_other_group"):
        client.force_login(world.users[role])
        assert client.get(reverse("classlist:group", args=[world.group3.pk])).status_code == 404, role


def test_a_separated_guardian_is_never_shown_to_the_other_guardian(client, world, classmate):
    hider, other = world.users["other_guardian"], world.users["guardian"]  # hider keeps details from other
    hider.first_name, hider.last_name, hider.phone = "Sanne", "Bakker", "06-99998888"
    hider.save()
    share(hider, world.group3, *CONTACT_FIELDS, address="Kade 1, Utrecht")
    share(other, world.group3, "name", "email")

    html = class_page(client, other, world.group3)
    for detail in ("Sanne Bakker", "06-99998888", hider.email, "Kade 1, Utrecht"):
        assert detail not in html, detail

    html = class_page(client, classmate, world.group3)  # another parent of the group sees it all
    for detail in ("Sanne Bakker", "06-99998888", hider.email, "Kade 1, Utrecht"):
        assert detail in html, detail

    html = class_page(client, hider, world.group3)  # she sees what he shares: he keeps nothing from her
    assert escape(other.full_name) in html and other.email in html


def test_the_phone_number_comes_from_the_account_or_else_from_the_school(client, world, classmate):
    classmate.phone = ""
    classmate.save()
    Guardianship.objects.filter(user=classmate).update(phone="030-1234567")
    share(classmate, world.group3, "phone")
    assert shown_contacts(class_page(client, world.users["guardian"], world.group3))["phone"] == ["030-1234567"]


def test_staff_see_every_guardian_with_every_detail_whatever_is_shared(client, world, classmate):
    unregistered = Guardianship.objects.create(student=world.child, first_name="Piet", last_name="Jansen",
                                               phone="06-55554444", email="piet@example.org")
    english(world.users["teacher"])
    html = class_page(client, world.users["teacher"], world.group3)
    for detail in values(classmate).values():
        assert detail in html
    for detail in ("Piet Jansen", unregistered.phone, unregistered.email, "not registered",
                   world.users["other_guardian"].email, "keeps contact details from the other parent"):
        assert detail in html, detail


def test_the_privacy_page_saves_the_switches_per_group_and_the_address(client, world, classmate):
    GuardianshipFactory(student=world.classmate_of_other_group, user=classmate)
    client.force_login(classmate)
    page = client.get(reverse("classlist:privacy")).content.decode()
    assert f'id="sharing-{world.group3.pk}"' in page and f'id="sharing-{world.group6.pk}"' in page
    assert "Anna Bos" in page and "06-11112222" in page and classmate.email in page

    g3, g6 = f"group-{world.group3.pk}", f"group-{world.group6.pk}"
    response = client.post(reverse("classlist:privacy"), {
        f"{g3}-name": "on", f"{g3}-email": "on", f"{g6}-address": "on", "address": "Dorpsstraat 9, Zeist",
    })
    assert response.status_code == 302
    choice3 = SharingChoice.objects.get(user=classmate, group=world.group3)
    choice6 = SharingChoice.objects.get(user=classmate, group=world.group6)
    assert (choice3.share_name, choice3.share_phone, choice3.share_email, choice3.share_address) == (
        True, False, True, False)
    assert (choice6.share_name, choice6.share_phone, choice6.share_email, choice6.share_address) == (
        False, False, False, True)
    assert GuardianContact.objects.get(user=classmate).address == "Dorpsstraat 9, Zeist"
    assert AuditEntry.objects.filter(actor=classmate, action="classlist.sharing_changed").exists()

    shown = shown_contacts(class_page(client, world.users["guardian"], world.group3))
    assert shown == {"name": ["Anna Bos"], "phone": [], "email": [classmate.email], "address": []}
    shown = shown_contacts(class_page(client, world.users["guardian_other_group"], world.group6))
    assert shown == {"name": [], "phone": [], "email": [], "address": ["Dorpsstraat 9, Zeist"]}

    client.force_login(classmate)
    client.post(reverse("classlist:privacy"), {"address": "Dorpsstraat 9, Zeist"})  # everything off again
    assert not any(SharingChoice.objects.get(user=classmate, group=world.group3).__dict__[f"share_{name}"]
                   for name in CONTACT_FIELDS)


def test_sharing_the_address_needs_an_address(client, world, classmate):
    GuardianContact.objects.filter(user=classmate).delete()
    client.force_login(classmate)
    response = client.post(reverse("classlist:privacy"), {f"group-{world.group3.pk}-address": "on", "address": ""})
    assert response.status_code == 200
    assert "Fill in your address to share it" in response.content.decode()
    assert not SharingChoice.objects.exists()


def test_a_separated_guardian_reads_on_the_privacy_page_that_the_other_parent_never_sees_it(client, world):
    english(world.users["other_guardian"], world.users["guardian"])
    client.force_login(world.users["other_guardian"])
    assert "other parent never sees your details" in client.get(reverse("classlist:privacy")).content.decode()
    client.force_login(world.users["guardian"])
    assert "other parent never sees your details" not in client.get(reverse("classlist:privacy")).content.decode()


def test_the_school_chooses_first_names_only(client, world, classmate):
    ClassListSettings.objects.create(school=world.school, names=ClassListSettings.Names.FIRST)
    html = class_page(client, world.users["guardian"], world.group3)
    assert "Mila" in html and "Mila Bos" not in html
    html = class_page(client, world.users["teacher"], world.group3)
    assert "Mila Bos" in html  # staff see the full list


def test_the_director_changes_the_names_setting(client, world):
    client.force_login(world.users["director"])
    response = client.post(reverse("classlist:settings", args=[world.school.pk]), {"names": "first"})
    assert response.status_code == 302
    assert ClassListSettings.objects.get(school=world.school).names == "first"


def _grow(world, families: int):
    for n in range(families):
        child = enrolled_student(world.group3)
        parent = UserFactory()
        GuardianshipFactory(student=child, user=parent, phone=f"06-{n:08d}")
        GuardianshipFactory(student=child, user=None, first_name="Ouder", last_name=str(n))
        share(parent, world.group3, *CONTACT_FIELDS[: n % 5], address=f"Straat {n}")


def _queries(client, user, url) -> int:
    client.force_login(user)
    client.get(url)  # warm up: session, caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role, name", [("guardian", "classlist:group"), ("teacher", "classlist:group"),
                                        ("teacher", "classlist:print")])
def test_the_class_page_costs_the_same_queries_for_a_small_and_a_large_group(client, world, role, name):
    url = reverse(name, args=[world.group3.pk])
    _grow(world, 3)
    small = _queries(client, world.users[role], url)
    _grow(world, 25)
    large = _queries(client, world.users[role], url)
    assert small == large
    assert large <= 25  # of which 9 are the page's own; the rest: session, roles, the shell and its counts


def test_the_privacy_page_costs_the_same_queries_for_one_and_for_three_groups(client, world):
    url = reverse("classlist:privacy")
    one = _queries(client, world.users["guardian"], url)
    GuardianshipFactory(student=enrolled_student(world.group6), user=world.users["guardian"])
    extra = GroupFactory(school=world.school, grades="7")
    GuardianshipFactory(student=enrolled_student(extra), user=world.users["guardian"])
    assert _queries(client, world.users["guardian"], url) == one
