"""Writing, editing and deleting: the audience offered follows the role, urgent messages are for
directors and board admins, a failed form keeps what was typed and says what is wrong, and only
the author or a director or board admin of the post's school may change it."""

import datetime
import io
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from schoolpoort.core.staging import StagedUpload
from schoolpoort.news.models import Post, PostAttachment
from schoolpoort.notify.models import Broadcast
from tests.news.news_helpers import english, make_post

CREATE = reverse("news:create")
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def form_as(client, user):
    client.force_login(user)
    return client.get(CREATE)


def choices(response) -> set[str]:
    return {value for value, _label in response.context["form"].fields["audience_targets"].choices}


def post_data(**overrides):
    data = {"title": "Schoolreisje", "body": "<p>We gaan naar <strong>Artis</strong>.</p>", "publish": "now",
            "save": "1"}
    data.update(overrides)
    return data


def test_a_teacher_may_post_to_their_own_groups_only_and_not_urgently(client, world):
    response = form_as(client, world.users["teacher"])
    assert choices(response) == {f"group:{world.group3.pk}"}
    assert "urgent" not in response.context["form"].fields


def test_a_director_may_post_to_the_school_or_its_groups_and_urgently(client, world):
    response = form_as(client, world.users["director"])
    assert choices(response) == {f"school:{world.school.pk}", f"group:{world.group3.pk}", f"group:{world.group6.pk}"}
    assert "urgent" in response.context["form"].fields


def test_a_board_admin_may_post_to_the_board_its_schools_and_their_groups(client, world):
    response = form_as(client, world.users["board_admin"])
    offered = choices(response)
    assert f"board:{world.school.board_id}" in offered
    assert {f"school:{world.school.pk}", f"school:{world.sister_school.pk}"} <= offered
    assert f"group:{world.group6.pk}" in offered
    assert f"school:{world.other_school.pk}" not in offered


@pytest.mark.parametrize("role", ["guardian", "administration"])
def test_who_may_not_post_finds_no_form(client, world, role):
    assert form_as(client, world.users[role]).status_code == 404


def test_news_switched_off_is_not_offered(client, world):
    from schoolpoort.core.models import ModuleSwitch

    ModuleSwitch.objects.filter(school=world.school, module="news").update(enabled=False)
    assert form_as(client, world.users["director"]).status_code == 404
    assert f"school:{world.school.pk}" not in choices(form_as(client, world.users["board_admin"]))


def test_a_teacher_publishes_to_their_group_now(client, world):
    teacher = world.users["teacher"]
    client.force_login(teacher)
    response = client.post(CREATE, post_data(audience_targets=[f"group:{world.group3.pk}"], urgent="on"))

    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    assert post.author == teacher and post.audience == "groups" and list(post.groups.all()) == [world.group3]
    assert post.school == world.school and post.board == world.school.board
    assert not post.urgent  # not offered to teachers, so not taken from the request either
    assert post.body_html == "<p>We gaan naar <strong>Artis</strong>.</p>"
    assert Broadcast.objects.filter(key=f"news.post:{post.pk}").count() == 1


def test_a_teacher_cannot_post_to_a_group_they_do_not_teach(client, world):
    client.force_login(world.users["teacher"])
    response = client.post(CREATE, post_data(audience_targets=[f"group:{world.group6.pk}"]))
    assert response.status_code == 200 and response.context["form"].errors["audience_targets"]
    assert not Post.objects.exists()


def test_the_audience_is_one_of_board_school_or_groups_of_one_school(client, world):
    admin = world.users["board_admin"]
    english(admin)
    client.force_login(admin)
    mixed = client.post(CREATE, post_data(audience_targets=[f"school:{world.school.pk}", f"group:{world.group3.pk}"]))
    assert "not more than one of these" in mixed.content.decode()
    sister_group = world.sister_school.groups.get()
    targets = [f"group:{world.group3.pk}", f"group:{sister_group.pk}"]
    two_schools = client.post(CREATE, post_data(audience_targets=targets))
    assert "must all be of the same school" in two_schools.content.decode()
    assert not Post.objects.exists()


