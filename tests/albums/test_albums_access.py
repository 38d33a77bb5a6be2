"""Who sees which album and which file: every media URL answers 404 to anyone outside its
audience, also when the ids are guessed (a photo of another album or school under this album's
id); drafts, switched-off and closed modules, and parents kept from class pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schoolpoort.albums.models import Album, Photo
from schoolpoort.core.models import Guardianship, ModuleClosure, ModuleSwitch
from tests.albums.helpers import add_photo, file_urls, jpeg, make_album, mp4
from tests.factories import GroupFactory

AUDIENCE = {"guardian", "other_guardian", "teacher", "administration", "director", "board_admin"}
OUTSIDERS = {"guardian_other_group", "guardian_other_school", "teacher_other_group", "board_admin_other_board"}


@pytest.fixture
def album(world):
    album = make_album(world.users["teacher"], groups=[world.group3])
    add_photo(album, world.users["teacher"], jpeg(), "foto.jpg")
    add_photo(album, world.users["teacher"], mp4(), "film.mp4")
    return album


def every_url(album):
    urls = {"zip": reverse("albums:zip", args=[album.pk]), "album": album.get_absolute_url()}
    for photo in album.photos.all():
        urls[f"{photo.kind} page"] = photo.get_absolute_url()
        urls.update({f"{photo.kind} {name}": url for name, url in file_urls(photo).items()})
    return urls


@pytest.mark.parametrize("role", sorted(AUDIENCE | OUTSIDERS))
def test_every_url_of_an_album_opens_for_its_audience_only(client, world, album, role):
    client.force_login(world.users[role])
    for name, url in every_url(album).items():
        assert client.get(url).status_code == (200 if role in AUDIENCE else 404), (role, name)


def test_anonymous_visitors_are_sent_to_the_login_page_and_get_no_bytes(client, album):
    for url in every_url(album).values():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


def test_a_photo_id_guessed_under_another_album_is_404_even_for_someone_who_sees_both(client, world, album):
    other = make_album(world.users["director"], school=world.school, title="Sportdag")
    photo = add_photo(other, world.users["director"])
    client.force_login(world.users["director"])
    for name in ("photo", "thumb", "web", "download", "original", "tags", "delete_photo"):
        method = client.post if name == "delete_photo" else client.get
        assert method(reverse(f"albums:{name}", args=[album.pk, photo.pk])).status_code == 404, name
    assert client.get(photo.thumb_url).status_code == 200


def test_ids_of_another_school_are_404_for_a_parent_whatever_the_album_id(client, world, album):
    elsewhere = make_album(world.users["board_admin_other_board"], school=world.other_school, title="Elders")
    photo = add_photo(elsewhere, world.users["board_admin_other_board"])
    client.force_login(world.users["guardian"])
    for album_id in (album.pk, elsewhere.pk, 999999):
        for name in ("thumb", "web", "download"):
            assert client.get(reverse(f"albums:{name}", args=[album_id, photo.pk])).status_code == 404
    assert client.get(reverse("albums:zip", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("albums:zip", args=[999999])).status_code == 404


def test_served_files_never_run_as_a_page_and_are_not_cached_publicly(client, world, album):
    client.force_login(world.users["guardian"])
    photo = album.photos.get(kind=Photo.Kind.IMAGE)
    for url in [*file_urls(photo).values(), reverse("albums:zip", args=[album.pk])]:
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert response["Cache-Control"].startswith("private")


def test_a_draft_album_is_for_staff_only(client, world):
    draft = make_album(world.users["teacher"], groups=[world.group3], published=False)
    photo = add_photo(draft, world.users["teacher"])
    for role, status in (("guardian", 404), ("teacher", 200), ("director", 200)):
        client.force_login(world.users[role])
        assert client.get(draft.get_absolute_url()).status_code == status
        assert client.get(photo.thumb_url).status_code == status


def test_photos_being_processed_are_shown_to_staff_only(client, world, album):
    waiting = add_photo(album, world.users["teacher"], ready=False)
    assert waiting.status == Photo.Status.PROCESSING
    assert waiting not in Photo.objects.visible_to(world.users["guardian"])
    assert waiting in Photo.objects.visible_to(world.users["teacher"])


def test_a_school_album_is_for_the_whole_school_and_no_other(world):
    album = make_album(world.users["director"], school=world.school, title="Koningsspelen")
    photo = add_photo(album, world.users["director"])
    for role in ("guardian", "guardian_other_group", "teacher", "teacher_other_group", "administration"):
        assert photo in Photo.objects.visible_to(world.users[role]), role
    for role in ("guardian_other_school", "board_admin_other_board"):
        assert photo not in Photo.objects.visible_to(world.users[role]), role


def test_switched_off_the_module_hides_albums_and_files_from_everyone(client, world, album):
    ModuleSwitch.objects.filter(school=world.school, module="albums").update(enabled=False)
    photo = album.photos.first()
    for role in ("guardian", "teacher", "director", "board_admin"):
        client.force_login(world.users[role])
        assert client.get(album.get_absolute_url()).status_code == 404
        assert client.get(photo.thumb_url).status_code == 404
        if role != "board_admin":  # the board admin still has the sister school's albums
            assert client.get(reverse("albums:list")).status_code == 404


def test_closed_for_a_period_the_module_hides_albums_from_parents_but_not_from_staff(client, world, album):
    today = timezone.localdate()
    ModuleClosure.objects.create(school=world.school, module="albums", starts_on=today - datetime.timedelta(days=1),
                                 ends_on=today + datetime.timedelta(days=1))
    photo = album.photos.first()
    client.force_login(world.users["guardian"])
    assert client.get(photo.thumb_url).status_code == 404
    client.force_login(world.users["teacher"])
    assert client.get(photo.thumb_url).status_code == 200


def test_a_parent_kept_from_class_pages_sees_no_albums(world, album):
    Guardianship.objects.filter(user=world.users["other_guardian"]).update(sees_class_pages=False)
    school_album = make_album(world.users["director"], school=world.school, title="Koningsspelen")
    add_photo(school_album, world.users["director"])
    user = world.users["other_guardian"]
    assert not Album.objects.visible_to(user).exists() and not Photo.objects.visible_to(user).exists()


def test_a_teacher_sees_the_albums_of_the_groups_they_teach_this_year(world):
    last_year = GroupFactory(school=world.school, grades="2", teachers=[world.users["teacher_other_group"]],
                             school_year=world.group3.school_year.__class__.for_date(
                                 timezone.localdate() - datetime.timedelta(days=366)))
    old = make_album(world.users["director"], groups=[last_year], title="Vorig jaar")
    assert old not in Album.objects.visible_to(world.users["teacher_other_group"])
    assert old in Album.objects.visible_to(world.users["director"])


def test_a_child_who_left_school_no_longer_opens_its_albums(world, album):
    world.child.archived_at = timezone.now()
    world.child.save()
    assert not Photo.objects.visible_to(world.users["guardian"]).exists()


def test_visible_to_is_one_query(world, album, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(list(Photo.objects.visible_to(world.users["guardian"]))) == 2
    with django_assert_num_queries(1):
        assert len(list(Album.objects.visible_to(world.users["teacher"]))) == 1
