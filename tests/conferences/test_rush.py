"""A round opening: every family at once. Two families after the same time end with one booking,
the other gets the nearest free times of the same teacher in the same answer (for brothers and
sisters whole back-to-back pairs, never half); a time another family is booking this very moment
is answered at once instead of waited for; the page they are sent back to offers those times as
one-tap choices from a fresh read; and the round page takes the same queries for one family and
one evening as for many. The races run on PostgreSQL (SQLite's single writer hides them)."""

import datetime
import functools
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schoolpoort.conferences import alternatives
from schoolpoort.conferences import booking as domain
from schoolpoort.conferences.booking import Pick
from schoolpoort.conferences.models import Booking, Slot
from schoolpoort.core.scopes import school_scope
from tests.concurrency import held_elsewhere, race
from tests.conferences.conferences_helpers import add_session, conference_day, family, make_round, slots
from tests.factories import GuardianshipFactory
from tests.world import build_world

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's single writer hides races")


def racing(test):
    """Real threads, each with its own connection, on committed data."""
    return pytest.mark.postgres_only(pytest.mark.django_db(transaction=True)(on_postgres(test)))


def times(suggestion) -> list[str]:
    return [timezone.localtime(slot.starts_at).strftime("%H:%M") for _child, slot in suggestion.picks]


def evening(world, round):
    """Group 3: its teacher 19:00-20:00 (six times) and, in the same group, another teacher."""
    add_session(round, world.users["teacher"], world.group3, start=(19, 0), end=(20, 0))
    add_session(round, world.users["teacher_other_group"], world.group3, start=(19, 0), end=(20, 0),
                location="the hall")
    return slots(round, world.users["teacher"])


@racing
def test_two_families_racing_for_one_time_end_with_one_booking_and_the_other_gets_the_nearest_times():
    world = build_world()
    round = make_round(world)
    mine = evening(world, round)
    (a,), (child_a,) = family(world.group3)
    (b,), (child_b,) = family(world.group3)
    wanted = mine[2]  # 19:20

    outcomes = race([
        lambda: domain.book(round, a, [Pick(child_a.pk, wanted.pk)]),
        lambda: domain.book(round, b, [Pick(child_b.pk, wanted.pk)]),
    ])

    assert list(Booking.objects.active().values_list("slot_id", flat=True)) == [wanted.pk]
    (lost,) = [o for o in outcomes if isinstance(o, Exception)]
    assert isinstance(lost, domain.SlotTaken), repr(lost)
    assert [slot.pk for slot in lost.lost] == [wanted.pk]
    # the same teacher's times nearest to 19:20, the earlier of two equally near first
    assert [times(s) for s in lost.alternatives] == [["19:10"], ["19:30"], ["19:00"]]
    assert {slot.teacher_id for s in lost.alternatives for _c, slot in s.picks} == {world.users["teacher"].pk}


def test_the_alternatives_are_the_nearest_free_times_of_the_same_teacher(world):
    round = make_round(world)
    mine = evening(world, round)
    (other,), (classmate,) = family(world.group3)
    (third,), (third_child,) = family(world.group3)
    domain.book(round, other, [Pick(classmate.pk, mine[4].pk)])  # 19:40
    domain.book(round, third, [Pick(third_child.pk, mine[3].pk)])  # 19:30, the nearest, is taken too
    with pytest.raises(domain.SlotTaken) as caught:
        domain.book(round, world.users["guardian"], [Pick(world.child.pk, mine[4].pk)])
    assert [times(s) for s in caught.value.alternatives] == [["19:50"], ["19:20"], ["19:10"]]
    assert all(s.picks[0][0].student == world.child for s in caught.value.alternatives)


def siblings_round(world, *, second_end=(20, 0)):
    round = make_round(world, groups=[world.group3, world.group6])
    add_session(round, world.users["teacher"], world.group3, start=(19, 0), end=(20, 0))
    add_session(round, world.users["teacher_other_group"], world.group6, start=(19, 0), end=second_end)
    return round, slots(round, world.users["teacher"]), slots(round, world.users["teacher_other_group"])


def test_families_who_lose_the_same_time_in_turn_are_offered_different_times(world):
    """The first loser gets the nearest times; the next one the nearest after those (round the
    window), so the two do not race for the same three again."""
    round = make_round(world)
    mine = evening(world, round)
    (winner,), (winner_child,) = family(world.group3)
    domain.book(round, winner, [Pick(winner_child.pk, mine[2].pk)])  # 19:20
    offered, turns = [], []
    for _ in range(2):
        (loser,), (child,) = family(world.group3)
        with pytest.raises(domain.SlotTaken) as caught:
            domain.book(round, loser, [Pick(child.pk, mine[2].pk)])
        offered.append([times(s)[0] for s in caught.value.alternatives])
        turns.append(caught.value.turn)
    assert turns == [0, 1]
    assert offered[0] == ["19:10", "19:30", "19:00"]
    # the five free times nearest first are 19:10, 19:30, 19:00, 19:40, 19:50: the second loser
    # starts at the fourth and wraps round, shown nearest first again
    assert offered[1] == ["19:10", "19:40", "19:50"]
    assert set(offered[0]) | set(offered[1]) == {"19:00", "19:10", "19:30", "19:40", "19:50"}


