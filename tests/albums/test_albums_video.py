"""Videos are served without where, with what and when they were shot: the real upload path, the
real task worker, then the bytes a parent gets. The served file is a remux (the same packets, not
re-encoded) in the same kind of container, with no container or stream metadata; its poster
frame is a JPEG without EXIF. Until the remux is done a video is "processing": parents do not see
it and nobody gets the original. A file FFmpeg cannot read fails with a reason for staff."""

import datetime
import io
import zipfile
from importlib import import_module

import av
import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from schoolpoort.albums import processing
from schoolpoort.albums import video as video_module
from schoolpoort.albums.models import VIDEO_ERRORS, Photo
from schoolpoort.albums.processing import process_photo
from tests.albums.helpers import (
    PHONE_METADATA,
    VIDEO_SECRETS,
    add_photo,
    body,
    english,
    make_album,
    run_worker,
    upload_url,
    uploaded,
    video,
)
from tests.albums.test_albums_processing import assert_clean
from tests.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    return build_world()


def probe(data: bytes) -> dict:
    """What PyAV reads from a video: its format, metadata, streams and every packet of the video."""
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        packets = [(p.pts, p.dts, p.is_keyframe, bytes(p)) for p in container.demux(stream) if p.dts is not None]
        return {
            "brand": container.metadata.get("major_brand"),
            "metadata": dict(container.metadata),
            "stream_metadata": [dict(s.metadata) for s in container.streams],
            "kinds": [s.type for s in container.streams],
            "codec": stream.codec_context.name,
            "tag": stream.codec_context.codec_tag,
            "size": (stream.codec_context.width, stream.codec_context.height),
            "duration": float(stream.duration * stream.time_base) if stream.duration else None,
            "packets": packets,
        }


def assert_no_metadata(data: bytes):
    for secret in VIDEO_SECRETS:
        assert secret not in data, secret
    for box in (b"\xa9xyz", b"\xa9mak", b"\xa9mod", b"\xa9day", b"keys", b"mdta", b"Lavf"):
        assert box not in data, box
    found = probe(data)
    leftover = {key for key in found["metadata"] if key not in {"major_brand", "minor_version", "compatible_brands"}}
    assert not leftover, leftover
    for metadata in found["stream_metadata"]:  # what FFmpeg's reader fills in by itself, nothing else
        assert set(metadata) <= {"language", "handler_name", "vendor_id"}, metadata
        assert "Core Media" not in metadata.get("handler_name", ""), metadata


def upload_and_process(client, world, data: bytes, name: str):
    teacher = world.users["teacher"]
    album = make_album(teacher, groups=[world.group3])
    client.force_login(teacher)
    response = client.post(upload_url(album), {"files": [uploaded(name, data)]})
    assert response.status_code == 302
    (item,) = Photo.objects.filter(album=album)
    return album, item


