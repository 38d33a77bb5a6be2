"""Helpers of the album tests: images made with Pillow, videos made with PyAV, uploads, albums with
ready photos."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from PIL import Image

from schoolpoort.albums import actions
from schoolpoort.albums.models import Album, Photo, PhotoTag
from schoolpoort.albums.processing import process_photo
from schoolpoort.albums.uploads import prepare_upload
from schoolpoort.core.models import Consent, SchoolYear, Use

GPS_IFD, EXIF_IFD = 0x8825, 0x8769
ORIENTATION = 0x0112


def english(*users):
    """Pages in English: the assertions read the English strings (the Dutch catalogue comes later)."""
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


def run_worker():
    with scope():  # as in the worker process: no scope until a task declares its own
        call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


def jpeg(size=(320, 200), colour="#3f88c5", exif=None, **options) -> bytes:
    image = Image.new("RGB", size, colour)
    buffer = io.BytesIO()
    if exif is not None:
        options["exif"] = exif
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def camera_jpeg() -> bytes:
    """A phone photo: red left half, blue right half, stored sideways (EXIF orientation 6: turn it
    90° clockwise to show it), with a GPS position, a camera, a serial number, a date and XMP."""
    image = Image.new("RGB", (400, 240), "#0000ff")
    image.paste(Image.new("RGB", (200, 240), "#ff0000"), (0, 0))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "Schoolphone"  # Make
    exif[0x0110] = "Model X"  # Model
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (52.0, 5.0, 31.0)
    gps[3], gps[4] = "E", (5.0, 7.0, 12.0)
    details = exif.get_ifd(EXIF_IFD)
    details[0x9003] = "2026:05:12 10:30:00"  # DateTimeOriginal
    details[0xA431] = "SERIAL-12345"  # BodySerialNumber
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description exif:GPSLatitude="52,5.5N"/>'
           b"</rdf:RDF></x:xmpmeta>")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, xmp=xmp, comment=b"Breitestraat 12", quality=95)
    return buffer.getvalue()


def png(size=(64, 48), mode="RGB", colour="green") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def heic() -> bytes:
    """An iPhone photo: red left half, blue right half, stored sideways, with a GPS position."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    image = Image.new("RGB", (320, 240), "#0000ff")
    image.paste(Image.new("RGB", (160, 240), "#ff0000"), (0, 0))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif.get_ifd(GPS_IFD)[2] = (52.0, 5.0, 31.0)
    buffer = io.BytesIO()
    image.save(buffer, "HEIF", exif=exif.tobytes())
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` pixels in a few dozen bytes (a decompression bomb's
    header): decoding it would need gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(
        b"IEND", b""
    )


# What a phone writes into a video's container: where, with what and when it was shot.
LOCATION = "+52.0907+005.1214/"
PHONE_METADATA = {
    "location": LOCATION,
    "com.apple.quicktime.location.ISO6709": "+52.0907+005.1214+003.000/",
    "make": "Schoolphone",
    "model": "Model X Pro",
    "com.apple.quicktime.make": "Schoolphone",
    "com.apple.quicktime.model": "Model X Pro",
    "com.apple.quicktime.software": "PhoneOS 17.5",
    "creation_time": "2026-05-12T08:30:00.000000Z",
    "com.apple.quicktime.creationdate": "2026-05-12T10:30:00+0200",
    "title": "Breitestraat 12",
}
VIDEO_SECRETS = (b"52.0907", b"005.1214", b"Schoolphone", b"Model X Pro", b"PhoneOS", b"Breitestraat", b"2026-05-12")


def video(
    container: str = "mp4",
    *,
    frames: int = 10,
    size: tuple[int, int] = (96, 64),
    codec: str = "libx264",
    rotate: int | None = None,
    audio: bool = False,
    noise: bool = False,
    metadata: dict | None = None,
) -> bytes:
    """A real video made with PyAV: ``frames`` frames at 10 per second, red left half and blue right
    half (or ``noise``: random pixels, which do not compress), with a phone's metadata in the
    container (``use_metadata_tags``: Apple's keys in moov/meta, as an iPhone writes them, for MP4;
    the classic ©xyz/©mak/©mod in moov/udta for MOV) and on the stream; ``rotate``: a display
    matrix (degrees counterclockwise), as a phone held upright writes it."""
    import os

    import av

    buffer = io.BytesIO()
    options = {"movflags": "use_metadata_tags"} if container == "mp4" else {}
    with av.open(buffer, "w", format=container, options=options) as output:
        output.metadata.update(PHONE_METADATA if metadata is None else metadata)
        stream = output.add_stream(codec, rate=10, options={"qp": "0"} if noise else {})
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.metadata.update({"handler_name": "Core Media Video", "creation_time": PHONE_METADATA["creation_time"]})
        if rotate is not None:
            stream.set_display_rotation(rotate)
        sound = None
        if audio:
            sound = output.add_stream("aac", rate=44100, layout="mono")
            sound.metadata["handler_name"] = "Core Media Audio"
        picture = Image.new("RGB", size, (0, 0, 255))
        picture.paste(Image.new("RGB", (size[0] // 2, size[1]), (255, 0, 0)), (0, 0))
        for number in range(frames):
            if noise:
                picture = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
            frame = av.VideoFrame.from_image(picture)
            frame.pts = number
            output.mux(stream.encode(frame))
        output.mux(stream.encode())
        if sound is not None:
            for number in range(frames * 44100 // 10 // 1024 + 1):
                chunk = av.AudioFrame(format="fltp", layout="mono", samples=1024)
                chunk.planes[0].update(bytes(4 * 1024))
                chunk.sample_rate, chunk.pts = 44100, number * 1024
                output.mux(sound.encode(chunk))
            output.mux(sound.encode())
    return buffer.getvalue()


_MP4 = {}


def mp4(payload_size: int = 0) -> bytes:
    """A real little MP4 from a phone (with its location, make and model), padded with a ``free``
    box (which players skip) to at least ``payload_size`` bytes."""
    if "data" not in _MP4:
        _MP4["data"] = video("mp4")
    data = _MP4["data"]
    if payload_size > len(data) + 8:
        padding = payload_size - len(data)
        data += struct.pack(">I", padding) + b"free" + bytes(padding - 8)
    return data


def uploaded(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def upload_url(album: Album) -> str:
    return reverse("albums:upload", args=[album.pk])


def make_album(user, *, school=None, groups=(), published=True, title="Schoolreisje") -> Album:
    groups = list(groups)
    album = Album(
        school=school or groups[0].school,
        audience=Album.Audience.GROUPS if groups else Album.Audience.SCHOOL,
        title=title,
        created_by=user,
        published_at=timezone.now() if published else None,
    )
    return actions.save_album(album, groups=[g.pk for g in groups])


def add_photo(album: Album, user, data: bytes | None = None, name: str = "foto.jpg", *, tags=(), ready=True) -> Photo:
    """A photo or video stored through the upload action and (``ready``) processed right away."""
    photo = actions.add_photo(album, prepare_upload(uploaded(name, data or jpeg())), user)
    if ready:
        process_photo(photo.pk)
        photo.refresh_from_db()
    for student in tags:
        PhotoTag.objects.create(photo=photo, student=student, tagged_by=user)
    return photo


def consent(student, given: bool = True, uses=(Use.PORTAL,), year=None, user=None):
    year = year or SchoolYear.for_date(timezone.localdate())
    for use in uses:
        Consent.objects.update_or_create(student=student, school_year=year, use=use,
                                         defaults={"given": given, "answered_by": user})


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def file_urls(photo: Photo) -> dict[str, str]:
    names = ["thumb", "web", "download"] if photo.kind == Photo.Kind.IMAGE else ["thumb", "original", "download"]
    return {name: reverse(f"albums:{name}", args=[photo.album_id, photo.pk]) for name in names}


def jpeg_segments(data: bytes) -> list[int]:
    """The marker bytes of a JPEG's segments before the image data (0xE1: APP1 = EXIF or XMP)."""
    assert data[:2] == b"\xff\xd8"
    markers, pos = [], 2
    while pos < len(data) - 4:
        assert data[pos] == 0xFF
        marker = data[pos + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: the pixels follow
            break
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        pos += 2 + length
    return markers
