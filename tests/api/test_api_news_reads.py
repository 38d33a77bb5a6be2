"""News for parents' apps: mark read and a post's files, through the same access rule as the post
page. Each role gets from the API what it gets from the page (200 or 404); a photo of a child
without image consent is not there for other families; a token may fetch files with ``news:read``
and may never mark a post read (that is a person's act)."""

import pytest
from django.core.files.base import ContentFile

from schoolpoort.core.consent import set_image_tags
from schoolpoort.news.models import PostRead
from schoolpoort.news.uploads import prepare_upload, store_upload
from tests.api.api_helpers import bearer, token_for
from tests.news.news_helpers import make_post
from tests.world import build_world

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82")
ROLES = ["guardian", "other_guardian", "guardian_other_group", "guardian_other_school", "teacher",
         "teacher_other_group", "administration", "director", "board_admin", "board_admin_other_board"]


@pytest.fixture
def world(db):
    world = build_world()
    world.post = make_post(world.users["teacher"], groups=[world.group3], title="Groep 3")
    world.pdf = store_upload(world.post, prepare_upload(ContentFile(b"%PDF-1.4\n%demo\n", name="brief.pdf")))
    return world


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_and_marks_exactly_what_the_page_shows(client, world, role):
    user = world.users[role]
    client.force_login(user)
    page = client.get(world.pdf.get_absolute_url()).status_code
    PostRead.objects.filter(user=user).delete()
    api = client.get(f"/api/v1/news/{world.post.pk}/attachments/{world.pdf.pk}")
    assert api.status_code == page and page in (200, 404)
    if page == 200:
        assert b"".join(api.streaming_content).startswith(b"%PDF") and "attachment" in api["Content-Disposition"]
    marked = client.post(f"/api/v1/news/{world.post.pk}/read")
    assert marked.status_code == page
    assert PostRead.objects.filter(user=user, post=world.post).exists() is (page == 200)
    if page == 200:
        assert marked.json() == {"id": world.post.pk, "is_read": True}
        assert client.get("/api/v1/news").json()["items"][0]["is_read"] is True
    assert role not in ("guardian", "other_guardian", "teacher") or page == 200
    assert role not in ("guardian_other_group", "guardian_other_school", "board_admin_other_board") or page == 404


def test_a_photo_without_consent_is_only_there_once_staff_marked_it(client, world):
    photo = store_upload(world.post, prepare_upload(ContentFile(PNG, name="klas.png")))
    url = f"/api/v1/news/{world.post.pk}/attachments/{photo.pk}"
    client.force_login(world.users["guardian"])
    assert client.get(url).status_code == client.get(photo.get_absolute_url()).status_code == 404
    set_image_tags(photo, [], True, world.users["teacher"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_a_file_of_another_post_or_none_is_404(client, world):
    other = make_post(world.users["teacher"], groups=[world.group3], title="Ander")
    client.force_login(world.users["guardian"])
    assert client.get(f"/api/v1/news/{other.pk}/attachments/{world.pdf.pk}").status_code == 404
    assert client.get(f"/api/v1/news/{world.post.pk}/attachments/999999").status_code == 404
    assert client.post("/api/v1/news/999999/read").status_code == 404


def test_a_post_not_published_yet_is_not_marked_read(client, world):
    import datetime

    from django.utils import timezone

    later = make_post(world.users["teacher"], groups=[world.group3], publish=False,
                      when=timezone.now() + datetime.timedelta(days=1))
    client.force_login(world.users["teacher"])
    response = client.post(f"/api/v1/news/{later.pk}/read")
    assert response.status_code == 200 and response.json()["is_read"] is False
    assert not PostRead.objects.filter(post=later).exists()


def test_tokens_fetch_files_with_news_read_and_never_mark_read(client, world):
    reader = token_for(world.users["director"], world.school, scopes=["news:read"]).secret
    other = token_for(world.users["board_admin"], world.school, scopes=["absences:read"], name="Plan").secret
    url = f"/api/v1/news/{world.post.pk}/attachments/{world.pdf.pk}"
    assert client.get(url, **bearer(reader)).status_code == 200
    assert client.get(url, **bearer(other)).status_code == 403
    assert client.post(f"/api/v1/news/{world.post.pk}/read", **bearer(reader)).status_code == 403
    assert not PostRead.objects.exists()