@pytest.mark.parametrize(
    "container, name, content_type",
    [("mp4", "IMG_0042.MP4", "video/mp4"), ("mov", "IMG_0043.MOV", "video/quicktime")],
)
def test_a_phone_video_is_served_without_its_location_device_and_date(client, world, container, name, content_type):
    original = video(container)
    assert b"52.0907" in original and b"Model X Pro" in original  # the phone's metadata is really there
    album, item = upload_and_process(client, world, original, name)
    assert item.kind == Photo.Kind.VIDEO and item.status == Photo.Status.PROCESSING

    # Before the remux: not for parents, and nobody gets the original.
    urls = {n: reverse(f"albums:{n}", args=[album.pk, item.pk]) for n in ("original", "download", "thumb", "photo")}
    for role in ("teacher", "director", "guardian"):
        client.force_login(world.users[role])
        for url_name in ("original", "download", "thumb"):
            assert client.get(urls[url_name]).status_code == 404, (role, url_name)
    assert client.get(urls["photo"]).status_code == 404  # the guardian
    assert client.get(reverse("albums:zip", args=[album.pk])).status_code == 404

    run_worker()

    item.refresh_from_db()
    assert item.status == Photo.Status.READY and item.error == ""
    assert item.web and item.thumb and item.original.read() == original  # the original is kept, privately
    assert timezone.localtime(item.taken_at) == timezone.make_aware(datetime.datetime(2026, 5, 12, 10, 30))
    assert (item.width, item.height) == (96, 64)

    client.force_login(world.users["guardian"])
    response = client.get(item.video_url)
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("inline")
    served = body(response)
    assert served == item.web.read() and served != original
    download = client.get(item.download_url)
    assert download["Content-Disposition"] == f'attachment; filename="{name.rsplit(".", 1)[0]}.{container}"'
    zipped = zipfile.ZipFile(io.BytesIO(body(client.get(reverse("albums:zip", args=[album.pk])))))
    for data in (served, body(download), zipped.read(zipped.namelist()[0])):
        assert data == served
        assert_no_metadata(data)

    # A remux, not a re-encode: the same codec, the same packets with the same timestamps.
    before, after = probe(original), probe(served)
    assert after["codec"] == before["codec"] == "h264" and after["tag"] == before["tag"]
    assert after["size"] == before["size"] and after["kinds"] == ["video"]
    assert after["duration"] == pytest.approx(before["duration"]) and after["duration"] == pytest.approx(1.0)
    assert after["packets"] == before["packets"] and len(after["packets"]) == 10
    assert after["brand"] == before["brand"] == ("qt  " if container == "mov" else "isom")
    assert served.index(b"moov") < served.index(b"mdat")  # faststart: phones play before the end arrives

    # Byte ranges still work (phones need them to play and seek).
    ranged = client.get(item.video_url, HTTP_RANGE="bytes=100-299")
    assert ranged.status_code == 206 and body(ranged) == served[100:300]
    assert ranged["Content-Range"] == f"bytes 100-299/{len(served)}"

    # The poster frame: a JPEG without EXIF, through the photos' pipeline (red left, blue right).
    poster = client.get(item.thumb_url)
    assert poster["Content-Type"] == "image/jpeg"
    image = assert_clean(body(poster)).convert("RGB")
    assert image.size == (96, 64) == item.thumb_size
    assert image.getpixel((10, 32))[0] > 200 and image.getpixel((86, 32))[2] > 200
    assert client.get(reverse("albums:web", args=[album.pk, item.pk])).status_code == 404  # no JPEG of a video


def test_a_video_shot_upright_stays_upright_and_its_sound_is_copied(client, world):
    original = video("mov", rotate=90, audio=True)
    album, item = upload_and_process(client, world, original, "IMG_0044.MOV")
    run_worker()
    item.refresh_from_db()
    assert item.status == Photo.Status.READY
    assert (item.width, item.height) == (64, 96)  # as shown: portrait

    served = item.web.read()
    assert_no_metadata(served)
    with av.open(io.BytesIO(served)) as container:
        assert [s.type for s in container.streams] == ["video", "audio"]
        assert container.streams.audio[0].codec_context.name == "aac"
        frame = next(container.decode(video=0))
        assert frame.rotation == 90  # the display matrix survived the remux
    with av.open(io.BytesIO(original)) as source, av.open(io.BytesIO(served)) as copy:
        sound = [bytes(p) for p in source.demux(audio=0) if p.dts is not None]
        assert sound and sound == [bytes(p) for p in copy.demux(audio=0) if p.dts is not None]

    client.force_login(world.users["guardian"])
    poster = assert_clean(body(client.get(item.thumb_url))).convert("RGB")
    assert poster.size == (64, 96)
    # Turned 90° counterclockwise: the red left half is at the bottom now.
    assert poster.getpixel((32, 85))[0] > 200 and poster.getpixel((32, 10))[2] > 200
    page = client.get(item.get_absolute_url()).content.decode()
    assert f'src="{item.video_url}"' in page and f'poster="{item.thumb_url}"' in page
    assert 'width="64" height="96"' in page


def test_tracks_other_than_picture_and_sound_are_left_out(tmp_path):
    """Data tracks do not go along: here a time code track (the time of day it was shot); cameras
    and drones put GPS positions in such tracks or in subtitles."""
    source = tmp_path / "camera.mov"
    with av.open(str(source), "w", format="mov") as output:
        stream = output.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        stream.metadata["timecode"] = "10:30:00:00"  # FFmpeg writes it as a tmcd track
        for number in range(5):
            frame = av.VideoFrame.from_image(Image.new("RGB", (64, 64), "green"))
            frame.pts = number
            output.mux(stream.encode(frame))
        output.mux(stream.encode())
    with av.open(str(source)) as container:
        assert [s.type for s in container.streams] == ["video", "data"]
    target = tmp_path / "clean.mov"
    assert video_module.remux(str(source), str(target), "video/quicktime").frames == 5
    with av.open(str(target)) as container:
        assert [s.type for s in container.streams] == ["video"]
        assert "timecode" not in container.streams.video[0].metadata
    assert b"tmcd" not in target.read_bytes()


