"""Uploads are judged by their content, not their name; at most 25 MB; every refusal names the file
and the reason, and the page keeps everything else that was typed."""

import dataclasses
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from PIL import Image

from schoolpoort.documents import uploads
from schoolpoort.documents.models import Document
from schoolpoort.documents.uploads import prepare_upload
from tests.documents.helpers import DOCX_TYPE, PDF, docx_bytes, english, make_shelf, odt_bytes, upload


def refusal(name, data) -> ValidationError:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        prepare_upload(upload(name, data))
    return refused.value


def message(error: ValidationError) -> str:
    with translation.override("en"):
        return " ".join(error.messages)


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "#0f5c58")
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_a_pdf_is_accepted_as_a_pdf():
    prepared = prepare_upload(upload("Schoolgids.pdf", PDF))
    assert prepared.content_type == "application/pdf" and prepared.name == "Schoolgids.pdf"
    assert prepared.size == len(PDF)


def test_a_pdf_that_is_really_text_is_refused_with_the_name_and_the_reason():
    error = refusal("brief.pdf", b"Beste ouders, dit is gewoon tekst.\n")
    assert error.code == "mismatch"
    text = message(error)
    assert "brief.pdf" in text and "a PDF" in text and "plain text" in text


def test_a_real_word_document_is_accepted_by_its_content():
    prepared = prepare_upload(upload("Brief.docx", docx_bytes()))
    assert prepared.content_type == DOCX_TYPE


def test_a_zip_that_is_no_office_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("virus.exe", b"MZ...")
    error = refusal("Brief.docx", buffer.getvalue())
    assert error.code == "invalid" and "Brief.docx" in message(error)


def test_an_opendocument_text_is_accepted():
    assert prepare_upload(upload("Notulen.odt", odt_bytes())).content_type == "application/vnd.oasis.opendocument.text"


def test_a_word_document_named_pdf_is_refused():
    error = refusal("Brief.pdf", docx_bytes())
    assert error.code == "mismatch" and "a Word document" in message(error)


def test_a_photo_is_accepted_and_saved_again_without_its_metadata():
    data = jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif()
    prepared = prepare_upload(upload("plattegrond.jpg", data))
    assert prepared.content_type == "image/jpeg"
    stored = prepared.content.read()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and not image.getexif()
    assert prepared.size == len(stored)


def test_a_photo_named_pdf_is_refused():
    assert refusal("plattegrond.pdf", jpeg_with_gps()).code == "mismatch"


def test_plain_text_is_accepted_with_its_charset():
    prepared = prepare_upload(upload("lijst.txt", "Boekenlijst groep 6 – één".encode()))
    assert prepared.content_type == "text/plain; charset=utf-8"
    prepared = prepare_upload(upload("lijst.csv", "naam;groep\r\nJosé;6\r\n".encode("cp1252")))
    assert prepared.content_type == "text/csv; charset=windows-1252"


def test_a_program_is_refused_whatever_its_name():
    for name in ("setup.exe", "rooster.pdf", "rooster.txt", "rooster"):
        error = refusal(name, b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")
        assert error.code in ("type", "invalid", "mismatch") and name in message(error), name


def test_an_old_office_file_gets_a_message_of_its_own():
    error = refusal("Brief.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert error.code == "old_office" and "Brief.doc" in message(error)


def test_an_empty_file_is_refused():
    assert refusal("leeg.pdf", b"").code == "empty"


def test_a_name_without_extension_gets_the_right_one():
    assert prepare_upload(upload("Schoolgids", PDF)).name == "Schoolgids.pdf"


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "POLICY", dataclasses.replace(uploads.POLICY, max_size=len(PDF) - 1))
    error = refusal("Schoolgids.pdf", PDF)
    assert error.code == "too_large" and "Schoolgids.pdf" in message(error)


def test_the_limit_is_25_mb():
    assert uploads.POLICY.max_size == 25 * 1024 * 1024
    big = upload("groot.pdf", b"%PDF-1.4\n" + b"0" * (25 * 1024 * 1024))
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        prepare_upload(big)
    assert refused.value.code == "too_large" and "25.0" in message(refused.value)


# --- Through the page ---------------------------------------------------------------------------


@pytest.fixture
def shelf(world):
    return make_shelf(world.school, world.users["director"], title="Schoolgids en protocollen")


def test_a_refused_file_keeps_the_title_and_the_description_and_says_why(client, world, shelf):
    director = world.users["director"]
    english(director)
    client.force_login(director)
    response = client.post(reverse("documents:upload", args=[shelf.pk]), {
        "title": "Schoolgids 2026-2027", "description": "Alles over de school", "notify": "on",
        "file": upload("schoolgids.pdf", b"Dit is geen PDF maar tekst.\n"),
    })
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Schoolgids 2026-2027"' in page and "Alles over de school" in page
    assert "schoolgids.pdf" in page and "plain text" in page
    assert "only the file has to be chosen again" in page
    assert not Document.objects.exists()


def test_a_file_over_the_limit_is_refused_on_the_page_with_its_size(client, world, shelf, monkeypatch):
    monkeypatch.setattr(uploads, "POLICY", dataclasses.replace(uploads.POLICY, max_size=100))
    english(world.users["director"])
    client.force_login(world.users["director"])
    response = client.post(reverse("documents:upload", args=[shelf.pk]), {
        "title": "Groot", "file": upload("groot.pdf", PDF),
    })
    page = response.content.decode()
    assert response.status_code == 200 and "groot.pdf" in page and "is too large" in page
    assert 'value="Groot"' in page and not Document.objects.exists()


def test_a_real_word_document_is_added_through_the_page(client, world, shelf):
    client.force_login(world.users["director"])
    response = client.post(reverse("documents:upload", args=[shelf.pk]), {
        "title": "", "file": upload("Brief aan de ouders.docx", docx_bytes()),
    })
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.title == "Brief aan de ouders"  # the file's name when no title was given
    assert document.current_version.content_type == DOCX_TYPE
    assert document.created_by == world.users["director"]


def test_a_missing_file_is_asked_for(client, world, shelf):
    english(world.users["director"])
    client.force_login(world.users["director"])
    response = client.post(reverse("documents:upload", args=[shelf.pk]), {"title": "Zonder bestand"})
    page = response.content.decode()
    assert response.status_code == 200 and "Choose the file to add." in page and 'value="Zonder bestand"' in page


def test_a_refused_new_version_keeps_the_note(client, world, shelf):
    from tests.documents.helpers import add_document

    document = add_document(shelf)
    english(world.users["director"])
    client.force_login(world.users["director"])
    response = client.post(reverse("documents:replace", args=[document.pk]), {
        "note": "Nieuwe vakantiedata", "file": upload("schoolgids.pdf", b"tekst"),
    })
    page = response.content.decode()
    assert response.status_code == 200 and 'value="Nieuwe vakantiedata"' in page and "schoolgids.pdf" in page
    assert document.versions.count() == 1
