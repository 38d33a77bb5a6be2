"""Documents through the API, yes and no per role: the bookshelf's ``visible_to`` rule (a group's
shelf, a shelf named for one family), the image consent rule on a photo put on a shelf (no file
for other families until staff tagged it), the page's own file address, cursor pages, a fixed
number of queries, a token 403."""

import datetime

import pytest
from django.utils import timezone

from schoolpoort.documents.models import Document
from tests.albums.helpers import jpeg
from tests.api.api_helpers import bearer, token_for
from tests.documents.helpers import add_document, make_shelf
from tests.world import build_world


@pytest.fixture
def world(db):
    world = build_world()
    director = world.users["director"]
    world.shelf = make_shelf(world.school, director, audience="groups", groups=[world.group3], title="Groep 3")
    world.document = add_document(world.shelf, director, title="Gymrooster")
    guardianship = world.child.guardianships.get(user=world.users["guardian"])
    world.family_shelf = make_shelf(world.school, director, audience="guardians", guardianships=[guardianship],
                                    title="Verslag")
    world.family_document = add_document(world.family_shelf, director, title="Verslag Noor")
    return world


def ids(client, **params):
    response = client.get("/api/v1/documents", params)
    assert response.status_code == 200
    return [item["id"] for item in response.json()["items"]]


@pytest.mark.parametrize("role, sees, sees_named", [
    ("guardian", True, True), ("other_guardian", True, False), ("guardian_other_group", False, False),
    ("teacher", True, False), ("teacher_other_group", False, False), ("director", True, True),
    ("board_admin_other_board", False, False), ("guardian_other_school", False, False),
])
def test_the_documents_follow_the_pages_rule(client, world, role, sees, sees_named):
    client.force_login(world.users[role])
    listed = client.get("/api/v1/documents")
    found = [item["id"] for item in listed.json()["items"]] if listed.status_code == 200 else []
    assert (world.document.pk in found) is sees
    assert (world.family_document.pk in found) is sees_named
    assert client.get(f"/api/v1/documents/{world.document.pk}").status_code == (200 if sees else 404)
    assert client.get(f"/api/v1/documents/{world.family_document.pk}").status_code == (200 if sees_named else 404)


def test_the_file_is_the_pages_address_and_checks_the_rule(client, world):
    client.force_login(world.users["guardian"])
    item = client.get(f"/api/v1/documents/{world.document.pk}").json()
    assert item["file"]["content_type"] == "application/pdf" and item["shelf"] == "Groep 3"
    path = item["file"]["url"][item["file"]["url"].index("/", len("https://")):]
    assert client.get(path).status_code == 200
    client.force_login(world.users["guardian_other_group"])
    assert client.get(path).status_code == 404


def test_an_untagged_photo_on_a_shelf_has_no_file_for_families_but_for_staff(client, world):
    photo = add_document(world.shelf, world.users["director"], title="Klassenfoto", data=jpeg(), name="klas.jpg")
    client.force_login(world.users["guardian"])
    items = {item["id"]: item for item in client.get("/api/v1/documents").json()["items"]}
    assert items[photo.pk]["file"] is None and items[world.document.pk]["file"] is not None
    assert client.get(f"/api/v1/documents/{photo.pk}").json()["file"] is None
    client.force_login(world.users["teacher"])
    assert client.get(f"/api/v1/documents/{photo.pk}").json()["file"]["content_type"] == "image/jpeg"


def test_documents_page_newest_first_with_a_cursor_and_per_shelf(client, world):
    for n in range(4):
        add_document(world.shelf, world.users["director"], title=f"Brief {n}")
    now = timezone.now()
    for n, document in enumerate(Document.objects.order_by("pk")):
        Document.objects.filter(pk=document.pk).update(created_at=now - datetime.timedelta(hours=10 - n))
    client.force_login(world.users["guardian"])
    everything = ids(client, limit=100)
    assert everything == list(Document.objects.order_by("-created_at").values_list("pk", flat=True))
    seen, cursor = [], None
    while True:
        page = client.get("/api/v1/documents", {"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == everything
    assert world.family_document.pk not in ids(client, shelf_id=world.shelf.pk)
    assert client.get("/api/v1/documents", {"cursor": "bm9wZQ"}).status_code == 400


def test_a_token_gets_403(client, world):
    headers = bearer(token_for(world.users["director"], world.school).secret)
    assert client.get("/api/v1/documents", **headers).status_code == 403
    assert client.get(f"/api/v1/documents/{world.document.pk}", **headers).status_code == 403


def test_the_list_costs_the_same_queries_for_2_or_10_rows(client, world, django_assert_max_num_queries):
    client.force_login(world.users["guardian"])
    counts = []
    for round_ in range(2):
        with django_assert_max_num_queries(25) as captured:
            assert len(ids(client)) == (2 if round_ == 0 else 10)
        counts.append(len(captured.captured_queries))
        if round_ == 0:
            for n in range(8):
                add_document(world.shelf, world.users["director"], title=f"Brief {n}")
    assert counts[1] <= counts[0], counts
