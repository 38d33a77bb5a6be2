"""Capacity is never exceeded, proved against PostgreSQL: twenty parents sign up for the same slot
of four places from twenty threads (each its own database connection) released at the same
instant, again and again. Exactly four get a place, every other one gets the clear "full" message
naming what is still free, and the option's counter says four. Parents after several slots in
different orders neither deadlock nor overbook; two guardians of one family make one answer.
SQLite's single writer hides races, so these run on PostgreSQL only (CI runs it)."""

from collections import Counter

import pytest
from django.db import connection

from schoolpoort.signups import signing
from schoolpoort.signups.models import Answer, Form, Option, Response
from tests.concurrency import race
from tests.signups.helpers import add_question, family, make_form, options_of, sign_up
from tests.world import build_world

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's single writer hides races"),
]

PARENTS = 20
PLACES = 4
ROUNDS = 5




def assert_counters_match_the_answers():
    counted = Counter(Answer.objects.filter(option__isnull=False).values_list("option_id", flat=True))
    for option in Option.objects.all():
        assert option.taken == counted.get(option.pk, 0), option.label
        assert option.capacity is None or option.taken <= option.capacity


def test_twenty_parents_racing_for_four_places_leave_exactly_four_signed_up_every_time():
    world = build_world()
    for round_number in range(ROUNDS):
        form = make_form(world, title=f"Rijden {round_number}")
        question = add_question(form, options=[("Heen", PLACES), ("Terug", PLACES)])
        wanted, other = options_of(question)
        parents = [family(world.group3)[0][0] for _n in range(PARENTS)]

        outcomes = race([lambda p=parent, f=form, w=wanted: sign_up(f, p, [w]) for parent in parents])

        winners = [o for o in outcomes if isinstance(o, Response)]
        losers = [o for o in outcomes if not isinstance(o, Response)]
        assert len(winners) == PLACES and len(losers) == PARENTS - PLACES, [repr(o) for o in losers]
        for error in losers:
            assert isinstance(error, signing.OptionFull), repr(error)
            assert error.message.startswith("Sorry, “Heen” is full"), error.message
            assert "Still free: “Terug” (4 places)." in error.message
            assert [option.pk for option in error.free_options] == [other.pk]
        wanted.refresh_from_db()
        assert wanted.taken == PLACES
        assert Answer.objects.filter(option=wanted).count() == PLACES
        assert Response.objects.filter(form=form).count() == PLACES
    assert_counters_match_the_answers()


def test_parents_after_several_slots_in_different_orders_neither_deadlock_nor_overbook():
    world = build_world()
    form = make_form(world)
    question = add_question(form, options=[("A", 3), ("B", 3), ("C", 3)])
    a, b, c = options_of(question)
    pairs = [(a, b), (b, c), (c, a), (b, a), (c, b), (a, c)] * 3  # 18 parents, each wants two slots
    parents = [family(world.group3)[0][0] for _pair in pairs]

    outcomes = race([lambda p=parent, pair=pair: sign_up(form, p, pair)
                     for parent, pair in zip(parents, pairs, strict=True)])

    assert all(isinstance(o, Response | signing.OptionFull) for o in outcomes), outcomes
    for option in Option.objects.all():
        assert option.taken <= option.capacity
    winners = [o for o in outcomes if isinstance(o, Response)]
    assert 1 <= len(winners) <= 4
    for response in winners:  # all or nothing: a winner has both slots
        assert response.answers.count() == 2
    assert_counters_match_the_answers()


def test_signing_up_while_others_withdraw_keeps_the_count_exact():
    world = build_world()
    form = make_form(world)
    question = add_question(form, options=[("Heen", PLACES)])
    (slot,) = options_of(question)
    early = [family(world.group3)[0][0] for _n in range(PLACES)]
    responses = [sign_up(form, parent, [slot]) for parent in early]
    late = [family(world.group3)[0][0] for _n in range(12)]

    attempts = [lambda r=response, p=parent: signing.withdraw(r, p)
                for response, parent in zip(responses[:2], early[:2], strict=True)]
    attempts += [lambda p=parent: sign_up(form, p, [slot]) for parent in late]
    outcomes = race(attempts)

    slot.refresh_from_db()
    assert slot.taken <= PLACES
    assert slot.taken == Answer.objects.filter(option=slot).count()
    signed_up = sum(isinstance(o, Response) for o in outcomes[2:])
    assert slot.taken == PLACES - 2 + signed_up and signed_up <= 2
    assert_counters_match_the_answers()


def test_two_guardians_of_one_family_signing_up_at_once_make_one_answer():
    world = build_world()
    form = make_form(world)
    question = add_question(form, options=[("Heen", 10)])
    (slot,) = options_of(question)
    families = [family(world.group3, guardians=2) for _n in range(6)]
    attempts = []
    for (mother, father), _children in families:
        attempts += [lambda m=mother: sign_up(form, m, [slot], expected=None),
                     lambda f=father: sign_up(form, f, [slot], expected=None)]

    outcomes = race(attempts)

    assert Response.objects.filter(form=form).count() == 6
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 6 and all(isinstance(e, signing.AnsweredMeanwhile) for e in errors), errors
    slot.refresh_from_db()
    assert slot.taken == 6


def test_two_guardians_of_one_child_answering_a_per_child_form_at_once_make_one_answer():
    world = build_world()
    form = make_form(world, per=Form.Per.CHILD)
    question = add_question(form, kind="single", options=[("Ja", None), ("Nee", None)])
    yes, _no = options_of(question)
    families = [family(world.group3, guardians=2) for _n in range(6)]
    attempts = []
    for (mother, father), (child,) in families:
        attempts += [lambda m=mother, c=child: sign_up(form, m, [yes], student=c, expected=None),
                     lambda f=father, c=child: sign_up(form, f, [yes], student=c, expected=None)]

    outcomes = race(attempts)

    assert Counter(Response.objects.filter(form=form).values_list("student_id", flat=True)) == {
        children[0].pk: 1 for _users, children in families
    }
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 6 and all(isinstance(e, signing.AnsweredMeanwhile) for e in errors), errors