def test_a_director_sends_an_urgent_message_to_the_school(client, world):
    client.force_login(world.users["director"])
    client.post(CREATE, post_data(audience_targets=[f"school:{world.school.pk}"], urgent="on"))
    post = Post.objects.get()
    assert post.urgent and Broadcast.objects.get(key=f"news.post:{post.pk}").urgent


def test_a_message_for_later_is_scheduled_in_dutch_time(client, world):
    director = world.users["director"]
    client.force_login(director)
    day = timezone.localdate() + datetime.timedelta(days=3)
    client.post(CREATE, post_data(
        audience_targets=[f"school:{world.school.pk}"], publish="later", publish_at=f"{day.isoformat()}T08:30",
    ))
    post = Post.objects.get()
    assert post.publish_at == datetime.datetime.combine(day, datetime.time(8, 30), tzinfo=AMSTERDAM)
    assert not Broadcast.objects.exists() and post.notified_at is None
    assert DBTaskResult.objects.get(task_path__endswith="publish_scheduled_post").run_after == post.publish_at


def test_a_failed_form_keeps_what_was_typed_and_says_what_is_wrong(client, world):
    director = world.users["director"]
    english(director)
    client.force_login(director)
    response = client.post(CREATE, post_data(
        title="Sportdag", body="Neem **gymschoenen** mee.", audience_targets=[f"school:{world.school.pk}"],
        publish="later", publish_at="2020-01-01T10:00",
    ))
    page = response.content.decode()
    assert response.status_code == 200 and not Post.objects.exists()
    assert "This moment has passed" in page
    assert 'value="Sportdag"' in page and "Neem **gymschoenen** mee." in page
    assert "Please correct what is marked below" in page


def test_the_preview_counts_the_families_that_will_be_notified_and_saves_nothing(client, world):
    director = world.users["director"]
    english(director)
    client.force_login(director)
    response = client.post(CREATE, post_data(audience_targets=[f"school:{world.school.pk}"], preview="1"))
    page = response.content.decode()
    # Noor (two separated guardians) and Lotte (one guardian): two families, three parents.
    assert "2 families (3 parents) will get a notification" in page
    assert "E-mail now: 3" in page  # notify's own preview of the channels
    assert not Post.objects.exists() and not Broadcast.objects.exists()


# --- Photos and attachments ---------------------------------------------------------------------


def _jpeg(name="foto.jpg") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("groot.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024)), "“groot.pdf” is too large"),
        (SimpleUploadedFile("spel.exe", b"MZ\x90\x00"), "“spel.exe” is not a file type that can be added"),
        (SimpleUploadedFile("brief.pdf", b"<html>not a pdf</html>"), "“brief.pdf” could not be read"),
        (SimpleUploadedFile("foto.png", b"\x89PNG not really"), "“foto.png” could not be read"),
        (SimpleUploadedFile("lijst.docx", b"PK\x03\x04 but no document"), "“lijst.docx” could not be read"),
    ],
)
def test_upload_limits_give_a_clear_message_and_keep_the_typed_title_and_body(client, world, upload, message):
    teacher = world.users["teacher"]
    english(teacher)
    client.force_login(teacher)
    response = client.post(CREATE, post_data(
        title="Kijk eens", body="De foto van vandaag.", audience_targets=[f"group:{world.group3.pk}"],
        attachments=[_jpeg(), upload],
    ))
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert 'value="Kijk eens"' in page and "De foto van vandaag." in page
    # The accepted photo is kept as a draft and shown with its remove button; nothing is stored yet.
    draft = StagedUpload.objects.get(kind="news.attachment", owner=teacher)
    assert f'name="kept_attachments" value="{draft.pk}"' in page and "foto.jpg" in page
    assert not Post.objects.exists() and not PostAttachment.objects.exists()


def test_photos_and_documents_are_stored_with_the_post(client, world):
    client.force_login(world.users["teacher"])
    pdf = SimpleUploadedFile("Toestemming schoolreis.pdf", b"%PDF-1.4\n%%EOF\n")
    client.post(CREATE, post_data(audience_targets=[f"group:{world.group3.pk}"], attachments=[_jpeg(), pdf]))
    post = Post.objects.get()
    kinds = sorted((a.kind, a.original_name) for a in post.attachments.all())
    assert kinds == [("file", "Toestemming schoolreis.pdf"), ("image", "foto.jpg")]
    page = client.get(post.get_absolute_url()).content.decode()
    for attachment in post.attachments.all():
        assert attachment.get_absolute_url() in page


