"""Medical data, plans, notes and correction requests are encrypted at rest; keys rotate."""

import json

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from schoolpoort.records import crypto
from schoolpoort.records.models import MedicalInfo, Note, SupportPlan
from tests.records.helpers import fill_records

SECRETS = [
    "Pinda-allergie",
    "EpiPen",
    "Huisarts Kok",
    "Plan rekenen",
    "Tafels oefenen",
    "Interne observatie",
    "Gesprekspunt",
]


def raw_rows():
    text = []
    with connection.cursor() as cursor:
        for table in ["records_medicalinfo", "records_supportplan", "records_note", "records_correctionrequest"]:
            cursor.execute(f"SELECT * FROM {table}")
            text.append(json.dumps(cursor.fetchall(), default=str))
    return "\n".join(text)


def test_the_raw_rows_hold_no_plaintext(world):
    fill_records(world)
    from schoolpoort.records import corrections

    corrections.propose(world.users["guardian"], world.child, "medical", {"allergies": "Notenallergie ernstig"})
    raw = raw_rows()
    for secret in [*SECRETS, "Notenallergie"]:
        assert secret not in raw
    assert "fernet:" in raw
    # ...and the application reads them back.
    assert MedicalInfo.objects.get(student=world.child).allergies == "Pinda-allergie"
    assert Note.objects.filter(student=world.child, text__isnull=False).count() == 3


def test_searching_in_ciphertext_is_refused(world):
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        list(Note.objects.filter(text__icontains="lezen"))


def test_rotation_re_encrypts_with_the_new_key_and_the_old_key_can_go(world, monkeypatch):
    old = crypto.configured_keys()[0]
    fill_records(world)
    new = Fernet.generate_key().decode()
    monkeypatch.setenv(crypto.ENV, f"{new},{old}")
    assert (
        SupportPlan.objects.get(
            title__isnull=False,
            goals__isnull=False,
            starts_on__isnull=False,
            pk=SupportPlan.objects.order_by("-pk")[0].pk,
        ).goals
        == "Tafels oefenen"
    )
    call_command("rotate_records_key", stdout=open("/dev/null", "w"))
    monkeypatch.setenv(crypto.ENV, new)  # the old key is dropped
    assert MedicalInfo.objects.get(student=world.child).allergies == "Pinda-allergie"
    assert {note.text for note in Note.objects.all()} >= {"Interne observatie"}
    assert "Pinda" not in raw_rows()


def test_a_missing_key_is_a_loud_error(world, monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    fill_records(world)
    monkeypatch.setenv(crypto.ENV, Fernet.generate_key().decode())
    with pytest.raises(ImproperlyConfigured):
        MedicalInfo.objects.get(student=world.child)


def test_a_bad_key_is_a_loud_error(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv(crypto.ENV, "not-a-key")
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")


def test_the_reason_of_a_refused_correction_is_encrypted_too(world):
    from schoolpoort.records import corrections
    from schoolpoort.records.models import CorrectionRequest

    proposal = corrections.propose(world.users["guardian"], world.child, "medical", {"allergies": "Lactose"})
    corrections.refuse(proposal.pk, world.users["administration"], "Lactose staat al in het dossier",
                       CorrectionRequest.objects.all())
    assert "Lactose" not in raw_rows()
    assert CorrectionRequest.objects.get(pk=proposal.pk).reason == "Lactose staat al in het dossier"
