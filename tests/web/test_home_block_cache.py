"""The home page's blocks of news, albums, records, the calendar, the timetable, absences and
sign-ups are rendered once and kept per user (``core.blocks.cached_block``) under the versions of
the reach and of what they show. Every change they show must show on the next visit: a new or
deleted post, an album published (an ``update()``), a photo made ready (an ``update()``), a
photo's tags (a ``bulk_create``), a consent answer, an album deleted, an imported invoice (a
``bulk_create``), an event, a timetable entry, a day off, an absence reported and confirmed (an
``update()``), a form published (an ``update()``) and answered; and an album older than 30 days, a
correction handled more than two weeks ago or a form past its deadline leaves by the clock alone."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schoolpoort.albums import actions as album_actions
from schoolpoort.albums.models import Album, Photo
from schoolpoort.core.versions import content_changed
from tests.albums.helpers import add_photo, consent, make_album
from tests.factories import GuardianshipFactory, UserFactory, enrolled_student
from tests.news.news_helpers import english, make_post
from tests.world import build_world

HOME = reverse("web:home")


@pytest.fixture
def world(db):
    return build_world()


def home(client) -> str:
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def cached_home(client) -> str:
    """The home page again, and proof that both blocks came from the cache."""
    with CaptureQueriesContext(connection) as queries:
        page = home(client)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    tables = ("news_post", "albums_photo", "records_invoice", "calendar_event", "timetable_timetableentry",
              "absences_absence", "signups_form")
    for table in tables:
        assert f'"{table}"' not in sql
    return page


def test_the_news_block_shows_a_new_post_and_forgets_a_deleted_one_at_once(client, world):
    client.force_login(world.users["guardian"])
    make_post(world.users["director"], school=world.school, title="Eerste bericht")
    assert "Eerste bericht" in home(client)
    assert "Eerste bericht" in cached_home(client)

    newer = make_post(world.users["teacher"], groups=[world.group3], title="Tweede bericht")
    assert "Tweede bericht" in home(client)
    newer.delete()
    page = home(client)
    assert "Tweede bericht" not in page and "Eerste bericht" in page


def test_the_album_block_follows_publishing_processing_tags_and_consent(client, world):
    teacher, guardian = world.users["teacher"], world.users["guardian"]
    client.force_login(guardian)
    album = make_album(teacher, groups=[world.group3], published=False, title="Kamp")
    shown = add_photo(album, teacher)
    assert 'id="albums-home"' not in home(client)
    assert 'id="albums-home"' not in cached_home(client)

    assert album_actions.publish_album(album, teacher)  # an update() of the album's row
    page = home(client)
    assert 'id="albums-home"' in page and shown.thumb_url in page
    assert shown.thumb_url in cached_home(client)

    waiting = add_photo(album, teacher, ready=False)
    assert reverse("albums:thumb", args=[album.pk, waiting.pk]) not in home(client)  # not ready yet
    from schoolpoort.albums.processing import process_photo

    process_photo(waiting.pk)  # made ready by the worker: an update() of the photo's row
    waiting.refresh_from_db()
    assert waiting.status == Photo.Status.READY and waiting.thumb_url in home(client)

    daan = enrolled_student(world.group3, first_name="Daan", last_name="Smit")
    GuardianshipFactory(student=daan, user=UserFactory())
    album_actions.set_tags(shown, [daan], teacher)  # Daan's parents gave no consent (a bulk_create)
    assert shown.thumb_url not in home(client)
    consent(daan, True)
    assert shown.thumb_url in home(client)
    consent(daan, False)
    assert shown.thumb_url not in home(client)

    album.delete()
    assert 'id="albums-home"' not in home(client)


def test_an_album_leaves_the_block_after_thirty_days_without_any_write(client, world, monkeypatch):
    # The clock at noon (the cache's keys hold the date: the moment must come within one day).
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: noon)
    client.force_login(world.users["guardian"])
    album = make_album(world.users["teacher"], groups=[world.group3], title="Herfst")
    add_photo(album, world.users["teacher"])
    Album.objects.filter(pk=album.pk).update(published_at=noon - datetime.timedelta(days=30, seconds=-60))
    content_changed("albums")
    assert "Herfst" in home(client)
    assert "Herfst" in cached_home(client)
    later = noon + datetime.timedelta(seconds=61)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Herfst" not in home(client)


def test_one_parents_blocks_never_reach_another(client, world):
    make_post(world.users["teacher"], groups=[world.group3], title="Alleen groep 3")
    album = make_album(world.users["teacher"], groups=[world.group3], title="Groep 3 op pad")
    add_photo(album, world.users["teacher"])
    client.force_login(world.users["guardian"])
    page = home(client)
    assert "Alleen groep 3" in page and "Groep 3 op pad" in page
    client.force_login(world.users["guardian_other_group"])
    page = home(client)
    assert "Alleen groep 3" not in page and "Groep 3 op pad" not in page
    page = cached_home(client)
    assert "Alleen groep 3" not in page and "Groep 3 op pad" not in page


INVOICE_CSV = (
    "leerlingnummer;factuurnummer;omschrijving;bedrag;status;vervaldatum;betaald op;kenmerk\n"
    "{n};2026-101;Schoolkamp;85,00;open;01-12-2026;;SK-1\n"
)


def test_the_records_block_shows_an_imported_invoice_at_once(client, world):
    from schoolpoort.records import csvimport

    client.force_login(world.users["guardian"])
    assert "Schoolkamp" not in home(client)
    assert "Schoolkamp" not in cached_home(client)
    csvimport.apply(world.school, "invoices", INVOICE_CSV.format(n=world.child.sis_id).encode())  # bulk_create
    assert "Schoolkamp" in home(client)


def test_a_handled_correction_leaves_the_block_after_two_weeks_without_any_write(client, world, monkeypatch):
    from schoolpoort.records.models import CorrectionRequest

    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: noon)
    guardian = world.users["guardian"]
    CorrectionRequest.objects.create(
        student=world.child, school=world.school, subject="card", changes="{}", requested_by=guardian,
        due_on=noon.date(), status="processed", handled_at=noon - datetime.timedelta(days=14, seconds=-60),
    )
    client.force_login(guardian)
    assert 'id="records-home"' in home(client)
    assert 'id="records-home"' in cached_home(client)
    monkeypatch.setattr(timezone, "now", lambda: noon + datetime.timedelta(seconds=61))
    assert 'id="records-home"' not in home(client)


def test_the_calendar_and_timetable_blocks_show_a_new_event_entry_and_day_off_at_once(client, world):
    """The timetable's reminders skip the days off, so an event bumps the timetable block too."""
    from schoolpoort.timetable.models import TimetableEntry
    from schoolpoort.timetable.reminders import next_school_day
    from tests.calendar.calendar_helpers import make_event

    client.force_login(world.users["guardian"])
    day = next_school_day(timezone.localdate())
    assert "Voorleeswedstrijd" not in home(client) and "gymspullen mee" not in home(client)
    cached_home(client)

    make_event(school=world.school, title="Voorleeswedstrijd", starts_on=day)
    assert "Voorleeswedstrijd" in home(client)

    TimetableEntry.objects.create(group=world.group3, weekday=day.weekday(), starts_at=datetime.time(10, 30),
                                  activity="gym", reminder="gymspullen mee")
    assert "gymspullen mee" in home(client)
    assert "gymspullen mee" in cached_home(client)

    make_event(school=world.school, title="Studiedag", starts_on=day, category="study_day")
    assert "gymspullen mee" not in home(client)  # no gym on a study day


