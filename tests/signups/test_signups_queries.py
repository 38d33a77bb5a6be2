"""The list, a form (for a parent and for staff), the results and a square post take the same number
of queries however many forms, questions, options, answers, families and reactions there are."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schoolpoort.signups import actions
from schoolpoort.signups.models import Form, Question, SquarePost
from tests.factories import GuardianshipFactory, enrolled_student
from tests.signups.helpers import add_question, family, make_form, make_square_post, options_of, sign_up


def count(client, url) -> int:
    """The queries of a page in its steady state: a first visit warms what a running server keeps
    (content types, the user's reach in the reach cache)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def filled_form(world, per=Form.Per.FAMILY, questions=1, families=1):
    """A form for group 3 with ``questions`` rounds of (slots, single, open) and ``families`` more
    families that answered everything."""
    form = make_form(world, per=per)
    for n in range(questions):
        add_question(form, text=f"Slots {n}", options=[(f"Heen {n}", 50), (f"Terug {n}", 50)])
        add_question(form, kind=Question.Kind.SINGLE, text=f"Keuze {n}", options=[("Ja", None), ("Nee", None)])
        add_question(form, kind=Question.Kind.OPEN, text=f"Open {n}")
    more_answers(form, world, families)
    return form


def more_answers(form, world, families):
    questions = list(form.questions.prefetch_related("options"))
    for _n in range(families):
        (parent,), (child,) = family(world.group3)
        chosen = [q.options.all()[0] for q in questions if q.has_options]
        texts = {q.pk: "Tekst" for q in questions if not q.has_options}
        sign_up(form, parent, chosen, texts=texts, student=child if form.per_child else None)


@pytest.mark.parametrize("role", ["guardian", "teacher", "director"])
def test_the_list_takes_the_same_number_of_queries_for_more_forms_and_posts(client, world, role):
    filled_form(world)
    make_form(world, published=False)
    make_form(world, deadline=timezone.now() - datetime.timedelta(days=1))
    make_square_post(world)
    client.force_login(world.users[role])
    small = count(client, reverse("signups:index"))
    for _n in range(4):
        filled_form(world, questions=2, families=2)
        post = make_square_post(world, school_wide=True)
        actions.react(post, world.users["guardian"], "Ik help")
    make_form(world, published=False)
    assert count(client, reverse("signups:index")) == small


@pytest.mark.parametrize("per", [Form.Per.FAMILY, Form.Per.CHILD])
@pytest.mark.parametrize("role", ["guardian", "teacher"])
def test_a_form_takes_the_same_number_of_queries_for_more_questions_and_answers(client, world, role, per):
    small_form = filled_form(world, per=per)
    big_form = filled_form(world, per=per, questions=4, families=6)
    for form in (small_form, big_form):
        questions = list(form.questions.all())
        sign_up(form, world.users["guardian"], [q.options.first() for q in questions if q.has_options],
                student=world.child if form.per_child else None)
    client.force_login(world.users[role])
    small = count(client, small_form.get_absolute_url())
    assert count(client, big_form.get_absolute_url()) == small


@pytest.mark.parametrize("per", [Form.Per.FAMILY, Form.Per.CHILD])
def test_a_form_takes_the_same_number_of_queries_for_more_children(client, world, per):
    form = filled_form(world, per=per)
    form.groups.add(world.group6)
    slot = options_of(form.questions.first())[0]
    (parent,), (first,) = family(world.group3)
    sign_up(form, parent, [slot], student=first if form.per_child else None)
    client.force_login(parent)
    small = count(client, form.get_absolute_url())
    more = [enrolled_student(world.group3), enrolled_student(world.group6)]
    for child in more:
        GuardianshipFactory(student=child, user=parent)
        if form.per_child:
            sign_up(form, parent, [slot], student=child)
    assert count(client, form.get_absolute_url()) == small


@pytest.mark.parametrize("per", [Form.Per.FAMILY, Form.Per.CHILD])
def test_the_results_take_the_same_number_of_queries_for_more_answers(client, world, per):
    form = filled_form(world, per=per, questions=2, families=1)
    client.force_login(world.users["teacher"])
    small = count(client, reverse("signups:results", args=[form.pk]))
    small_csv = count(client, reverse("signups:export", args=[form.pk]))
    more_answers(form, world, 8)
    for _n in range(3):
        family(world.group3, guardians=2)  # not answered yet
    assert count(client, reverse("signups:results", args=[form.pk])) == small
    assert count(client, reverse("signups:export", args=[form.pk])) == small_csv


@pytest.mark.parametrize("role", ["guardian", "teacher"])
def test_a_square_post_takes_the_same_number_of_queries_for_more_reactions_and_votes(client, world, role):
    post = make_square_post(world, kind=SquarePost.Kind.POLL, poll=["Ja", "Nee"])
    actions.react(post, world.users["other_guardian"], "Eerste")
    client.force_login(world.users[role])
    small = count(client, post.get_absolute_url())
    yes, no = post.poll_options.all()
    for n in range(8):
        (parent,), _children = family(world.group3)
        actions.react(post, parent, f"Reactie {n}")
        actions.vote(post, parent, yes if n % 2 else no)
    removed = actions.react(post, world.users["other_guardian"], "Weg ermee")
    actions.remove_reaction(removed, world.users["teacher"], moderated=True)
    assert count(client, post.get_absolute_url()) == small
