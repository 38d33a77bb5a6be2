"""The S3 path through the pages: with the default storage on an S3-compatible server on loopback
(moto's server, a real HTTP server speaking the S3 protocol), an upload lands in the private
bucket under a random name and comes back only through the access check and send_file."""

import socket
import urllib.error
import urllib.request

import boto3
import pytest
from django.urls import reverse
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from schoolpoort.documents.models import Document
from tests.documents.helpers import PDF, PDF_V2, body, make_shelf, upload

BUCKET = "schoolpoort-documents"


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
    # moto keeps its buckets per process, not per server: start from none (another module of this
    # test process may have used the same bucket name).
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=10).close()
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="eu-west-1", aws_access_key_id="test", aws_secret_access_key="test"
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    yield endpoint
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET, "endpoint_url": s3_endpoint, "region_name": "eu-west-1",
                "access_key": "test", "secret_key": "test", "default_acl": "private",
                "querystring_auth": True, "file_overwrite": False,
            },
        },
    }
    return s3_endpoint


def test_an_upload_goes_to_the_bucket_and_comes_back_only_through_the_views(client, world, s3_storage):
    shelf = make_shelf(world.school, world.users["director"], title="Schoolgids en protocollen")
    client.force_login(world.users["director"])
    response = client.post(reverse("documents:upload", args=[shelf.pk]),
                           {"title": "Schoolgids", "file": upload("Schoolgids.pdf", PDF)})
    assert response.status_code == 302
    document = Document.objects.get()
    version = document.current_version
    assert isinstance(version.file.storage, S3Storage)
    keys = [item["Key"] for item in boto3.client(
        "s3", endpoint_url=s3_storage, region_name="eu-west-1", aws_access_key_id="test", aws_secret_access_key="test"
    ).list_objects_v2(Bucket=BUCKET, Prefix="documents/")["Contents"]]
    assert version.file.name in keys and "Schoolgids" not in version.file.name

    # Replace: the new version is in the bucket too, the old one stays.
    response = client.post(reverse("documents:replace", args=[document.pk]),
                           {"file": upload("Schoolgids.pdf", PDF_V2), "note": "Nieuwe data"})
    assert response.status_code == 302

    client.force_login(world.users["guardian"])
    response = client.get(document.file_url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("inline")
    assert body(response) == PDF_V2
    assert client.get(version.get_absolute_url()).status_code == 404  # the old version: staff only

    client.force_login(world.users["teacher"])
    response = client.get(version.get_absolute_url())
    assert response.status_code == 200 and body(response) == PDF

    client.force_login(world.users["guardian_other_school"])
    assert client.get(document.file_url).status_code == 404

    with pytest.raises(urllib.error.HTTPError) as refused:  # no signature: no file
        urllib.request.urlopen(f"{s3_storage}/{BUCKET}/{version.file.name}")
    assert refused.value.code == 403
