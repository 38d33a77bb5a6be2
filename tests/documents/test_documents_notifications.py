"""A new document is told to exactly the parents who see its shelf (titles only); a letter for one
family only to its named parents. Staff are not notified; "don't tell" sends nothing."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from schoolpoort.core.models import Guardianship, ModuleClosure
from schoolpoort.documents.audience import recipients
from schoolpoort.documents.models import Shelf
from schoolpoort.notify.models import Broadcast, Notification
from tests.documents.helpers import PDF, add_document, make_shelf, replace, upload
from tests.factories import GuardianshipFactory, enrolled_student

GUARDIANS = ["guardian", "other_guardian", "guardian_other_group", "guardian_other_school"]


def ids(world, *roles):
    return sorted(world.users[role].pk for role in roles)


def link(world, role):
    return Guardianship.objects.get(student=world.child, user=world.users[role])


@pytest.fixture
def shelves(world):
    return {
        "school": make_shelf(world.school, title="School"),
        "group3": make_shelf(world.school, audience="groups", groups=[world.group3], title="Groep 3"),
        "letter": make_shelf(world.school, audience="guardians", guardianships=[link(world, "guardian")],
                             title="Brief"),
        "letter_both": make_shelf(world.school, audience="guardians", title="Brief aan beiden",
                                  guardianships=[link(world, "guardian"), link(world, "other_guardian")]),
    }


@pytest.mark.parametrize("name, roles", [
    ("school", ["guardian", "other_guardian", "guardian_other_group"]),
    ("group3", ["guardian", "other_guardian"]),
    ("letter", ["guardian"]),
    ("letter_both", ["guardian", "other_guardian"]),
])
def test_a_new_document_goes_to_exactly_the_shelfs_parents(world, shelves, name, roles):
    document = add_document(shelves[name], title="Pestprotocol", notify=True)
    broadcast = Broadcast.objects.get()
    assert broadcast.recipient_ids == ids(world, *roles)
    assert broadcast.event == "documents.added"
    assert broadcast.key == f"documents.document:{document.pk}:version:{document.current_version_id}"
    assert broadcast.module == "documents" and broadcast.school_id == world.school.pk
    assert broadcast.title == "Pestprotocol" and broadcast.url == document.get_absolute_url()


@pytest.mark.parametrize("name", ["school", "group3", "letter", "letter_both"])
def test_the_recipients_are_the_guardians_who_see_the_shelf(world, shelves, name):
    seeing = [role for role in GUARDIANS if Shelf.objects.visible_to(world.users[role]).filter(pk=shelves[name].pk)]
    assert recipients(shelves[name]) == ids(world, *seeing)


def test_parents_kept_from_class_pages_are_not_told_about_group_documents(world, shelves):
    Guardianship.objects.filter(user=world.users["other_guardian"]).update(sees_class_pages=False)
    assert recipients(shelves["group3"]) == ids(world, "guardian")
    assert world.users["other_guardian"].pk in recipients(shelves["school"])


def test_a_family_with_two_children_in_the_group_is_told_once(world, shelves):
    brother = enrolled_student(world.group3)
    GuardianshipFactory(student=brother, user=world.users["guardian"])
    add_document(shelves["group3"], notify=True)
    assert Broadcast.objects.get().recipient_ids == ids(world, "guardian", "other_guardian")


def test_nobody_is_told_while_documents_is_closed_for_parents(world, shelves):
    today = timezone.localdate()
    ModuleClosure.objects.create(school=world.school, module="documents", starts_on=today,
                                 ends_on=today + datetime.timedelta(days=1))
    add_document(shelves["school"], notify=True)
    assert not Broadcast.objects.exists()


def test_dont_tell_sends_nothing(world, shelves):
    add_document(shelves["school"], notify=False)
    assert not Broadcast.objects.exists()


def test_a_new_version_is_told_only_when_asked_with_a_key_of_its_own(world, shelves):
    document = add_document(shelves["letter"], notify=True)
    replace(document, notify=False)
    assert Broadcast.objects.count() == 1
    version = replace(document, notify=True)
    latest = Broadcast.objects.latest("pk")
    assert latest.event == "documents.updated" and latest.key == version.notification_key
    assert latest.recipient_ids == ids(world, "guardian")


def test_the_upload_page_tells_the_parents_by_default(client, world, shelves):
    client.force_login(world.users["teacher"])
    response = client.post(reverse("documents:upload", args=[shelves["group3"].pk]),
                           {"title": "Rooster", "file": upload("rooster.pdf", PDF), "notify": "on"})
    assert response.status_code == 302
    assert Broadcast.objects.get().recipient_ids == ids(world, "guardian", "other_guardian")


def test_deleting_the_document_cancels_what_was_not_sent_yet(world, shelves):
    from schoolpoort.documents import actions

    document = add_document(shelves["school"], notify=True)
    actions.delete_document(document, world.users["director"])
    assert Broadcast.objects.get().cancelled_at is not None


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_opening_the_document_marks_its_notifications_read(client, world, shelves):
    document = add_document(shelves["letter"], notify=True)
    with scope():  # as in the worker process: no scope until a task declares its own
        call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)
    notification = Notification.objects.get(recipient=world.users["guardian"])
    assert notification.read_at is None and notification.title == document.title
    client.force_login(world.users["guardian"])
    assert client.get(document.get_absolute_url()).status_code == 200
    notification.refresh_from_db()
    assert notification.read_at is not None