def test_a_time_lost_again_after_the_turn_window_starts_a_new_first_loser(world):
    round = make_round(world)
    mine = evening(world, round)
    (winner,), (winner_child,) = family(world.group3)
    domain.book(round, winner, [Pick(winner_child.pk, mine[2].pk)])
    assert alternatives.turn_of_loser(round.pk, [mine[2].pk]) == 0
    assert alternatives.turn_of_loser(round.pk, [mine[2].pk]) == 1
    assert alternatives.turn_of_loser(round.pk, [mine[3].pk]) == 0  # another time, its own count
    caches[settings.RATELIMIT_USE_CACHE].delete(f"conferences:lost:{round.pk}:{mine[2].pk}")  # as if expired
    assert alternatives.turn_of_loser(round.pk, [mine[2].pk]) == 0


def test_the_turns_share_out_the_nearest_window_and_never_repeat_a_time_within_one_set(world):
    round = make_round(world)
    add_session(round, world.users["teacher"], world.group3, start=(17, 0), end=(21, 0))  # 24 times
    evening_slots = slots(round, world.users["teacher"])
    lost = evening_slots[12]  # 19:00
    free = [slot for slot in evening_slots if slot.pk != lost.pk]
    for slot in free:
        slot.taken = slot.blocked = False
    child = type("Child", (), {"group_ids": {world.group3.pk}})()
    sets = [
        [slot for suggestion in alternatives.around([lost], [child], free, turn=turn) for _c, slot in suggestion.picks]
        for turn in range(5)
    ]
    assert all(len(found) == len(set(found)) == alternatives.LIMIT for found in sets)
    nearest = sorted(free, key=lambda slot: (abs(slot.starts_at - lost.starts_at), slot.starts_at))
    window = nearest[: alternatives.WINDOW]
    assert set().union(*sets[:4]) == set(window)  # four turns of three cover the twelve nearest once
    assert sets[4] == sets[0]  # then round again


def test_siblings_who_lose_their_pair_get_whole_back_to_back_pairs_nearest_to_it(world):
    round, three, six = siblings_round(world)
    (parent,), (younger, older) = family(world.group3, world.group6)
    (rival,), (r_younger, r_older) = family(world.group3, world.group6)
    domain.book(round, rival, [Pick(r_younger.pk, three[2].pk), Pick(r_older.pk, six[3].pk)])  # 19:20, 19:30
    with pytest.raises(domain.SlotTaken) as caught:
        domain.book(round, parent, [Pick(younger.pk, three[2].pk), Pick(older.pk, six[3].pk)])
    found = caught.value.alternatives
    assert found and all(len(s.picks) == 2 for s in found)
    assert all({child.student for child, _slot in s.picks} == {younger, older} for s in found)
    for suggestion in found:
        (_a, first), (_b, second) = suggestion.picks
        assert datetime.timedelta(0) <= second.starts_at - first.ends_at <= datetime.timedelta(minutes=10)
        assert not suggestion.slot_ids & {three[2].pk, six[3].pk}
    assert not any(a.slot_ids & b.slot_ids for a in found for b in found if a is not b)
    starts = [abs(s.starts_at - three[2].starts_at) for s in found]
    assert starts == sorted(starts)
    assert not Booking.objects.filter(student__in=[younger, older]).exists()


def test_siblings_get_nothing_rather_than_half_a_pair(world):
    round, three, six = siblings_round(world, second_end=(19, 10))  # one time for the older child
    (parent,), (younger, older) = family(world.group3, world.group6)
    (rival,), (r_younger, r_older) = family(world.group3, world.group6)
    domain.book(round, rival, [Pick(r_younger.pk, three[1].pk), Pick(r_older.pk, six[0].pk)])
    with pytest.raises(domain.SlotTaken) as caught:
        domain.book(round, parent, [Pick(younger.pk, three[1].pk), Pick(older.pk, six[0].pk)])
    assert caught.value.alternatives == []
    assert not Booking.objects.filter(student__in=[younger, older]).exists()


