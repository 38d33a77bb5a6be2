"""The pages: a fixed number of queries on the booking page and the schedule whatever their size;
the staff pages that make a round, add times, block, mark, place, print and export; the preferred
times; the home block."""

import csv
import datetime
import io

import pytest
from django.utils.html import escape
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schoolpoort.conferences import booking as domain
from schoolpoort.conferences.booking import Pick
from schoolpoort.conferences.models import Appointment, Booking, Exemption, Preference, Round, Session
from schoolpoort.core.models import AuditEntry
from tests.conferences.conferences_helpers import (
    DAY,
    add_session,
    conference_day,
    english,
    family,
    make_round,
    slots,
    tasks,
)
from tests.factories import GuardianshipFactory, enrolled_student


def grow(world, round, first, count):
    """``count`` more evenings per teacher, and ``count`` * 2 more families who booked."""
    for n in range(first, first + count):
        day = conference_day(4 + n)
        add_session(round, world.users["teacher"], world.group3, day=day)
        add_session(round, world.users["teacher_other_group"], world.group6, day=day)
    free3 = domain.free_slots(round, [world.group3.pk])
    free6 = domain.free_slots(round, [world.group6.pk])
    for n in range(count * 2):
        (parent,), (a, b) = family(world.group3, world.group6)
        domain.book(round, parent, [Pick(a.pk, free3[2 * n].pk), Pick(b.pk, free6[2 * n + 1].pk)])


def page_queries(client, url) -> list[str]:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def own(queries) -> list[str]:
    """The page's own queries, not those of the site's header (they change as modules are added)."""
    return [sql for sql in queries if '"conferences_' in sql]


def test_the_booking_page_takes_a_fixed_number_of_queries(client, world):
    round = make_round(world, groups=[world.group3, world.group6], mode=Round.GuardianMode.SEPARATELY,
                       planning_at=timezone.now() + DAY)
    grow(world, round, 0, 1)
    sibling = enrolled_student(world.group6)
    GuardianshipFactory(student=sibling, user=world.users["guardian"])
    last = slots(round, world.users["teacher_other_group"])[-1]
    domain.book(round, world.users["guardian"], [Pick(sibling.pk, last.pk)])
    client.force_login(world.users["guardian"])
    url = reverse("conferences:detail", args=[round.pk])
    small = page_queries(client, url)
    grow(world, round, 1, 3)
    large = page_queries(client, url)
    assert len(large) == len(small)
    # round, its groups, exemptions, separated guardians, bookings, slots, preference (beside them the
    # children's enrollments and the notifications read, which name no conference table)
    assert len(own(large)) == 7, own(large)


def test_the_schedule_takes_a_fixed_number_of_queries(client, world):
    round = make_round(world, groups=[world.group3, world.group6])
    grow(world, round, 0, 1)
    client.force_login(world.users["teacher"])
    url = reverse("conferences:schedule", args=[round.pk]) + f"?leerkracht={world.users['teacher'].pk}"
    small = page_queries(client, url)
    grow(world, round, 1, 3)
    large = page_queries(client, url)
    assert client.get(url).content.decode().count('data-status="booked"') == 8
    assert len(large) == len(small)
    # round, its groups, staff check, sessions, slots, bookings, the appointments' other bookings
    # (beside them the guardians' names, from core)
    assert len(own(large)) == 7, own(large)


def test_the_teacher_sees_who_comes_with_the_guardians_and_the_siblings_other_time(client, world):
    round = make_round(world, groups=[world.group3, world.group6])
    add_session(round, world.users["teacher"], world.group3)
    add_session(round, world.users["teacher_other_group"], world.group6)
    sibling = enrolled_student(world.group6, first_name="Sem")
    GuardianshipFactory(student=sibling, user=world.users["guardian"])
    three, six = slots(round, world.users["teacher"]), slots(round, world.users["teacher_other_group"])
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, three[0].pk), Pick(sibling.pk, six[1].pk)])
    english(world.users["teacher"])
    client.force_login(world.users["teacher"])
    page = client.get(reverse("conferences:schedule", args=[round.pk])).content.decode()
    assert "Noor Jansen" in page
    assert escape(world.users["guardian"].get_full_name()) in page and escape(world.users["other_guardian"].get_full_name()) in page
    assert f"also at {timezone.localtime(six[1].starts_at):%H:%M} with" in page
    assert "Sem" not in page  # a pupil of another group: only the other teacher's time is shown
    assert page.count('data-status="booked"') == 1 and page.count('data-status="free"') == len(three) - 1


