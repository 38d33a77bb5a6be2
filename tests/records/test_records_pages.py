"""The part pages per role: visibility rules (start dates, categories, closed periods), audit of
staff views, who-viewed list, signing a plan, reacting to a note, staff editing, query counts."""

import datetime

import pytest
from django.utils.html import escape
from django.urls import reverse
from django.utils import translation

from schoolpoort.core.audit import audit_read
from schoolpoort.core.models import AuditEntry, Guardianship
from schoolpoort.records.access import settings_for
from schoolpoort.records.models import ClosedPeriod, Invoice, Note, NoteReaction, Part, SupportPlan
from tests.factories import GuardianshipFactory, enrolled_student
from tests.records.helpers import TODAY, fill_records

STAFF = ["teacher", "administration", "director", "board_admin"]
OUTSIDERS = ["guardian_other_group", "guardian_other_school", "teacher_other_group", "board_admin_other_board"]
PAGES = [
    "records:card",
    "records:family",
    "records:medical",
    "records:invoices",
    "records:plans",
    "records:notes",
    "records:viewed",
    "records:corrections",
]


def get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


@pytest.mark.parametrize("role", OUTSIDERS)
@pytest.mark.parametrize("name", PAGES)
def test_it_hides_from_outsiders(client, world, role, name):
    fill_records(world)
    assert get(client, world.users[role], name, world.child.pk).status_code == 404


@pytest.mark.parametrize("role", ["guardian", *STAFF])
@pytest.mark.parametrize("name", PAGES)
def test_the_childs_people_open_every_page_without_caching(client, world, role, name):
    fill_records(world)
    response = get(client, world.users[role], name, world.child.pk)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_guardians_see_notes_of_open_categories_from_the_start_date(client, world):
    rows = fill_records(world)
    settings = settings_for(world.school)
    settings.notes_visible_from = TODAY - datetime.timedelta(days=30)
    settings.save()
    html = get(client, world.users["guardian"], "records:notes", world.child.pk).content.decode()
    assert f'id="note-{rows["open_note"].pk}"' in html
    assert f'id="note-{rows["closed_note"].pk}"' not in html and "Interne observatie" not in html
    assert f'id="note-{rows["old_note"].pk}"' not in html


@pytest.mark.parametrize("role", STAFF)
def test_staff_see_every_note(client, world, role):
    rows = fill_records(world)
    settings = settings_for(world.school)
    settings.notes_visible_from = TODAY
    settings.save()
    html = get(client, world.users[role], "records:notes", world.child.pk).content.decode()
    for key in ("open_note", "closed_note", "old_note"):
        assert f'id="note-{rows[key].pk}"' in html


def test_guardians_see_plans_from_the_start_date_and_staff_all(client, world):
    rows = fill_records(world)
    settings = settings_for(world.school)
    settings.plans_visible_from = TODAY - datetime.timedelta(days=30)
    settings.save()
    html = get(client, world.users["guardian"], "records:plans", world.child.pk).content.decode()
    assert f'id="plan-{rows["new_plan"].pk}"' in html and f'id="plan-{rows["old_plan"].pk}"' not in html
    html = get(client, world.users["teacher"], "records:plans", world.child.pk).content.decode()
    assert f'id="plan-{rows["old_plan"].pk}"' in html


def test_a_closed_period_hides_a_part_from_guardians_and_shows_the_message(client, world):
    fill_records(world)
    ClosedPeriod.objects.create(
        school=world.school, starts_on=TODAY, ends_on=TODAY, parts=[Part.NOTES], message="Rapportperiode"
    )
    assert get(client, world.users["guardian"], "records:notes", world.child.pk).status_code == 404
    card = get(client, world.users["guardian"], "records:card", world.child.pk).content.decode()
    assert "Rapportperiode" in card and 'data-part="notes"' not in card
    assert get(client, world.users["teacher"], "records:notes", world.child.pk).status_code == 200


