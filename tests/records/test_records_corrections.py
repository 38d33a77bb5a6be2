"""The correction workflow: a guardian proposes, the office gets it in the queue and a
notification, applies or refuses with a reason; the record changes only when applied."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schoolpoort.core.models import AuditEntry
from schoolpoort.notify.models import Broadcast
from schoolpoort.records import corrections
from schoolpoort.records.models import CorrectionRequest, MedicalInfo, StudentCard
from tests.records.helpers import fill_records


def propose_phone(client, world, phone="06 98765432"):
    client.force_login(world.users["guardian"])
    data = {
        "street": "Lindelaan 4",
        "postal_code": "3526 KT",
        "city": "Utrecht",
        "phone": phone,
        "mobile": "",
        "email": "thuis@example.org",
        "comment": "Nieuw nummer",
    }
    return client.post(reverse("records:correction_create", args=[world.child.pk, "card"]), data)


def test_five_working_days_skip_the_weekend():
    friday = datetime.date(2026, 11, 20)
    assert corrections.add_working_days(friday, 5) == datetime.date(2026, 11, 27)
    assert corrections.add_working_days(datetime.date(2026, 11, 21), 5) == datetime.date(2026, 11, 27)


def test_a_proposal_changes_nothing_until_the_office_applies_it(client, world):
    fill_records(world)
    assert propose_phone(client, world).status_code == 302
    request = CorrectionRequest.objects.get()
    assert request.status == "received" and request.school == world.school
    assert request.due_on == corrections.add_working_days(timezone.localdate(request.created_at), 5)
    assert StudentCard.objects.get(student=world.child).phone == "030 123 45 67"
    assert corrections.changes_of(request)[0][0::2] == ("phone", "030 123 45 67")
    broadcast = Broadcast.objects.get(event="records.correction_received")
    assert broadcast.recipient_ids == [world.users["administration"].pk]

    client.force_login(world.users["administration"])
    queue = client.get(reverse("records:queue")).content.decode()
    assert f'id="request-{request.pk}"' in queue
    assert client.post(reverse("records:correction_apply", args=[request.pk])).status_code == 302
    assert StudentCard.objects.get(student=world.child).phone == "06 98765432"
    request.refresh_from_db()
    assert request.status == "processed" and request.handled_by == world.users["administration"]
    assert Broadcast.objects.get(event="records.correction_processed").recipient_ids == [world.users["guardian"].pk]
    assert AuditEntry.objects.filter(action="records.correction_processed").exists()
    client.force_login(world.users["guardian"])
    html = client.get(reverse("records:corrections", args=[world.child.pk])).content.decode()
    assert 'data-status="processed"' in html


def test_applying_twice_does_nothing_more(client, world):
    propose_phone(client, world)
    request = CorrectionRequest.objects.get()
    client.force_login(world.users["administration"])
    client.post(reverse("records:correction_apply", args=[request.pk]))
    client.post(reverse("records:correction_apply", args=[request.pk]))
    assert Broadcast.objects.filter(event="records.correction_processed").count() == 1


def test_refusing_needs_a_reason_which_the_parent_sees(client, world):
    fill_records(world)
    propose_phone(client, world)
    request = CorrectionRequest.objects.get()
    client.force_login(world.users["administration"])
    response = client.post(reverse("records:correction_refuse", args=[request.pk]), {"reason": ""})
    assert response.status_code == 200
    assert CorrectionRequest.objects.get().status == "received"
    client.post(reverse("records:correction_refuse", args=[request.pk]), {"reason": "Nummer onbekend"})
    assert CorrectionRequest.objects.get().status == "refused"
    assert StudentCard.objects.get(student=world.child).phone == "030 123 45 67"
    client.force_login(world.users["guardian"])
    html = client.get(reverse("records:corrections", args=[world.child.pk])).content.decode()
    assert "Nummer onbekend" in html and 'data-status="refused"' in html


def test_medical_corrections_are_applied_to_the_encrypted_record(client, world):
    fill_records(world)
    client.force_login(world.users["guardian"])
    data = {
        "allergies": "Pinda- en notenallergie",
        "medication": "EpiPen in de tas",
        "diet": "",
        "doctor": "Huisarts Kok",
        "dentist": "",
        "notes": "",
        "comment": "",
    }
    assert client.post(reverse("records:correction_create", args=[world.child.pk, "medical"]), data).status_code == 302
    request = CorrectionRequest.objects.get()
    corrections.apply(request.pk, world.users["administration"], corrections.queue_for(world.users["administration"]))
    assert MedicalInfo.objects.get(student=world.child).allergies == "Pinda- en notenallergie"


def test_an_unchanged_form_keeps_the_input_and_says_why(client, world):
    fill_records(world)
    response = propose_phone(client, world, phone="030 123 45 67")
    assert response.status_code == 200
    assert "You have not changed anything" in response.content.decode()
    assert not CorrectionRequest.objects.exists()


def test_a_bad_postal_code_is_explained(client, world):
    client.force_login(world.users["guardian"])
    response = client.post(
        reverse("records:correction_create", args=[world.child.pk, "card"]), {"postal_code": "12345", "phone": "06 1"}
    )
    assert "Enter a Dutch postal code" in response.content.decode()
    assert 'value="06 1"' in response.content.decode()


@pytest.mark.parametrize("role", ["teacher", "guardian_other_group", "administration"])
def test_only_the_childs_guardians_propose(client, world, role):
    client.force_login(world.users[role])
    assert client.get(reverse("records:correction_create", args=[world.child.pk, "card"])).status_code == 404


@pytest.mark.parametrize("role", ["guardian", "teacher", "board_admin_other_board", "teacher_other_group"])
def test_the_queue_and_its_requests_are_the_offices_only(client, world, role):
    propose_phone(client, world)
    request = CorrectionRequest.objects.get()
    client.force_login(world.users[role])
    assert client.get(reverse("records:correction", args=[request.pk])).status_code == 404
    assert client.post(reverse("records:correction_apply", args=[request.pk])).status_code == 404
    assert CorrectionRequest.objects.get().status == "received"


@pytest.mark.parametrize("role", ["administration", "director", "board_admin"])
def test_the_office_handles_requests(client, world, role):
    propose_phone(client, world)
    request = CorrectionRequest.objects.get()
    client.force_login(world.users[role])
    assert client.get(reverse("records:correction", args=[request.pk])).status_code == 200


def test_the_queue_costs_the_same_queries_for_one_and_many(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    propose_phone(client, world)
    client.force_login(world.users["administration"])
    client.get(reverse("records:queue"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("records:queue"))
    for index in range(10):
        propose_phone(client, world, phone=f"06 {index}")
    client.force_login(world.users["administration"])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("records:queue"))
    assert len(many) == len(few)