def test_an_iphone_hevc_video_keeps_its_hvc1_tag_so_safari_plays_it(tmp_path):
    if "libx265" not in av.codecs_available:  # pragma: no cover - the wheels bundle it
        pytest.skip("no HEVC encoder")
    source = tmp_path / "IMG_0045.MOV"
    with av.open(str(source), "w", format="mov") as output:
        output.metadata.update(PHONE_METADATA)
        stream = output.add_stream("libx265", rate=10, options={"x265-params": "log-level=none"})
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        stream.codec_context.codec_tag = "hvc1"
        for number in range(5):
            frame = av.VideoFrame.from_image(Image.new("RGB", (64, 64), "red"))
            frame.pts = number
            output.mux(stream.encode(frame))
        output.mux(stream.encode())
    target = tmp_path / "clean.mov"
    assert video_module.remux(str(source), str(target), "video/quicktime").codec == "hevc"
    data = target.read_bytes()
    assert b"hvc1" in data and b"hev1" not in data  # FFmpeg would write hev1, which Apple does not play
    assert_no_metadata(data)


def test_a_webm_video_is_remuxed_too(client, world):
    original = video("webm", codec="libvpx")
    assert b"52.0907" in original
    album, item = upload_and_process(client, world, original, "dans.webm")
    run_worker()
    item.refresh_from_db()
    assert item.status == Photo.Status.READY and item.content_type == "video/webm"
    served = item.web.read()
    assert served[:4] == b"\x1a\x45\xdf\xa3" and item.web.name.endswith(".webm")
    for secret in VIDEO_SECRETS:
        assert secret not in served, secret
    with av.open(io.BytesIO(served)) as container:
        assert container.streams.video[0].codec_context.name == "vp8"
        assert dict(container.metadata) == {"encoder": "Lavf"}  # bitexact: not even FFmpeg's version
    client.force_login(world.users["guardian"])
    assert client.get(item.video_url)["Content-Type"] == "video/webm"


