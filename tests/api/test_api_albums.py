"""Albums and photos through the API, yes and no per role: the album pages' ``visible_to`` rules,
the image consent rule (a photo of a classmate without portal consent is not listed for other
families, and its file address answers them 404), cursor pages in album order and a fixed number of
queries, a token 403."""

import pytest

from schoolpoort.albums.models import Photo
from tests.albums.helpers import add_photo, consent, make_album
from tests.api.api_helpers import bearer, token_for
from tests.factories import GuardianshipFactory, UserFactory, enrolled_student
from tests.world import build_world


@pytest.fixture
def world(db):
    world = build_world()
    teacher = world.users["teacher"]
    world.album = make_album(teacher, groups=[world.group3])
    world.classmate = enrolled_student(world.group3, first_name="Sem")
    world.classmate_parent = UserFactory()
    GuardianshipFactory(student=world.classmate, user=world.classmate_parent)
    world.open_photo = add_photo(world.album, teacher)
    world.private_photo = add_photo(world.album, teacher, tags=[world.classmate])  # no consent
    world.users["classmate_parent"] = world.classmate_parent
    return world


def photo_ids(client, album, **params):
    response = client.get(f"/api/v1/albums/{album.pk}/photos", params)
    assert response.status_code == 200
    return [item["id"] for item in response.json()["items"]]


@pytest.mark.parametrize("role, sees", [
    ("guardian", True), ("other_guardian", True), ("guardian_other_group", False), ("guardian_other_school", False),
    ("teacher", True), ("teacher_other_group", False), ("director", True), ("board_admin_other_board", False),
])
def test_the_albums_follow_the_pages_rule(client, world, role, sees):
    client.force_login(world.users[role])
    listed = client.get("/api/v1/albums")
    assert listed.status_code in (200, 404)
    ids = [a["id"] for a in listed.json()["items"]] if listed.status_code == 200 else []
    assert (ids == [world.album.pk]) is sees
    assert client.get(f"/api/v1/albums/{world.album.pk}").status_code == (200 if sees else 404)
    assert client.get(f"/api/v1/albums/{world.album.pk}/photos").status_code == (200 if sees else 404)


def test_the_consent_rule_keeps_a_classmates_photo_from_other_families(client, world):
    client.force_login(world.users["guardian"])
    assert photo_ids(client, world.album) == [world.open_photo.pk]
    assert client.get("/api/v1/albums").json()["items"][0]["photo_count"] == 1
    client.force_login(world.classmate_parent)
    assert photo_ids(client, world.album) == [world.open_photo.pk, world.private_photo.pk]
    client.force_login(world.users["teacher"])
    assert photo_ids(client, world.album) == [world.open_photo.pk, world.private_photo.pk]
    consent(world.classmate, given=True)
    client.force_login(world.users["guardian"])
    assert photo_ids(client, world.album) == [world.open_photo.pk, world.private_photo.pk]


def test_the_file_addresses_are_the_pages_and_check_the_rule(client, world):
    client.force_login(world.classmate_parent)
    items = {item["id"]: item for item in client.get(f"/api/v1/albums/{world.album.pk}/photos").json()["items"]}
    private = items[world.private_photo.pk]
    assert private["thumb_url"].endswith(world.private_photo.thumb_url) and private["video_url"] is None
    for url in (private["thumb_url"], private["web_url"], private["download_url"]):
        path = url[url.index("/", len("https://")):]
        assert client.get(path).status_code == 200
        client.force_login(world.users["guardian"])
        assert client.get(path).status_code == 404  # another family: the consent rule
        client.force_login(world.classmate_parent)


def test_photos_page_with_a_cursor_in_album_order(client, world):
    for _ in range(3):
        add_photo(world.album, world.users["teacher"])
    client.force_login(world.users["guardian"])
    expected = photo_ids(client, world.album, limit=100)
    assert len(expected) == 4
    seen, cursor = [], None
    while True:
        page = client.get(f"/api/v1/albums/{world.album.pk}/photos",
                          {"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == expected
    assert client.get(f"/api/v1/albums/{world.album.pk}/photos", {"cursor": "bm9wZQ"}).status_code == 400


def test_albums_page_with_a_cursor_newest_first(client, world):
    import datetime

    albums = [world.album]
    for n in range(4):
        album = make_album(world.users["teacher"], groups=[world.group3], title=f"Album {n}")
        album.date = album.date - datetime.timedelta(days=n + 1)
        album.save(update_fields=["date"])
        albums.append(album)
    client.force_login(world.users["guardian"])
    seen, cursor = [], None
    while True:
        page = client.get("/api/v1/albums", {"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [a.pk for a in albums]


def test_a_token_gets_403_and_another_schools_album_is_404(client, world):
    headers = bearer(token_for(world.users["director"], world.school).secret)
    assert client.get("/api/v1/albums", **headers).status_code == 403
    assert client.get(f"/api/v1/albums/{world.album.pk}/photos", **headers).status_code == 403
    elsewhere = make_album(world.users["board_admin_other_board"], school=world.other_school, title="Elders")
    client.force_login(world.users["guardian"])
    assert client.get(f"/api/v1/albums/{elsewhere.pk}").status_code == 404
    assert client.get(f"/api/v1/albums/{elsewhere.pk}/photos").status_code == 404


def test_lists_cost_the_same_queries_for_2_or_10_rows(client, world, django_assert_max_num_queries):
    client.force_login(world.users["guardian"])
    counts = []
    for round_ in range(2):
        with django_assert_max_num_queries(30) as captured:
            assert client.get("/api/v1/albums").status_code == 200
            assert client.get(f"/api/v1/albums/{world.album.pk}/photos").status_code == 200
        counts.append(len(captured.captured_queries))
        if round_ == 0:
            for n in range(8):
                make_album(world.users["teacher"], groups=[world.group3], title=f"Album {n}")
                Photo.objects.bulk_create([Photo(
                    album=world.album, kind=Photo.Kind.IMAGE, status=Photo.Status.READY,
                    original=world.open_photo.original.name, original_name=f"{n}.jpg", content_type="image/jpeg",
                    size=1, web=world.open_photo.web.name, thumb=world.open_photo.thumb.name)])
    assert len(photo_ids(client, world.album)) == 9
    assert counts[1] <= counts[0], counts
