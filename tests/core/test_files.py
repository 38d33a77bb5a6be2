"""Sending stored files after the access check: streamed by Django (with byte ranges), or handed to
the web server with X-Accel-Redirect / X-Sendfile."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.test import RequestFactory

from schoolpoort.core.files import send_file

DATA = bytes(range(256)) * 40  # 10,240 bytes


class Holder:
    """A stand-in model instance for a FieldFile (the field only needs a name and a storage)."""


@pytest.fixture
def stored(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("albums/1/photo.jpg", ContentFile(DATA))

    class Field:
        def __init__(self):
            self.storage = storage

    return FieldFile(Holder(), Field(), name)


def get(range_header=None):
    extra = {"HTTP_RANGE": range_header} if range_header else {}
    return RequestFactory().get("/", **extra)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_whole_file_is_streamed_with_safe_headers(stored):
    response = send_file(get(), stored, filename="Schoolreis 2026.jpg", inline=True)
    assert response.status_code == 200
    assert body(response) == DATA
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert "Schoolreis" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"].startswith("private")


def test_a_download_is_an_attachment(stored):
    response = send_file(get(), stored, filename="brief.pdf")
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    "header, start, end",
    [
        ("bytes=0-99", 0, 99),
        ("bytes=10000-", 10000, 10239),
        ("bytes=-40", 10200, 10239),
        ("bytes=10200-99999", 10200, 10239),
    ],
)
def test_a_byte_range_answers_206_with_just_those_bytes(stored, header, start, end):
    response = send_file(get(header), stored)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(DATA)}"
    assert body(response) == DATA[start : end + 1]


@pytest.mark.parametrize("header", ["bytes=20000-", "bytes=5-2", "items=0-5", "bytes=0-1,4-5", "bytes=a-b"])
def test_an_unusable_range_gets_the_whole_file(stored, header):
    response = send_file(get(header), stored)
    assert response.status_code == 200 and body(response) == DATA


def test_nginx_sends_the_bytes_with_x_accel(stored, settings):
    settings.MEDIA_SENDFILE = "x-accel"
    response = send_file(get(), stored, filename="photo.jpg")
    assert response["X-Accel-Redirect"] == "/protected-media/albums/1/photo.jpg"
    assert response.content == b""


def test_apache_sends_the_bytes_with_x_sendfile(stored, settings, tmp_path):
    settings.MEDIA_SENDFILE = "x-sendfile"
    response = send_file(get(), stored, filename="photo.jpg")
    assert response["X-Sendfile"] == str(tmp_path / "albums/1/photo.jpg")


@pytest.mark.parametrize("mode", ["", "x-accel"])
def test_a_missing_file_is_404(stored, settings, mode):
    settings.MEDIA_SENDFILE = mode
    stored.storage.delete(stored.name)
    with pytest.raises(Http404):
        send_file(get(), stored)
