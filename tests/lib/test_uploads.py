"""The kernel's one way in for uploaded files: the kind comes from the content, never from the name;
images are refused from their header when they have too many pixels (never decoded); what is
stored again has no EXIF, GPS or XMP; zips are judged by their directory and one tiny member."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, ImageFile

from schoolpoort.lib import images, uploads
from tests.files import bomb_upload, gps_exif, jpeg, png_bomb, xmp_jpeg

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024

EVERYTHING = uploads.Policy(kinds=frozenset(uploads.KINDS) - {"heic"} | uploads.PHOTOS, max_size=10 * MB,
                            video_max_size=20 * MB)
LENIENT = dataclasses.replace(EVERYTHING, strict_names=False)
KEEP = dataclasses.replace(LENIENT, images=uploads.Images.KEEP)
SQUARE = dataclasses.replace(EVERYTHING, images=uploads.Images.SQUARE, image_side=64)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def refusal(name: str, data: bytes, policy: uploads.Policy = EVERYTHING) -> ValidationError:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        uploads.check(upload(name, data), policy)
    return refused.value


def text_of(error: ValidationError) -> str:
    with translation.override("en"):
        return " ".join(error.messages)


# --- Files of each kind ------------------------------------------------------------------------


def zipped(members: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(zipfile.ZipInfo(stored_first), members.pop(stored_first), zipfile.ZIP_STORED)
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def ooxml(part: str) -> bytes:
    return zipped({"[Content_Types].xml": b"<Types/>", part: b"<x/>"})


def odf(kind: str) -> bytes:
    return zipped({"mimetype": f"application/vnd.oasis.opendocument.{kind}".encode(), "content.xml": b"<x/>"},
                  stored_first="mimetype")


def image_bytes(image_format: str, size=(48, 32), mode="RGB", colour="#3f88c5", **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, image_format, **options)
    return buffer.getvalue()


def heic_bytes(size=(48, 32), **options) -> bytes:
    try:
        return image_bytes("HEIF", size, **options)
    except (KeyError, OSError, ValueError) as error:
        pytest.skip(f"pillow-heif cannot write HEIC here: {error}")


def video_head(brand: bytes) -> bytes:
    return struct.pack(">I", 24) + b"ftyp" + brand + b"\x00\x00\x00\x00" + brand + b"isom" + b"\x00" * 200


WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 200

KIND_CASES = [
    ("gids.pdf", b"%PDF-1.7\n%%EOF\n", "pdf", "application/pdf"),
    ("brief.docx", ooxml("word/document.xml"), "docx", f"{uploads.OOXML}.wordprocessingml.document"),
    ("lijst.xlsx", ooxml("xl/workbook.xml"), "xlsx", f"{uploads.OOXML}.spreadsheetml.sheet"),
    ("avond.pptx", ooxml("ppt/presentation.xml"), "pptx", f"{uploads.OOXML}.presentationml.presentation"),
    ("notulen.odt", odf("text"), "odt", "application/vnd.oasis.opendocument.text"),
    ("rooster.ods", odf("spreadsheet"), "ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("dia.odp", odf("presentation"), "odp", "application/vnd.oasis.opendocument.presentation"),
    ("lijst.txt", "Boekenlijst – één".encode(), "text", "text/plain; charset=utf-8"),
    ("foto.jpg", image_bytes("JPEG"), "jpeg", "image/jpeg"),
    ("plaat.png", image_bytes("PNG"), "png", "image/png"),
    ("plaat.webp", image_bytes("WEBP"), "webp", "image/webp"),
    ("film.mp4", video_head(b"mp42"), "mp4", "video/mp4"),
    ("film.mov", video_head(b"qt  "), "mov", "video/quicktime"),
    ("film.webm", WEBM, "webm", "video/webm"),
]


@pytest.mark.parametrize("name, data, kind, content_type", KIND_CASES)
def test_each_kind_is_recognised_by_its_content(name, data, kind, content_type):
    checked = uploads.check(upload(name, data), EVERYTHING)
    assert (checked.kind, checked.content_type, checked.name) == (kind, content_type, name)


@pytest.mark.parametrize("name, data, kind, content_type", KIND_CASES)
def test_a_right_content_under_a_wrong_name_is_refused_by_a_strict_policy(name, data, kind, content_type):
    wrong = "bijlage.pdf" if kind != "pdf" else "bijlage.docx"
    error = refusal(wrong, data)
    assert error.code == "mismatch" and "bijlage" in text_of(error)
    with translation.override("en"):
        assert str(uploads.KINDS[kind].label) in text_of(error)


@pytest.mark.parametrize("name, data, kind, content_type", KIND_CASES)
def test_a_lenient_policy_takes_the_content_for_what_it_is_whatever_the_name(name, data, kind, content_type):
    checked = uploads.check(upload("bestand.pdf" if kind != "pdf" else "bestand.jpg", data), KEEP)
    assert checked.kind == kind and checked.content_type == content_type


def test_a_name_without_extension_gets_the_right_one():
    assert uploads.check(upload("Schoolgids", b"%PDF-1.4"), EVERYTHING).name == "Schoolgids.pdf"


def test_heic_is_recognised_and_stored_as_jpeg():
    data = heic_bytes(exif=gps_exif().tobytes())
    checked = uploads.check(upload("IMG_0002.HEIC", data), EVERYTHING)
    assert (checked.kind, checked.content_type, checked.name) == ("jpeg", "image/jpeg", "IMG_0002.jpg")
    with Image.open(io.BytesIO(checked.read())) as stored:
        assert stored.format == "JPEG" and not stored.getexif()


def test_heic_is_kept_as_heic_by_a_policy_that_keeps_originals():
    checked = uploads.check(upload("IMG_0003.heic", heic_bytes()), KEEP)
    assert checked.content_type == "image/heic" and checked.read() == upload("x", heic_bytes()).read()


@pytest.mark.parametrize("name, data", [
    ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
    ("plaat.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    ("tekening.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
])
def test_kinds_outside_the_policy_are_refused_with_the_name(name, data):
    photos_only = uploads.Policy(kinds=uploads.PHOTOS, max_size=MB, describe=lambda: "JPG, PNG")
    error = refusal(name, data, photos_only)
    assert error.code == "type" and name in text_of(error) and "JPG, PNG" in text_of(error)


def test_a_file_that_claims_an_accepted_kind_but_is_not_one_could_not_be_read():
    error = refusal("foto.png", b"\x89PNG\r\n\x1a\n but no image")
    assert error.code == "invalid" and "“foto.png” could not be read" in text_of(error)


def test_empty_too_large_and_old_office_files_are_refused_with_their_own_reason():
    assert refusal("leeg.pdf", b"").code == "empty"
    small = dataclasses.replace(EVERYTHING, max_size=10)
    error = refusal("groot.pdf", b"%PDF-" + b"0" * 100, small)
    assert error.code == "too_large" and "“groot.pdf” is too large (105" in text_of(error)
    assert refusal("oud.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100).code == "old_office"


def test_videos_have_their_own_size_limit_and_message():
    policy = dataclasses.replace(EVERYTHING, max_size=100, video_max_size=1000, video_too_large="%(name)s: video")
    assert uploads.check(upload("film.mp4", video_head(b"mp42")), policy).kind == "mp4"  # 236 bytes: a video
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        uploads.check(upload("film.mp4", video_head(b"mp42") + b"\x00" * 1000), policy)
    assert refused.value.messages == ["film.mp4: video"]


# --- Zips: only the directory and a tiny member are read -----------------------------------------


def test_an_opendocument_whose_mimetype_member_is_large_is_refused_without_inflating_it(monkeypatch):
    inflated = []
    original = zipfile.ZipExtFile.read
    monkeypatch.setattr(zipfile.ZipExtFile, "read", lambda self, n=-1: inflated.append(n) or original(self, n))
    bomb = zipped({"mimetype": b"\x00" * (5 * MB), "content.xml": b"<x/>"})
    assert len(bomb) < 20_000  # about 1,000 : 1
    assert refusal("notulen.odt", bomb).code == "invalid"
    assert inflated == []


def test_a_zip_with_very_many_members_is_refused_from_its_end_record():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<x/>")
        for number in range(uploads.MAX_ZIP_ENTRIES):
            archive.writestr(f"p{number}", b"")
    assert refusal("brief.docx", buffer.getvalue()).code == "invalid"


def test_a_zip_that_is_no_office_document_is_refused():
    assert refusal("brief.docx", zipped({"virus.exe": b"MZ"})).code == "invalid"
    assert refusal("archief.zip", zipped({"virus.exe": b"MZ"})).code == "type"


# --- Images: pixel cap before decoding, metadata gone, memory bounded ------------------------------


def test_the_13000_pixel_bomb_is_refused_from_its_header_and_never_decoded(monkeypatch):
    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(self))
    for policy in (EVERYTHING, KEEP, SQUARE):
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            uploads.check(bomb_upload(), policy)
        assert refused.value.code == "too_many_pixels"
        assert "“bom.png” has too many pixels to be processed safely" in text_of(refused.value)
    assert decoded == []
    assert len(png_bomb()) < 600_000


def test_pillows_bomb_warning_is_an_error(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # Pillow warns above this, errs above twice
    data = image_bytes("PNG", (40, 40))  # 1,600 pixels: a warning only, for Pillow
    assert refusal("plaat.png", data).code == "too_many_pixels"


def test_the_pixel_cap_is_64_megapixels():
    assert images.MAX_PIXELS == 64_000_000
    with pytest.raises(ValidationError) as refused:
        images.open_image(io.BytesIO(png_bomb(8_001, 8_000)), "groot.png")
    assert refused.value.code == "too_many_pixels"
    images.open_image(io.BytesIO(png_bomb(8_000, 8_000)), "net.png").close()


def test_exif_gps_and_xmp_are_gone_from_what_is_stored_and_the_photo_is_upright():
    data = jpeg((60, 40), exif=gps_exif("Camera merk", orientation=6))
    assert b"Camera merk" in data
    checked = uploads.check(upload("IMG_0001.JPG", data), EVERYTHING)
    stored = checked.read()
    assert b"Camera merk" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif() and image.size == (40, 60) == (checked.width, checked.height)

    stored = uploads.check(upload("plaat.jpg", xmp_jpeg()), EVERYTHING).read()
    assert b"Utrecht" not in stored and b"xmpmeta" not in stored


@pytest.mark.parametrize("image_format, name", [("PNG", "plaat.png"), ("WEBP", "plaat.webp")])
def test_png_and_webp_keep_their_format_and_transparency_but_lose_their_metadata(image_format, name):
    data = image_bytes(image_format, mode="RGBA", colour=(63, 136, 197, 128), exif=gps_exif().tobytes())
    assert b"Camera merk" in data
    checked = uploads.check(upload(name, data), EVERYTHING)
    stored = checked.read()
    assert b"Camera merk" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == image_format and image.mode == "RGBA" and not image.getexif()


def test_large_images_are_made_smaller_and_the_square_policy_cuts_the_middle():
    checked = uploads.check(upload("groot.png", image_bytes("PNG", (4000, 3000))), EVERYTHING)
    assert (checked.width, checked.height) == (2560, 1920)
    checked = uploads.check(upload("portret.png", image_bytes("PNG", (300, 200))), SQUARE)
    assert (checked.width, checked.height, checked.content_type) == (64, 64, "image/jpeg")


def test_a_big_jpeg_is_decoded_at_a_reduced_scale_when_a_smaller_result_is_wanted():
    data = jpeg((4000, 3000))
    image = images.open_image(io.BytesIO(data), "groot.jpg")
    images.load(image, images.fitted_size(image.size, 512))  # 512 × 384 wanted
    assert image.size == (1000, 750)  # decoded at 1/4: a sixteenth of the memory


def test_a_truncated_photo_is_refused():
    data = jpeg((400, 300), colour="#123456", quality=95)
    error = refusal("half.jpg", data[: len(data) // 2])
    assert error.code == "invalid" and "half.jpg" in text_of(error)


def test_an_original_kept_for_the_worker_is_checked_but_not_decoded(monkeypatch):
    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(self))
    data = jpeg((320, 200), exif=gps_exif())
    checked = uploads.check(upload("foto.jpg", data), KEEP)
    assert decoded == [] and checked.read() == data and (checked.width, checked.height) == (320, 200)


# --- Memory, measured in a fresh process ----------------------------------------------------------

CHILD = r"""
import json, os, resource, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schoolpoort.settings")
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from schoolpoort.lib import uploads
from tests.files import png_bomb

