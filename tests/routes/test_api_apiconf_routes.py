"""JSON API routes of the parents' app, part two (api/endpoints/conferences.py, albums.py,
documents.py, signups.py, records.py): (route, method, {role: status}) with each role's browser
session, about school A1 as in tests/routes/test_api_routes.py. The parent of the child in group 3
has a brother of the child in the same group: a conference round for group 3 with one booked time.
Without a session or a token the API answers 401. Yes-and-no per role and the token cases in detail:
tests/api/test_api_<module>.py."""

import json

import pytest
from django.urls import reverse

from schoolpoort.conferences import booking as conference_booking
from tests.albums.helpers import make_album
from tests.conferences.conferences_helpers import add_session, family, make_round, slots
from tests.documents.helpers import add_document, make_shelf
from tests.factories import GuardianshipFactory, enrolled_student
from tests.signups.helpers import add_question, make_form, options_of, sign_up
from tests.signups.helpers import family as signup_family
from tests.test_routes import ROLES
from tests.world import build_world

SIGNED_IN = dict.fromkeys(ROLES[1:], 200)
SCHOOL_A1 = {"guardian": 200, "teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
ROUTES = [
    ("api:conference_rounds", "get", SIGNED_IN),  # each sees their own list
    ("api:conference_round", "get", SCHOOL_A1),
    ("api:conference_free_times", "get", {"guardian": 200}),
    ("api:conference_book", "post", {"guardian": 201}),
    ("api:conference_cancel", "delete", {"guardian": 204}),
    ("api:albums", "get", SIGNED_IN),
    ("api:album", "get", SCHOOL_A1),
    ("api:album_photos", "get", SCHOOL_A1),
    ("api:documents", "get", SIGNED_IN),
    ("api:document", "get", SCHOOL_A1),
    ("api:signup_forms", "get", SIGNED_IN),
    ("api:signup_form", "get", SCHOOL_A1),
    ("api:signup_answers", "get", {"guardian": 200}),
    ("api:signup_answer", "post", {"guardian": 201}),
    ("api:signup_withdraw", "delete", {"guardian": 204}),
    ("api:record_children", "get", SIGNED_IN),  # each sees their own list
    ("api:report_cards", "get", SCHOOL_A1),
    ("api:method_tests", "get", SCHOOL_A1),
    ("api:standardised_tests", "get", SCHOOL_A1),
]


@pytest.fixture
def world(db):
    world = build_world()
    guardian = world.users["guardian"]
    world.brother = enrolled_student(world.group3, first_name="Daan", last_name="Jansen")
    GuardianshipFactory(student=world.brother, user=guardian)
    world.round = make_round(world)
    add_session(world.round, world.users["teacher"], world.group3)
    world.slots = slots(world.round)
    world.booking = conference_booking.book(
        world.round, guardian, [conference_booking.Pick(world.child.pk, world.slots[0].pk)]).made_bookings[0]
    (other,), (other_child,) = family(world.group3)
    world.other_booking = conference_booking.book(
        world.round, other, [conference_booking.Pick(other_child.pk, world.slots[3].pk)]).made_bookings[0]
    world.album = make_album(world.users["teacher"], groups=[world.group3])
    world.shelf = make_shelf(world.school, world.users["director"], audience="groups", groups=[world.group3])
    world.document = add_document(world.shelf, world.users["director"])
    other_shelf = make_shelf(world.school, world.users["director"], audience="groups", groups=[world.group6])
    world.other_document = add_document(other_shelf, world.users["director"], title="Groep 6")
    world.form = make_form(world)
    question = add_question(world.form, options=(("Heen", 2),))
    world.option = options_of(question)[0]
    world.signup_question = question
    world.withdrawable = make_form(world, title="Afmelden")
    place = options_of(add_question(world.withdrawable))[0]
    world.response = sign_up(world.withdrawable, guardian, [place])
    (other,), _children = signup_family(world.group3)
    world.other_response = sign_up(world.withdrawable, other, [place])
    return world


MISSING = 999999


def route_url(name, world, missing=False):
    round_id = MISSING if missing else world.round.pk
    if name == "api:conference_round":
        return reverse(name, args=[round_id])
    if name == "api:conference_free_times":
        return reverse(name, args=[world.round.pk, world.classmate_of_other_group.pk if missing else world.child.pk])
    if name == "api:conference_book":
        return reverse(name, args=[round_id])
    if name == "api:conference_cancel":
        return reverse(name, args=[world.round.pk, world.other_booking.pk if missing else world.booking.pk])
    if name in ("api:album", "api:album_photos"):
        return reverse(name, args=[MISSING if missing else world.album.pk])
    if name == "api:document":
        return reverse(name, args=[MISSING if missing else world.document.pk])
    if name in ("api:signup_form", "api:signup_answers", "api:signup_answer"):
        return reverse(name, args=[MISSING if missing else world.form.pk])
    if name in ("api:report_cards", "api:method_tests", "api:standardised_tests"):
        return reverse(name, args=[MISSING if missing else world.child.pk])
    if name == "api:signup_withdraw":
        return reverse(name, args=[world.withdrawable.pk, world.other_response.pk if missing else world.response.pk])
    return reverse(name)


def body(name, world) -> dict:
    if name == "api:conference_book":
        return {"picks": [{"student_id": world.brother.pk, "slot_id": world.slots[1].pk}]}
    if name == "api:signup_answer":
        return {"answers": [{"question_id": world.signup_question.pk, "option_ids": [world.option.pk]}]}
    return {}


def call(client, method, url, data):
    if method == "post":
        return client.post(url, json.dumps(data), content_type="application/json")
    return getattr(client, method)(url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", ROUTES)
def test_api_apiconf_routes(client, world, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = call(client, method, route_url(name, world), body(name, world))
    expected = 401 if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected
    if response.status_code != 204:
        assert response["Content-Type"].startswith("application/json")


LISTS = {"api:conference_rounds", "api:albums", "api:documents", "api:signup_forms", "api:record_children"}
MISSABLE = [name for name, _method, _allowed in ROUTES if name not in LISTS]


@pytest.mark.parametrize("role", ROLES[1:])
def test_an_api_route_of_something_that_does_not_exist_or_is_another_familys_is_404(client, world, role):
    client.force_login(world.users[role])
    for name, method, _allowed in ROUTES:
        if name in MISSABLE:
            response = call(client, method, route_url(name, world, missing=True), body(name, world))
            assert response.status_code == 404, name
