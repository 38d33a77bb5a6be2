"""The parts of a child's records through the API (card, family, medical, invoices, plans, notes),
yes and no per role with the records pages' rule (``student_for_part_or_404``) and what the pages
read (``records.parts``): decrypted, a hidden guardian left out, cancelled invoices and closed note
categories not for guardians; a part switched off, closed for a while or not opened to a guardian
without parental authority is 404; staff reads audited as on the pages; never cached; a token 403;
a fixed number of queries."""

import datetime

import pytest

from schoolpoort.core.models import AuditEntry, Guardianship, ModuleSwitch
from schoolpoort.records.access import settings_for
from schoolpoort.records.models import ClosedPeriod, Contact, Invoice, Note, Part
from tests.api.api_helpers import bearer, token_for
from tests.records.helpers import TODAY, fill_records
from tests.world import build_world

PARTS = {"card": Part.CARD, "family": Part.FAMILY, "medical": Part.MEDICAL, "invoices": Part.INVOICES,
         "plans": Part.PLANS, "notes": Part.NOTES}


@pytest.fixture
def world(db):
    world = build_world()
    world.rows = fill_records(world)
    settings = settings_for(world.school)
    settings.plans_visible_from = settings.notes_visible_from = TODAY - datetime.timedelta(days=30)
    settings.save()
    Contact.objects.create(student=world.child, name="Oma Jansen", relation="oma", phone="06 1", is_emergency=True)
    return world


def url(world, part, student=None):
    return f"/api/v1/records/children/{(student or world.child).pk}/{part}"


def reads(user):
    return sorted((e.object_id, e.detail["part"]) for e in AuditEntry.objects.filter(action="records.view", actor=user))


@pytest.mark.parametrize("role, sees", [
    ("guardian", True), ("other_guardian", True), ("guardian_other_group", False), ("guardian_other_school", False),
    ("teacher", True), ("teacher_other_group", False), ("director", True), ("board_admin_other_board", False),
])
def test_each_part_follows_the_pages_rule(client, world, role, sees):
    client.force_login(world.users[role])
    for part in PARTS:
        response = client.get(url(world, part))
        assert response.status_code == (200 if sees else 404), part
        if sees:
            assert "no-store" in response["Cache-Control"]


def test_a_parent_reads_what_the_pages_show(client, world):
    client.force_login(world.users["guardian"])
    card = client.get(url(world, "card")).json()
    assert (card["street"], card["city"], card["email"]) == ("Lindelaan 4", "Utrecht", "thuis@example.org")
    names = [g["name"] for g in card["guardians"]]
    hidden = Guardianship.objects.get(student=world.child, user=world.users["other_guardian"])
    assert hidden.display_name not in names and world.users["guardian"].full_name in names
    assert [c["name"] for c in client.get(url(world, "family")).json()] == ["Oma Jansen"]
    medical = client.get(url(world, "medical")).json()
    assert (medical["allergies"], medical["medication"], medical["diet"]) == ("Pinda-allergie", "EpiPen in de tas", "")
    Invoice.objects.create(student=world.child, description="Geannuleerd", amount="5.00",
                           status=Invoice.Status.CANCELLED)
    invoices = client.get(url(world, "invoices")).json()
    assert sorted(i["description"] for i in invoices["items"]) == ["Ouderbijdrage", "Schoolreis"]
    assert invoices["open_total"] == "35.00"
    assert [p["title"] for p in client.get(url(world, "plans")).json()] == ["Plan rekenen"]
    notes = client.get(url(world, "notes")).json()
    assert [n["id"] for n in notes["items"]] == [world.rows["open_note"].pk]


def test_staff_see_everything_of_the_part_and_the_hidden_guardian(client, world):
    client.force_login(world.users["teacher"])
    assert len(client.get(url(world, "card")).json()["guardians"]) == 2
    assert len(client.get(url(world, "plans")).json()) == 2
    assert len(client.get(url(world, "notes")).json()["items"]) == 3


def test_a_part_switched_off_closed_or_not_opened_is_404(client, world):
    settings = settings_for(world.school)
    settings.parts_on = [Part.CARD, Part.FAMILY, Part.MEDICAL, Part.PLANS, Part.NOTES]
    settings.save()
    client.force_login(world.users["guardian"])
    assert client.get(url(world, "invoices")).status_code == 404
    ClosedPeriod.objects.create(school=world.school, starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=1),
                                parts=[Part.MEDICAL])
    assert client.get(url(world, "medical")).status_code == 404
    assert client.get(url(world, "card")).status_code == 200
    Guardianship.objects.filter(user=world.users["other_guardian"]).update(has_parental_authority=False)
    settings.parts_without_authority = [Part.CARD]
    settings.save()
    client.force_login(world.users["other_guardian"])
    assert client.get(url(world, "card")).status_code == 200
    for part in ("family", "plans", "notes"):
        assert client.get(url(world, part)).status_code == 404, part
    ModuleSwitch.objects.filter(school=world.school, module="records").update(enabled=False)
    client.force_login(world.users["teacher"])
    for part in PARTS:
        assert client.get(url(world, part)).status_code == 404, part