policy = uploads.Policy(kinds=uploads.PHOTOS, max_size=10 * 1024 * 1024)
if sys.argv[1] == "bomb":
    name, data = "bom.png", png_bomb()
else:
    name, data = "foto.jpg", open(sys.argv[2], "rb").read()
try:
    outcome = uploads.check(SimpleUploadedFile(name, data), policy).width
except ValidationError as error:
    outcome = error.code
print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "outcome": outcome}))
"""


# Linux carries the peak RSS of the process that starts a program into it (fork copies the
# memory map, exec keeps its high-water mark): a shell in between, which forks from its own small
# process, gives the child a clean count.
FRESH = ["/bin/sh", "-c", '"$@"; exit $?', "sh"]


def peak(case: str, path: str = "") -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    result = subprocess.run([*FRESH, sys.executable, "-c", CHILD, case, path], env=env, cwd=ROOT, capture_output=True,
                            text=True, check=True, timeout=120)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_checking_the_bomb_stays_under_300_mb():
    figures = peak("bomb")
    assert figures["outcome"] == "too_many_pixels"
    assert figures["peak_mb"] < 300, figures  # decoding it would take about 500 MB more


def test_re_encoding_a_12_megapixel_photo_stays_under_300_mb(tmp_path):
    path = tmp_path / "photo.jpg"
    noise = Image.effect_noise((4000, 3000), 40)
    Image.merge("RGB", (noise, noise, noise)).save(path, "JPEG", quality=85)
    figures = peak("photo", str(path))
    assert figures["outcome"] == 2560
    assert figures["peak_mb"] < 300, figures
