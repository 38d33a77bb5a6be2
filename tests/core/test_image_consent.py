"""Image consent as one rule for every photo another family can see, through the real pages: a
news photo, an image sent to a group in a message, and a photo put on a document shelf.

The personas follow the demo: Daan Smit (groep 3) has no image consent (his guardian ``smit``);
Noor Jansen is in his group (her guardian ``guardian``, as jansen@ in the demo) and has consent."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from schoolpoort.accounts.models import User
from schoolpoort.core.consent import image_tags, set_image_tags
from schoolpoort.core.models import Consent, ImageTag, SchoolYear, Use
from schoolpoort.documents.uploads import prepare_upload as prepare_document
from schoolpoort.messaging.recipients import SEPARATE, TOGETHER
from schoolpoort.messaging.uploads import prepare_upload as prepare_message_file
from schoolpoort.news.models import PostAttachment
from schoolpoort.news.uploads import prepare_upload as prepare_news_file
from schoolpoort.news.uploads import store_upload
from tests.documents.helpers import add_document, make_shelf
from tests.factories import GuardianshipFactory, UserFactory, enrolled_student
from tests.messaging.helpers import start, start_one
from tests.news.news_helpers import english, make_post
from tests.world import build_world


def png(colour="#3f88c5") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(buffer, "PNG")
    return buffer.getvalue()


def give_consent(student, given: bool):
    year = SchoolYear.for_date(timezone.localdate())
    Consent.objects.update_or_create(student=student, school_year=year, use=Use.PORTAL, defaults={"given": given})


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    world = build_world()
    world.daan = enrolled_student(world.group3, first_name="Daan", last_name="Smit")
    world.users["smit"] = UserFactory(email="smit@example.org")
    GuardianshipFactory(student=world.daan, user=world.users["smit"])
    give_consent(world.child, True)
    give_consent(world.daan, False)
    english(*[user for user in world.users.values() if user.is_authenticated])
    return world


def status(client, user, url) -> int:
    client.force_login(user)
    return client.get(url).status_code


# --- News -----------------------------------------------------------------------------------------


def news_photo(world, *, tagged=None):
    post = make_post(world.users["teacher"], groups=[world.group3], title="Gymles")
    photo = store_upload(post, prepare_news_file(ContentFile(png(), name="gym.png")))
    if tagged is not None:
        set_image_tags(photo, [s.pk for s in tagged], not tagged, world.users["teacher"])
    return post, photo


def test_a_news_photo_with_daan_is_never_shown_to_another_family(client, world):
    post, photo = news_photo(world, tagged=[world.daan])
    jansen = world.users["guardian"]
    client.force_login(jansen)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Gymles" in page and photo.get_absolute_url() not in page
    feed = client.get(reverse("news:feed")).content.decode()
    assert "Gymles" in feed and "1 attachment" not in feed
    assert client.get(photo.get_absolute_url()).status_code == 404
    # Noor's other parent, and the guardian of a child in another group, neither.
    assert status(client, world.users["other_guardian"], photo.get_absolute_url()) == 404


@pytest.mark.parametrize("role", ["smit", "teacher", "director", "administration", "board_admin"])
def test_a_news_photo_with_daan_is_shown_to_his_own_parents_and_to_staff(client, world, role):
    post, photo = news_photo(world, tagged=[world.daan])
    client.force_login(world.users[role])
    assert photo.get_absolute_url() in client.get(post.get_absolute_url()).content.decode()
    assert client.get(photo.get_absolute_url()).status_code == 200


def test_the_feed_counts_only_the_attachments_a_family_may_see(client, world):
    news_photo(world, tagged=[world.daan])
    client.force_login(world.users["smit"])
    assert "1 attachment" in client.get(reverse("news:feed")).content.decode()


def test_an_untagged_news_photo_is_hidden_from_families_until_staff_mark_it(client, world):
    post, photo = news_photo(world)
    jansen = world.users["guardian"]
    assert status(client, jansen, photo.get_absolute_url()) == 404
    assert status(client, world.users["smit"], photo.get_absolute_url()) == 404  # Daan's parents too
    assert status(client, world.users["teacher"], photo.get_absolute_url()) == 200  # the author

    client.force_login(world.users["teacher"])
    page = client.get(post.get_absolute_url()).content.decode()
    tag_url = reverse("news:tag_image", args=[post.pk, photo.pk])
    assert "Other parents do not see this photo yet." in page and tag_url in page
    response = client.post(tag_url, {"none": "1"})
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    assert image_tags(photo) == (set(), True)
    assert status(client, jansen, photo.get_absolute_url()) == 200


def test_a_news_photo_tagged_with_consenting_children_is_shown_to_the_group(client, world):
    post, photo = news_photo(world)
    client.force_login(world.users["teacher"])
    client.post(reverse("news:tag_image", args=[post.pk, photo.pk]), {"students": [world.child.pk]})
    assert image_tags(photo) == ({world.child.pk}, False)
    assert status(client, world.users["smit"], photo.get_absolute_url()) == 200
    # Tagging Daan as well hides it from everyone but his own parents (and staff).
    client.force_login(world.users["teacher"])
    client.post(reverse("news:tag_image", args=[post.pk, photo.pk]),
                {"students": [world.child.pk, world.daan.pk]})
    assert status(client, world.users["guardian"], photo.get_absolute_url()) == 404
    assert status(client, world.users["smit"], photo.get_absolute_url()) == 200


def test_the_tag_page_offers_the_pupils_of_the_audience_and_refuses_both_answers(client, world):
    post, photo = news_photo(world)
    url = reverse("news:tag_image", args=[post.pk, photo.pk])
    client.force_login(world.users["teacher"])
    page = client.get(url).content.decode()
    assert "Daan Smit" in page and "Noor Jansen" in page and "Lotte" not in page  # group 6 is not the audience
    assert "No child is recognisable in this photo" in page and 'for="tag-none"' in page
    response = client.post(url, {"none": "1", "students": [world.daan.pk]})
    assert response.status_code == 200 and "not both" in response.content.decode()
    response = client.post(url, {})
    assert response.status_code == 200 and "Tick the children" in response.content.decode()
    assert image_tags(photo) == (set(), False)


@pytest.mark.parametrize("role", ["guardian", "smit", "teacher_other_group", "guardian_other_school"])
def test_only_staff_who_may_edit_the_post_can_tag_its_photos(client, world, role):
    post, photo = news_photo(world)
    url = reverse("news:tag_image", args=[post.pk, photo.pk])
    assert status(client, world.users[role], url) == 404
    client.force_login(world.users[role])
    assert client.post(url, {"none": "1"}).status_code == 404
    assert not ImageTag.objects.exists()


def test_tags_go_with_the_attachment(world):
    _post, photo = news_photo(world, tagged=[world.daan])
    PostAttachment.objects.filter(pk=photo.pk).first().delete()
    assert not ImageTag.objects.exists()


# --- Messages to a group ----------------------------------------------------------------------------


def group_message(world, mode=TOGETHER):
    prepared = prepare_message_file(ContentFile(png("#76b041"), name="knutselen.png"))
    conversations = start(world.users["teacher"], f"group:{world.group3.pk}", subject="Knutselen", mode=mode,
                          uploads=[prepared])
    return conversations


def _image_of(conversation):
    return conversation.messages.get().attachments.get()


def test_an_image_sent_to_a_group_follows_the_same_rule(client, world):
    (conversation,) = group_message(world)
    image = _image_of(conversation)
    url = reverse("messaging:attachment", args=[conversation.pk, image.pk])
    jansen, smit = world.users["guardian"], world.users["smit"]
    client.force_login(jansen)
    assert url not in client.get(conversation.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 404
    assert status(client, world.users["teacher"], url) == 200

    client.force_login(world.users["teacher"])
    page = client.get(conversation.get_absolute_url()).content.decode()
    tag_url = reverse("messaging:tag_image", args=[conversation.pk, image.pk])
    assert tag_url in page and "Other parents do not see this photo yet." in page
    client.post(tag_url, {"students": [world.daan.pk]})
    assert status(client, jansen, url) == 404
    client.force_login(smit)
    assert url in client.get(conversation.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 200


def test_an_image_sent_to_each_family_separately_is_tagged_once_for_every_copy(client, world):
    conversations = group_message(world, mode=SEPARATE)
    assert len(conversations) == 3  # Daan's family, and Noor's separated parents each their own
    first = conversations[0]
    jansen_copy = next(c for c in conversations if c.participants.filter(user=world.users["guardian"]).exists())
    jansen_url = reverse("messaging:attachment", args=[jansen_copy.pk, _image_of(jansen_copy).pk])
    assert status(client, world.users["guardian"], jansen_url) == 404  # the school's photo: not tagged yet
    client.force_login(world.users["teacher"])
    client.post(reverse("messaging:tag_image", args=[first.pk, _image_of(first).pk]), {"none": "1"})
    for conversation in conversations:
        assert image_tags(_image_of(conversation)) == (set(), True)
    assert status(client, world.users["guardian"], jansen_url) == 200


def test_a_parents_own_image_to_the_teacher_needs_no_tag(client, world):
    prepared = prepare_message_file(ContentFile(png(), name="uitslag.png"))
    conversation = start_one(world.users["guardian"], f"teacher:{world.users['teacher'].pk}:{world.child.pk}",
                             uploads=[prepared])
    url = reverse("messaging:attachment", args=[conversation.pk, _image_of(conversation).pk])
    assert status(client, world.users["guardian"], url) == 200
    assert status(client, world.users["teacher"], url) == 200


@pytest.mark.parametrize("role", ["guardian", "smit"])
def test_parents_cannot_tag_a_message_image(client, world, role):
    (conversation,) = group_message(world)
    url = reverse("messaging:tag_image", args=[conversation.pk, _image_of(conversation).pk])
    assert status(client, world.users[role], url) == 404


# --- Documents ----------------------------------------------------------------------------------------


def photo_document(world):
    shelf = make_shelf(world.school, world.users["teacher"], audience="groups", groups=[world.group3],
                       title="Foto's groep 3")
    document = add_document(shelf, world.users["teacher"], title="Klassenfoto", data=png("#ffc914"),
                            name="klassenfoto.png")
    return document


def test_a_document_photo_follows_the_same_rule(client, world):
    document = photo_document(world)
    version = document.current_version
    jansen = world.users["guardian"]
    for url in (document.file_url, version.get_absolute_url()):
        assert status(client, jansen, url) == 404
    client.force_login(jansen)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Klassenfoto" in page and document.file_url not in page
    assert status(client, world.users["director"], document.file_url) == 200

    client.force_login(world.users["teacher"])
    page = client.get(document.get_absolute_url()).content.decode()
    tag_url = reverse("documents:tag_image", args=[document.pk, version.pk])
    assert tag_url in page and "Other parents do not see this photo yet." in page
    client.post(tag_url, {"students": [world.daan.pk]})
    assert status(client, jansen, document.file_url) == 404
    assert status(client, world.users["smit"], document.file_url) == 200

    client.force_login(world.users["teacher"])
    client.post(tag_url, {"students": [world.child.pk]})
    assert status(client, jansen, document.file_url) == 200
    assert status(client, world.users["smit"], document.file_url) == 200


def test_a_pdf_document_needs_no_tag(client, world):
    shelf = make_shelf(world.school, world.users["teacher"], audience="groups", groups=[world.group3])
    document = add_document(shelf, world.users["teacher"])
    assert status(client, world.users["guardian"], document.file_url) == 200


@pytest.mark.parametrize("role", ["guardian", "smit", "teacher_other_group"])
def test_only_who_may_change_the_shelf_can_tag_a_document_photo(client, world, role):
    document = photo_document(world)
    url = reverse("documents:tag_image", args=[document.pk, document.current_version_id])
    assert status(client, world.users[role], url) == 404


def test_a_document_prepared_from_an_image_is_an_image(world):
    assert prepare_document(ContentFile(png(), name="foto.png")).content_type.startswith("image/")


# --- The demo -------------------------------------------------------------------------------------------


def test_the_demo_news_photos_are_tagged_and_the_gym_photo_shows_daan(client, demo):
    photos = {a.original_name: a for a in PostAttachment.objects.filter(kind="image")}
    assert set(photos) == {"plattegrond-artis.png", "gymles-groep-3.png"}
    daan = image_tags(photos["gymles-groep-3.png"])
    assert image_tags(photos["plattegrond-artis.png"]) == (set(), True)
    assert len(daan[0]) == 1 and not daan[1]
    jansen, smit = User.objects.get(email="jansen@ouders.example"), User.objects.get(email="smit@ouders.example")
    gym, plan = photos["gymles-groep-3.png"], photos["plattegrond-artis.png"]
    assert status(client, jansen, gym.get_absolute_url()) == 404
    assert status(client, jansen, plan.get_absolute_url()) == 200
    assert status(client, smit, gym.get_absolute_url()) == 200
    teacher = User.objects.get(email="leerkracht.groep3@regenboog.example")
    assert status(client, teacher, gym.get_absolute_url()) == 200
