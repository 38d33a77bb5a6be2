"""No conference needed: a pupil or a whole group cannot book, is not notified and is not planned."""

import pytest
from django.urls import reverse

from schoolpoort.conferences import actions
from schoolpoort.conferences import booking as domain
from schoolpoort.conferences.booking import Pick
from schoolpoort.conferences.models import Exemption, Preference
from schoolpoort.conferences.planner import run
from tests.conferences.conferences_helpers import add_session, english, family, make_round, recipients, slots


@pytest.fixture
def round(world):
    round = make_round(world, groups=[world.group3, world.group6], announced=False)
    add_session(round, world.users["teacher"], world.group3)
    add_session(round, world.users["teacher_other_group"], world.group6)
    return round


def test_an_exempt_pupil_cannot_book_and_the_page_says_why(client, world, round):
    actions.set_exempt(round, world.users["teacher"], student=world.child, exempt=True)
    with pytest.raises(domain.NotBookable):
        domain.book(round, world.users["guardian"], [Pick(world.child.pk, slots(round)[0].pk)])
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    page = client.get(reverse("conferences:detail", args=[round.pk])).content.decode()
    assert "No conference is needed for Noor this time." in page
    assert 'name="pick"' not in page


def test_an_exempt_group_cannot_book(world, round):
    actions.set_exempt(round, world.users["director"], group=world.group6, exempt=True)
    with pytest.raises(domain.NotBookable):
        domain.book(round, world.users["guardian_other_group"],
                    [Pick(world.classmate_of_other_group.pk, slots(round, world.users["teacher_other_group"])[0].pk)])
    actions.set_exempt(round, world.users["director"], group=world.group6, exempt=False)
    assert not Exemption.objects.exists()
    domain.book(round, world.users["guardian_other_group"],
                [Pick(world.classmate_of_other_group.pk, slots(round, world.users["teacher_other_group"])[0].pk)])


def test_exempt_pupils_and_groups_are_not_notified_when_booking_opens(world, round):
    (parent,), _children = family(world.group3)
    actions.set_exempt(round, world.users["teacher"], student=world.child, exempt=True)
    actions.set_exempt(round, world.users["director"], group=world.group6, exempt=True)
    actions.open_now(round)
    assert recipients("conferences.opened") == [parent.pk]


def test_exempt_pupils_are_not_planned(world):
    from django.utils import timezone

    from tests.conferences.conferences_helpers import DAY

    round = make_round(world, planning_at=timezone.now() + DAY)
    add_session(round, world.users["teacher"], world.group3)
    first = slots(round)[0]
    Preference.objects.create(round=round, user=world.users["guardian"],
                              windows=[[first.starts_at.isoformat(), slots(round)[-1].ends_at.isoformat()]])
    actions.set_exempt(round, world.users["teacher"], student=world.child, exempt=True)
    report = run(round.pk)
    assert report["families"] == 0 and report["placed"] == [] and not round.bookings.exists()
