"""Image consent: a photo that shows a child without portal consent for this school year is not
shown to other parents; the child's own parents and staff still see it, and staff see it flagged.
No answer counts as no consent. Guardians answer per child per use; staff see their groups'
overview and remind those who have not answered."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from schoolpoort.accounts.models import User
from schoolpoort.albums.consent import remind_unanswered
from schoolpoort.albums.models import Album, ConsentReminder, Photo
from schoolpoort.core.models import Consent, Guardianship, SchoolYear, Use
from schoolpoort.notify.models import Broadcast
from tests.albums.helpers import add_photo, consent, english, file_urls, make_album, run_worker
from tests.factories import GuardianshipFactory, UserFactory, enrolled_student

# --- The rule, in the demo school -----------------------------------------------------------------



def user(email: str) -> User:
    return User.objects.get(email=email)


def daans_photos():
    return Photo.objects.filter(tags__student__first_name="Daan", tags__student__last_name="Smit").distinct()


def test_smit_sees_the_photos_of_daan_and_jansen_does_not(client, demo):
    daan = daans_photos()
    assert daan.count() >= 3 and Album.objects.filter(photos__in=daan).distinct().count() == 2
    smit, jansen = user("smit@ouders.example"), user("jansen@ouders.example")

    assert set(daan) <= set(Photo.objects.visible_to(smit))
    assert not Photo.objects.visible_to(jansen).filter(pk__in=daan).exists()
    # ... while jansen@ sees the other photos of the same albums, Noor's among them.
    artis = Album.objects.get(title="Schoolreisje naar Artis")
    assert Photo.objects.visible_to(jansen).filter(album=artis, tags__student=demo.students["Noor Jansen"]).exists()

    for email, allowed in (("smit@ouders.example", True), ("jansen@ouders.example", False)):
        client.force_login(user(email))
        page = client.get(artis.get_absolute_url()).content.decode()
        for photo in daan.filter(album=artis):
            assert (f'data-photo="{photo.pk}"' in page) is allowed
            assert (client.get(photo.get_absolute_url()).status_code == 200) is allowed
            for url in file_urls(photo).values():
                assert (client.get(url).status_code == 200) is allowed, url


def test_the_groep3_teacher_sees_daans_photos_flagged(client, demo):
    english(user("leerkracht.groep3@regenboog.example"))
    client.force_login(user("leerkracht.groep3@regenboog.example"))
    artis = Album.objects.get(title="Schoolreisje naar Artis")
    page = client.get(artis.get_absolute_url()).content.decode()
    flagged = daans_photos().filter(album=artis)
    assert "2 photos show a child without portal consent" in page
    for photo in Photo.objects.filter(album=artis):
        tile = re.search(rf'data-photo="{photo.pk}">(.*?)</li>', page, re.S).group(1)
        assert ("album-flag" in tile) is (photo in flagged)
    viewer = client.get(flagged[0].get_absolute_url()).content.decode()
    assert "shows a child without portal consent" in viewer and "Daan Smit" in viewer


def test_smit_gave_no_consent_and_most_families_did(demo):
    year = SchoolYear.for_date(timezone.localdate())
    daan = demo.students["Daan Smit"]
    assert set(Consent.objects.filter(student=daan, school_year=year).values_list("use", "given")) == {
        (use.value, False) for use in Use
    }
    pupils = demo.schools["99AA"].students.count()
    portal = Consent.objects.filter(school_year=year, use=Use.PORTAL, given=True).count()
    answered = Consent.objects.filter(school_year=year, use=Use.PORTAL).count()
    assert 0.6 * pupils < portal < answered < pupils  # most say yes; some no; some not answered


def test_the_demo_reminds_the_parents_who_have_not_answered_on_their_home_page(client, demo):
    for email, reminded in (("devries@ouders.example", True), ("jansen@ouders.example", False),
                            ("smit@ouders.example", False), ("leerkracht.groep3@regenboog.example", False)):
        client.force_login(user(email))
        assert ('id="image-consent-reminder"' in client.get("/").content.decode()) is reminded, email


# --- The rule, case by case (the small world) ---------------------------------------------------


@pytest.fixture
def classmate(world):
    """A second child in group 3, whose parents are the 'classmate_guardian'."""
    child = enrolled_student(world.group3, first_name="Daan", last_name="Smit")
    guardian = UserFactory(email="classmate_guardian@example.org")
    GuardianshipFactory(student=child, user=guardian)
    return child, guardian


@pytest.fixture
def album(world):
    return make_album(world.users["teacher"], groups=[world.group3])


def visible(user, album):
    return set(Photo.objects.visible_to(user).filter(album=album))


def test_no_answer_counts_as_no_consent(world, album, classmate):
    child, guardian = classmate
    photo = add_photo(album, world.users["teacher"], tags=[child])
    assert photo not in visible(world.users["guardian"], album)
    assert photo in visible(guardian, album)
    assert photo in visible(world.users["teacher"], album) and photo in visible(world.users["director"], album)


def test_consent_for_the_portal_shows_the_photo_to_the_other_parents(world, album, classmate):
    child, guardian = classmate
    photo = add_photo(album, world.users["teacher"], tags=[child])
    consent(child, False, uses=[Use.WEBSITE, Use.SOCIAL, Use.GUIDE])
    assert photo not in visible(world.users["guardian"], album)  # other uses do not count
    consent(child, True)
    assert photo in visible(world.users["guardian"], album)
    assert photo in visible(world.users["other_guardian"], album)


def test_consent_of_last_school_year_does_not_count(world, album, classmate):
    child, _guardian = classmate
    photo = add_photo(album, world.users["teacher"], tags=[child])
    last_year = SchoolYear.for_date(timezone.localdate() - datetime.timedelta(days=366))
    consent(child, True, year=last_year)
    assert photo not in visible(world.users["guardian"], album)


def test_a_photo_with_two_children_without_consent_is_shown_to_neither_family(world, album, classmate):
    child, guardian = classmate
    photo = add_photo(album, world.users["teacher"], tags=[child, world.child])
    assert photo not in visible(guardian, album)
    assert photo not in visible(world.users["guardian"], album)
    consent(world.child, True)
    assert photo in visible(guardian, album)  # the other child consented; the own child is theirs
    assert photo not in visible(world.users["guardian"], album)


def test_photos_without_tags_are_shown_to_every_parent_of_the_audience(world, album):
    photo = add_photo(album, world.users["teacher"])
    assert photo in visible(world.users["guardian"], album)
    assert photo not in visible(world.users["guardian_other_group"], album)


# --- Guardians answer -------------------------------------------------------------------------------


CONSENT = reverse("albums:consent")


def answers(student, **values):
    return {f"{student.pk}-{use}": value for use, value in values.items()}


def test_a_guardian_answers_per_child_per_use(client, world):
    guardian = world.users["guardian"]
    english(guardian)
    client.force_login(guardian)
    page = client.get(CONSENT).content.decode()
    assert "Noor Jansen" in page and "In the portal, for the parents of the group" in page

    data = answers(world.child, portal="yes", website="no", social="no", guide="yes")
    response = client.post(CONSENT, data)
    assert response.status_code == 302
    year = SchoolYear.for_date(timezone.localdate())
    assert dict(Consent.objects.filter(student=world.child, school_year=year).values_list("use", "given")) == {
        "portal": True, "website": False, "social": False, "guide": True
    }
    assert Consent.objects.filter(answered_by=guardian).count() == 4
    # The other parent sees the same answers and can change them.
    client.force_login(world.users["other_guardian"])
    assert f'value="yes" id="id_{world.child.pk}-portal_0" required checked' in client.get(CONSENT).content.decode()
    client.post(CONSENT, answers(world.child, portal="no", website="no", social="no", guide="yes"))
    assert not Consent.objects.get(student=world.child, use="portal").given


def test_every_question_needs_an_answer(client, world):
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    response = client.post(CONSENT, answers(world.child, portal="yes"))
    assert response.status_code == 200 and "Please answer every question." in response.content.decode()
    assert not Consent.objects.exists()


def test_a_guardian_without_parental_authority_sees_but_cannot_answer(client, world):
    Guardianship.objects.filter(user=world.users["other_guardian"]).update(has_parental_authority=False)
    client.force_login(world.users["other_guardian"])
    page = client.get(CONSENT).content.decode()
    assert "Noor Jansen" in page and "<form" not in page.split('id="main"')[1].split("</main>")[0].replace(
        'class="inline"', "")
    assert client.post(CONSENT, answers(world.child, portal="yes", website="yes", social="yes",
                                        guide="yes")).status_code == 404
    assert not Consent.objects.exists()


@pytest.mark.parametrize("role", ["teacher", "director", "board_admin", "guardian_other_school"])
def test_the_consent_page_is_for_guardians_at_schools_with_albums(client, world, role):
    client.force_login(world.users[role])
    expected = 200 if role == "guardian_other_school" else 404
    assert client.get(CONSENT).status_code == expected
    world.other_school.module_switches.filter(module="albums").update(enabled=False)
    assert client.get(CONSENT).status_code == 404


# --- Staff overview and reminders -------------------------------------------------------------------


def group_url(group):
    return reverse("albums:consent_group", args=[group.pk])


def test_staff_see_the_consent_table_of_their_group(client, world, classmate):
    child, _guardian = classmate
    consent(world.child, True, uses=list(Use))
    consent(child, False)
    english(world.users["teacher"])
    client.force_login(world.users["teacher"])
    page = client.get(group_url(world.group3)).content.decode()
    noor = re.search(rf'data-student="{world.child.pk}">(.*?)</tr>', page, re.S).group(1)
    daan = re.search(rf'data-student="{child.pk}">(.*?)</tr>', page, re.S).group(1)
    assert noor.count("✓ yes") == 4
    assert daan.count("✗ no") == 1 and daan.count("not answered") == 3
    overview = client.get(reverse("albums:consent_groups")).content.decode()
    assert "Groep 3" in overview and "Groep 6" not in overview


@pytest.mark.parametrize(
    "role, status",
    [("teacher", 200), ("director", 200), ("administration", 200), ("board_admin", 200),
     ("teacher_other_group", 404), ("guardian", 404), ("board_admin_other_board", 404)],
)
def test_the_consent_table_of_a_group_is_for_its_teachers_and_the_school(client, world, role, status):
    client.force_login(world.users[role])
    assert client.get(group_url(world.group3)).status_code == status


def test_the_reminder_goes_to_guardians_who_have_not_answered_titles_only_and_at_most_weekly(world, classmate):
    child, guardian = classmate
    consent(world.child, True, uses=list(Use))  # Noor's parents answered
    english(guardian)
    with translation.override("nl"):
        count = remind_unanswered()
    recipients = {pk for b in Broadcast.objects.filter(event="albums.consent_reminder") for pk in b.recipient_ids}
    assert guardian.pk in recipients and world.users["guardian"].pk not in recipients
    assert world.users["guardian_other_group"].pk in recipients and count == len(recipients)
    english_titles = [b.title for b in Broadcast.objects.all() if guardian.pk in b.recipient_ids]
    assert english_titles == ["Photos at school: please answer the image consent questions for this school year"]
    assert all(b.url == CONSENT and b.module == "albums" for b in Broadcast.objects.all())

    assert remind_unanswered() == 0  # not again within a week
    ConsentReminder.objects.update(sent_at=timezone.now() - datetime.timedelta(days=8))
    assert remind_unanswered() == count


def test_the_teacher_reminds_the_unanswered_families_of_the_group(client, world, classmate):
    child, guardian = classmate
    client.force_login(world.users["teacher"])
    response = client.post(group_url(world.group3))
    assert response.status_code == 302
    (broadcast,) = Broadcast.objects.filter(event="albums.consent_reminder")
    assert set(broadcast.recipient_ids) == {guardian.pk, world.users["guardian"].pk, world.users["other_guardian"].pk}


@pytest.mark.django_db(transaction=True)
def test_answering_reads_the_reminder_and_clears_the_home_block(client, world):
    from schoolpoort.notify.models import Notification

    guardian = world.users["guardian"]
    english(guardian)
    client.force_login(guardian)
    assert 'id="image-consent-reminder"' in client.get("/").content.decode()
    remind_unanswered()
    run_worker()
    assert Notification.objects.filter(recipient=guardian, key__startswith="albums.consent:").count() == 1
    client.get(CONSENT)
    assert not Notification.objects.filter(recipient=guardian, read_at__isnull=True).exists()
    client.post(CONSENT, answers(world.child, portal="yes", website="yes", social="no", guide="no"))
    assert 'id="image-consent-reminder"' not in client.get("/").content.decode()


def test_tags_keep_their_photo_private_also_in_the_list_cover(client, world, album, classmate):
    child, _guardian = classmate
    hidden = add_photo(album, world.users["teacher"], tags=[child])
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    page = client.get(reverse("albums:list")).content.decode()
    assert reverse("albums:thumb", args=[album.pk, hidden.pk]) not in page and "0 photos" in page
    client.force_login(world.users["teacher"])
    assert reverse("albums:thumb", args=[album.pk, hidden.pk]) in client.get(reverse("albums:list")).content.decode()


def test_the_command_reminds_now_or_leaves_it_to_the_worker(world):
    from io import StringIO

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    out = StringIO()
    call_command("remind_image_consent", stdout=out)
    assert out.getvalue().strip() == "Reminded 4 guardian(s)."  # both of Noor's, Lotte's, Adam's
    call_command("remind_image_consent", "--enqueue", stdout=StringIO())
    assert DBTaskResult.objects.filter(task_path__endswith="send_consent_reminders").count() == 1
