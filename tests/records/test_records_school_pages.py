"""The office's pages for note categories, closed periods and a child's contacts: what they save,
that failed forms keep what was typed and say why, constant queries, and 404 for everyone else."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schoolpoort.core.models import AuditEntry
from schoolpoort.records.access import visible_parts
from schoolpoort.records.models import ClosedPeriod, Contact, Note, NoteCategory, Part

TODAY = datetime.date.today()
OFFICE = ["administration", "director", "board_admin"]
OTHERS = ["guardian", "teacher", "teacher_other_group", "guardian_other_school", "board_admin_other_board"]


def login(client, world, role="administration"):
    client.force_login(world.users[role])


# --- Note categories -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", OFFICE)
def test_the_office_adds_and_edits_a_category(client, world, role):
    login(client, world, role)
    url = reverse("records:note_categories", args=[world.school.pk])
    response = client.post(url, {"name": "  Ouderavond  ", "open_to_guardians": "on", "guardians_react": "on"})
    assert response.status_code == 302
    category = NoteCategory.objects.get(school=world.school)
    assert (category.name, category.open_to_guardians, category.guardians_react) == ("Ouderavond", True, True)
    edit = reverse("records:note_category_edit", args=[world.school.pk, category.pk])
    assert client.post(edit, {"name": "Gesprekspunten"}).status_code == 302
    category.refresh_from_db()
    assert (category.name, category.open_to_guardians, category.guardians_react) == ("Gesprekspunten", False, False)
    assert AuditEntry.objects.filter(action="records.note_category_saved").count() == 2


def test_a_failed_category_form_keeps_what_was_typed_and_says_why(client, world):
    NoteCategory.objects.create(school=world.school, name="Observatie")
    login(client, world)
    url = reverse("records:note_categories", args=[world.school.pk])
    html = client.post(url, {"name": "observatie", "guardians_react": "on"}).content.decode()
    assert 'value="observatie"' in html
    assert "This school already has a category with this name." in html
    assert "Parents can only react to notes they see." in html
    assert NoteCategory.objects.count() == 1


def test_the_same_name_at_another_school_is_fine(client, world):
    NoteCategory.objects.create(school=world.other_school, name="Observatie")
    login(client, world)
    response = client.post(reverse("records:note_categories", args=[world.school.pk]), {"name": "Observatie"})
    assert response.status_code == 302 and NoteCategory.objects.count() == 2


def test_a_category_with_notes_is_not_removed(client, world):
    used = NoteCategory.objects.create(school=world.school, name="Observatie")
    empty = NoteCategory.objects.create(school=world.school, name="Leeg")
    Note.objects.create(student=world.child, category=used, date=TODAY, text="x")
    login(client, world)
    client.post(reverse("records:note_category_delete", args=[world.school.pk, used.pk]))
    client.post(reverse("records:note_category_delete", args=[world.school.pk, empty.pk]))
    assert list(NoteCategory.objects.values_list("name", flat=True)) == ["Observatie"]


def test_a_category_of_another_school_is_a_404(client, world):
    theirs = NoteCategory.objects.create(school=world.sister_school, name="Observatie")
    login(client, world)
    url = reverse("records:note_category_edit", args=[world.school.pk, theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(reverse("records:note_category_delete", args=[world.school.pk, theirs.pk])).status_code == 404
    assert NoteCategory.objects.filter(pk=theirs.pk).exists()


def test_the_category_list_costs_the_same_queries_for_one_and_many(client, world):
    login(client, world)
    url = reverse("records:note_categories", args=[world.school.pk])

    def count():
        client.get(url)  # warm, as on a running server: the reach is cached
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    NoteCategory.objects.create(school=world.school, name="A")
    one = count()
    for name in "BCDEF":
        category = NoteCategory.objects.create(school=world.school, name=name)
        Note.objects.create(student=world.child, category=category, date=TODAY, text="x")
    assert count() == one


# --- Closed periods ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", OFFICE)
def test_the_office_closes_parts_for_a_period_and_guardians_lose_them(client, world, role):
    login(client, world, role)
    url = reverse("records:closed_periods", args=[world.school.pk])
    data = {
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + datetime.timedelta(days=7)).isoformat(),
        "message": "Rapporten worden gemaakt",
        "parts": ["report_cards", "notes"],
    }
    assert client.post(url, data).status_code == 302
    period = ClosedPeriod.objects.get(school=world.school)
    assert period.parts == ["report_cards", "notes"]
    parts = visible_parts(world.users["guardian"], world.child)
    assert Part.NOTES not in parts and Part.CARD in parts
    html = client.get(url).content.decode()
    assert f'id="period-{period.pk}"' in html and "Rapporten worden gemaakt" in html


def test_a_failed_period_form_keeps_what_was_typed_and_says_why(client, world):
    login(client, world)
    url = reverse("records:closed_periods", args=[world.school.pk])
    data = {"starts_on": "2026-12-10", "ends_on": "2026-12-01", "message": "Rapporttijd", "parts": ["notes"]}
    html = client.post(url, data).content.decode()
    assert "The end date lies before the start date." in html
    assert 'value="Rapporttijd"' in html and 'value="2026-12-10"' in html
    assert _checked(html, "notes")
    html = client.post(url, {"starts_on": "2026-12-01", "ends_on": "2026-12-02"}).content.decode()
    assert "This field is required." in html  # no parts chosen
    assert not ClosedPeriod.objects.exists()


def _checked(html, value):
    tags = re.findall(rf'<input[^>]*value="{value}"[^>]*>', html)
    return bool(tags) and all("checked" in tag for tag in tags)


def test_a_period_is_edited_and_removed(client, world):
    period = ClosedPeriod.objects.create(school=world.school, starts_on=TODAY, ends_on=TODAY, parts=["notes"])
    login(client, world, "director")
    edit = reverse("records:closed_period_edit", args=[world.school.pk, period.pk])
    assert 'value="notes"' in client.get(edit).content.decode()
    data = {
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + datetime.timedelta(days=2)).isoformat(),
        "parts": ["plans"],
    }
    assert client.post(edit, data).status_code == 302
    period.refresh_from_db()
    assert period.parts == ["plans"] and period.ends_on == TODAY + datetime.timedelta(days=2)
    assert client.post(reverse("records:closed_period_delete", args=[world.school.pk, period.pk])).status_code == 302
    assert not ClosedPeriod.objects.exists()
    assert AuditEntry.objects.filter(action="records.closed_period_deleted").exists()


def test_a_period_of_another_school_is_a_404(client, world):
    theirs = ClosedPeriod.objects.create(school=world.sister_school, starts_on=TODAY, ends_on=TODAY)
    login(client, world)
    assert client.get(reverse("records:closed_period_edit", args=[world.school.pk, theirs.pk])).status_code == 404
    assert client.post(reverse("records:closed_period_delete", args=[world.school.pk, theirs.pk])).status_code == 404
    assert ClosedPeriod.objects.filter(pk=theirs.pk).exists()


def test_the_period_list_costs_the_same_queries_for_one_and_many(client, world):
    login(client, world)
    url = reverse("records:closed_periods", args=[world.school.pk])

    def count():
        client.get(url)  # warm, as on a running server: the reach is cached
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    ClosedPeriod.objects.create(school=world.school, starts_on=TODAY, ends_on=TODAY)
    ClosedPeriod.objects.create(
        school=world.school, starts_on=TODAY - datetime.timedelta(days=90), ends_on=TODAY - datetime.timedelta(days=80)
    )
    one = count()
    for days in range(1, 6):
        ClosedPeriod.objects.create(
            school=world.school,
            starts_on=TODAY + datetime.timedelta(days=days),
            ends_on=TODAY + datetime.timedelta(days=days),
        )
        ClosedPeriod.objects.create(
            school=world.school,
            starts_on=TODAY - datetime.timedelta(days=100 + days),
            ends_on=TODAY - datetime.timedelta(days=100 + days),
        )
    assert count() == one


# --- Contacts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", OFFICE)
def test_the_office_keeps_the_contacts_of_a_child(client, world, role):
    login(client, world, role)
    create = reverse("records:contact_create", args=[world.child.pk])
    data = {"name": "Oma Jansen", "relation": "oma", "phone": "06 12345678", "is_emergency": "on"}
    assert client.post(create, data).status_code == 302
    assert client.post(create, {"name": "Buurman"}).status_code == 302
    oma, neighbour = Contact.objects.filter(student=world.child)
    assert (oma.name, oma.is_emergency, oma.order) == ("Oma Jansen", True, 1)
    assert (neighbour.order, neighbour.is_emergency) == (2, False)
    html = client.get(reverse("records:family", args=[world.child.pk])).content.decode()
    assert 'id="contact-add"' in html and f'id="contact-edit-{oma.pk}"' in html
    edit = reverse("records:contact_edit", args=[world.child.pk, oma.pk])
    assert client.post(edit, {**data, "phone": "06 87654321"}).status_code == 302
    oma.refresh_from_db()
    assert oma.phone == "06 87654321"
    assert client.post(reverse("records:contact_delete", args=[world.child.pk, neighbour.pk])).status_code == 302
    assert list(Contact.objects.values_list("name", flat=True)) == ["Oma Jansen"]


def test_a_failed_contact_form_keeps_what_was_typed_and_says_why(client, world):
    login(client, world)
    html = client.post(
        reverse("records:contact_create", args=[world.child.pk]), {"relation": "tante", "phone": "06 1"}
    ).content.decode()
    assert "This field is required." in html and 'value="tante"' in html and 'value="06 1"' in html
    assert not Contact.objects.exists()


def test_guardians_and_teachers_read_contacts_but_do_not_edit_them(client, world):
    contact = Contact.objects.create(student=world.child, name="Oma")
    for role in ["guardian", "teacher"]:
        login(client, world, role)
        html = client.get(reverse("records:family", args=[world.child.pk])).content.decode()
        assert "Oma" in html and 'id="contact-add"' not in html
        assert client.get(reverse("records:contact_create", args=[world.child.pk])).status_code == 404
        assert client.post(reverse("records:contact_delete", args=[world.child.pk, contact.pk])).status_code == 404
    assert Contact.objects.exists()


def test_a_contact_of_another_child_is_a_404(client, world):
    theirs = Contact.objects.create(student=world.classmate_of_other_group, name="Opa")
    login(client, world)
    assert client.get(reverse("records:contact_edit", args=[world.child.pk, theirs.pk])).status_code == 404
    assert client.post(reverse("records:contact_delete", args=[world.child.pk, theirs.pk])).status_code == 404
    assert Contact.objects.filter(pk=theirs.pk).exists()


# --- Who may not -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", OTHERS)
@pytest.mark.parametrize("name", ["records:note_categories", "records:closed_periods", "records:import"])
def test_it_hides_the_school_pages_from_others(client, world, role, name):
    login(client, world, role)
    assert client.get(reverse(name, args=[world.school.pk])).status_code == 404
    assert client.post(reverse(name, args=[world.school.pk]), {"name": "X"}).status_code == 404
    assert not NoteCategory.objects.exists()


def test_the_settings_page_links_to_the_school_pages(client, world):
    login(client, world)
    html = client.get(reverse("records:settings", args=[world.school.pk])).content.decode()
    for name in ["records:note_categories", "records:closed_periods", "records:import"]:
        assert reverse(name, args=[world.school.pk]) in html