# --- Edit and delete --------------------------------------------------------------------------


@pytest.fixture
def group3_post(world):
    return make_post(world.users["teacher"], groups=[world.group3], title="Groep 3 nieuws")


@pytest.mark.parametrize(
    "role, status",
    [
        ("teacher", 200),  # the author
        ("director", 200),
        ("board_admin", 200),
        ("teacher_other_group", 404),
        ("administration", 404),
        ("guardian", 404),
        ("board_admin_other_board", 404),
    ],
)
@pytest.mark.parametrize("name", ["news:edit", "news:delete", "news:stats"])
def test_who_may_edit_delete_and_see_read_figures(client, world, group3_post, role, status, name):
    client.force_login(world.users[role])
    assert client.get(reverse(name, args=[group3_post.pk])).status_code == status


def test_a_teacher_may_not_edit_the_directors_school_post_they_can_read(client, world):
    post = make_post(world.users["director"], school=world.school)
    client.force_login(world.users["teacher"])
    assert client.get(post.get_absolute_url()).status_code == 200
    for name in ("news:edit", "news:delete", "news:stats"):
        assert client.get(reverse(name, args=[post.pk])).status_code == 404
    assert client.post(reverse("news:delete", args=[post.pk])).status_code == 404
    assert Post.objects.filter(pk=post.pk).exists()


def test_a_director_may_not_edit_a_board_post(client, world):
    post = make_post(world.users["board_admin"], board=world.school.board)
    client.force_login(world.users["director"])
    assert client.get(reverse("news:edit", args=[post.pk])).status_code == 404


def test_editing_a_published_post_saves_it_without_notifying_again(client, world, group3_post):
    client.force_login(world.users["teacher"])
    response = client.post(reverse("news:edit", args=[group3_post.pk]), {
        "title": "Groep 3 nieuws (aangepast)", "body": "Nieuwe tekst", "audience_targets": [f"group:{world.group3.pk}"],
    })
    assert response.status_code == 302
    group3_post.refresh_from_db()
    assert group3_post.title == "Groep 3 nieuws (aangepast)" and group3_post.body_html == "<p>Nieuwe tekst</p>"
    assert Broadcast.objects.filter(key=f"news.post:{group3_post.pk}").count() == 1


def test_the_director_deletes_a_teachers_post_with_its_files(
    client, world, group3_post, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    from schoolpoort.news.uploads import prepare_upload, store_upload

    attachment = store_upload(group3_post, prepare_upload(ContentFile(b"%PDF-1.4", name="brief.pdf")))
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    client.force_login(world.users["director"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("news:delete", args=[group3_post.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("news:feed")
    assert not Post.objects.exists() and not PostAttachment.objects.exists()
    assert not storage.exists(name)


def test_removing_an_attachment_when_editing(client, world, group3_post):
    from django.core.files.base import ContentFile

    from schoolpoort.news.uploads import prepare_upload, store_upload

    keep = store_upload(group3_post, prepare_upload(ContentFile(b"%PDF-1.4", name="houden.pdf")))
    drop = store_upload(group3_post, prepare_upload(ContentFile(b"%PDF-1.4", name="weg.pdf")))
    client.force_login(world.users["teacher"])
    client.post(reverse("news:edit", args=[group3_post.pk]), {
        "title": group3_post.title, "body": group3_post.body, "audience_targets": [f"group:{world.group3.pk}"],
        "remove_attachments": [drop.pk],
    })
    assert list(group3_post.attachments.all()) == [keep]


def test_moving_a_scheduled_post_to_now_publishes_it(client, world):
    post = make_post(world.users["director"], school=world.school, when=timezone.now() + datetime.timedelta(days=1))
    assert not Broadcast.objects.exists()
    client.force_login(world.users["director"])
    client.post(reverse("news:edit", args=[post.pk]), {
        "title": post.title, "body": post.body, "audience_targets": [f"school:{world.school.pk}"], "publish": "now",
    })
    post.refresh_from_db()
    assert post.is_published and post.notified_at is not None
    assert Broadcast.objects.filter(key=f"news.post:{post.pk}").count() == 1
