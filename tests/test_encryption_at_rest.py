"""The one encryption mechanism (``lib.encryption``) across the apps: a key rotation re-encrypts
every encrypted field and file of every app (records, absences, messaging, staging) so the old key
can go; the data migrations encrypt what was stored in the clear, and decrypt it when reversed."""

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from schoolpoort.absences.models import Absence, LeaveRequest
from schoolpoort.core import staging
from schoolpoort.lib import encryption
from schoolpoort.messaging import uploads
from schoolpoort.messaging.models import MessageAttachment
from schoolpoort.records import corrections
from schoolpoort.records.models import CorrectionRequest, MedicalInfo
from tests.absences.helpers import leave, report
from tests.documents import test_documents_s3 as on_s3
from tests.messaging.helpers import teacher_thread
from tests.world import build_world

s3_endpoint, s3_storage = on_s3.s3_endpoint, on_s3.s3_storage  # the S3 server fixtures of the documents tests


@pytest.fixture
def world(db):
    return build_world()


NOTE, REASON, DECISION = "Koorts MARKER-N", "Bruiloft MARKER-R", "Geweigerd MARKER-D"
STATEMENT = b"%PDF-1.4\n% MARKER-S\n%%EOF\n"
ATTACHMENT = b"%PDF-1.4\n% MARKER-A\n%%EOF\n"


def fill(world, settings):
    absence = report(world.users["guardian"], world.child, note=NOTE)
    request = leave(world.users["guardian"], world.child, reason=REASON, decision_reason=DECISION,
                    statement_name="MARKER-v.pdf", statement_type="application/pdf")
    request.statement.save("v.pdf", ContentFile(STATEMENT))
    checked = uploads.prepare_upload(SimpleUploadedFile("MARKER-verslag.pdf", ATTACHMENT, "application/pdf"))
    teacher_thread(world, uploads=[checked])
    attachment = MessageAttachment.objects.get()
    return absence, request, attachment


