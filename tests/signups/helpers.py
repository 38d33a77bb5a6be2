"""Helpers of the sign-up tests: forms, questions and families made directly, answers through the
domain (``signing.submit``), and English pages for the assertions that read texts."""

from __future__ import annotations

import datetime

from django.utils import timezone

from schoolpoort.signups import signing
from schoolpoort.signups.models import Audience, Form, Option, Question, SquarePollOption, SquarePost
from tests.factories import GuardianshipFactory, UserFactory, enrolled_student

DAY = datetime.timedelta(days=1)


def english(*users):
    """Pages in English: the assertions read the English strings (the Dutch catalogue comes later)."""
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


def make_form(world, *, groups=None, school=None, per=Form.Per.FAMILY, deadline=None, published=True,
              creator=None, title="Rijden naar de kinderboerderij", **fields) -> Form:
    """A form of the world's school for ``groups`` (default: group 3), or for the whole ``school``."""
    school_wide = school is not None
    form = Form.objects.create(
        school=school or world.school,
        audience=Audience.SCHOOL if school_wide else Audience.GROUPS,
        title=title,
        deadline=deadline or timezone.now() + 3 * DAY,
        per=per,
        created_by=creator or world.users["teacher"],
        published_at=timezone.now() - datetime.timedelta(minutes=5) if published else None,
        **fields,
    )
    if not school_wide:
        form.groups.set(groups or [world.group3])
    return form


def add_question(form, kind=Question.Kind.SLOTS, text="Wanneer kunt u rijden?", options=(("Heen", 4),),
                 required=False) -> Question:
    position = form.questions.count() + 1
    question = Question.objects.create(form=form, kind=kind, text=text, required=required, position=position)
    Option.objects.bulk_create(
        Option(question=question, label=label, capacity=capacity, position=n)
        for n, (label, capacity) in enumerate(options, start=1)
    )
    return question


def family(*groups, guardians=1, school=None):
    """A family with one child in each of ``groups``: ([guardian users], [children])."""
    users = [UserFactory() for _n in range(guardians)]
    children = [enrolled_student(group) for group in groups]
    for child in children:
        for user in users:
            GuardianshipFactory(student=child, user=user)
    return users, children


def options_of(question) -> list[Option]:
    return list(Option.objects.filter(question=question).order_by("position", "pk"))


CURRENT = object()


def sign_up(form, user, options=(), *, student=None, texts=None, expected=CURRENT):
    """Sign up through the domain; ``expected`` is the response id the user saw (None: none yet;
    by default their current one)."""
    if expected is CURRENT:
        current = signing.current_response(form, user, student)
        expected = current.pk if current else None
    choices = signing.Choices(frozenset(o.pk for o in options), texts or {})
    return signing.submit(form, user, choices, student=student, expected_response_id=expected)


def make_square_post(world, *, author=None, kind=SquarePost.Kind.QUESTION, groups=None, school_wide=False,
                     poll=(), **fields) -> SquarePost:
    post = SquarePost.objects.create(
        school=world.school, audience=Audience.SCHOOL if school_wide else Audience.GROUPS, kind=kind,
        author=author or world.users["teacher"], title=fields.pop("title", "Wie helpt mee?"), **fields,
    )
    if not school_wide:
        post.groups.set(groups or [world.group3])
    SquarePollOption.objects.bulk_create(
        SquarePollOption(post=post, label=label, position=n) for n, label in enumerate(poll, start=1)
    )
    return post
