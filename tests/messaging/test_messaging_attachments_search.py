"""Attachments (type and size limits with a clear error that keeps the typed text, photos without
their metadata) and searching in one's own messages."""

import dataclasses
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from schoolpoort.messaging import uploads
from schoolpoort.messaging.models import Conversation, MessageAttachment
from tests.messaging.helpers import english, school_settings, start_one, teacher_thread


def photo_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "orange")
    exif = Image.Exif()
    exif[0x010F] = "Camera"  # Make
    exif[0x8825] = {2: (52.0, 5.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
def compose(client, world):
    users = world.users
    english(users["guardian"])
    client.force_login(users["guardian"])

    def post(*files, body="Zie de bijlage, groet Eva"):
        return client.post(reverse("messaging:compose"), {
            "recipient": f"teacher:{users['teacher'].pk}:{world.child.pk}", "subject": "Bijlage",
            "body": body, "attachments": list(files),
        })

    return post


def test_a_photo_and_a_pdf_are_sent_and_the_photo_loses_its_metadata(client, compose, world):
    response = compose(SimpleUploadedFile("foto.jpg", photo_with_gps(), "image/jpeg"),
                       SimpleUploadedFile("brief.pdf", b"%PDF-1.4 brief", "application/pdf"))
    assert response.status_code == 302
    photo, pdf = MessageAttachment.objects.order_by("pk")
    assert (photo.kind, pdf.kind) == ("image", "file")
    with photo.file.open("rb") as handle, Image.open(handle) as stored:
        assert not stored.getexif()
    client.force_login(world.users["teacher"])
    download = client.get(reverse("messaging:attachment", args=[pdf.message.conversation_id, pdf.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert "attachment" in download["Content-Disposition"]


def test_a_file_that_is_too_large_is_refused_by_name_and_the_text_is_kept(compose, settings, monkeypatch):
    monkeypatch.setattr(uploads, "POLICY", dataclasses.replace(uploads.POLICY, max_size=1024))
    response = compose(SimpleUploadedFile("groot.pdf", b"%PDF-" + b"x" * 2048, "application/pdf"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "“groot.pdf” is too large" in page and "Files may be at most 1.0\xa0KB" in page
    assert "Zie de bijlage, groet Eva" in page  # what was typed stays in the form
    assert not Conversation.objects.exists() and not MessageAttachment.objects.exists()


@pytest.mark.parametrize("name, content", [
    ("virus.exe", b"MZ\x90\x00"),
    ("nep.pdf", b"dit is geen pdf"),
    ("nep.jpg", b"dit is geen foto"),
])
def test_files_of_other_types_or_not_what_they_say_are_refused(compose, name, content):
    page = compose(SimpleUploadedFile(name, content)).content.decode()
    assert f"“{name}”" in page
    assert "Zie de bijlage, groet Eva" in page
    assert not MessageAttachment.objects.exists()


def test_at_most_five_files_a_message(compose):
    files = [SimpleUploadedFile(f"brief{n}.pdf", b"%PDF-1.4", "application/pdf") for n in range(6)]
    page = compose(*files).content.decode()
    assert "At most 5 files can be added to one message." in page
    assert not Conversation.objects.exists()


def test_a_reply_with_a_refused_file_keeps_the_text(client, world):
    english(world.users["teacher"])
    conversation = teacher_thread(world)
    client.force_login(world.users["teacher"])
    response = client.post(conversation.get_absolute_url(), {
        "body": "Hierbij het rooster", "attachments": [SimpleUploadedFile("rooster.exe", b"MZ")],
    })
    page = response.content.decode()
    assert "“rooster.exe” is not a file type that can be added." in page and "Hierbij het rooster" in page
    assert conversation.messages.count() == 1


def test_one_file_sent_to_many_families_is_stored_once(world):
    from tests.factories import GuardianshipFactory, enrolled_student
    from tests.messaging.helpers import start

    GuardianshipFactory(student=enrolled_student(world.group3))
    prepared = uploads.prepare_upload(SimpleUploadedFile("brief.pdf", b"%PDF-1.4", "application/pdf"))
    conversations = start(world.users["teacher"], f"group:{world.group3.pk}", uploads=[prepared])
    names = set(MessageAttachment.objects.values_list("file", flat=True))
    assert len(conversations) == 3 and MessageAttachment.objects.count() == 3 and len(names) == 1


# --- Search ------------------------------------------------------------------------------------


def test_search_finds_words_in_subjects_and_messages_of_ones_own_conversations(client, world):
    users = world.users
    mine = teacher_thread(world, subject="Schoolreis", body="Mag Noor mee naar de dierentuin?")
    by_subject = start_one(users["guardian"], f"office:{world.school.pk}", subject="Dierentuin kosten", body="Prijs?")
    theirs = start_one(users["guardian_other_group"],
                       f"teacher:{users['teacher_other_group'].pk}:{world.classmate_of_other_group.pk}",
                       subject="Dierentuin", body="Ook de dierentuin?")
    client.force_login(users["guardian"])
    page = client.get(reverse("messaging:search"), {"q": "DIERENTUIN"}).content.decode()
    assert f'data-conversation="{mine.pk}"' in page and f'data-conversation="{by_subject.pk}"' in page
    assert f'data-conversation="{theirs.pk}"' not in page
    match = mine.messages.get()
    assert f"#message-{match.pk}" in page


def test_search_leaves_out_what_the_director_may_only_read(client, world):
    school_settings(world.school, directors_may_read=True)
    teacher_thread(world, body="Over de dierentuin")
    client.force_login(world.users["director"])
    page = client.get(reverse("messaging:search"), {"q": "dierentuin"}).content.decode()
    assert "data-conversation=" not in page


def test_search_is_paginated(client, world):
    conversation = teacher_thread(world, body="zoekwoord")
    for n in range(24):
        teacher_thread(world, subject=f"Vraag {n}", body=f"zoekwoord {n}")
    client.force_login(world.users["guardian"])
    first = client.get(reverse("messaging:search"), {"q": "zoekwoord"})
    assert first.context["page"].paginator.count == 25 and len(first.context["page"].object_list) == 20
    second = client.get(reverse("messaging:search"), {"q": "zoekwoord", "pagina": 2}).content.decode()
    assert f'data-conversation="{conversation.pk}"' in second


def test_a_message_that_needs_correcting_keeps_its_photo_until_it_is_sent(
    client, world, django_capture_on_commit_callbacks
):
    import re

    from schoolpoort.core.staging import StagedUpload

    users = world.users
    client.force_login(users["guardian"])
    data = {"recipient": f"teacher:{users['teacher'].pk}:{world.child.pk}", "subject": "", "body": "Zie de foto"}
    page = client.post(reverse("messaging:compose"), {
        **data, "attachments": [SimpleUploadedFile("foto.jpg", photo_with_gps(), "image/jpeg")],
    }).content.decode()
    assert not Conversation.objects.exists()
    kept = re.findall(r'name="kept_attachments" value="(\d+)"', page)
    assert len(kept) == 1 and "foto.jpg" in page
    # Another user cannot send it by naming it.
    client.force_login(users["other_guardian"])
    client.post(reverse("messaging:compose"), {**data, "subject": "Foto", "kept_attachments": kept})
    assert not MessageAttachment.objects.exists()

    client.force_login(users["guardian"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("messaging:compose"), {**data, "subject": "Foto", "kept_attachments": kept})
    assert response.status_code == 302
    photo = MessageAttachment.objects.get()
    assert photo.kind == "image" and photo.original_name == "foto.jpg"
    assert not StagedUpload.objects.filter(pk=kept[0]).exists()  # the draft went once the photo was stored