def test_a_guardian_without_authority_gets_404_on_the_parts_the_school_keeps(client, world):
    fill_records(world)
    Guardianship.objects.filter(user=world.users["other_guardian"]).update(has_parental_authority=False)
    user = world.users["other_guardian"]
    assert get(client, user, "records:card", world.child.pk).status_code == 200
    for name in ["records:family", "records:medical", "records:invoices", "records:plans", "records:notes"]:
        assert get(client, user, name, world.child.pk).status_code == 404
    html = get(client, user, "records:card", world.child.pk).content.decode()
    assert 'data-part="medical"' not in html


def test_staff_opening_any_part_is_audited_and_the_guardian_sees_who(client, world):
    fill_records(world)
    for name in ["records:medical", "records:plans", "records:notes", "records:card", "records:invoices",
                 "records:family"]:
        get(client, world.users["teacher"], name, world.child.pk)
    get(client, world.users["guardian"], "records:medical", world.child.pk)
    entries = AuditEntry.objects.filter(action="records.view")
    assert sorted(entry.detail["part"] for entry in entries) == [
        "card", "family", "invoices", "medical", "notes", "plans"
    ]
    assert {entry.actor_id for entry in entries} == {world.users["teacher"].pk}
    html = get(client, world.users["guardian"], "records:viewed", world.child.pk).content.decode()
    assert escape(world.users["teacher"].full_name) in html
    assert html.count("<li>") >= 6


def test_a_page_the_staff_member_may_not_open_writes_no_read(client, world):
    fill_records(world)
    assert get(client, world.users["teacher_other_group"], "records:medical", world.child.pk).status_code == 404
    assert not AuditEntry.objects.filter(action="records.view").exists()


@pytest.mark.parametrize(("name", "part"), [
    ("records:medical_edit", "medical"),
    ("records:card_edit", "card"),
])
def test_staff_opening_an_edit_form_appears_on_the_guardians_viewed_page(client, world, name, part):
    fill_records(world)
    office = world.users["administration"]
    assert get(client, office, name, world.child.pk).status_code == 200
    entry = AuditEntry.objects.get(action="records.view")
    assert (entry.actor, entry.object_id, entry.detail) == (office, str(world.child.pk), {"part": part})
    html = get(client, world.users["guardian"], "records:viewed", world.child.pk).content.decode()
    labels = set()
    for language in ("en", "nl"):
        with translation.override(language):
            labels.add(str(Part(part).label))
    assert escape(office.full_name) in html and any(label in html for label in labels)


def test_staff_opening_a_plan_form_is_audited(client, world):
    rows = fill_records(world)
    client.force_login(world.users["teacher"])
    client.get(reverse("records:plan_edit", args=[world.child.pk, rows["new_plan"].pk]))
    assert AuditEntry.objects.get(action="records.view").detail == {"part": "plans"}


def test_a_new_note_form_shows_nothing_and_is_not_a_read(client, world):
    fill_records(world)
    assert get(client, world.users["teacher"], "records:note_create", world.child.pk).status_code == 200
    assert not AuditEntry.objects.filter(action="records.view").exists()


def test_a_guardian_with_authority_signs_a_plan_once(client, world):
    rows = fill_records(world)
    client.force_login(world.users["guardian"])
    url = reverse("records:sign_plan", args=[world.child.pk, rows["new_plan"].pk])
    assert client.post(url).status_code == 302
    first = SupportPlan.objects.get(pk=rows["new_plan"].pk).signed_at
    assert first is not None
    client.post(url)
    assert SupportPlan.objects.get(pk=rows["new_plan"].pk).signed_at == first
    assert AuditEntry.objects.filter(action="records.plan_signed").count() == 1


@pytest.mark.parametrize("role", ["teacher", "guardian_other_group"])
def test_others_cannot_sign(client, world, role):
    rows = fill_records(world)
    client.force_login(world.users[role])
    response = client.post(reverse("records:sign_plan", args=[world.child.pk, rows["new_plan"].pk]))
    assert response.status_code == 404
    assert SupportPlan.objects.get(pk=rows["new_plan"].pk).signed_at is None


def test_guardians_react_where_the_category_allows_it(client, world):
    rows = fill_records(world)
    client.force_login(world.users["guardian"])
    url = reverse("records:react", args=[world.child.pk, rows["open_note"].pk])
    assert client.post(url, {"text": "Graag bespreken"}).status_code == 302
    assert NoteReaction.objects.get().text == "Graag bespreken"
    closed = reverse("records:react", args=[world.child.pk, rows["closed_note"].pk])
    assert client.post(closed, {"text": "x"}).status_code == 404


