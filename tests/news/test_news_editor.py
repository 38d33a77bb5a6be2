"""The editor of news: rich text kept safe, Markdown posts of before still rendering, files never
dropped by a count, a preview or a correction, and photos in the text behind the post's access."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schoolpoort.core.staging import StagedUpload
from schoolpoort.news.models import Post, PostAttachment
from tests.news.news_helpers import make_post

CREATE = reverse("news:create")


def _jpeg(name="foto.jpg") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _data(world, **overrides):
    data = {
        "title": "Schoolreisje", "publish": "now", "save": "1", "audience_targets": [f"group:{world.group3.pk}"],
        "body": "<p>Neem mee:</p><ul><li>een schoteltje</li><li>een lepel</li></ul><script>alert(1)</script>",
    }
    data.update(overrides)
    return data


def _kept(page: str) -> list[str]:
    return re.findall(r'name="kept_attachments" value="(\d+)"', page)


def test_a_rich_post_is_stored_as_safe_html_with_its_list(client, world):
    client.force_login(world.users["teacher"])
    client.post(CREATE, _data(world))
    post = Post.objects.get()
    assert post.body_format == "html"
    assert post.body_html == "<p>Neem mee:</p><ul><li>een schoteltje</li><li>een lepel</li></ul>"
    assert post.excerpt == "Neem mee: - een schoteltje - een lepel"
    assert post.body_text == "Neem mee:\n\n- een schoteltje\n- een lepel"
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<ul><li>een schoteltje</li><li>een lepel</li></ul>" in page and "alert(1)" not in page


def test_a_markdown_post_of_before_still_renders_and_opens_in_the_editor_as_it_reads(client, world):
    post = make_post(world.users["teacher"], groups=[world.group3], body="We gaan naar **Artis**.")
    assert post.body_format == "markdown" and post.body_html == "<p>We gaan naar <strong>Artis</strong>.</p>"
    client.force_login(world.users["teacher"])
    assert "<strong>Artis</strong>" in client.get(post.get_absolute_url()).content.decode()
    form = client.get(reverse("news:edit", args=[post.pk])).context["form"]
    assert form.initial["body"] == "<p>We gaan naar <strong>Artis</strong>.</p>"
    client.post(reverse("news:edit", args=[post.pk]), _data(world, body=form.initial["body"]))
    post.refresh_from_db()
    assert post.body_format == "html" and post.body_html == "<p>We gaan naar <strong>Artis</strong>.</p>"


def test_asking_the_count_keeps_the_photo_and_publishing_stores_it(client, world):
    teacher = world.users["teacher"]
    client.force_login(teacher)
    page = client.post(CREATE, _data(world, preview="1", save="", attachments=[_jpeg()])).content.decode()
    assert "news-preview" in page and not Post.objects.exists()
    kept = _kept(page)
    assert len(kept) == 1 and "foto.jpg" in page

    # Publishing sends no file again: the kept one is stored with the post, and its draft goes.
    data = _data(world, kept_attachments=kept)
    client.post(CREATE, data)
    post = Post.objects.get()
    assert [(a.kind, a.original_name) for a in post.attachments.all()] == [("image", "foto.jpg")]


def test_a_failed_validation_keeps_the_photo(client, world):
    client.force_login(world.users["teacher"])
    page = client.post(CREATE, _data(world, title="", attachments=[_jpeg()])).content.decode()
    assert not Post.objects.exists()
    kept = _kept(page)
    assert len(kept) == 1
    client.post(CREATE, _data(world, kept_attachments=kept))
    assert Post.objects.get().attachments.get().original_name == "foto.jpg"


def test_a_kept_file_can_be_removed_and_is_nobody_elses(client, world):
    teacher, other = world.users["teacher"], world.users["director"]
    client.force_login(teacher)
    kept = _kept(client.post(CREATE, _data(world, preview="1", attachments=[_jpeg()])).content.decode())
    # Another writer cannot take the teacher's draft by naming it.
    client.force_login(other)
    client.post(CREATE, _data(world, kept_attachments=kept, audience_targets=[f"school:{world.school.pk}"]))
    assert Post.objects.count() == 1 and not PostAttachment.objects.exists()
    # The remove button takes it out (and discards the draft).
    client.force_login(teacher)
    page = client.post(CREATE, _data(world, kept_attachments=kept, unstage=kept[0])).content.decode()
    assert _kept(page) == [] and Post.objects.count() == 1
    assert not StagedUpload.objects.filter(pk=kept[0]).exists()


def test_abandoned_drafts_are_swept_after_a_day(client, world):
    import datetime

    from django.utils import timezone

    from schoolpoort.core import staging

    client.force_login(world.users["teacher"])
    client.post(CREATE, _data(world, preview="1", attachments=[_jpeg()]))
    draft = StagedUpload.objects.get(kind="news.attachment")
    assert draft.expires_at > timezone.now() + datetime.timedelta(hours=23)
    staging.sweep(now=timezone.now() + datetime.timedelta(days=1, minutes=1))
    assert not StagedUpload.objects.filter(pk=draft.pk).exists()


def _upload_inline(client) -> str:
    response = client.post(reverse("news:upload_image"), {"image": _jpeg("in-de-tekst.jpg")})
    assert response.status_code == 200
    return response.json()["url"]


def test_a_photo_in_the_text_becomes_the_posts_own_and_only_its_readers_get_it(client, world):
    teacher = world.users["teacher"]
    client.force_login(teacher)
    url = _upload_inline(client)
    assert client.get(url).status_code == 200
    client.force_login(world.users["teacher_other_group"])
    assert client.get(url).status_code == 404  # a draft is its writer's only

    client.force_login(teacher)
    client.post(CREATE, _data(world, body=f'<p>Kijk:</p><img src="{url}" alt="De klas">'))
    post = Post.objects.get()
    image = post.attachments.get()
    assert image.inline and image.is_image
    assert post.body_html == f'<p>Kijk:</p><img src="{image.get_absolute_url()}" alt="De klas">'
    assert client.get(image.get_absolute_url()).status_code == 200
    assert f'src="{image.get_absolute_url()}"' in client.get(post.get_absolute_url()).content.decode()

    for role in ("guardian_other_group", "guardian_other_school", "teacher_other_group"):
        client.force_login(world.users[role])
        assert client.get(image.get_absolute_url()).status_code == 404, role


def test_an_image_from_elsewhere_is_left_out(client, world):
    client.force_login(world.users["teacher"])
    body = '<p>a</p><img src="https://tracker.example/p.gif"><img src="/nieuws/9/bijlagen/9/">'
    client.post(CREATE, _data(world, body=body))
    post = Post.objects.get()
    # Another post's attachment URL passes the sanitiser but is not this post's: no reader gets it.
    assert "tracker" not in post.body_html
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<img" not in page.split('class="news-body"')[1].split("</div>")[0]


@pytest.mark.parametrize("role", ["guardian", "administration"])
def test_who_may_not_write_may_not_upload_a_photo_for_the_text(client, world, role):
    client.force_login(world.users[role])
    assert client.post(reverse("news:upload_image"), {"image": _jpeg()}).status_code == 404


def test_a_photo_for_the_text_must_be_a_photo(client, world):
    client.force_login(world.users["teacher"])
    pdf = SimpleUploadedFile("brief.pdf", b"%PDF-1.4\n%%EOF\n")
    response = client.post(reverse("news:upload_image"), {"image": pdf})
    assert response.status_code == 400 and response.json()["error"]
    assert not StagedUpload.objects.exists()


def test_a_photo_in_the_text_follows_image_consent_like_any_photo_of_the_post(client, world):
    from schoolpoort.core.consent import set_image_tags

    teacher, parent = world.users["teacher"], world.users["guardian"]
    client.force_login(teacher)
    url = _upload_inline(client)
    client.post(CREATE, _data(world, body=f'<p>Kijk:</p><img src="{url}" alt="De klas">'))
    post = Post.objects.get()
    image = post.attachments.get()

    client.force_login(parent)  # a parent of the group: the post yes, the photo not before staff said who is in it
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<p>Kijk:</p>" in page and image.get_absolute_url() not in page
    assert client.get(image.get_absolute_url()).status_code == 404

    set_image_tags(image, [], True, by=teacher)  # no child recognisable
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'<img src="{image.get_absolute_url()}" alt="De klas">' in page
    assert 'class="news-images"' not in page  # shown in the text, not again below it
    assert client.get(image.get_absolute_url()).status_code == 200
