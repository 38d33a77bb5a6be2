"""The school's systems read conference bookings (changed since a moment, cancelled ones marked),
the answers to a sign-up form and the registration status per guardian, through each module's own
access rule: a token sees what its account sees at its one school, another school is 404; lists
page with a cursor and cost the same number of queries for 2 rows as for 10."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from schoolpoort.conferences import booking as domain
from schoolpoort.conferences.booking import Pick
from schoolpoort.conferences.models import Booking
from schoolpoort.core.models import Guardianship
from tests.api.api_helpers import bearer, token_for
from tests.conferences.conferences_helpers import add_session, family, make_round
from tests.factories import GuardianshipFactory, UserFactory, enrolled_student
from tests.signups.helpers import add_question, make_form, options_of, sign_up
from tests.world import build_world

SYSTEM_SCOPES = ("bookings:read", "signups:read", "registrations:read")


@pytest.fixture
def world(db):
    world = build_world()
    world.token = token_for(world.users["director"], world.school, scopes=SYSTEM_SCOPES).secret
    world.other_token = token_for(world.users["board_admin_other_board"], world.other_school,
                                  scopes=SYSTEM_SCOPES).secret
    return world


@pytest.fixture
def round(world):
    round = make_round(world, groups=[world.group3])
    add_session(round, world.users["teacher"], world.group3, start=(15, 0), end=(20, 0))
    return round


def book_families(world, round, n):
    free = list(domain.free_slots(round, [world.group3.pk]))
    booked = []
    for slot in free[:n]:
        (guardian,), (child,) = family(world.group3)
        booked.append(domain.book(round, guardian, [Pick(child.pk, slot.pk)]).made_bookings[0])
    return booked


def get(client, url, token, **params):
    return client.get(url, params, **bearer(token))


def queries_of(client, url, token, **params) -> int:
    get(client, url, token, **params)  # the token's last use is written once a minute: not counted
    with CaptureQueriesContext(connection) as captured:
        assert get(client, url, token, **params).status_code == 200
    return len(captured)


# --- Bookings -----------------------------------------------------------------------------------


def test_bookings_changed_since_a_moment_with_the_cancelled_ones_marked(client, world, round):
    first, second, third = book_families(world, round, 3)
    Booking.objects.filter(pk=first.pk).update(updated_at=timezone.now() - datetime.timedelta(days=2))
    domain.cancel_booking(round, third.pk)
    url = f"/api/v1/schools/{world.school.pk}/bookings"
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    body = get(client, url, world.token, since=since).json()
    assert [item["id"] for item in body["items"]] == [second.pk, third.pk]  # oldest change first
    assert [item["status"] for item in body["items"]] == ["booked", "cancelled"]
    assert body["items"][1]["cancelled_at"] is not None and body["next_cursor"] is None
    assert body["items"][0]["student_number"] == second.student.sis_id
    everything = get(client, url, world.token).json()["items"]
    assert [item["id"] for item in everything] == [first.pk, second.pk, third.pk]


def test_bookings_page_with_a_cursor(client, world, round):
    booked = book_families(world, round, 5)
    url = f"/api/v1/schools/{world.school.pk}/bookings"
    seen, cursor = [], None
    while True:
        body = get(client, url, world.token, limit=2, **({"cursor": cursor} if cursor else {})).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(b.pk for b in booked) and len(seen) == 5
    assert get(client, url, world.token, cursor="bm9wZQ").status_code == 400


def test_bookings_cost_the_same_queries_for_2_and_10(client, world, round):
    url = f"/api/v1/schools/{world.school.pk}/bookings"
    book_families(world, round, 2)
    two = queries_of(client, url, world.token)
    book_families(world, round, 8)
    assert len(get(client, url, world.token).json()["items"]) == 10
    assert queries_of(client, url, world.token) == two


def test_bookings_of_another_school_or_without_the_scope_are_refused(client, world, round):
    book_families(world, round, 1)
    url = f"/api/v1/schools/{world.school.pk}/bookings"
    assert get(client, url, world.other_token).status_code == 404
    sister = token_for(world.users["board_admin"], world.sister_school, scopes=SYSTEM_SCOPES).secret
    assert get(client, url, sister).status_code == 404  # the board admin sees A1, this token is A2's
    absences_only = token_for(world.users["director"], world.school, scopes=["absences:read"]).secret
    assert get(client, url, absences_only).status_code == 403


def test_a_guardian_session_sees_only_the_familys_bookings(client, world, round):
    free = list(domain.free_slots(round, [world.group3.pk]))
    mine = domain.book(round, world.users["guardian"], [Pick(world.child.pk, free[0].pk)]).made_bookings[0]
    book_families(world, round, 2)
    client.force_login(world.users["guardian"])
    items = client.get(f"/api/v1/schools/{world.school.pk}/bookings").json()["items"]
    assert [item["id"] for item in items] == [mine.pk]
    client.force_login(world.users["guardian_other_school"])
    assert client.get(f"/api/v1/schools/{world.school.pk}/bookings").status_code == 404


# --- Sign-up answers ----------------------------------------------------------------------------


def signed_up_form(world, n):
    form = make_form(world)
    question = add_question(form, options=(("Heen", 20), ("Terug", 20)))
    there, back = options_of(question)
    for _n in range(n):
        (guardian,), _children = family(world.group3)
        sign_up(form, guardian, [there, back])
    return form, question


def test_the_answers_to_a_form_as_its_results_page_shows_them(client, world):
    form, question = signed_up_form(world, 2)
    url = f"/api/v1/schools/{world.school.pk}/signups/forms/{form.pk}/answers"
    body = get(client, url, world.token).json()
    assert body["form"]["id"] == form.pk and [q["id"] for q in body["questions"]] == [question.pk]
    assert len(body["responses"]) == 2 and body["answered"] == 2
    assert body["responses"][0]["answers"] == [{"question_id": question.pk, "values": ["Heen", "Terug"]}]
    later = (timezone.now() + datetime.timedelta(minutes=1)).isoformat()
    assert get(client, url, world.token, since=later).json()["responses"] == []
    forms = get(client, f"/api/v1/schools/{world.school.pk}/signups/forms", world.token).json()
    assert [item["id"] for item in forms["items"]] == [form.pk]


def test_the_answers_cost_the_same_queries_for_2_and_10(client, world):
    form, _question = signed_up_form(world, 2)
    url = f"/api/v1/schools/{world.school.pk}/signups/forms/{form.pk}/answers"
    two = queries_of(client, url, world.token)
    other, _question = signed_up_form(world, 10)
    other_url = f"/api/v1/schools/{world.school.pk}/signups/forms/{other.pk}/answers"
    assert len(get(client, other_url, world.token).json()["responses"]) == 10
    assert queries_of(client, other_url, world.token) == two


@pytest.mark.parametrize("role, status", [
    ("director", 200), ("administration", 200), ("board_admin", 200), ("teacher", 200),  # teaches group 3
    ("teacher_other_group", 404), ("guardian", 404), ("board_admin_other_board", 404),
])
def test_the_answers_are_for_those_who_manage_the_form(client, world, role, status):
    form, _question = signed_up_form(world, 1)
    client.force_login(world.users[role])
    assert client.get(f"/api/v1/schools/{world.school.pk}/signups/forms/{form.pk}/answers").status_code == status


def test_the_answers_of_another_school_are_404(client, world):
    form, _question = signed_up_form(world, 1)
    assert get(client, f"/api/v1/schools/{world.school.pk}/signups/forms/{form.pk}/answers",
               world.other_token).status_code == 404
    assert get(client, f"/api/v1/schools/{world.other_school.pk}/signups/forms/{form.pk}/answers",
               world.other_token).status_code == 404  # the form is not of that school


# --- Registration status ------------------------------------------------------------------------


def add_guardians(world, n):
    for i in range(n):
        child = enrolled_student(world.group6)
        GuardianshipFactory(student=child, user=None, email=f"ouder{i}@example.org" if i % 2 else "")


def test_the_registration_state_of_every_guardian(client, world):
    url = f"/api/v1/schools/{world.school.pk}/registrations"
    child = enrolled_student(world.group3)
    waiting = GuardianshipFactory(student=child, user=None, email="wacht@example.org")
    no_mail = GuardianshipFactory(student=child, user=None, email="")
    invited = GuardianshipFactory(student=child, user=UserFactory(password=None))
    items = {item["id"]: item for item in get(client, url, world.token).json()["items"]}
    slot = Guardianship.objects.get(student=world.child, user=world.users["guardian"])
    assert items[slot.pk]["state"] == "registered" and items[slot.pk]["group"] == world.group3.name
    assert items[waiting.pk]["state"] == "email_known" and items[no_mail.pk]["state"] == "no_email"
    assert items[invited.pk]["state"] == "invited"
    assert all(item["student_id"] != world.other_school_child.pk for item in items.values())
    only = get(client, url, world.token, state="no_email").json()["items"]
    assert [item["id"] for item in only] == [no_mail.pk]


def test_the_registrations_page_with_a_cursor_and_a_fixed_number_of_queries(client, world):
    url = f"/api/v1/schools/{world.school.pk}/registrations"
    add_guardians(world, 2)
    total = Guardianship.objects.filter(student__school=world.school).count()
    two = queries_of(client, url, world.token)
    add_guardians(world, 8)
    assert queries_of(client, url, world.token) == two
    seen, cursor = [], None
    while True:
        body = get(client, url, world.token, limit=3, **({"cursor": cursor} if cursor else {})).json()
        seen += [item["id"] for item in body["items"]]
        if (cursor := body["next_cursor"]) is None:
            break
    assert len(seen) == len(set(seen)) == total + 8


@pytest.mark.parametrize("role, status", [
    ("director", 200), ("administration", 200), ("board_admin", 200),
    ("teacher", 404), ("guardian", 404), ("board_admin_other_board", 404),
])
def test_the_registrations_are_for_those_who_administer_the_school(client, world, role, status):
    client.force_login(world.users[role])
    assert client.get(f"/api/v1/schools/{world.school.pk}/registrations").status_code == status


def test_the_registrations_of_another_school_are_404(client, world):
    assert get(client, f"/api/v1/schools/{world.school.pk}/registrations", world.other_token).status_code == 404