def test_staff_make_a_round_and_add_times(client, world):
    english(world.users["director"])
    client.force_login(world.users["director"])
    now = timezone.localtime()
    response = client.post(reverse("conferences:create"), {
        "title": "Tienminutengesprekken", "groups": [world.group3.pk, world.group6.pk], "location": "Aula",
        "video_link": "", "booking_opens_at": f"{now + DAY:%Y-%m-%dT%H:%M}",
        "booking_closes_at": f"{now + 3 * DAY:%Y-%m-%dT%H:%M}", "planning_at": f"{now + 2 * DAY:%Y-%m-%dT%H:%M}",
        "separated_guardians": "separately", "slot_minutes": 15, "break_every": 4, "break_minutes": 10,
        "remind_day_before": "on",
    })
    round = Round.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("conferences:add_session", args=[round.pk])
    assert set(round.groups.all()) == {world.group3, world.group6} and round.books_separately
    assert tasks("open_round").count() == 1 and tasks("plan_round").count() == 1
    day = conference_day(5)
    response = client.post(reverse("conferences:add_session", args=[round.pk]), {
        "teacher": world.users["teacher"].pk, "group": world.group3.pk, "date": day.isoformat(),
        "starts_at": "18:00", "ends_at": "20:00", "breaks": "19:00-19:15", "location": "Lokaal 3",
    }, follow=True)
    assert "conversations" in response.content.decode()
    session = Session.objects.get()
    assert [f"{timezone.localtime(s.starts_at):%H:%M}" for s in session.slots.order_by("starts_at")] == [
        "18:00", "18:15", "18:30", "18:45", "19:15", "19:30", "19:45"]
    assert tasks("send_reminders").count() == 1


def test_the_form_checks_the_order_of_the_moments(client, world):
    english(world.users["director"])
    client.force_login(world.users["director"])
    now = timezone.localtime()
    response = client.post(reverse("conferences:create"), {
        "title": "X", "groups": [world.group3.pk], "booking_opens_at": f"{now:%Y-%m-%dT%H:%M}",
        "booking_closes_at": f"{now - DAY:%Y-%m-%dT%H:%M}", "planning_at": f"{now + 5 * DAY:%Y-%m-%dT%H:%M}",
        "separated_guardians": "together", "slot_minutes": 10, "break_every": 2, "break_minutes": 0,
    })
    page = response.content.decode()
    assert "Booking must close after it opens." in page and "How long is the break?" in page
    assert not Round.objects.exists()


def test_a_teacher_blocks_a_free_time_but_not_a_booked_one(client, world):
    round = make_round(world)
    add_session(round, world.users["teacher"], world.group3)
    first, second, *_ = slots(round)
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, first.pk)])
    client.force_login(world.users["teacher"])
    client.post(reverse("conferences:toggle_block", args=[round.pk, second.pk]))
    client.post(reverse("conferences:toggle_block", args=[round.pk, first.pk]))
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.blocked and not first.blocked
    (other,), (classmate,) = family(world.group3)
    with pytest.raises(domain.SlotTaken):
        domain.book(round, other, [Pick(classmate.pk, second.pk)])
    client.post(reverse("conferences:toggle_block", args=[round.pk, second.pk]))
    second.refresh_from_db()
    assert not second.blocked
    # Another teacher's slots are not theirs to block.
    client.force_login(world.users["teacher_other_group"])
    assert client.post(reverse("conferences:toggle_block", args=[round.pk, second.pk])).status_code == 404


def test_the_day_list_prints_and_exports(client, world):
    round = make_round(world)
    session = add_session(round, world.users["teacher"], world.group3, breaks="19:20-19:30")
    first, second, *_ = slots(round)
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, second.pk)])
    first.blocked = True
    first.save()
    english(world.users["teacher"])
    client.force_login(world.users["teacher"])
    day = session.date.isoformat()
    page = client.get(reverse("conferences:day_list", args=[round.pk, day])).content.decode()
    assert "Noor Jansen" in page and "data-print" in page
    response = client.get(reverse("conferences:day_csv", args=[round.pk, day]))
    assert response["Content-Type"] == "text/csv; charset=utf-8" and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Start", "End", "Pupil", "Group", "Guardians", "Status"]
    assert rows[1][0] == "19:00" and rows[1][-1] == "blocked"
    assert rows[2][:3] == ["19:10", "19:20", "Noor Jansen"] and rows[2][-1] == "booked"
    assert world.users["other_guardian"].get_full_name() in rows[2][4]
    assert [row[0] for row in rows[3:]] == ["19:30", "19:40", "19:50"]
    read = AuditEntry.objects.get(action="records.view", actor=world.users["teacher"])  # ``core.audit``
    assert (read.object_id, read.detail) == (str(world.child.pk), {"part": "conference_schedule_export"})
    other_day = (session.date + datetime.timedelta(days=1)).isoformat()
    assert client.get(reverse("conferences:day_csv", args=[round.pk, other_day])).status_code == 404
    assert client.get(reverse("conferences:day_list", args=[round.pk, "gisteren"])).status_code == 404


