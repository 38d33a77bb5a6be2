"""The feed's cards are kept per user (``access.cached_part``) under the versions of the reach, the
news and image consent. A stale card is a leak or a lie, so every change a card shows must show
at once: a new, edited, moved or deleted post, a read mark, a scheduled post's moment (which no
write announces), an image's tags and a consent answer, a change of access, the language."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import current_year
from tests.news.news_helpers import english, make_post

FEED = reverse("news:feed")


def feed(client, user) -> str:
    client.force_login(user)
    response = client.get(FEED)
    assert response.status_code == 200
    return response.content.decode()


def cached(client) -> str:
    """The feed again, and proof that its cards came from the cache (no query of the posts)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(FEED)
    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if '"news_post"' in q["sql"]]
    return response.content.decode()


def cards(page: str) -> str:
    return page[page.index('<ul class="news-list">'):page.index("</main>")]


def test_the_second_visit_reads_no_posts_and_shows_the_same(client, world):
    make_post(world.users["director"], school=world.school, title="Schoolreis")
    first = cards(feed(client, world.users["guardian"]))
    assert "Schoolreis" in first
    assert cards(cached(client)) == first


def test_a_new_an_edited_and_a_deleted_post_show_at_once(client, world):
    guardian, director = world.users["guardian"], world.users["director"]
    old = make_post(director, school=world.school, title="Oude titel")
    feed(client, guardian)
    assert "Oude titel" in cached(client)

    make_post(director, school=world.school, title="Nieuw bericht")
    assert "Nieuw bericht" in client.get(FEED).content.decode()

    old.title = "Nieuwe titel"
    old.save()
    page = client.get(FEED).content.decode()
    assert "Nieuwe titel" in page and "Oude titel" not in page

    old.delete()  # posted by mistake: gone from every cached feed
    assert "Nieuwe titel" not in client.get(FEED).content.decode()


def test_a_post_moved_to_another_group_leaves_the_feed_of_the_first(client, world):
    guardian = world.users["guardian"]  # a parent of group 3
    post = make_post(world.users["teacher"], groups=[world.group3], title="Alleen voor groep 3")
    feed(client, guardian)
    assert "Alleen voor groep 3" in cached(client)

    post.groups.set([world.group6])
    assert "Alleen voor groep 3" not in client.get(FEED).content.decode()


def test_reading_a_post_clears_its_new_mark_for_that_reader_only(client, world):
    guardian, other = world.users["guardian"], world.users["guardian_other_group"]
    english(guardian, other)
    post = make_post(world.users["director"], school=world.school, title="Lezen")
    assert "badge--new" in feed(client, other)
    assert "badge--new" in feed(client, guardian)

    assert client.get(post.get_absolute_url()).status_code == 200  # the guardian reads it
    assert "badge--new" not in client.get(FEED).content.decode()
    client.force_login(other)
    assert "badge--new" in cached(client)  # the other parent's cards stay theirs, still cached


def test_a_scheduled_post_comes_out_at_its_moment_without_any_write(client, world, monkeypatch):
    guardian = world.users["guardian"]
    moment = timezone.now() + datetime.timedelta(minutes=30)
    make_post(world.users["director"], school=world.school, title="Straks", when=moment, publish=False)
    assert "Straks" not in feed(client, guardian)
    assert "Straks" not in cached(client)

    later = moment + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Straks" in client.get(FEED).content.decode()


def _jpeg() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG")
    return SimpleUploadedFile("klas.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_photos_tags_and_a_consent_answer_change_the_cards_at_once(client, world):
    """A card counts the files a parent may see: a photo of a child without image consent is not
    one of them (``core.consent``), whichever way the tags or the answer change."""
    from schoolpoort.albums.consent import save_answers
    from schoolpoort.core.consent import set_image_tags
    from schoolpoort.news.uploads import prepare_upload, store_upload

    guardian, director = world.users["guardian"], world.users["director"]
    english(guardian)
    post = make_post(director, school=world.school, title="Foto van de klas")
    image = store_upload(post, prepare_upload(_jpeg()))
    assert "1 attachment" not in feed(client, guardian)  # nobody said who is in it yet

    set_image_tags(image, [], True, by=director)  # no child recognisable
    assert "1 attachment" in client.get(FEED).content.decode()

    lotte = world.classmate_of_other_group  # another family's child, no consent answered
    set_image_tags(image, [lotte.pk], False, by=director)
    assert "1 attachment" not in client.get(FEED).content.decode()

    lottes_parent = world.users["guardian_other_group"]
    save_answers(lottes_parent, lotte, current_year(), {"portal": True})  # a new answer
    assert "1 attachment" in client.get(FEED).content.decode()
    save_answers(lottes_parent, lotte, current_year(), {"portal": False})  # withdrawn (an update)
    assert "1 attachment" not in client.get(FEED).content.decode()


def test_a_lost_guardianship_empties_the_cached_feed(client, world):
    guardian = world.users["guardian"]
    make_post(world.users["teacher"], groups=[world.group3], title="Groepsnieuws")
    assert "Groepsnieuws" in feed(client, guardian)
    world.child.guardianships.filter(user=guardian).delete()
    assert client.get(FEED).status_code == 404  # no school with news left for them


def test_a_new_group_and_another_language_are_read_anew(client, world):
    guardian = world.users["guardian"]
    post = make_post(world.users["teacher"], groups=[world.group3], title="Uitje")
    assert "De Vlinders" not in feed(client, guardian)
    world.group3.name = "De Vlinders"
    world.group3.save()
    assert "De Vlinders" in client.get(FEED).content.decode()

    english(guardian)
    assert "Unread:" in feed(client, guardian)
    assert post.title in cached(client)


def test_one_parents_cards_never_reach_another(client, world):
    make_post(world.users["teacher"], groups=[world.group3], title="Alleen groep 3")
    make_post(world.users["teacher_other_group"], groups=[world.group6], title="Alleen groep 6")
    assert "Alleen groep 3" in feed(client, world.users["guardian"])
    page = feed(client, world.users["guardian_other_group"])
    assert "Alleen groep 6" in page and "Alleen groep 3" not in page
    assert "Alleen groep 3" not in cached(client)


def test_the_past_end_page_stays_a_404(client, world):
    make_post(world.users["director"], school=world.school)
    client.force_login(world.users["guardian"])
    assert client.get(FEED + "?pagina=2").status_code == 404
    assert client.get(FEED + "?pagina=2").status_code == 404