@pytest.mark.parametrize(
    "data, code",
    [
        # An MP4 signature, then nothing FFmpeg can read.
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 16, "video_unreadable"),
        # Half a video: the index (at the end of a non-faststart MP4) is missing.
        (None, "video_unreadable"),
    ],
)
def test_a_video_that_cannot_be_read_fails_cleanly_with_a_reason_for_staff(client, world, data, code):
    if data is None:
        whole = video("mp4", metadata={})
        data = whole[: whole.index(b"moov") - 4]
    teacher = world.users["teacher"]
    english(teacher)
    album, item = upload_and_process(client, world, data, "kapot.mp4")
    run_worker()
    item.refresh_from_db()
    assert item.status == Photo.Status.FAILED and item.error == code and not item.web and not item.thumb

    page = client.get(item.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "This video could not be processed." in text and str(VIDEO_ERRORS[code]) in text
    assert "<video" not in text and 'id="download"' not in text
    assert "kapot.mp4" in client.get(album.get_absolute_url()).content.decode()
    assert client.get(item.video_url).status_code == 404

    client.force_login(world.users["guardian"])
    assert client.get(item.get_absolute_url()).status_code == 404
    assert "kapot.mp4" not in client.get(album.get_absolute_url()).content.decode()


def test_a_file_with_sound_only_fails_as_having_no_pictures(tmp_path):
    source = tmp_path / "voice.mp4"
    with av.open(str(source), "w", format="mp4") as output:
        sound = output.add_stream("aac", rate=44100, layout="mono")
        for number in range(10):
            chunk = av.AudioFrame(format="fltp", layout="mono", samples=1024)
            chunk.planes[0].update(bytes(4 * 1024))
            chunk.sample_rate, chunk.pts = 44100, number * 1024
            output.mux(sound.encode(chunk))
        output.mux(sound.encode())
    with pytest.raises(video_module.VideoError) as caught:
        video_module.remux(str(source), str(tmp_path / "out.mp4"), "video/mp4")
    assert caught.value.code == "video_no_picture"


def test_the_reason_is_shown_in_the_language_of_the_reader(world):
    item = Photo(kind=Photo.Kind.VIDEO, status=Photo.Status.FAILED, error="video_unreadable")
    with translation.override("en"):
        assert item.error_text.startswith("The file could not be read as a video.")
    with translation.override("nl"):
        assert item.error_text == str(VIDEO_ERRORS["video_unreadable"])  # translated at display time
    assert Photo(error="some text").error_text == "some text"


def test_the_album_page_shows_a_videos_poster_with_a_constant_number_of_queries(client, world):
    teacher = world.users["teacher"]
    album = make_album(teacher, groups=[world.group3])
    first = add_photo(album, teacher, video("mp4"), "dans.mp4")
    assert first.status == Photo.Status.READY and first.thumb
    client.force_login(world.users["guardian"])
    client.get(album.get_absolute_url())  # warm, as on a running server: the reach is cached
    with CaptureQueriesContext(connection) as one:
        page = client.get(album.get_absolute_url()).content.decode()
    assert f'src="{first.thumb_url}"' in page and "album-tile__badge" in page
    for number in range(3):
        add_photo(album, teacher, video("mov", frames=3), f"film{number}.mov")
    with CaptureQueriesContext(connection) as many:
        page = client.get(album.get_absolute_url()).content.decode()
    assert page.count("album-tile__badge") == 4
    assert len(many.captured_queries) == len(one.captured_queries)
    listing = client.get(reverse("albums:list")).content.decode()
    assert reverse("albums:thumb", args=[album.pk, first.pk]) in listing  # a video can be the album's cover


def test_videos_served_as_uploaded_before_are_hidden_until_the_command_remuxed_them(client, world):
    teacher = world.users["teacher"]
    album = make_album(teacher, groups=[world.group3])
    old = add_photo(album, teacher, video("mp4"), "oud.mp4", ready=False)
    Photo.objects.filter(pk=old.pk).update(status=Photo.Status.READY)  # as the previous version left it
    migration = import_module("schoolpoort.albums.migrations.0002_hide_unstripped_videos")
    migration.hide_unstripped_videos(django_apps, None)
    old.refresh_from_db()
    assert old.status == Photo.Status.PROCESSING
    client.force_login(world.users["guardian"])
    assert client.get(old.video_url).status_code == 404

    out = io.StringIO()
    call_command("process_videos", stdout=out)
    assert "Processed 1 video(s): 1 ready." in out.getvalue()
    old.refresh_from_db()
    assert old.status == Photo.Status.READY
    assert_no_metadata(body(client.get(old.video_url)))


def test_a_video_deleted_while_it_was_remuxed_leaves_no_files(world, monkeypatch):
    teacher = world.users["teacher"]
    album = make_album(teacher, groups=[world.group3])
    item = add_photo(album, teacher, video("mp4"), "weg.mp4", ready=False)
    made = {}
    real_update = processing._update

    def deleted_meanwhile(photo, **fields):
        Photo.objects.filter(pk=photo.pk).delete()
        made.update(web=photo.web.name, thumb=photo.thumb.name)
        return real_update(photo, **fields)

    monkeypatch.setattr(processing, "_update", deleted_meanwhile)
    assert process_photo(item.pk) == "gone"
    storage = item.original.storage
    assert made["web"] and made["thumb"]
    assert not storage.exists(made["web"]) and not storage.exists(made["thumb"])


def test_the_command_can_leave_the_remux_to_the_worker(world):
    teacher = world.users["teacher"]
    album = make_album(teacher, groups=[world.group3])
    waiting = add_photo(album, teacher, video("mov"), "oud.mov", ready=False)
    out = io.StringIO()
    call_command("process_videos", "--enqueue", stdout=out)
    assert "Enqueued 1 video(s)." in out.getvalue()
    run_worker()
    waiting.refresh_from_db()
    assert waiting.status == Photo.Status.READY and waiting.web.name.endswith(".mov")


def test_a_video_whose_poster_cannot_be_decoded_is_still_served_with_a_placeholder(client, world, monkeypatch):
    monkeypatch.setattr(video_module, "poster", lambda path: None)
    teacher = world.users["teacher"]
    album = make_album(teacher, groups=[world.group3])
    item = add_photo(album, teacher, video("mp4"), "dans.mp4")
    assert item.status == Photo.Status.READY and item.web and not item.thumb
    assert (item.width, item.height) == (96, 64)
    client.force_login(world.users["guardian"])
    assert client.get(item.thumb_url).status_code == 404
    assert client.get(item.video_url).status_code == 200
    page = client.get(album.get_absolute_url()).content.decode()
    assert "album-tile__play" in page and "album-tile__badge" not in page
    assert "poster=" not in client.get(item.get_absolute_url()).content.decode()