@racing
def test_sibling_families_racing_for_the_same_pair_end_with_one_whole_pair():
    world = build_world()
    round, three, six = siblings_round(world)
    families = [family(world.group3, world.group6) for _ in range(4)]

    def attempt(n):
        (parent,), (younger, older) = families[n]
        picks = [Pick(younger.pk, three[2].pk), Pick(older.pk, six[3].pk)]
        return lambda: domain.book(round, parent, picks if n % 2 else picks[::-1])

    outcomes = race([attempt(n) for n in range(4)])

    winners = [n for n, o in enumerate(outcomes) if not isinstance(o, Exception)]
    assert len(winners) == 1
    for n, (_parents, children) in enumerate(families):
        assert Booking.objects.active().filter(student__in=children).count() == (2 if n in winners else 0)
        if n not in winners:
            assert isinstance(outcomes[n], domain.SlotTaken), repr(outcomes[n])
            assert all(len(s.picks) == 2 for s in outcomes[n].alternatives)


@racing
def test_a_time_another_family_is_booking_right_now_is_answered_at_once_not_waited_for():
    world = build_world()
    round = make_round(world)
    mine = evening(world, round)
    with held_elsewhere(lambda: list(Slot.objects.select_for_update().filter(pk=mine[0].pk))):
        started = timezone.now()
        with pytest.raises(domain.SlotTaken) as caught:
            domain.book(round, world.users["guardian"], [Pick(world.child.pk, mine[0].pk)])
        assert timezone.now() - started < datetime.timedelta(seconds=5)  # not the holder's 30 s
        assert [times(s) for s in caught.value.alternatives] == [["19:10"], ["19:20"], ["19:30"]]
    assert not Booking.objects.exists()


@racing
def test_a_booking_in_progress_locks_only_its_own_slot_not_the_round():
    """In a request's scope the slot query joins the round: its lock must not take the round's row
    (every other family's booking would wait on it, or skip their free time as taken)."""
    world = build_world()
    round = make_round(world)
    mine = evening(world, round)
    in_school = functools.partial(school_scope, [world.school.pk])
    with held_elsewhere(lambda: domain._lock_slots(round, [mine[0].pk], skip_locked=True), scope=in_school):
        started = timezone.now()
        with school_scope([world.school.pk]):
            domain.book(round, world.users["guardian"], [Pick(world.child.pk, mine[1].pk)])
        assert timezone.now() - started < datetime.timedelta(seconds=5)
    assert list(Booking.objects.active().values_list("slot_id", flat=True)) == [mine[1].pk]


# --- The page ------------------------------------------------------------------------------------


def test_the_page_a_loser_is_sent_back_to_offers_the_nearest_times_with_one_tap(client, world):
    round = make_round(world)
    mine = evening(world, round)
    (other,), (classmate,) = family(world.group3)
    domain.book(round, other, [Pick(classmate.pk, mine[2].pk)])
    client.force_login(world.users["guardian"])
    response = client.post(reverse("conferences:book", args=[round.pk]), {"pick": f"{world.child.pk}:{mine[2].pk}"})
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query) == {"bezet": [f"{world.child.pk}:{mine[2].pk}"]}
    page = client.get(response["Location"]).content.decode()
    assert f'data-just-taken="{mine[2].pk}"' in page
    card = page[page.index("data-just-taken"):page.index("</section>", page.index("data-just-taken"))]
    offered = [f"{world.child.pk}:{slot.pk}" for slot in (mine[1], mine[3], mine[0])]
    assert [v for v in offered if f'name="pick" value="{v}"' in card] == offered
    assert card.index(offered[0]) < card.index(offered[1]) < card.index(offered[2])
    # one tap books it
    client.post(reverse("conferences:book", args=[round.pk]), {"pick": offered[0]})
    assert Booking.objects.get(student=world.child).slot == mine[1]


def test_the_page_never_offers_a_time_taken_since_the_refusal(client, world):
    round = make_round(world)
    mine = evening(world, round)
    (other,), (classmate,) = family(world.group3)
    (third,), (third_child,) = family(world.group3)
    domain.book(round, other, [Pick(classmate.pk, mine[2].pk)])
    client.force_login(world.users["guardian"])
    location = client.post(
        reverse("conferences:book", args=[round.pk]), {"pick": f"{world.child.pk}:{mine[2].pk}"}
    )["Location"]
    domain.book(round, third, [Pick(third_child.pk, mine[1].pk)])  # the nearest, taken meanwhile
    page = client.get(location).content.decode()
    card = page[page.index("data-just-taken"):page.index("</section>", page.index("data-just-taken"))]
    assert f'value="{world.child.pk}:{mine[1].pk}"' not in card
    assert f'value="{world.child.pk}:{mine[3].pk}"' in card