def test_another_familys_child_is_404(client, world):
    client.force_login(world.users["guardian"])
    for part in PARTS:
        assert client.get(url(world, part, world.classmate_of_other_group)).status_code == 404
        assert client.get(f"/api/v1/records/children/999999/{part}").status_code == 404


def test_staff_reading_is_audited_parents_are_not(client, world):
    client.force_login(world.users["guardian"])
    for part in PARTS:
        assert client.get(url(world, part)).status_code == 200
    assert reads(world.users["guardian"]) == []
    client.force_login(world.users["teacher"])
    for part in PARTS:
        assert client.get(url(world, part)).status_code == 200
    assert reads(world.users["teacher"]) == sorted((str(world.child.pk), part) for part in PARTS.values())


def test_a_token_gets_403(client, world):
    headers = bearer(token_for(world.users["director"], world.school).secret)
    for part in PARTS:
        assert client.get(url(world, part), **headers).status_code == 403


def test_the_notes_page_on_with_a_cursor(client, world):
    client.force_login(world.users["teacher"])
    first = client.get(url(world, "notes") + "?limit=2").json()
    rest = client.get(url(world, "notes") + f"?limit=2&cursor={first['next_cursor']}").json()
    assert len(first["items"]) == 2 and len(rest["items"]) == 1 and rest["next_cursor"] is None


def _more_rows(world):
    for n in range(3):
        Contact.objects.create(student=world.child, name=f"Buur {n}")
        Invoice.objects.create(student=world.child, description=f"Extra {n}", amount="1.00", due_on=TODAY)
        note = Note.objects.create(student=world.child, category=world.rows["open_cat"], date=TODAY, text=f"N {n}")
        note.reactions.create(author=world.users["guardian"], text="Dank")
        world.child.records_plans.create(title=f"Plan {n}", starts_on=TODAY)


@pytest.mark.parametrize("role", ["guardian", "teacher"])
def test_the_same_queries_for_few_or_many_rows(client, world, role, django_assert_max_num_queries):
    client.force_login(world.users[role])
    counts = []
    for round_ in range(2):
        with django_assert_max_num_queries(80) as captured:
            for part in PARTS:
                assert client.get(url(world, part)).status_code == 200
        counts.append(len(captured.captured_queries))
        if round_ == 0:
            _more_rows(world)
    assert counts[1] <= counts[0], counts


def _propose(client, world, subject="card", student=None, **values):
    return client.post(url(world, f"corrections/{subject}", student), values, content_type="application/json")


def test_a_parent_proposes_a_correction_and_follows_its_status(client, world):
    client.force_login(world.users["guardian"])
    response = _propose(client, world, city="Amersfoort", comment="Verhuisd")
    assert response.status_code == 201
    made = response.json()
    assert made["status"] == "received" and made["comment"] == "Verhuisd"
    assert [(c["field"], c["old"], c["new"]) for c in made["changes"]] == [("city", "Utrecht", "Amersfoort")]
    assert world.child.records_card.city == "Utrecht"  # nothing changes until the administration applies it
    assert _propose(client, world, "medical", diet="Geen varkensvlees").status_code == 201
    listed = client.get(url(world, "corrections")).json()
    assert {r["subject"] for r in listed} == {"card", "medical"}
    client.force_login(world.users["other_guardian"])
    assert client.get(url(world, "corrections")).json() == []  # only one's own requests
    client.force_login(world.users["administration"])
    assert len(client.get(url(world, "corrections")).json()) == 2


def test_a_correction_the_form_refuses_is_422(client, world):
    client.force_login(world.users["guardian"])
    assert _propose(client, world, city="Utrecht").status_code == 422  # nothing changed
    response = _propose(client, world, postal_code="12")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "postal_code"]
    assert _propose(client, world, "other", city="X").status_code == 404


@pytest.mark.parametrize("role", ["teacher", "director", "guardian_other_group", "guardian_other_school"])
def test_staff_and_strangers_cannot_propose(client, world, role):
    client.force_login(world.users[role])
    assert _propose(client, world, city="Elders").status_code == 404
    assert not world.child.records_corrections.exists()


def test_no_correction_of_medical_details_closed_to_the_parent(client, world):
    Guardianship.objects.filter(user=world.users["other_guardian"]).update(has_parental_authority=False)
    settings = settings_for(world.school)
    settings.parts_without_authority = [Part.CARD]
    settings.save()
    client.force_login(world.users["other_guardian"])
    assert _propose(client, world, "medical", diet="Vegetarisch").status_code == 404
    assert _propose(client, world, city="Amersfoort").status_code == 201
    headers = bearer(token_for(world.users["director"], world.school).secret)
    assert client.get(url(world, "corrections"), **headers).status_code == 403
