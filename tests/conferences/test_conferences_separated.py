"""Separated guardians: booking together (one conversation for the child, both see it) or each
their own (two conversations, neither sees the other's)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from schoolpoort.conferences import booking as domain
from schoolpoort.conferences.booking import Pick
from schoolpoort.conferences.families import children_in_round
from schoolpoort.conferences.models import FAMILY, Booking, Round
from tests.conferences.conferences_helpers import add_session, family, make_round, recipients, slots


def round_for(world, mode):
    round = make_round(world, mode=mode)
    add_session(round, world.users["teacher"], world.group3)
    return round


def test_booking_together_both_guardians_see_the_one_conversation(world):
    round = round_for(world, Round.GuardianMode.TOGETHER)
    first, second, *_ = slots(round)
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, first.pk)])
    (child,) = children_in_round(round, world.users["other_guardian"])
    assert child.booking.slot == first and child.booking.party == FAMILY
    with pytest.raises(domain.AlreadyBooked):
        domain.book(round, world.users["other_guardian"], [Pick(world.child.pk, second.pk)])
    # Both hear about it.
    assert recipients("conferences.booked") == sorted([world.users["guardian"].pk, world.users["other_guardian"].pk])


def test_separated_guardians_each_book_their_own_and_do_not_see_the_others(client, world):
    round = round_for(world, Round.GuardianMode.SEPARATELY)  # other_guardian keeps contact details to herself
    first, second, *_ = slots(round)
    father, mother = world.users["guardian"], world.users["other_guardian"]
    domain.book(round, father, [Pick(world.child.pk, first.pk)])
    assert recipients("conferences.booked") == [father.pk]  # only the one who booked hears about it
    (child,) = children_in_round(round, mother)
    assert child.booking is None and child.party == mother.pk
    domain.book(round, mother, [Pick(world.child.pk, second.pk)])
    assert Booking.objects.active().count() == 2
    assert {b.party for b in Booking.objects.all()} == {father.pk, mother.pk}

    assert list(Booking.objects.visible_to(father)) == [Booking.objects.get(party=father.pk)]
    assert list(Booking.objects.visible_to(mother)) == [Booking.objects.get(party=mother.pk)]
    client.force_login(mother)
    page = client.get(reverse("conferences:detail", args=[round.pk])).content.decode()
    mine, theirs = Booking.objects.get(party=mother.pk), Booking.objects.get(party=father.pk)
    assert f'data-booking="{mine.pk}"' in page and f'data-booking="{theirs.pk}"' not in page
    # Neither can touch the other's booking.
    with pytest.raises(domain.NotBookable):
        domain.cancel(round, mother, theirs.pk)
    assert client.post(reverse("conferences:cancel", args=[round.pk, theirs.pk])).status_code == 404
    # ... and one each is all.
    with pytest.raises(domain.AlreadyBooked):
        domain.book(round, mother, [Pick(world.child.pk, slots(round)[3].pk)])


def test_guardians_who_live_together_book_together_even_when_separated_ones_may_not(world):
    round = round_for(world, Round.GuardianMode.SEPARATELY)
    (mother, father), (child,) = family(world.group3, guardians=2)
    first, second, *_ = slots(round)
    domain.book(round, mother, [Pick(child.pk, first.pk)])
    assert Booking.objects.get().party == FAMILY
    with pytest.raises(domain.AlreadyBooked):
        domain.book(round, father, [Pick(child.pk, second.pk)])


def test_the_school_marks_a_pupils_guardians_as_separated_for_the_round(world):
    round = round_for(world, Round.GuardianMode.SEPARATELY)
    (mother, father), (child,) = family(world.group3, guardians=2)
    round.separate_students.add(child)
    first, second, *_ = slots(round)
    domain.book(round, mother, [Pick(child.pk, first.pk)])
    domain.book(round, father, [Pick(child.pk, second.pk)])
    assert sorted(Booking.objects.values_list("party", flat=True)) == sorted([mother.pk, father.pk])


def test_a_booking_of_the_whole_family_counts_for_a_separated_guardian_too(world):
    round = round_for(world, Round.GuardianMode.SEPARATELY)
    first, second, *_ = slots(round)
    # Before the school marked them, the family booked as a whole (or the school placed them together).
    from schoolpoort.conferences.booking import Entry, reserve

    reserve(round, [Entry(world.child.pk, first.pk, FAMILY, frozenset([world.group3.pk]))], booked_by=None,
            now=timezone.now())
    with pytest.raises(domain.AlreadyBooked):
        domain.book(round, world.users["other_guardian"], [Pick(world.child.pk, second.pk)])