def test_a_time_that_is_free_again_shows_no_card(client, world):
    round = make_round(world)
    mine = evening(world, round)
    client.force_login(world.users["guardian"])
    url = reverse("conferences:detail", args=[round.pk]) + f"?bezet={world.child.pk}:{mine[2].pk}"
    page = client.get(url).content.decode()
    assert "data-just-taken" not in page


def test_the_second_family_sent_back_for_the_same_time_is_offered_the_next_times(client, world):
    round = make_round(world)
    mine = evening(world, round)
    (winner,), (winner_child,) = family(world.group3)
    domain.book(round, winner, [Pick(winner_child.pk, mine[2].pk)])
    (first,), (first_child,) = family(world.group3)
    with pytest.raises(domain.SlotTaken):
        domain.book(round, first, [Pick(first_child.pk, mine[2].pk)])
    client.force_login(world.users["guardian"])
    location = client.post(reverse("conferences:book", args=[round.pk]), {"pick": f"{world.child.pk}:{mine[2].pk}"})[
        "Location"
    ]
    assert parse_qs(urlsplit(location).query)["beurt"] == ["1"]
    page = client.get(location).content.decode()
    card = page[page.index("data-just-taken"):page.index("</section>", page.index("data-just-taken"))]
    offered = re.findall(r'name="pick" value="\d+:(\d+)"', card)
    assert offered == [str(mine[1].pk), str(mine[4].pk), str(mine[5].pk)]  # 19:10, 19:40, 19:50
    # a hand-made turn is only a number: nonsense reads as the first
    page = client.get(location.replace("beurt=1", "beurt=x")).content.decode()
    card = page[page.index("data-just-taken"):page.index("</section>", page.index("data-just-taken"))]
    assert re.findall(r'name="pick" value="\d+:(\d+)"', card) == [str(mine[1].pk), str(mine[3].pk), str(mine[0].pk)]


def test_siblings_sent_back_get_pairs_as_one_tap_choices(client, world):
    round, three, six = siblings_round(world)
    (rival,), (r_younger, r_older) = family(world.group3, world.group6)
    domain.book(round, rival, [Pick(r_younger.pk, three[2].pk), Pick(r_older.pk, six[3].pk)])
    sibling = family(world.group6)[1][0]
    GuardianshipFactory(student=sibling, user=world.users["guardian"])
    client.force_login(world.users["guardian"])
    location = client.post(
        reverse("conferences:book", args=[round.pk]),
        {"pick": f"{world.child.pk}:{three[2].pk},{sibling.pk}:{six[3].pk}"},
    )["Location"]
    page = client.get(location).content.decode()
    card = page[page.index("data-just-taken"):page.index("</section>", page.index("data-just-taken"))]
    values = re.findall(r'name="pick" value="([\d:,]+)"', card)
    assert values and all(v.count(":") == 2 for v in values)


def page_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_the_round_page_takes_the_same_queries_for_one_family_and_one_evening_as_for_many(client, world):
    round = make_round(world, groups=[world.group3, world.group6])
    add_session(round, world.users["teacher"], world.group3, start=(19, 0), end=(19, 10))  # one time
    client.force_login(world.users["guardian"])
    url = reverse("conferences:detail", args=[round.pk])
    one = page_queries(client, url)
    lost_url = url + f"?bezet={world.child.pk}:{slots(round)[0].pk}"
    for n in range(4):
        add_session(round, world.users["teacher"], world.group3, day=conference_day(5 + n), start=(18, 0),
                    end=(21, 0))
        add_session(round, world.users["teacher_other_group"], world.group6, day=conference_day(5 + n),
                    start=(18, 0), end=(21, 0))
    (rival,), (rival_child,) = family(world.group3)
    domain.book(round, rival, [Pick(rival_child.pk, slots(round)[0].pk)])
    free = domain.free_slots(round, [world.group3.pk])
    for n in range(30):
        (parent,), (child,) = family(world.group3)
        domain.book(round, parent, [Pick(child.pk, free[n].pk)])
    sibling = family(world.group6)[1][0]
    GuardianshipFactory(student=sibling, user=world.users["guardian"])  # two children: suggestions too
    many = page_queries(client, url)
    many_lost = page_queries(client, lost_url)
    assert many == one
    assert many_lost == one  # the card of alternatives reads nothing more


def test_the_card_answers_only_for_the_familys_own_children(client, world):
    round = make_round(world)
    mine = evening(world, round)
    (other,), (classmate,) = family(world.group3)
    domain.book(round, other, [Pick(classmate.pk, mine[2].pk)])
    client.force_login(world.users["guardian"])
    url = reverse("conferences:detail", args=[round.pk]) + f"?bezet={classmate.pk}:{mine[2].pk}"
    assert "data-just-taken" not in client.get(url).content.decode()
