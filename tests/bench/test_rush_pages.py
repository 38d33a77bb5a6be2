"""The rushes of bench/ (P6, P7, P8) read the real pages the way a parent and a teacher do; these
tests render those pages with the test client and check that bench/rush.py still finds in them
what it posts (a conference pick, a volunteer slot with places) and what it waits for (a booked
child, a pupil away on the teacher's list). A template change that would make the benchmark
silently measure nothing fails here. Times nothing."""

import random

import pytest
from bench.rush import conference_booked, conference_pick, free_options, pupil_status
from django.urls import reverse

from schoolpoort.conferences import booking as domain
from schoolpoort.signups.models import Question
from tests.absences.helpers import report
from tests.conferences.conferences_helpers import add_session, make_round
from tests.conferences.conferences_helpers import family as conference_family
from tests.signups.helpers import add_question, make_form, options_of, sign_up
from tests.signups.helpers import family as signup_family
from tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def test_a_parent_finds_a_time_and_a_back_to_back_pair_and_sees_the_booking(client, world):
    round = make_round(world, groups=[world.group3, world.group6])
    add_session(round, world.users["teacher"], world.group3)
    add_session(round, world.users["teacher_other_group"], world.group6)
    (parent,), children = conference_family(world.group3, world.group6)
    client.force_login(parent)
    page = client.get(reverse("conferences:detail", args=[round.pk])).content.decode()
    ids = [child.pk for child in children]

    pair = conference_pick(page, ids, random.Random(1))
    single = conference_pick(page, ids[:1], random.Random(1))
    assert pair is not None and pair.count(":") == 2 and {int(p.split(":")[0]) for p in pair.split(",")} == set(ids)
    assert single is not None and single.startswith(f"{ids[0]}:")
    assert not conference_booked(page, ids[0])

    response = client.post(reverse("conferences:book", args=[round.pk]), {"pick": pair})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert all(conference_booked(page, pk) for pk in ids)
    assert domain.Booking.objects.active().filter(round=round).count() == 2


def test_a_parent_whose_time_was_taken_picks_from_the_alternatives_of_the_page_sent_back_to(client, world):
    """The bench's parent follows the redirect with its query (``?bezet=…&beurt=…``), as a browser
    does, and its next pick is one of the card's one-tap alternatives, not the earliest free times."""
    from bench.rush import Client as BenchClient

    round = make_round(world, groups=[world.group3])
    add_session(round, world.users["teacher"], world.group3, start=(18, 0), end=(20, 0))
    slots = list(domain.Slot.objects.filter(round=round).order_by("starts_at"))
    (winner,), (winner_child,) = conference_family(world.group3)
    domain.book(round, winner, [domain.Pick(winner_child.pk, slots[6].pk)])  # 19:00
    (parent,), (child,) = conference_family(world.group3)
    client.force_login(parent)
    lost = client.post(reverse("conferences:book", args=[round.pk]), {"pick": f"{child.pk}:{slots[6].pk}"})
    location = lost["Location"]

    followed = []
    bench_client = BenchClient.__new__(BenchClient)
    bench_client.get = lambda name, path: followed.append(path) or (200, "", "")
    bench_client.follow("round page", location, "/unused/")
    assert followed == [location.split("#")[0]]
    page = client.get(followed[0]).content.decode()
    picks = {conference_pick(page, [child.pk], random.Random(seed)) for seed in range(20)}
    near = {f"{child.pk}:{slots[i].pk}" for i in (5, 7, 4)}  # 18:50, 19:10, 18:40: the card's three
    assert picks <= near and len(picks) > 1


def test_a_parent_finds_the_volunteer_slots_with_places_and_not_the_full_one(client, world):
    form = make_form(world, school=world.school)
    question = add_question(form, Question.Kind.SLOTS, options=(("Heen", 1), ("Terug", 3)))
    full, free = options_of(question)
    (other,), _children = signup_family(world.group3)
    sign_up(form, other, [full])
    (parent,), _children = signup_family(world.group3)
    client.force_login(parent)
    page = client.get(reverse("signups:form", args=[form.pk])).content.decode()
    # The name the rush posts: the answer's form is prefixed with its section ("family").
    assert free_options(page, f"family-q{question.pk}") == [str(free.pk)]


def test_a_teacher_sees_a_reported_pupil_away_on_the_list_of_the_day(client, world):
    (parent,), (student,) = signup_family(world.group3)
    client.force_login(world.users["teacher"])
    url = reverse("absences:group_today", args=[world.group3.pk])
    assert pupil_status(client.get(url).content.decode(), student.pk) == "present"
    report(parent, student)
    assert pupil_status(client.get(url).content.decode(), student.pk) not in (None, "present")


def test_the_benchmarks_sessions_reach_the_pages_they_time(client, world):
    """bench/sessions.py writes sessions straight into the table: a teacher's must be one that has
    proved the second factor, or P8 and the upload would time redirects (as they once did)."""
    from bench.sessions import make_sessions

    teacher, parent = world.users["teacher"], world.users["guardian"]
    keys = make_sessions([teacher.pk, parent.pk])
    client.cookies["sessionid"] = keys[teacher.pk]
    assert client.get(reverse("absences:group_today", args=[world.group3.pk])).status_code == 200
    client.cookies["sessionid"] = keys[parent.pk]
    assert client.get(reverse("absences:report")).status_code == 200
