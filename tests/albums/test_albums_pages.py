"""The album pages: the list and the grid in a constant number of queries, the viewer with
previous and next, making and publishing an album (its parents are told, title only), tagging
children, deleting."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from schoolpoort.albums.models import Album, Photo, PhotoTag
from schoolpoort.notify.models import Broadcast
from tests.albums.helpers import add_photo, consent, english, make_album
from tests.factories import GroupFactory, GuardianshipFactory, UserFactory, enrolled_student

LIST = reverse("albums:list")


@pytest.fixture
def album(world):
    return make_album(world.users["teacher"], groups=[world.group3], title="Schoolreisje")


def more_of_everything(world, album):
    """More albums, photos, tags and consents for the second measurement."""
    for n in range(3):
        other = make_album(world.users["director"], school=world.school, title=f"Album {n}")
        add_photo(other, world.users["director"])
        add_photo(other, world.users["director"], ready=False)
    group4 = GroupFactory(school=world.school, grades="4", teachers=[world.users["teacher"]])
    child = enrolled_student(group4)
    GuardianshipFactory(student=child, user=world.users["guardian"])
    make_album(world.users["teacher"], groups=[world.group3, group4], title="Samen")
    for _n in range(4):
        add_photo(album, world.users["teacher"], tags=[world.child, enrolled_student(world.group3)])
    consent(world.child, True)


@pytest.mark.parametrize("role", ["guardian", "teacher", "director", "board_admin"])
def test_the_list_and_the_album_take_the_same_number_of_queries_for_more_photos(client, world, album, role,
                                                                                django_assert_num_queries):
    from schoolpoort.core.access import reach_changed

    add_photo(album, world.users["teacher"])
    client.force_login(world.users[role])
    client.get(LIST)  # the reach cache's versions exist from here on
    sizes = {}
    for url in (LIST, album.get_absolute_url()):
        reach_changed()  # each measured with the reach read anew, as after any change of access
        with CaptureQueriesContext(connection) as small:
            assert client.get(url).status_code == 200
        sizes[url] = len(small.captured_queries)

    more_of_everything(world, album)

    for url, count in sizes.items():
        reach_changed()
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200


def test_the_list_shows_each_album_with_a_cover_and_its_count(client, world, album):
    first = add_photo(album, world.users["teacher"])
    add_photo(album, world.users["teacher"])
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    page = client.get(LIST).content.decode()
    assert "Schoolreisje" in page and "2 photos" in page
    assert reverse("albums:thumb", args=[album.pk, first.pk]) in page
    assert 'href="/fotoalbums/toestemming/"' in page and "New album" not in page


def test_the_grid_is_lazy_with_sizes_set_and_pages_for_big_albums(client, world, album):
    import schoolpoort.albums.views as views

    photos = [add_photo(album, world.users["teacher"]) for _n in range(5)]
    client.force_login(world.users["guardian"])
    page = client.get(album.get_absolute_url()).content.decode()
    assert page.count('loading="lazy"') == 5 and page.count('width="320" height="200"') == 5

    views.PHOTOS_PER_PAGE, saved = 2, views.PHOTOS_PER_PAGE
    try:
        second = client.get(album.get_absolute_url() + "?pagina=2").content.decode()
        viewer = client.get(photos[3].get_absolute_url()).content.decode()
    finally:
        views.PHOTOS_PER_PAGE = saved
    assert f'data-photo="{photos[2].pk}"' in second and f'data-photo="{photos[0].pk}"' not in second
    assert f'href="{album.get_absolute_url()}?pagina=2#photos"' in viewer  # back to the right page


def test_the_viewer_has_previous_and_next_and_a_download(client, world, album):
    photos = [add_photo(album, world.users["teacher"]) for _n in range(3)]
    client.force_login(world.users["guardian"])
    middle = client.get(photos[1].get_absolute_url()).content.decode()
    assert f'href="{photos[0].get_absolute_url()}"' in middle and f'href="{photos[2].get_absolute_url()}"' in middle
    assert f'href="{photos[1].download_url}"' in middle and "albums/viewer.js" in middle
    assert f'<link rel="prefetch" href="{photos[2].web_url}">' in middle
    first = client.get(photos[0].get_absolute_url()).content.decode()
    assert 'data-nav="prev"' not in first and 'data-nav="next"' in first


def test_the_viewer_skips_photos_the_parent_may_not_see(client, world, album):
    hidden_child = enrolled_student(world.group3)
    photos = [add_photo(album, world.users["teacher"]) for _n in range(3)]
    PhotoTag.objects.create(photo=photos[1], student=hidden_child)
    client.force_login(world.users["guardian"])
    first = client.get(photos[0].get_absolute_url()).content.decode()
    assert f'href="{photos[2].get_absolute_url()}"' in first and photos[1].get_absolute_url() not in first


def test_parents_see_only_their_own_child_among_the_tags(client, world, album):
    other = enrolled_student(world.group3, first_name="Bram")
    consent(other, True)
    photo = add_photo(album, world.users["teacher"], tags=[world.child, other])
    client.force_login(world.users["guardian"])
    page = client.get(photo.get_absolute_url()).content.decode()
    assert escape(world.child.full_name) in page and escape(other.full_name) not in page
    client.force_login(world.users["teacher"])
    page = client.get(photo.get_absolute_url()).content.decode()
    assert escape(world.child.full_name) in page and escape(other.full_name) in page


def test_a_teacher_makes_an_album_for_their_group_and_publishes_it(client, world):
    teacher = world.users["teacher"]
    client.force_login(teacher)
    form = client.get(reverse("albums:create")).content.decode()
    assert f'value="group:{world.group3.pk}"' in form
    assert f'value="group:{world.group6.pk}"' not in form and f'value="school:{world.school.pk}"' not in form
    response = client.post(reverse("albums:create"), {
        "title": "Gymles", "audience_targets": [f"group:{world.group3.pk}"], "date": "2026-10-01", "description": "",
    })
    album = Album.objects.get(title="Gymles")
    assert response["Location"] == reverse("albums:upload", args=[album.pk])
    assert not album.published and list(album.groups.all()) == [world.group3]
    assert not Album.objects.visible_to(world.users["guardian"]).exists()

    client.post(reverse("albums:publish", args=[album.pk]))
    client.post(reverse("albums:publish", args=[album.pk]))  # once is enough
    (broadcast,) = Broadcast.objects.filter(event="albums.published")
    assert broadcast.title == "Gymles" and broadcast.url == album.get_absolute_url()
    assert set(broadcast.recipient_ids) == {world.users["guardian"].pk, world.users["other_guardian"].pk}
    assert Album.objects.visible_to(world.users["guardian"]).exists()


@pytest.mark.django_db(transaction=True)
def test_opening_the_album_reads_its_notification(client, world, album):
    from schoolpoort.albums.actions import publish_album
    from schoolpoort.notify.models import Notification
    from tests.albums.helpers import run_worker

    album.published_at = None
    album.save()
    publish_album(album, world.users["teacher"])
    run_worker()
    unread = Notification.objects.filter(recipient=world.users["guardian"], key=album.notification_key,
                                         read_at__isnull=True)
    assert unread.count() == 1
    client.force_login(world.users["guardian"])
    client.get(album.get_absolute_url())
    assert unread.count() == 0


def test_a_teacher_cannot_make_an_album_for_a_group_they_do_not_teach(client, world):
    client.force_login(world.users["teacher"])
    response = client.post(reverse("albums:create"), {"title": "x", "audience_targets": [f"group:{world.group6.pk}"],
                                                      "date": "2026-10-01"})
    assert response.status_code == 200 and not Album.objects.exists()


def test_the_director_makes_a_school_album(client, world):
    client.force_login(world.users["director"])
    client.post(reverse("albums:create"), {"title": "Koningsspelen", "audience_targets": [f"school:{world.school.pk}"],
                                           "date": "2026-04-24"})
    album = Album.objects.get()
    assert album.audience == "school" and album.school == world.school and album.created_by == world.users["director"]


def test_parents_and_other_teachers_cannot_make_albums(client, world):
    for role in ("guardian", "teacher_other_group"):
        client.force_login(world.users[role])
        expected = 404 if role == "guardian" else 200
        assert client.get(reverse("albums:create")).status_code == expected


def test_tagging_a_child_in_a_photo(client, world, album):
    photo = add_photo(album, world.users["teacher"])
    without = enrolled_student(world.group3, first_name="Kees")
    english(world.users["teacher"])
    client.force_login(world.users["teacher"])
    page = client.get(reverse("albums:tags", args=[album.pk, photo.pk])).content.decode()
    assert escape(world.child.full_name) in page and "no portal consent" in page
    assert escape(world.classmate_of_other_group.full_name) not in page  # not in the album's group

    response = client.post(reverse("albums:tags", args=[album.pk, photo.pk]),
                           {"students": [world.child.pk, without.pk, world.classmate_of_other_group.pk, "x"]})
    assert response["Location"] == photo.get_absolute_url()
    assert set(photo.tags.values_list("student_id", flat=True)) == {world.child.pk, without.pk}
    client.post(reverse("albums:tags", args=[album.pk, photo.pk]), {"students": [world.child.pk]})
    assert list(photo.tags.values_list("student_id", flat=True)) == [world.child.pk]


@pytest.mark.parametrize("role", ["guardian", "teacher_other_group"])
def test_only_those_who_manage_the_album_tag(client, world, album, role):
    photo = add_photo(album, world.users["teacher"])
    client.force_login(world.users[role])
    response = client.post(reverse("albums:tags", args=[album.pk, photo.pk]), {"students": [world.child.pk]})
    assert response.status_code == 404 and not PhotoTag.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_deleting_a_photo_and_an_album_removes_their_files(client, world, album):
    photo = add_photo(album, world.users["teacher"])
    files = [(f.storage, f.name) for f in (photo.original, photo.web, photo.thumb)]
    assert all(storage.exists(name) for storage, name in files)
    client.force_login(world.users["teacher"])
    confirmation = client.get(reverse("albums:delete_photo", args=[album.pk, photo.pk]))  # asks first, deletes nothing
    assert confirmation.status_code == 200 and 'name="confirm"' in confirmation.content.decode()
    assert Photo.objects.filter(pk=photo.pk).exists()
    client.post(reverse("albums:delete_photo", args=[album.pk, photo.pk]))
    assert not Photo.objects.exists() and not any(storage.exists(name) for storage, name in files)

    other = add_photo(album, world.users["teacher"])
    assert client.get(reverse("albums:delete", args=[album.pk])).status_code == 200
    client.post(reverse("albums:delete", args=[album.pk]))
    assert not Album.objects.exists() and not other.original.storage.exists(other.original.name)


def test_a_parent_is_told_nothing_about_an_album_they_cannot_open(client, world, album):
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(LIST).status_code == 404
    assert client.get(album.get_absolute_url()).status_code == 404