def test_a_teacher_writes_a_note_and_the_office_an_invoice(client, world):
    rows = fill_records(world)
    client.force_login(world.users["teacher"])
    response = client.post(
        reverse("records:note_create", args=[world.child.pk]),
        {"category": rows["open_cat"].pk, "date": TODAY.isoformat(), "text": "Goed gewerkt"},
    )
    assert response.status_code == 302
    assert Note.objects.filter(author=world.users["teacher"]).get().text == "Goed gewerkt"
    assert client.get(reverse("records:invoice_create", args=[world.child.pk])).status_code == 404
    client.force_login(world.users["administration"])
    response = client.post(
        reverse("records:invoice_create", args=[world.child.pk]),
        {"description": "Kamp", "amount": "60.00", "amount_paid": "0", "status": "open"},
    )
    assert response.status_code == 302
    assert Invoice.objects.filter(description="Kamp").exists()


def test_a_failed_invoice_form_keeps_what_was_typed_and_says_why(client, world):
    client.force_login(world.users["administration"])
    response = client.post(
        reverse("records:invoice_create", args=[world.child.pk]),
        {"description": "Kamp", "amount": "10.00", "amount_paid": "20.00", "status": "paid"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Kamp"' in html
    assert "More has been paid than the amount." in html and "Enter the date of payment." in html


def test_invoices_show_the_open_total_and_hide_cancelled_ones_from_guardians(client, world):
    fill_records(world)
    Invoice.objects.create(student=world.child, description="Vervallen", amount="5", status="cancelled")
    html = get(client, world.users["guardian"], "records:invoices", world.child.pk).content.decode()
    assert "Schoolreis" in html and ("35,00" in html or "35.00" in html) and "Vervallen" not in html


@pytest.mark.parametrize("name", ["records:notes", "records:invoices", "records:plans", "records:card"])
def test_pages_cost_the_same_queries_for_one_row_and_many(client, world, name, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = fill_records(world)
    client.force_login(world.users["guardian"])
    url = reverse(name, args=[world.child.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(15):
        Note.objects.create(student=world.child, category=rows["open_cat"], date=TODAY, text=f"n{index}")
        Invoice.objects.create(student=world.child, description=f"i{index}", amount="1")
        SupportPlan.objects.create(student=world.child, title=f"p{index}", starts_on=TODAY)
        NoteReaction.objects.create(note=rows["open_note"], author=world.users["guardian"], text="r")
    GuardianshipFactory(student=world.child)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_index_lists_own_children_only(client, world):
    sibling = enrolled_student(world.group6, first_name="Sem")
    GuardianshipFactory(student=sibling, user=world.users["guardian"])
    html = get(client, world.users["guardian"], "records:index").content.decode()
    assert f'id="student-{world.child.pk}"' in html and f'id="student-{sibling.pk}"' in html
    assert f'id="student-{world.classmate_of_other_group.pk}"' not in html


def test_the_medical_form_of_a_pupil_without_medical_details_is_a_read_too(client, world):
    """Seeing that the school keeps no medical details is something learnt about the child."""
    office = world.users["administration"]
    assert get(client, office, "records:medical_edit", world.child.pk).status_code == 200
    assert AuditEntry.objects.get(action="records.view").detail == {"part": "medical"}


def test_who_viewed_pages_through_every_read_so_none_is_pushed_off(client, world):
    """Many class-list reads after one medical read: the medical read is still there, a page on."""
    fill_records(world)
    office, teacher = world.users["administration"], world.users["teacher"]
    assert get(client, office, "records:medical_edit", world.child.pk).status_code == 200
    for _ in range(60):  # the teacher opens the class list with contacts every day
        audit_read(teacher, [world.child], "classlist")
    guardian = world.users["guardian"]
    first = get(client, guardian, "records:viewed", world.child.pk).content.decode()
    assert escape(office.full_name) not in first and 'rel="next"' in first
    client.force_login(guardian)
    second = client.get(reverse("records:viewed", args=[world.child.pk]) + "?pagina=2").content.decode()
    assert escape(office.full_name) in second
