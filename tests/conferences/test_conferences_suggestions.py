"""Back-to-back suggestions for a family with several children: one time per child, one right
after the other with the children's different teachers; accepting one books them all, or none."""

import datetime

import pytest
from django.urls import reverse

from schoolpoort.conferences import booking as domain
from schoolpoort.conferences.booking import Pick, parse_picks
from schoolpoort.conferences.families import children_in_round
from schoolpoort.conferences.models import Appointment, Booking
from schoolpoort.conferences.suggestions import best, combinations
from tests.conferences.conferences_helpers import add_session, english, family, make_round, slots


@pytest.fixture
def round(world):
    round = make_round(world, groups=[world.group3, world.group6])
    add_session(round, world.users["teacher"], world.group3, start=(19, 0), end=(20, 0))
    add_session(round, world.users["teacher_other_group"], world.group6, start=(19, 0), end=(20, 0))
    return round


@pytest.fixture
def parents(world):
    """A family with a child in groep 3 and one in groep 6."""
    (parent,), (younger, older) = family(world.group3, world.group6)
    return parent, younger, older


def free(round):
    return domain.free_slots(round, [g.pk for g in round.groups.all()])


def test_suggestions_put_the_children_right_after_each_other_with_their_own_teachers(world, round, parents):
    parent, younger, older = parents
    children = children_in_round(round, parent)
    found = combinations(children, free(round))
    assert found
    for suggestion in found:
        (child_a, slot_a), (child_b, slot_b) = suggestion.picks
        assert slot_b.starts_at == slot_a.ends_at  # back to back, no wait
        assert {child_a.student, child_b.student} == {younger, older}
        teacher_of = {younger: world.users["teacher"].pk, older: world.users["teacher_other_group"].pk}
        assert slot_a.teacher_id == teacher_of[child_a.student] and slot_b.teacher_id == teacher_of[child_b.student]
    # Both orders: groep 3 first, and groep 6 first.
    assert {s.picks[0][0].student for s in found} == {younger, older}


def test_the_page_shows_a_few_different_suggestions(world, round, parents):
    parent, *_ = parents
    shown = best(children_in_round(round, parent), free(round))
    assert 1 <= len(shown) <= 3
    used = [slot_id for s in shown for slot_id in s.slot_ids]
    assert len(used) == len(set(used))  # never sharing a time
    assert [s.starts_at for s in shown] == sorted(s.starts_at for s in shown)


def test_times_taken_by_others_are_left_out_and_a_short_wait_is_accepted(world, round, parents):
    parent, younger, older = parents
    teacher3 = slots(round, world.users["teacher"])
    teacher6 = slots(round, world.users["teacher_other_group"])

    def only(teacher_slots, *free_ones):
        for slot in teacher_slots:
            slot.blocked = slot not in free_ones
            slot.save()

    def found():
        return combinations(children_in_round(round, parent), free(round))

    only(teacher6, teacher6[3])  # groep 6: only 19:30
    only(teacher3, teacher3[0])  # groep 3: only 19:00, a wait of 20 minutes
    assert found() == []
    only(teacher3, teacher3[0], teacher3[1])  # 19:10-19:20, then 19:30: a wait of 10 minutes is fine
    (suggestion,) = found()
    assert [slot.pk for _c, slot in suggestion.picks] == [teacher3[1].pk, teacher6[3].pk]
    assert suggestion.wait == datetime.timedelta(minutes=10)
    only(teacher3, teacher3[0], teacher3[1], teacher3[2])  # 19:20-19:30 fits without a wait: it comes first
    first, *_rest = found()
    assert [slot.pk for _c, slot in first.picks] == [teacher3[2].pk, teacher6[3].pk]
    assert first.wait == datetime.timedelta(0)


def test_accepting_a_suggestion_books_both_children_in_one_appointment(client, world, round, parents):
    parent, younger, older = parents
    english(parent)
    client.force_login(parent)
    page = client.get(reverse("conferences:detail", args=[round.pk])).content.decode()
    assert 'data-action="accept-suggestion"' in page
    suggestion = best(children_in_round(round, parent), free(round))[0]
    response = client.post(reverse("conferences:book", args=[round.pk]), {"pick": suggestion.value}, follow=True)
    assert "one after the other" in response.content.decode()
    (appointment,) = Appointment.objects.all()
    assert sorted(appointment.bookings.values_list("slot_id", flat=True)) == sorted(suggestion.slot_ids)
    assert set(appointment.bookings.values_list("student_id", flat=True)) == {younger.pk, older.pk}
    # Once booked, no more suggestions.
    page = client.get(reverse("conferences:detail", args=[round.pk])).content.decode()
    assert 'data-action="accept-suggestion"' not in page


def test_accepting_a_suggestion_is_all_or_nothing(world, round, parents):
    parent, younger, older = parents
    suggestion = best(children_in_round(round, parent), free(round))[0]
    (child_a, slot_a), (child_b, slot_b) = suggestion.picks
    (other,), (other_child,) = family(slot_b.group)
    domain.book(round, other, [Pick(other_child.pk, slot_b.pk)])  # someone takes the second time meanwhile
    with pytest.raises(domain.SlotTaken):
        domain.book(round, parent, parse_picks([suggestion.value]))
    assert not Booking.objects.filter(student__in=[younger, older]).exists()


def test_no_suggestions_for_one_child_but_times_next_to_a_sibling_are_marked(client, world, round, parents):
    parent, younger, older = parents
    teacher3 = slots(round, world.users["teacher"])
    domain.book(round, parent, [Pick(younger.pk, teacher3[2].pk)])  # 19:20-19:30
    client.force_login(parent)
    response = client.get(reverse("conferences:detail", args=[round.pk]))
    assert "suggestions" not in response.context or not response.context["suggestions"]
    (child,) = [c for c in response.context["children"] if c.student == older]
    marked = sorted(slot.starts_at.astimezone(teacher3[0].starts_at.tzinfo) for slot in child.free_slots
                    if slot.pk in child.next_to_sibling)
    assert marked  # the groep 6 times right before and after (19:10, 19:30, and with a short wait 19:00, 19:40)
    assert all(abs((m - teacher3[2].starts_at).total_seconds()) <= 30 * 60 for m in marked)
    assert "conf-slot--next" in response.content.decode()


def test_a_parent_cannot_be_in_two_conversations_at_once(client, world, round, parents):
    parent, younger, older = parents
    three, six = slots(round, world.users["teacher"]), slots(round, world.users["teacher_other_group"])
    with pytest.raises(domain.NotBookable):
        domain.book(round, parent, [Pick(younger.pk, three[2].pk), Pick(older.pk, six[2].pk)])  # both 19:20
    domain.book(round, parent, [Pick(younger.pk, three[2].pk)])
    with pytest.raises(domain.NotBookable):
        domain.book(round, parent, [Pick(older.pk, six[2].pk)])
    domain.book(round, parent, [Pick(older.pk, six[3].pk)])
    booking = Booking.objects.get(student=younger)
    with pytest.raises(domain.NotBookable):
        domain.change(round, parent, booking.pk, three[3].pk)  # onto the other child's 19:30
    # The page shows the clashing time as not available for the other child.
    domain.cancel(round, parent, Booking.objects.get(student=older).pk)
    client.force_login(parent)
    response = client.get(reverse("conferences:detail", args=[round.pk]))
    (child,) = [c for c in response.context["children"] if c.student == older]
    assert child.clashes == {six[2].pk}
    assert f'data-slot="{six[2].pk}"' not in response.content.decode()
