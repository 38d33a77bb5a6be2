"""Route table of the records: (route, method, {role: status}) about the world's child in group 3
of school A1 with one of everything (tests/records/helpers.py) and a correction request by its
guardian; the index and the queue take nothing, the settings school A1. Roles not listed: 404;
anonymous: 302 to the login page."""

import datetime

import pytest
from django.urls import reverse

from schoolpoort.records import corrections
from schoolpoort.records.models import ClosedPeriod, Contact
from tests.records.helpers import fill_records
from tests.world import build_world

ROLES = ["anonymous", "guardian", "teacher", "administration", "director", "board_admin", "board_admin_other_board"]
READERS = {"guardian": 200, "teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
STAFF = {"teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
OFFICE = {"administration": 200, "director": 200, "board_admin": 200}

ROUTES = [
    ("records:index", "get", dict.fromkeys(ROLES[1:], 200)),
    ("records:card", "get", READERS),
    ("records:family", "get", READERS),
    ("records:medical", "get", READERS),
    ("records:invoices", "get", READERS),
    ("records:plans", "get", READERS),
    ("records:sign_plan", "post", {"guardian": 302}),
    ("records:notes", "get", READERS),
    ("records:react", "post", {"guardian": 302}),
    ("records:viewed", "get", READERS),
    ("records:corrections", "get", READERS),
    ("records:correction_create", "get", {"guardian": 200}),
    ("records:card_edit", "get", OFFICE),
    ("records:medical_edit", "get", OFFICE),
    ("records:invoice_create", "get", OFFICE),
    ("records:invoice_edit", "get", OFFICE),
    ("records:plan_create", "get", STAFF),
    ("records:plan_edit", "get", STAFF),
    ("records:note_create", "get", STAFF),
    ("records:queue", "get", {**OFFICE, "board_admin_other_board": 200}),  # each office its own queue
    ("records:correction", "get", OFFICE),
    ("records:correction_apply", "post", dict.fromkeys(OFFICE, 302)),
    ("records:correction_refuse", "post", OFFICE),  # without a reason: the form again
    ("records:settings", "get", OFFICE),
    ("records:import", "get", OFFICE),
    ("records:note_categories", "get", OFFICE),
    ("records:note_category_edit", "get", OFFICE),
    ("records:note_category_delete", "post", dict.fromkeys(OFFICE, 302)),
    ("records:closed_periods", "get", OFFICE),
    ("records:closed_period_edit", "get", OFFICE),
    ("records:closed_period_delete", "post", dict.fromkeys(OFFICE, 302)),
    ("records:contact_create", "get", OFFICE),
    ("records:contact_edit", "get", OFFICE),
    ("records:contact_delete", "post", dict.fromkeys(OFFICE, 302)),
]


@pytest.fixture
def world(db):
    return build_world()


def args_for(name, world, rows, request):
    child = world.child.pk
    return {
        "records:index": [],
        "records:queue": [],
        "records:sign_plan": [child, rows["new_plan"].pk],
        "records:plan_edit": [child, rows["new_plan"].pk],
        "records:react": [child, rows["open_note"].pk],
        "records:correction_create": [child, "card"],
        "records:invoice_edit": [child, rows["invoice"].pk],
        "records:correction": [request.pk],
        "records:correction_apply": [request.pk],
        "records:correction_refuse": [request.pk],
        "records:settings": [world.school.pk],
        "records:import": [world.school.pk],
        "records:note_categories": [world.school.pk],
        "records:note_category_edit": [world.school.pk, rows["open_cat"].pk],
        "records:note_category_delete": [world.school.pk, rows["open_cat"].pk],
        "records:closed_periods": [world.school.pk],
        "records:closed_period_edit": [world.school.pk, rows["period"].pk],
        "records:closed_period_delete": [world.school.pk, rows["period"].pk],
        "records:contact_edit": [child, rows["contact"].pk],
        "records:contact_delete": [child, rows["contact"].pk],
    }.get(name, [child])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", ROUTES)
def test_records_routes(client, world, role, name, method, allowed):
    rows = fill_records(world)
    rows["invoice"] = world.child.records_invoices.first()
    # A period in the future: it must not close any page of the table today.
    later = datetime.date.today() + datetime.timedelta(days=30)
    rows["period"] = ClosedPeriod.objects.create(school=world.school, starts_on=later, ends_on=later)
    rows["contact"] = Contact.objects.create(student=world.child, name="Oma", is_emergency=True)
    request = corrections.propose(world.users["guardian"], world.child, "card", {"phone": "06 1"})
    if role != "anonymous":
        client.force_login(world.users[role])
    data = {"text": "Graag"} if name == "records:react" else {}
    response = getattr(client, method)(reverse(name, args=args_for(name, world, rows, request)), data)
    expected = 302 if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected
