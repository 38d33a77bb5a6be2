"""A sign-up rush: every family at once. Two parents after the last place end with one signed up,
the other gets the places as they are now with the nearest free slots first; many parents after
a few slots never exceed a capacity; the refusal page shows the places as they are now; and the
form page and a refusal take the same queries for one option and one family as for many. The
races run on PostgreSQL (SQLite's single writer hides them)."""

import functools
import time
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schoolpoort.core.scopes import school_scope
from schoolpoort.signups import signing
from schoolpoort.signups.models import Answer, Option, Response
from tests.concurrency import held_elsewhere, race
from tests.signups.helpers import add_question, english, family, make_form, options_of, sign_up
from tests.world import build_world

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's single writer hides races")


def racing(test):
    """Real threads, each with its own connection, on committed data."""
    return pytest.mark.postgres_only(pytest.mark.django_db(transaction=True)(on_postgres(test)))


POSTS = [("Post 1", 1), ("Post 2", 1), ("Post 3", 1), ("Post 4", 2), ("Post 5", 1)]


@racing
def test_two_parents_racing_for_the_last_place_end_with_one_and_the_other_gets_the_nearest_free_places():
    world = build_world()
    form = make_form(world)
    question = add_question(form, options=POSTS)
    first, second, third, fourth, fifth = options_of(question)
    sign_up(form, family(world.group3)[0][0], [third])  # Post 3 is full already
    a, b = family(world.group3)[0][0], family(world.group3)[0][0]

    outcomes = race([lambda: sign_up(form, a, [second]), lambda: sign_up(form, b, [second])])

    assert sum(isinstance(o, Response) for o in outcomes) == 1
    (lost,) = [o for o in outcomes if isinstance(o, Exception)]
    assert isinstance(lost, signing.OptionFull), repr(lost)
    # Post 3 (as near) is full: Post 1 and then Post 4, then Post 5
    assert [o.pk for o in lost.alternatives] == [first.pk, fourth.pk, fifth.pk]
    assert lost.message.startswith("Sorry, “Post 2” is full")
    assert "Still free: “Post 1” (1 place), “Post 4” (2 places), “Post 5” (1 place)." in lost.message
    second.refresh_from_db()
    assert second.taken == 1 == Answer.objects.filter(option=second).count()


@racing
def test_thirty_parents_after_a_few_places_never_exceed_a_capacity():
    world = build_world()
    form = make_form(world)
    question = add_question(form, options=POSTS)
    options = options_of(question)
    parents = [family(world.group3)[0][0] for _n in range(30)]

    outcomes = race([
        lambda p=parent, n=n: sign_up(form, p, [options[n % 3], options[3]] if n % 3 == 0 else [options[n % 5]])
        for n, parent in enumerate(parents)
    ])

    assert all(isinstance(o, (Response, signing.OptionFull)) for o in outcomes), outcomes
    counted = Counter(Answer.objects.filter(option__isnull=False).values_list("option_id", flat=True))
    for option in Option.objects.filter(question=question):
        assert option.taken == counted.get(option.pk, 0) <= option.capacity
    assert sum(isinstance(o, Response) for o in outcomes) == Response.objects.filter(form=form).count()
    for error in (o for o in outcomes if isinstance(o, signing.OptionFull)):
        assert all(not option.is_full for option in error.free_options)


@racing
def test_a_sign_up_in_progress_locks_only_its_own_places_not_the_question_or_the_form():
    """In a request's scope the option query joins the question and the form: locking their rows
    too made two sign-ups wait on each other in a circle (P7 found the deadlock)."""
    world = build_world()
    form = make_form(world)
    question = add_question(form, options=POSTS)
    first, second, *_rest = options_of(question)
    parent = family(world.group3)[0][0]
    in_school = functools.partial(school_scope, [world.school.pk])
    with held_elsewhere(lambda: signing._lock_options([first.pk]), scope=in_school):
        started = time.monotonic()
        with school_scope([world.school.pk]):
            sign_up(form, parent, [second])
        assert time.monotonic() - started < 5  # not the holder's 30 s
    assert Answer.objects.filter(option=second).count() == 1


def test_the_nearest_free_places_come_first_whatever_their_order_in_the_form(world):
    form = make_form(world)
    question = add_question(form, options=[(f"Post {n}", 1) for n in range(1, 8)])
    options = options_of(question)
    for taken in (options[1], options[3], options[4]):  # Post 2, 4 and 5
        sign_up(form, family(world.group3)[0][0], [taken])
    with pytest.raises(signing.OptionFull) as caught:
        sign_up(form, world.users["guardian"], [options[4]])
    assert [o.label for o in caught.value.free_options] == ["Post 6", "Post 3", "Post 7", "Post 1"]
    assert [o.label for o in caught.value.alternatives] == ["Post 6", "Post 3", "Post 7"]


def test_the_refusal_page_shows_the_places_as_they_are_now_with_the_nearest_first(client, world):
    form = make_form(world)
    question = add_question(form, options=POSTS)
    first, second, third, fourth, _fifth = options_of(question)
    guardian = world.users["guardian"]
    english(guardian)
    client.force_login(guardian)
    assert "1 of 1 place free" in client.get(form.get_absolute_url()).content.decode()
    sign_up(form, family(world.group3)[0][0], [second])  # taken meanwhile
    sign_up(form, family(world.group3)[0][0], [fourth])  # and one of Post 4's two places

    response = client.post(reverse("signups:respond", args=[form.pk]),
                           {f"family-q{question.pk}": [second.pk], "response": ""})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Still free: “Post 1” (1 place), “Post 3” (1 place), “Post 4” (1 place)" in page
    assert "1 of 2 place free" in page  # Post 4 as it is now
    assert f'value="{second.pk}" id="id_family-q{question.pk}_{second.pk}" disabled' in page
    assert not Response.objects.filter(form=form, family_user=guardian).exists()


def queries(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data) if method == "post" else client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_form_page_and_a_refusal_take_the_same_queries_for_one_option_and_family_as_for_many(client, world):
    form = make_form(world)
    question = add_question(form, options=[("Post 1", 1)])
    (only,) = options_of(question)
    sign_up(form, family(world.group3)[0][0], [only])
    guardian = world.users["guardian"]
    client.force_login(guardian)
    url, respond = form.get_absolute_url(), reverse("signups:respond", args=[form.pk])
    client.get(url)
    small_page = queries(client, "get", url)
    small_refusal = queries(client, "post", respond, {f"family-q{question.pk}": [only.pk], "response": ""})

    Option.objects.bulk_create(Option(question=question, label=f"Post {n}", capacity=5, position=n)
                               for n in range(2, 12))
    for option in options_of(question)[1:]:
        for _n in range(3):
            sign_up(form, family(world.group3)[0][0], [option])
    assert queries(client, "get", url) == small_page
    assert queries(client, "post", respond, {f"family-q{question.pk}": [only.pk], "response": ""}) == small_refusal
