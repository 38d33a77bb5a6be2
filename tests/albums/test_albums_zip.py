"""A whole album as a ZIP: streamed while the files are read (no temporary file, nothing built in
memory first), with exactly the photos the user may see: the clean web versions of images and
the remuxed versions of videos (never an original). The video was recorded on a known day (its
metadata says so, read before it is stripped), the photos have no date: it comes first. Also
from S3-compatible storage (a real S3 server on loopback)."""

import io
import zipfile

import boto3
import pytest
from django.core.files.storage import storages
from django.urls import reverse

from schoolpoort.albums import downloads
from schoolpoort.albums.models import Photo, PhotoTag
from tests.albums.helpers import VIDEO_SECRETS, add_photo, body, camera_jpeg, jpeg, make_album, mp4, video
from tests.core.test_files_s3 import BUCKET, s3_endpoint  # noqa: F401 - the loopback S3 server fixture
from tests.factories import GuardianshipFactory, UserFactory, enrolled_student


@pytest.fixture
def album(world):
    album = make_album(world.users["teacher"], groups=[world.group3], title="Schoolreisje naar Artis")
    for n, colour in enumerate(["red", "green", "blue"]):
        add_photo(album, world.users["teacher"], jpeg(colour=colour), f"IMG_{n}.jpg")
    add_photo(album, world.users["teacher"], mp4(), "dans.mp4")
    return album


def zip_of(client, album):
    response = client.get(reverse("albums:zip", args=[album.pk]))
    assert response.status_code == 200
    return response, zipfile.ZipFile(io.BytesIO(body(response)))


def test_the_zip_is_streamed_and_holds_every_photo_the_user_may_see(client, world, album):
    client.force_login(world.users["guardian"])
    response, archive = zip_of(client, album)
    assert response.streaming and not response.has_header("Content-Length")
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="schoolreisje-naar-artis.zip"'
    assert archive.testzip() is None
    assert archive.namelist() == ["001 dans.mp4", "002 IMG_0.jpg", "003 IMG_1.jpg", "004 IMG_2.jpg"]
    video = album.photos.get(kind=Photo.Kind.VIDEO)
    assert archive.read("001 dans.mp4") == video.web.read() != video.original.read()
    assert not any(secret in archive.read("001 dans.mp4") for secret in VIDEO_SECRETS)
    for photo, name in zip(album.photos.filter(kind=Photo.Kind.IMAGE), archive.namelist()[1:], strict=False):
        assert archive.read(name) == photo.web.read()  # the clean version, never the original


def test_the_zip_leaves_out_photos_of_a_child_without_consent_unless_it_is_their_own(client, world, album):
    child = enrolled_student(world.group3, first_name="Daan")
    own_parent = UserFactory()
    GuardianshipFactory(student=child, user=own_parent)
    hidden = album.photos.get(original_name="IMG_1.jpg")
    PhotoTag.objects.create(photo=hidden, student=child)
    add_photo(album, world.users["teacher"], ready=False)  # still processing: in no zip

    client.force_login(world.users["guardian"])
    assert zip_of(client, album)[1].namelist() == ["001 dans.mp4", "002 IMG_0.jpg", "003 IMG_2.jpg"]
    client.force_login(own_parent)
    assert len(zip_of(client, album)[1].namelist()) == 4
    client.force_login(world.users["teacher"])
    assert len(zip_of(client, album)[1].namelist()) == 4


def test_the_zip_opens_each_file_only_when_it_gets_to_it(client, world, album, monkeypatch):
    opened = []
    real_read = downloads._read

    def tracking_read(field_file):
        opened.append(field_file.name)
        yield from real_read(field_file)

    monkeypatch.setattr(downloads, "_read", tracking_read)
    client.force_login(world.users["guardian"])
    response = client.get(reverse("albums:zip", args=[album.pk]))
    chunks = iter(response.streaming_content)
    next(chunks)
    assert len(opened) <= 1  # the first bytes go out before the other files are read
    rest = b"".join(chunks)
    assert len(opened) == 4 and rest


def test_the_zip_reads_big_files_in_chunks(client, world, album, monkeypatch):
    # Random pixels, losslessly: about 3 MB that the remux keeps (padding would be dropped).
    big = add_photo(album, world.users["teacher"], video(frames=27, size=(320, 240), noise=True), "lang.mp4")
    assert big.web.size > 3_000_000
    reads = []
    storage_class = type(storages["default"])
    storage_open = storage_class.open

    class Tracking:
        def __init__(self, handle):
            self.handle = handle

        def read(self, size=-1):
            reads.append(size)
            return self.handle.read(size)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    def tracking_open(self, name, mode="rb"):
        return Tracking(storage_open(self, name, mode))

    monkeypatch.setattr(storage_class, "open", tracking_open)
    client.force_login(world.users["guardian"])
    assert "002 lang.mp4" in zip_of(client, album)[1].namelist()
    assert reads and all(0 < size <= downloads.CHUNK for size in reads)


def test_an_album_without_visible_photos_has_no_zip(client, world):
    empty = make_album(world.users["teacher"], groups=[world.group3])
    client.force_login(world.users["guardian"])
    assert client.get(reverse("albums:zip", args=[empty.pk])).status_code == 404


def test_the_zip_streams_from_s3_storage_too(client, world, settings, s3_endpoint):  # noqa: F811
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": s3_endpoint, "region_name": "eu-west-1",
                        "access_key": "test", "secret_key": "test", "default_acl": "private",
                        "file_overwrite": False},
        },
    }
    assert type(storages["default"]).__name__ == "S3Storage"
    album = make_album(world.users["teacher"], groups=[world.group3], title="In de wolken")
    photo = add_photo(album, world.users["teacher"], camera_jpeg(), "IMG_9.jpg")
    add_photo(album, world.users["teacher"], mp4(), "film.mp4")
    assert photo.status == Photo.Status.READY
    bucket = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-west-1", aws_access_key_id="test",
                          aws_secret_access_key="test")
    keys = {item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]}
    film = album.photos.get(kind=Photo.Kind.VIDEO)
    assert film.status == Photo.Status.READY  # remuxed from and to the bucket
    assert {photo.original.name, photo.web.name, photo.thumb.name, film.original.name, film.web.name} <= keys

    client.force_login(world.users["guardian"])
    _response, archive = zip_of(client, album)
    assert archive.namelist() == ["001 IMG_9.jpg", "002 film.mp4"]  # taken at the same minute: upload order
    assert b"Exif" not in archive.read("001 IMG_9.jpg") and b"52.0907" not in archive.read("002 film.mp4")
    assert archive.read("002 film.mp4") == film.web.read()
    assert body(client.get(photo.thumb_url))[:2] == b"\xff\xd8"
