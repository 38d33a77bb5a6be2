"""Uploads are checked by their content, not by their name; size and pixel limits hold; every
refusal says why, and the other files of the same upload still go in."""

import dataclasses
import json

import pytest
from django.utils import translation

from schoolpoort.albums import uploads
from schoolpoort.albums.models import Photo
from schoolpoort.albums.uploads import check_uploads
from schoolpoort.lib.uploads import video_kind
from tests.albums.helpers import english, jpeg, make_album, mp4, png, png_header_only, upload_url, uploaded


@pytest.fixture
def album(world):
    return make_album(world.users["teacher"], groups=[world.group3])


@pytest.fixture
def teacher(client, world):
    english(world.users["teacher"])
    client.force_login(world.users["teacher"])
    return world.users["teacher"]


def names(album):
    return sorted(Photo.objects.filter(album=album).values_list("original_name", flat=True))


def test_a_decompression_bomb_is_refused_with_a_message_and_the_other_files_still_go_in(client, album, teacher):
    bomb = png_header_only(30_000, 30_000)  # 900 megapixels in 80 bytes
    assert len(bomb) < 200
    response = client.post(upload_url(album), {"files": [
        uploaded("eerste.jpg", jpeg()), uploaded("bom.png", bomb), uploaded("laatste.jpg", jpeg()),
    ]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "“bom.png” has too many pixels to be processed safely" in page
    assert "2 files have been added" in page and "1 file was not added" in page
    assert names(album) == ["eerste.jpg", "laatste.jpg"]


def test_pixels_beyond_the_limit_are_refused_from_the_header_before_decoding(db, monkeypatch):
    # 72 megapixels: below Pillow's own bomb warning, above ours.
    decoded = []
    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", lambda self: decoded.append(self))
    with translation.override("en"):
        accepted, refused = check_uploads([uploaded("groot.png", png_header_only(9_000, 8_000))])
    assert accepted == [] and not decoded
    assert refused[0].reason.startswith("“groot.png” has too many pixels")


def test_a_text_file_called_jpg_is_refused_by_its_content_and_the_others_still_go_in(client, album, teacher):
    response = client.post(upload_url(album), {"files": [
        uploaded("vakantie.jpg", b"Dit is geen foto, maar een tekst.\n" * 20, "image/jpeg"),
        uploaded("klas.jpg", jpeg()),
    ]})
    page = response.content.decode()
    assert "“vakantie.jpg” is not a photo or video that can be added" in page
    assert names(album) == ["klas.jpg"]


def test_a_png_called_jpg_is_accepted_for_what_it_is(db):
    accepted, refused = check_uploads([uploaded("foto.jpg", png())])
    assert refused == [] and accepted[0].content_type == "image/png" and accepted[0].extension == ".png"


def test_files_that_are_too_large_are_refused_with_their_size(client, album, teacher, monkeypatch):
    monkeypatch.setattr(uploads, "POLICY", dataclasses.replace(uploads.POLICY, max_size=1000, video_max_size=5000))
    response = client.post(upload_url(album), {"files": [
        uploaded("groot.jpg", jpeg(size=(400, 400), colour="#a0b0c0", quality=100) + b"\x00" * 2000),
        uploaded("film.mp4", mp4(8192)),
        uploaded("klein.mp4", mp4(1024)),
    ]})
    page = response.content.decode()
    assert "“groot.jpg” is too large" in page and "Photos may be at most 1000" in page
    assert "“film.mp4” is too large" in page and "Videos may be at most 4.9" in page
    assert names(album) == ["klein.mp4"]


def test_an_empty_file_is_refused(db):
    with translation.override("en"):
        _accepted, refused = check_uploads([uploaded("leeg.jpg", b"")])
    assert refused[0].reason == "“leeg.jpg” is empty."


@pytest.mark.parametrize(
    "head, expected",
    [
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", "mp4"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  ", "mov"),
        (b"\x00\x00\x00\x1cftypMSNV\x00\x00\x00\x00MSNVmp42isom", "mp4"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm", "webm"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska", None),  # mkv: not accepted
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", None),  # a HEIC photo: Pillow's
        (b"\x00\x00\x00\x14ftypabcd\x00\x00\x00\x00abcd", None),
        (b"MZ\x90\x00 not a video at all", None),
    ],
)
def test_videos_are_recognised_by_their_container_signature(head, expected):
    assert video_kind(head + b"\x00" * 48) == expected


def test_a_program_renamed_to_mp4_is_refused(db):
    with translation.override("en"):
        _accepted, refused = check_uploads([uploaded("film.mp4", b"MZ\x90\x00" + b"\x00" * 500)])
    assert "is not a photo or video that can be added" in refused[0].reason


def test_the_page_script_sends_one_file_per_request_and_gets_json(client, album, teacher):
    ok = client.post(upload_url(album), {"files": uploaded("a.jpg", jpeg())}, HTTP_ACCEPT="application/json")
    assert ok.status_code == 200
    data = json.loads(ok.content)
    assert [item["name"] for item in data["accepted"]] == ["a.jpg"] and data["refused"] == []

    refused = client.post(upload_url(album), {"files": uploaded("b.jpg", b"nope")}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 422
    assert json.loads(refused.content)["refused"][0]["name"] == "b.jpg"
    assert "is not a photo or video" in json.loads(refused.content)["refused"][0]["reason"]

    empty = client.post(upload_url(album), {}, HTTP_ACCEPT="application/json")
    assert empty.status_code == 400


def test_without_javascript_a_clean_upload_goes_back_to_the_album(client, album, teacher):
    response = client.post(upload_url(album), {"files": [uploaded("a.jpg", jpeg()), uploaded("b.png", png())]})
    assert response.status_code == 302 and response["Location"] == album.get_absolute_url()
    page = client.get(album.get_absolute_url()).content.decode()
    assert "2 files have been added" in page and page.count("Being processed") == 2


def test_the_upload_page_offers_phones_their_camera_roll(client, album, teacher):
    page = client.get(upload_url(album)).content.decode()
    assert 'multiple' in page and 'accept="image/*,video/mp4' in page and "albums/upload.js" in page


@pytest.mark.parametrize("role", ["guardian", "teacher_other_group", "administration", "board_admin_other_board"])
def test_only_staff_who_manage_the_album_can_upload(client, world, album, role):
    client.force_login(world.users[role])
    response = client.post(upload_url(album), {"files": [uploaded("a.jpg", jpeg())]})
    assert response.status_code == (302 if role == "administration" else 404)
