"""Parent-teacher conferences in a real Chromium against the demo school: a parent books a time on a
360 px phone and changes it (the separated other parent does not see it); a parent of two children
takes the back-to-back suggestion; the teacher sees the bookings on the schedule and the day list."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from schoolpoort.accounts.models import User
from schoolpoort.conferences.models import Appointment, Booking, Round
from tests.e2e.test_foundation_flows import assert_fits_the_phone, log_in, signed_in_phone


def local_time(moment) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def test_a_parent_books_a_time_and_changes_it(demo, browser, live_server):
    round = Round.objects.get()
    phone = signed_in_phone(browser, live_server, "devries@ouders.example")
    # The home page says booking is open and leads to the round.
    phone.locator(f"section.conf-home a[href='/gesprekken/{round.pk}/']").first.click()
    expect(phone).to_have_url(f"{live_server.url}/gesprekken/{round.pk}/")
    lotte = phone.locator("section.conf-child", has_text="Lotte")
    expect(lotte.locator("label.conf-slot").first).to_be_visible()
    assert_fits_the_phone(phone)

    first_choice = lotte.locator("label.conf-slot").first
    chosen = first_choice.inner_text().strip()
    first_choice.click()
    lotte.locator("button[data-action=book]").click()
    expect(phone.locator(".message--success")).to_be_visible()
    expect(lotte.locator(".conf-booked")).to_contain_text(chosen)
    devries = User.objects.get(email="devries@ouders.example")
    booking = Booking.objects.active().get(student=demo.students["Lotte de Vries"])
    assert booking.party == devries.pk and local_time(booking.slot.starts_at) == chosen

    # Change it to another time.
    lotte.locator("a[data-action=change]").click()
    expect(lotte.locator("button[data-action=move]")).to_be_visible()
    second_choice = lotte.locator("label.conf-slot").nth(2)
    moved_to = second_choice.inner_text().strip()
    second_choice.click()
    lotte.locator("button[data-action=move]").click()
    expect(phone.locator(".message--success")).to_be_visible()
    expect(lotte.locator(".conf-booked")).to_contain_text(moved_to)
    booking.refresh_from_db()
    assert local_time(booking.slot.starts_at) == moved_to and booking.sequence == 1
    assert_fits_the_phone(phone)

    # The separated other parent books her own conversation and does not see his.
    other = signed_in_phone(browser, live_server, "bakker@ouders.example")
    other.goto(f"{live_server.url}/gesprekken/{round.pk}/")
    lotte_for_her = other.locator("section.conf-child", has_text="Lotte")
    expect(lotte_for_her.locator(".conf-booked")).to_have_count(0)
    expect(lotte_for_her.locator(f"label.conf-slot[data-slot='{booking.slot_id}']")).to_have_count(0)
    expect(lotte_for_her.locator("label.conf-slot").first).to_be_visible()


def test_a_parent_of_two_children_takes_the_back_to_back_suggestion(demo, browser, live_server):
    round = Round.objects.get()
    phone = signed_in_phone(browser, live_server, "jansen@ouders.example")
    phone.goto(f"{live_server.url}/gesprekken/")
    phone.locator(f"a[href='/gesprekken/{round.pk}/']").first.click()
    suggestion = phone.locator("li.conf-suggestion").first
    expect(suggestion).to_contain_text("Sem")
    expect(suggestion).to_contain_text("Noor")
    assert_fits_the_phone(phone)
    suggestion.locator("button[data-action=accept-suggestion]").click()
    expect(phone.locator(".message--success")).to_be_visible()
    expect(phone.locator("section.conf-child .conf-booked")).to_have_count(2)
    expect(phone.locator("li.conf-suggestion")).to_have_count(0)

    (appointment,) = Appointment.objects.filter(round=round, booked_by__email="jansen@ouders.example")
    sem, noor = demo.students["Sem Jansen"], demo.students["Noor Jansen"]
    bookings = sorted(appointment.bookings.select_related("slot__teacher"), key=lambda b: b.slot.starts_at)
    assert {b.student for b in bookings} == {sem, noor}
    assert bookings[1].slot.starts_at - bookings[0].slot.ends_at <= datetime.timedelta(minutes=10)
    teacher_of = {b.student: b.slot.teacher.email for b in bookings}
    assert teacher_of == {sem: "leerkracht.groep6@regenboog.example", noor: "leerkracht.groep3@regenboog.example"}


def test_the_teacher_sees_the_bookings_on_the_schedule(demo, browser, live_server):
    from schoolpoort.conferences.booking import Pick, book, free_slots

    round = Round.objects.get()
    jansen = User.objects.get(email="jansen@ouders.example")
    sem = demo.students["Sem Jansen"]
    group6 = demo.groups["99AA", "6"]
    slot = free_slots(round, [group6.pk])[0]
    book(round, jansen, [Pick(sem.pk, slot.pk)])
    booked = Booking.objects.active().filter(round=round, slot__teacher__email="leerkracht.groep6@regenboog.example")

    context = browser.new_context(locale="nl-NL")
    teacher = context.new_page()
    log_in(teacher, live_server.url, "leerkracht.groep6@regenboog.example")
    expect(teacher).to_have_url(f"{live_server.url}/")
    teacher.locator(f"section.conf-home a[href='/gesprekken/{round.pk}/rooster/']").click()
    expect(teacher.locator("tr[data-status=booked]")).to_have_count(booked.count())
    row = teacher.locator(f"tr#slot-{slot.pk}")
    expect(row).to_contain_text("Sem Jansen")
    expect(row).to_contain_text("Eva Jansen")
    expect(teacher.locator("main")).not_to_contain_text("Noor Jansen")  # groep 3 is not hers

    # The printable day list of that evening.
    day = timezone.localtime(slot.starts_at).date()
    teacher.locator(f"section[data-date='{day.isoformat()}'] a[href*='/rooster/{day.isoformat()}/?']").click()
    expect(teacher.locator("main table")).to_contain_text("Sem Jansen")
    expect(teacher.locator("button[data-print]")).to_be_visible()
