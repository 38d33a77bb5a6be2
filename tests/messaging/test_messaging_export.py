"""The school keeps records: the administration, the director and the board admins export
conversations they may see — never those between parents — and every export is audited."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from schoolpoort.core.models import AuditEntry
from schoolpoort.messaging import actions
from schoolpoort.messaging.models import Message, ParentContactConsent
from tests.factories import GuardianshipFactory, enrolled_student
from tests.messaging.helpers import english, school_settings, start_one, teacher_thread


@pytest.fixture
def threads(world):
    users = world.users
    teacher = teacher_thread(world, subject="Over Noor", body="Noor leest goed.")
    actions.post_message(teacher, users["teacher"], "=HYPERLINK(\"https://evil.example\")")
    office = start_one(users["guardian"], f"office:{world.school.pk}", subject="Adres", body="Nieuw adres.")
    school_settings(world.school, parent_to_parent=True)
    other = GuardianshipFactory(student=enrolled_student(world.group3)).user
    for user in (users["guardian"], other):
        ParentContactConsent.objects.create(user=user, group=world.group3)
    parents = start_one(users["guardian"], f"parent:{other.pk}:{world.group3.pk}", subject="Fietsen", body="Samen?")
    return {"teacher": teacher, "office": office, "parents": parents}


def export(client, conversation):
    return client.get(reverse("messaging:export_conversation", args=[conversation.pk]))


def test_the_office_exports_its_own_conversation_as_text(client, world, threads):
    client.force_login(world.users["administration"])
    response = export(client, threads["office"])
    text = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert "attachment" in response["Content-Disposition"]
    assert "Adres" in text and "Nieuw adres." in text and world.users["guardian"].full_name in text
    assert world.users["guardian"].email not in text
    entry = AuditEntry.objects.get(action="messaging.exported")
    assert entry.actor == world.users["administration"] and entry.object_id == str(threads["office"].pk)
    assert not AuditEntry.objects.filter(action="messaging.read_as_director").exists()


def test_teacher_parent_conversations_are_exported_only_where_the_director_may_read_them(client, world, threads):
    client.force_login(world.users["director"])
    assert export(client, threads["teacher"]).status_code == 404
    school_settings(world.school, directors_may_read=True)
    response = export(client, threads["teacher"])
    assert response.status_code == 200 and "Noor leest goed." in response.content.decode()
    assert AuditEntry.objects.filter(action="messaging.exported").count() == 1
    assert AuditEntry.objects.filter(action="messaging.read_as_director", object_id=str(threads["teacher"].pk)).count()


@pytest.mark.parametrize("role", ["guardian", "teacher", "teacher_other_group", "board_admin_other_board"])
def test_participants_and_outsiders_do_not_export(client, world, threads, role):
    school_settings(world.school, directors_may_read=True)
    client.force_login(world.users[role])
    assert export(client, threads["teacher"]).status_code == 404
    assert client.get(reverse("messaging:export_school", args=[world.school.pk])).status_code == 404


def test_conversations_between_parents_are_never_exported(client, world, threads):
    school_settings(world.school, directors_may_read=True, parent_to_parent=True)
    for role in ("administration", "director", "board_admin"):
        client.force_login(world.users[role])
        assert export(client, threads["parents"]).status_code == 404


def rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_school_export_holds_the_messages_of_the_period_the_user_may_see(client, world, threads):
    today = timezone.localdate()
    period = {"start": today.isoformat(), "end": today.isoformat()}
    url = reverse("messaging:export_school", args=[world.school.pk])
    english(world.users["administration"], world.users["director"])

    client.force_login(world.users["administration"])
    assert client.get(url).status_code == 200  # the form
    response = client.get(url, period)
    assert response["Content-Type"].startswith("text/csv")
    bodies = [row["message"] for row in rows(response)]
    assert bodies == ["Nieuw adres."]

    school_settings(world.school, directors_may_read=True)
    client.force_login(world.users["director"])
    found = rows(client.get(url, period))
    bodies = {row["message"] for row in found}
    assert bodies == {"Noor leest goed.", "'=HYPERLINK(\"https://evil.example\")", "Nieuw adres."}
    assert "Samen?" not in bodies
    entries = AuditEntry.objects.filter(action="messaging.exported", actor=world.users["director"])
    assert entries.get().detail["conversations"] == 2
    assert AuditEntry.objects.filter(action="messaging.read_as_director", actor=world.users["director"]).count() == 2
    # A read of every pupil in it (``core.audit``): Noor, whom the teacher thread is about.
    reads = AuditEntry.objects.filter(action="records.view", actor=world.users["director"])
    assert {(r.object_id, r.detail["part"]) for r in reads} == {(str(world.child.pk), "messages_export")}

    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    assert rows(client.get(url, {"start": yesterday, "end": yesterday})) == []


def test_the_school_export_leaves_out_messages_outside_the_period(client, world, threads):
    Message.objects.filter(body="Nieuw adres.").update(created_at=timezone.now() - datetime.timedelta(days=40))
    client.force_login(world.users["administration"])
    today = timezone.localdate()
    found = rows(client.get(reverse("messaging:export_school", args=[world.school.pk]),
                            {"start": (today - datetime.timedelta(days=7)).isoformat(), "end": today.isoformat()}))
    assert found == []