def test_the_absences_block_shows_a_report_and_its_confirmation_at_once(client, world):
    from schoolpoort.absences import actions as absence_actions
    from tests.absences.helpers import report

    guardian = world.users["guardian"]
    english(guardian)
    client.force_login(guardian)
    assert "None of your children is reported absent." in home(client)
    cached_home(client)
    absence = report(guardian, world.child)
    page = home(client)
    assert "Sent to the school" in page and "Seen by the school" not in page
    assert "Sent to the school" in cached_home(client)
    absence_actions.confirm_absence(absence, world.users["teacher"])  # an update()
    assert "Seen by the school" in home(client)


def test_the_signups_block_follows_publishing_answers_and_the_deadline(client, world, monkeypatch):
    from schoolpoort.signups import actions as signup_actions
    from schoolpoort.signups.models import Response
    from tests.signups.helpers import add_question, make_form

    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: noon)
    guardian = world.users["guardian"]
    client.force_login(guardian)
    form = make_form(world, published=False, title="Rijden naar het bos", deadline=noon + datetime.timedelta(hours=1))
    add_question(form)
    assert "Rijden naar het bos" not in home(client)
    cached_home(client)
    signup_actions.publish_form(form, world.users["teacher"])  # an update()
    assert "Rijden naar het bos" in home(client)
    assert "Rijden naar het bos" in cached_home(client)

    response = Response.objects.create(form=form, family_user=guardian, responded_by=guardian)
    assert "Rijden naar het bos" not in home(client)  # answered
    response.delete()
    assert "Rijden naar het bos" in home(client)
    # An answer bumps only its own family's version: another family's answer leaves the block
    # kept; the other guardian's answer for the family, or one for the child, reaches this one.
    other_family = world.users["guardian_other_group"]
    Response.objects.create(form=form, family_user=other_family, responded_by=other_family)
    assert "Rijden naar het bos" in cached_home(client)
    partner = world.users["other_guardian"]
    response = Response.objects.create(form=form, family_user=partner, responded_by=partner)
    assert "Rijden naar het bos" not in home(client)
    response.delete()
    assert "Rijden naar het bos" in home(client)
    form.per = form.Per.CHILD
    form.save()
    assert "Rijden naar het bos" in home(client)
    Response.objects.create(form=form, student=world.child, responded_by=partner)
    assert "Rijden naar het bos" not in home(client)

    monkeypatch.setattr(timezone, "now", lambda: noon + datetime.timedelta(hours=1, seconds=1))
    assert "Rijden naar het bos" not in home(client)  # past its deadline, by the clock alone


def test_the_conferences_block_follows_a_round_opening_a_booking_and_its_cancelling(client, world, monkeypatch):
    from schoolpoort.conferences import booking
    from schoolpoort.conferences.models import Round
    from tests.conferences.conferences_helpers import add_session, make_round, slots

    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: noon)
    guardian = world.users["guardian"]
    english(guardian)
    client.force_login(guardian)
    round = make_round(world, title="Rapportgesprekken", opens=noon + datetime.timedelta(minutes=30))
    add_session(round, world.users["teacher"], world.group3)
    assert "Rapportgesprekken" not in home(client)  # not open yet
    assert "Rapportgesprekken" not in cached_home(client)

    monkeypatch.setattr(timezone, "now", lambda: noon + datetime.timedelta(minutes=31))  # it opens: no write
    assert "Book a time" in home(client)
    assert "Book a time" in cached_home(client)

    round = Round.objects.get(pk=round.pk)
    first = slots(round)[0]
    made = booking.book(round, guardian, [booking.Pick(world.child.pk, first.pk)])  # a bulk_create
    page = home(client)
    assert "Noor with" in page and "Book a time" not in page
    booking.cancel(round, guardian, made.made_bookings[0].pk)
    page = home(client)
    assert "Noor with" not in page and "Book a time" in page
