"""The staff page "Guardians and registration": who may see it, what it shows, its actions."""

import pytest
from django.core import mail
from django.urls import reverse

from schoolpoort.accounts.models import RegistrationCode
from schoolpoort.accounts.registration import find_usable_code, issue_registration_code
from schoolpoort.core.models import AuditEntry, StaffMembership
from tests.factories import GuardianshipFactory, StaffMembershipFactory, UserFactory, enrolled_student
from tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def url(school, **query):
    path = reverse("accounts:guardians", args=[school.pk])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "role, status",
    [
        ("administration", 200),
        ("director", 200),
        ("board_admin", 200),
        ("teacher", 404),
        ("teacher_other_group", 404),
        ("guardian", 404),
        ("board_admin_other_board", 404),
    ],
)
def test_who_may_see_the_page(client, world, role, status):
    assert as_user(client, world.users[role]).get(url(world.school)).status_code == status


def test_it_hides_from_the_administration_of_another_school(client, world):
    other_admin = StaffMembershipFactory(
        school=world.other_school, role=StaffMembership.Role.ADMINISTRATION
    ).user
    assert as_user(client, other_admin).get(url(world.school)).status_code == 404
    assert as_user(client, other_admin).post(url(world.school), {"action": "code"}).status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(client, world):
    assert client.get(url(world.school))["Location"].startswith(reverse("accounts:login"))


def test_a_school_that_does_not_exist_is_404(client, world):
    assert (
        as_user(client, world.users["board_admin"])
        .get(reverse("accounts:guardians", args=[99999]))
        .status_code
        == 404
    )


def test_it_lists_every_slot_with_its_status(client, world):
    GuardianshipFactory(student=world.child, user=None, first_name="Kees", email="kees@example.org")
    GuardianshipFactory(student=world.child, user=None, first_name="Mira", email="")
    invited = GuardianshipFactory(
        student=world.classmate_of_other_group, user=UserFactory(password=None), first_name="Ilse"
    )
    html = as_user(client, world.users["administration"]).get(url(world.school)).content.decode()
    assert html.count("Geregistreerd") >= 3  # the two guardians of Noor and Lotte's guardian
    assert "Niet geregistreerd; e-mailadres bekend" in html and "Niet geregistreerd; geen e-mailadres" in html
    assert "Uitgenodigd, account nog niet geactiveerd" in html and invited.user.email in html
    assert "Groep 3" in html and "Groep 6" in html
    # A pupil of another school (by full name: a generated guardian may be called Adam too).
    assert f"<td>{world.other_school_child.full_name}</td>" not in html


def test_it_filters_by_group(client, world):
    page = as_user(client, world.users["administration"]).get(url(world.school, groep=world.group6.pk))
    html = page.content.decode()
    assert "Lotte" in html and "Noor Jansen" not in html


def test_a_group_of_another_school_is_404(client, world):
    other_group = world.other_school_child.groups.get()
    response = as_user(client, world.users["administration"]).get(url(world.school, groep=other_group.pk))
    assert response.status_code == 404


def test_it_pages_by_fifty(client, world):
    for n in range(50):
        GuardianshipFactory(student=world.child, user=None, first_name=f"Slot{n:02d}")
    admin = as_user(client, world.users["administration"])
    first = admin.get(url(world.school)).content.decode()
    second = admin.get(url(world.school, pagina=2)).content.decode()
    assert "Pagina 1 van 2" in first and "Pagina 2 van 2" in second
    assert first.count("<tr>") + second.count("<tr>") > 53


# Session and user (2), roles (3), school, groups, count, rows, open codes, and the session save
# of the staff idle timeout (3, in a savepoint).
QUERIES = 11  # the app shell: its schools, module states, roles and counts kept per user (core/counts.py)


def add_families(world, count):
    for n in range(count):
        child = enrolled_student(world.group3 if n % 2 else world.group6, first_name=f"Kind{n}")
        GuardianshipFactory(student=child)  # registered
        slot = GuardianshipFactory(student=child, user=None, email=f"ouder{n}@example.org")
        issue_registration_code(slot)
        GuardianshipFactory(student=child, user=UserFactory(password=None))  # invited


def test_the_number_of_queries_does_not_grow_with_the_rows(client, world, django_assert_num_queries):
    admin = as_user(client, world.users["administration"])
    add_families(world, 2)
    admin.get(url(world.school))  # each measured request finds the user's reach in the reach cache
    with django_assert_num_queries(QUERIES):
        assert admin.get(url(world.school)).status_code == 200
    add_families(world, 15)
    admin.get(url(world.school))
    with django_assert_num_queries(QUERIES):
        assert admin.get(url(world.school)).status_code == 200
    with django_assert_num_queries(QUERIES):
        assert admin.get(url(world.school, groep=world.group3.pk)).status_code == 200


def test_sending_an_activation_link(client, world):
    slot = GuardianshipFactory(student=world.child, user=None, first_name="Kees", email="kees@example.org")
    admin = as_user(client, world.users["administration"])
    response = admin.post(
        url(world.school, groep=world.group3.pk), {"action": "invite", "guardianship": slot.pk}
    )
    assert response["Location"] == url(world.school, groep=world.group3.pk)
    slot.refresh_from_db()
    assert slot.user.email == "kees@example.org"
    assert mail.outbox[0].to == ["kees@example.org"] and "/activeren/" in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="accounts.guardian_invited")
    assert (entry.actor, entry.school, entry.object_id) == (
        world.users["administration"],
        world.school,
        str(slot.pk),
    )
    # Not activated yet: the button sends the link again.
    admin.post(url(world.school), {"action": "invite", "guardianship": slot.pk})
    assert len(mail.outbox) == 2


def test_making_a_new_registration_code_shows_it_once_and_replaces_the_old(client, world):
    slot = GuardianshipFactory(student=world.child, user=None, first_name="Mira")
    _old, old_plain = issue_registration_code(slot)
    admin = as_user(client, world.users["director"])
    response = admin.post(url(world.school), {"action": "code", "guardianship": slot.pk}, follow=True)
    html = response.content.decode()
    assert "Oudere codes voor deze ouder of verzorger werken niet meer." in html
    new = RegistrationCode.objects.filter(guardianship=slot).latest("pk")
    plain = next(
        word for word in html.split() if len(word) == 9 and word[4] == "-" and find_usable_code(word) == new
    )
    assert find_usable_code(old_plain) is None
    assert AuditEntry.objects.filter(
        action="accounts.registration_code_issued", object_id=str(slot.pk)
    ).exists()
    # Shown once: the next page does not have it.
    assert plain not in admin.get(url(world.school)).content.decode()


def test_actions_on_a_slot_of_another_school_are_404(client, world):
    other_slot = world.other_school_child.guardianships.get()
    admin = as_user(client, world.users["administration"])
    for action in ("invite", "code"):
        response = admin.post(url(world.school), {"action": action, "guardianship": other_slot.pk})
        assert response.status_code == 404
    assert not mail.outbox and not RegistrationCode.objects.exists()


def test_a_registered_guardian_gets_no_new_code(client, world):
    slot = world.child.guardianships.first()
    admin = as_user(client, world.users["administration"])
    response = admin.post(url(world.school), {"action": "code", "guardianship": slot.pk}, follow=True)
    assert "is al geregistreerd." in response.content.decode()
    assert not RegistrationCode.objects.exists()
