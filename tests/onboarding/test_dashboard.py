"""The registration dashboard per school and per group, its actions, changing a guardian's
address, and the help page for parents."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schoolpoort.accounts.models import User
from schoolpoort.accounts.registration import find_usable_code
from schoolpoort.core.models import Guardianship, StaffMembership
from schoolpoort.onboarding import dashboard
from schoolpoort.onboarding.models import BouncedAddress, MailBatch
from tests.factories import GuardianshipFactory, StaffMembershipFactory, UserFactory, enrolled_student

from .helpers import CODE_RE, english

pytestmark = pytest.mark.django_db


def add_family(group, n, state):
    pupil = enrolled_student(group, first_name=f"Kind{state}{n}", last_name="Test")
    if state == "registered":
        return GuardianshipFactory(student=pupil)
    if state == "invited":
        return GuardianshipFactory(student=pupil, user=UserFactory(password=None))
    if state == "refused":
        slot = GuardianshipFactory(student=pupil, user=None, email=f"weg{group.pk}.{n}@example.org")
        BouncedAddress.objects.create(email=slot.email)
        return slot
    return GuardianshipFactory(
        student=pupil, user=None, email=f"k{group.pk}.{n}@example.org" if state == "email" else ""
    )


@pytest.fixture
def families(world):
    for state in ("registered", "invited", "refused", "email", "none"):
        add_family(world.group3, 1, state)
    return world


def test_the_states_are_counted_per_group(families):
    per_group, total = dashboard.school_counts(families.school)
    group3 = next(row for row in per_group if row.group == families.group3)
    # world: two registered guardians of Noor; plus one of each state
    assert group3.counts == {"registered": 3, "invited": 1, "refused": 1, "email_known": 1, "no_email": 1}
    assert group3.not_yet == 4
    assert total.counts["registered"] == 4  # Lotte's guardian in group 6


def test_a_refused_account_address_counts_as_refused(world):
    slot = add_family(world.group6, 1, "invited")
    BouncedAddress.objects.create(email=slot.user.email)
    by_state = dashboard.group_slots(world.school, world.group6)
    assert [s.pk for s in by_state["refused"]] == [slot.pk]


@pytest.mark.parametrize("page", ["school", "group"])
def test_the_dashboard_costs_the_same_queries_for_few_and_many(client, world, page):
    client.force_login(world.users["administration"])
    target = world.school if page == "school" else world.group3
    url = reverse(f"onboarding:{page}", args=[target.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(15):
        add_family(world.group3, n, ["registered", "invited", "refused", "email", "none"][n % 5])
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_group_page_lists_each_state_and_who_needs_a_letter(client, families):
    english(families.users["director"])
    client.force_login(families.users["director"])
    html = client.get(reverse("onboarding:group", args=[families.group3.pk])).content.decode()
    assert 'id="count-registered">3 / 7<' in html
    assert "Kindrefused1" in html and "Kindnone1" in html
    needs_letter = html.split('id="needs-letter"')[1].split("</ul>")[0]
    assert "Kindrefused1" in needs_letter and "Kindnone1" in needs_letter and "Kindemail1" not in needs_letter


def test_remind_sends_the_link_again_to_invited_guardians(client, families, django_capture_on_commit_callbacks):
    client.force_login(families.users["administration"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("onboarding:group", args=[families.group3.pk]), {"action": "remind"})
    assert response.status_code == 302
    batch = MailBatch.objects.get()
    assert batch.kind == MailBatch.Kind.REMIND and batch.group == families.group3


def test_resend_activation_for_one_guardian(client, families):
    slot = Guardianship.objects.get(student__first_name="Kindinvited1")
    client.force_login(families.users["administration"])
    client.post(reverse("onboarding:group", args=[families.group3.pk]), {"action": "invite", "guardianship": slot.pk})
    assert [m.to for m in mail.outbox] == [[slot.user.email]]


def test_a_new_code_for_a_lost_letter(client, families):
    slot = Guardianship.objects.get(student__first_name="Kindnone1")
    english(families.users["administration"])
    client.force_login(families.users["administration"])
    response = client.post(
        reverse("onboarding:group", args=[families.group3.pk]), {"action": "code", "guardianship": slot.pk}, follow=True
    )
    code = CODE_RE.search(response.content.decode()).group(1)
    assert find_usable_code(code).guardianship_id == slot.pk


def test_a_slot_of_another_group_or_school_is_404(client, world):
    client.force_login(world.users["administration"])
    other = GuardianshipFactory(student=world.other_school_child, user=None, email="x@example.org")
    url = reverse("onboarding:group", args=[world.group3.pk])
    assert client.post(url, {"action": "invite", "guardianship": other.pk}).status_code == 404
    lotte = GuardianshipFactory(student=world.classmate_of_other_group, user=None, email="y@example.org")
    assert client.post(url, {"action": "invite", "guardianship": lotte.pk}).status_code == 404
    assert mail.outbox == []


@pytest.mark.parametrize("role", ["teacher", "guardian", "board_admin_other_board", "admin_other_school"])
def test_the_dashboards_are_hidden_from_everyone_else(client, world, role):
    if role == "admin_other_school":
        user = StaffMembershipFactory(school=world.other_school, role=StaffMembership.Role.ADMINISTRATION).user
    else:
        user = world.users[role]
    client.force_login(user)
    slot = Guardianship.objects.filter(student=world.child).first()
    assert client.get(reverse("onboarding:school", args=[world.school.pk])).status_code == 404
    assert client.get(reverse("onboarding:group", args=[world.group3.pk])).status_code == 404
    assert client.get(reverse("onboarding:change_email", args=[slot.pk])).status_code == 404


# --- Changing a guardian's address -----------------------------------------------------------


def test_an_invited_guardian_gets_the_link_at_the_new_address(client, world):
    slot = add_family(world.group3, 1, "refused")
    invited = add_family(world.group3, 2, "invited")
    BouncedAddress.objects.create(email=invited.user.email)
    client.force_login(world.users["administration"])
    client.post(reverse("onboarding:change_email", args=[invited.pk]), {"email": "goed@example.org"})
    assert sorted(m.to[0] for m in mail.outbox) == sorted([invited.user.email, "goed@example.org"])
    assert "/activeren/" in next(m.body for m in mail.outbox if m.to == ["goed@example.org"])
    # Without an account it is the address the school has.
    client.post(reverse("onboarding:change_email", args=[slot.pk]), {"email": "ander@example.org"})
    assert Guardianship.objects.get(pk=slot.pk).email == "ander@example.org"


def test_an_address_in_use_is_refused_and_what_was_typed_stays(client, world):
    slot = Guardianship.objects.filter(student=world.child, user=world.users["guardian"]).get()
    english(world.users["administration"])
    client.force_login(world.users["administration"])
    taken = world.users["teacher"].email
    response = client.post(reverse("onboarding:change_email", args=[slot.pk]), {"email": taken})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Another account already logs in with this address." in html and f'value="{taken}"' in html
    assert mail.outbox == []


def test_a_staff_account_is_not_changed_by_the_administration(client, world):
    slot = GuardianshipFactory(student=world.child, user=world.users["teacher"])
    english(world.users["administration"])
    client.force_login(world.users["administration"])
    response = client.post(reverse("onboarding:change_email", args=[slot.pk]), {"email": "kaping@example.org"})
    assert response.status_code == 400 and "staff member" in response.content.decode()
    assert User.objects.get(pk=world.users["teacher"].pk).email == "teacher@example.org"


# --- Help for parents --------------------------------------------------------------------------


def test_the_help_page_answers_the_yearly_questions_for_anyone(client):
    with_english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    client.cookies["django_language"] = "en"
    html = client.get(reverse("onboarding:help"), **with_english).content.decode()
    for anchor in ("no-activation-mail", "letter", "password", "new-email", "app"):
        assert f'<details class="card" id="{anchor}">' in html
    assert "spam" in html


def test_the_help_page_shows_the_contact_of_the_parents_own_school(client, world):
    world.school.phone, world.school.email = "030 123 45 67", "info@a1.example"
    world.school.save()
    world.other_school.phone = "010 999 99 99"
    world.other_school.save()
    client.force_login(world.users["guardian"])
    html = client.get(reverse("onboarding:help")).content.decode()
    assert "030 123 45 67" in html and "mailto:info@a1.example" in html
    assert "010 999 99 99" not in html and "School B1" not in html
