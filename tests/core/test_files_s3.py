"""The S3 path, against an S3-compatible server run on loopback (moto's server, a real HTTP
server speaking the S3 protocol): uploads land in a private bucket and come back only through
send_file."""

import socket
import urllib.error
import urllib.request

import boto3
import pytest
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.test import RequestFactory
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from schoolpoort.core.files import send_file

BUCKET = "schoolpoort-media"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="eu-west-1", aws_access_key_id="test", aws_secret_access_key="test"
    )
    try:
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass  # moto keeps buckets per process: the module's fixture was set up before in this worker
    yield endpoint
    server.stop()


@pytest.fixture
def storage(s3_endpoint):
    return S3Storage(
        bucket_name=BUCKET,
        endpoint_url=s3_endpoint,
        region_name="eu-west-1",
        access_key="test",
        secret_key="test",
        default_acl="private",
        file_overwrite=False,
    )


def field_file(storage, name):
    class Field:
        pass

    field = Field()
    field.storage = storage
    return FieldFile(object(), field, name)


def test_a_file_goes_to_the_bucket_and_comes_back_through_send_file(storage, s3_endpoint):
    data = b"%PDF-1.4 schoolgids " * 1000
    name = storage.save("documents/schoolgids.pdf", ContentFile(data))
    assert storage.exists(name)

    response = send_file(RequestFactory().get("/"), field_file(storage, name), filename="Schoolgids.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data

    ranged = send_file(RequestFactory().get("/", HTTP_RANGE="bytes=0-7"), field_file(storage, name))
    assert ranged.status_code == 206 and b"".join(ranged.streaming_content) == data[:8]


def test_the_bucket_is_private(storage, s3_endpoint):
    name = storage.save("albums/1/photo.jpg", ContentFile(b"\xff\xd8\xff photo"))
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_endpoint}/{BUCKET}/{name}")  # no signature: no file
    assert refused.value.code == 403


def test_the_settings_switch_to_s3_when_a_bucket_is_named(monkeypatch):
    import importlib

    import schoolpoort.settings as project_settings

    monkeypatch.setenv("S3_BUCKET", "school-media")
    monkeypatch.setenv("S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    try:
        reloaded = importlib.reload(project_settings)
        assert reloaded.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
        assert reloaded.STORAGES["default"]["OPTIONS"]["bucket_name"] == "school-media"
        assert reloaded.STORAGES["default"]["OPTIONS"]["default_acl"] == "private"
    finally:
        monkeypatch.delenv("S3_BUCKET")
        importlib.reload(project_settings)