def test_the_teacher_marks_pupils_and_places_a_family_that_did_not_book(client, world):
    round = make_round(world, closes=timezone.now() + datetime.timedelta(minutes=1))
    add_session(round, world.users["teacher"], world.group3)
    (parent,), (classmate,) = family(world.group3)
    english(world.users["teacher"])
    client.force_login(world.users["teacher"])
    page = client.get(reverse("conferences:pupils", args=[round.pk])).content.decode()
    assert "not booked" in page and escape(classmate.full_name) in page
    client.post(reverse("conferences:mark", args=[round.pk]), {"kind": "exempt", "student": classmate.pk})
    assert Exemption.objects.filter(round=round, student=classmate).exists()
    client.post(reverse("conferences:mark", args=[round.pk]), {"kind": "include", "student": classmate.pk})
    assert not Exemption.objects.exists()
    # groep 6 is not theirs
    response = client.post(reverse("conferences:mark", args=[round.pk]),
                           {"kind": "exempt", "student": world.classmate_of_other_group.pk})
    assert response.status_code == 404

    Round.objects.filter(pk=round.pk).update(booking_closes_at=timezone.now() - datetime.timedelta(minutes=1))
    slot = slots(round)[3]
    place_url = reverse("conferences:place", args=[round.pk, classmate.pk])
    assert str(slot.pk) in client.get(place_url).content.decode()
    response = client.post(place_url, {"slot": slot.pk, "party": 0})
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.student, booking.slot, booking.appointment.source) == (classmate, slot, Appointment.Source.STAFF)
    assert booking.booked_by == world.users["teacher"]


def test_preferred_times_are_given_changed_and_withdrawn(client, world):
    round = make_round(world, planning_at=timezone.now() + DAY)
    add_session(round, world.users["teacher"], world.group3, start=(18, 30), end=(20, 0))
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    detail = client.get(reverse("conferences:detail", args=[round.pk])).content.decode()
    assert reverse("conferences:preferences", args=[round.pk]) in detail
    url = reverse("conferences:preferences", args=[round.pk])
    form = client.get(url).context["form"]
    blocks = [value for value, _label in form.fields["windows"].choices]
    assert len(blocks) == 2  # 18:30-19:30 and 19:30-20:00
    client.post(url, {"windows": blocks[:1]})
    (preference,) = Preference.objects.all()
    assert preference.windows == [blocks[0].split("|")] and preference.user == world.users["guardian"]
    client.post(url, {"windows": blocks})
    assert len(Preference.objects.get().windows) == 2
    client.post(url, {})
    assert not Preference.objects.exists()
    # No preferences once the planner ran, or for a round without a planner.
    Round.objects.filter(pk=round.pk).update(planned_at=timezone.now())
    assert client.get(url).status_code == 404


def test_the_home_page_shows_the_next_conference_or_that_booking_is_open(client, world):
    round = make_round(world, title="Tienminutengesprekken")
    add_session(round, world.users["teacher"], world.group3)
    english(world.users["guardian"], world.users["teacher"])
    client.force_login(world.users["guardian"])
    page = client.get(reverse("web:home")).content.decode()
    assert "Tienminutengesprekken: booking is open until" in page
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, slots(round)[2].pk)])
    page = client.get(reverse("web:home")).content.decode()
    assert f"data-booking=\"{Booking.objects.get().pk}\"" in page and "booking is open until" not in page
    client.force_login(world.users["teacher"])
    assert "Your next conferences:" in client.get(reverse("web:home")).content.decode()
    client.force_login(world.users["guardian_other_school"])
    assert "conf-home" not in client.get(reverse("web:home")).content.decode()