def raw_text() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM absences_absence")
        values = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT reason, decision_reason, statement_name FROM absences_leaverequest")
        values += [value for row in cursor.fetchall() for value in row]
        cursor.execute("SELECT original_name FROM messaging_messageattachment")
        values += [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT reason FROM records_correctionrequest")
        values += [row[0] for row in cursor.fetchall()]
    return "\n".join(values)


def media_bytes(settings) -> bytes:
    return b"".join(path.read_bytes() for path in settings.MEDIA_ROOT.rglob("*") if path.is_file())


def test_rotation_re_encrypts_every_field_and_file_and_the_old_key_can_go(world, settings, monkeypatch):
    old = encryption.configured_keys()[0]
    MedicalInfo.objects.create(student=world.child, allergies="Pinda MARKER-M")
    absence, request, attachment = fill(world, settings)
    upload = staging.park(data=b"leerlingnummer;allergieen\n1;MARKER-STAGED\n", kind="records.medical",
                          school=world.school, owner=world.users["administration"], filename="medisch.csv",
                          keep=True)
    before = media_bytes(settings)

    new = Fernet.generate_key().decode()
    monkeypatch.setenv(encryption.ENV, f"{new},{old}")
    call_command("rotate_records_key", stdout=open("/dev/null", "w"))
    assert media_bytes(settings) != before  # every file was written again
    monkeypatch.setenv(encryption.ENV, new)  # the old key is dropped

    assert MedicalInfo.objects.get(student=world.child).allergies == "Pinda MARKER-M"
    assert Absence.objects.get(pk=absence.pk).note == NOTE
    request = LeaveRequest.objects.get(pk=request.pk)
    assert (request.reason, request.decision_reason) == (REASON, DECISION)
    assert request.statement.read() == STATEMENT
    assert MessageAttachment.objects.get(pk=attachment.pk).file.read() == ATTACHMENT
    assert staging.read(upload).endswith(b"MARKER-STAGED\n")

    monkeypatch.setenv(encryption.ENV, old)  # and the old key alone no longer reads anything
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        Absence.objects.get(pk=absence.pk)
    with pytest.raises(ImproperlyConfigured):
        MessageAttachment.objects.get(pk=attachment.pk).file.read()


def test_a_file_that_no_key_decrypts_is_a_loud_error(world, settings, monkeypatch):
    _absence, request, _attachment = fill(world, settings)
    monkeypatch.setenv(encryption.ENV, Fernet.generate_key().decode())
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        LeaveRequest.objects.only("statement").get(pk=request.pk).statement.read()


BEFORE = [("absences", "0001_initial"), ("messaging", "0001_initial"), ("records", "0003_invoice_external_key")]
AFTER = [("absences", "0003_encrypt_existing"), ("messaging", "0003_encrypt_existing"),
         ("records", "0004_correction_reason_encrypted")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_the_data_migrations_encrypt_what_was_stored_in_the_clear_and_reverse(settings, newest_state_afterwards):
    world = build_world()
    absence, request, attachment = fill(world, settings)
    proposal = corrections.propose(world.users["guardian"], world.child, "medical", {"allergies": "Gluten"})
    corrections.refuse(proposal.pk, world.users["administration"], "Weigering MARKER-C",
                       CorrectionRequest.objects.all())
    statement_path = settings.MEDIA_ROOT / request.statement.name
    attachment_path = settings.MEDIA_ROOT / attachment.file.name

    _migrate(BEFORE)  # reversed: everything in the clear, as before this change
    assert all(value in raw_text() for value in [NOTE, REASON, DECISION, "MARKER-v.pdf", "MARKER-verslag.pdf",
                                                 "Weigering MARKER-C"])
    assert encryption.PREFIX not in raw_text()
    assert statement_path.read_bytes() == STATEMENT and attachment_path.read_bytes() == ATTACHMENT
    # A row stored in the clear after the reversal, as the old code did:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE absences_absence SET note = %s WHERE id = %s", ["Plain MARKER-OLD", absence.pk])

    _migrate(AFTER)
    text = raw_text()
    assert "MARKER" not in text and text.count(encryption.PREFIX) == 6
    assert CorrectionRequest.objects.get(pk=proposal.pk).reason == "Weigering MARKER-C"
    assert b"MARKER" not in statement_path.read_bytes() + attachment_path.read_bytes()
    assert Absence.objects.get(pk=absence.pk).note == "Plain MARKER-OLD"
    request = LeaveRequest.objects.get(pk=request.pk)
    assert (request.reason, request.decision_reason, request.statement.read()) == (REASON, DECISION, STATEMENT)
    attachment = MessageAttachment.objects.get(pk=attachment.pk)
    assert (attachment.original_name, attachment.file.read()) == ("MARKER-verslag.pdf", ATTACHMENT)
    assert request.statement_name == "MARKER-v.pdf"

    _migrate(BEFORE)  # and again: forward twice over the same data changes nothing twice
    _migrate(AFTER)
    assert MessageAttachment.objects.get(pk=attachment.pk).file.read() == ATTACHMENT


@pytest.mark.django_db(transaction=True)
def test_the_data_migrations_run_on_an_empty_database(newest_state_afterwards):
    _migrate(BEFORE)
    _migrate(AFTER)
    assert not Absence.objects.exists()


@pytest.fixture
def newest_state_afterwards():
    """Other tests of this process need every migration applied again."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_on_s3_the_bucket_holds_only_ciphertext_and_rotation_rewrites_it(client, world, monkeypatch, s3_storage):
    import boto3

    bucket = boto3.client("s3", endpoint_url=s3_storage, region_name="eu-west-1", aws_access_key_id="test",
                          aws_secret_access_key="test")
    request = leave(world.users["guardian"], world.child, statement_name="v.pdf", statement_type="application/pdf")
    request.statement.save("v.pdf", ContentFile(STATEMENT))
    stored = bucket.get_object(Bucket=on_s3.BUCKET, Key=request.statement.name)["Body"].read()
    assert b"MARKER" not in stored

    client.force_login(world.users["director"])
    response = client.get(reverse("absences:leave_attachment", args=[request.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == STATEMENT

    old = encryption.configured_keys()[0]
    new = Fernet.generate_key().decode()
    monkeypatch.setenv(encryption.ENV, f"{new},{old}")
    call_command("rotate_records_key", stdout=open("/dev/null", "w"))
    keys = [item["Key"] for item in bucket.list_objects_v2(Bucket=on_s3.BUCKET, Prefix="absences/")["Contents"]]
    assert keys == [request.statement.name]  # rewritten in place, no second object
    monkeypatch.setenv(encryption.ENV, new)
    assert LeaveRequest.objects.get(pk=request.pk).statement.read() == STATEMENT
