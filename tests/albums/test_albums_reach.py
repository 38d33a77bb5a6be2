"""The home page's fast filter for albums and photos (the request's plain id lists and the
overview's module states, ``core.access.ReachIds``) finds exactly what ``visible_to`` finds for
every role and state of the module, the image consent rule included; and asking about a few
albums' photos only (the album page, the home page) changes nothing but the tags read."""

import pytest
from django.db.models import Q
from django.utils import timezone

from schoolpoort.albums.access import album_q, photo_q
from schoolpoort.albums.models import Album, Photo, PhotoTag
from schoolpoort.core.access import SubqueryIds
from schoolpoort.core.models import Guardianship
from tests.access_table import CASES as ACCESS_TABLE
from tests.access_table import reach_ids, set_module_state
from tests.albums.helpers import consent
from tests.factories import GuardianshipFactory


def _album(world, *, school=None, groups=(), published=True, by=None):
    album = Album.objects.create(
        school=school or groups[0].school,
        audience=Album.Audience.GROUPS if groups else Album.Audience.SCHOOL,
        title="Album",
        created_by=by or world.users["teacher"],
        published_at=timezone.now() if published else None,
    )
    album.groups.set(groups)
    return album


def _photo(album, *, tags=(), status=Photo.Status.READY):
    photo = Photo.objects.create(
        album=album, status=status, original="o.jpg", original_name="o.jpg", content_type="image/jpeg",
        size=1, thumb="t.jpg",
    )
    for student in tags:
        PhotoTag.objects.create(photo=photo, student=student)
    return photo


def _albums_of_every_kind(world):
    noor, lotte = world.child, world.classmate_of_other_group
    consent(lotte, given=False)
    albums = [
        _album(world, school=world.school),
        _album(world, groups=[world.group3]),
        _album(world, groups=[world.group6], by=world.users["teacher_other_group"]),
        _album(world, school=world.school, published=False),
        _album(world, school=world.sister_school, by=world.users["director"]),
        _album(world, school=world.other_school, by=world.users["board_admin_other_board"]),
    ]
    for album in albums:
        _photo(album)
        _photo(album, tags=[noor])
        _photo(album, tags=[lotte])  # no consent: only Lotte's own parents and staff see it
        _photo(album, status=Photo.Status.PROCESSING)
    return albums


def _ids(model, q):
    return set(model.objects.filter(q).values_list("pk", flat=True))


@pytest.mark.parametrize(("role", "state"), ACCESS_TABLE)
def test_the_home_filter_finds_what_visible_to_allows(world, role, state):
    albums = _albums_of_every_kind(world)
    # A teacher who is a parent at their own school too: both branches at once.
    GuardianshipFactory(student=world.classmate_of_other_group, user=world.users["teacher"])
    set_module_state(world, "albums", state)
    user = world.users[role]
    lists = reach_ids(user)
    assert _ids(Album, album_q(lists)) == set(Album.objects.visible_to(user).values_list("pk", flat=True))
    visible = set(Photo.objects.visible_to(user).values_list("pk", flat=True))
    assert _ids(Photo, photo_q(lists)) == visible
    assert _ids(Photo, photo_q(SubqueryIds(user))) == visible
    for album in albums:
        of_album = {pk for pk in visible if Photo.objects.get(pk=pk).album_id == album.pk}
        assert set(Photo.objects.visible_to(user, album=album).values_list("pk", flat=True)) == of_album
        assert _ids(Photo, photo_q(lists, albums=[album.pk]) & Q(album=album)) == of_album


def test_the_consent_rule_holds_in_the_narrowed_question(world):
    albums = _albums_of_every_kind(world)
    guardian, lotte_parent = world.users["guardian"], world.users["guardian_other_group"]
    school_album = albums[0]
    shown = Photo.objects.visible_to(guardian, album=school_album)
    assert not shown.filter(tags__student=world.classmate_of_other_group).exists()
    assert shown.filter(tags__student=world.child).exists()
    own = Photo.objects.visible_to(lotte_parent, album=school_album)
    assert own.filter(tags__student=world.classmate_of_other_group).exists()


def test_a_guardian_kept_from_class_pages_sees_no_album_in_either(world):
    _albums_of_every_kind(world)
    Guardianship.objects.filter(user=world.users["guardian"]).update(sees_class_pages=False)
    user = world.users["guardian"]
    assert not _ids(Album, album_q(reach_ids(user)))
    assert not Album.objects.visible_to(user).exists()
