"""The records block on a guardian's home page: open invoices only where the school's settings let
this guardian see invoices today (part on, not closed, authority or opened to guardians without
it), and a fixed number of queries whatever the number of children and schools."""

import datetime
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from schoolpoort.core.models import Guardianship, ModuleClosure, ModuleSwitch
from schoolpoort.records import home
from schoolpoort.records.access import settings_for
from schoolpoort.records.models import ClosedPeriod, Invoice, Part
from schoolpoort.web.overview import home_overview
from tests.factories import GuardianshipFactory, enrolled_student

TODAY = datetime.date.today()


def open_invoice(student, description="Schoolreis"):
    return Invoice.objects.create(student=student, description=description, amount="32.50", due_on=TODAY)


def block(user):
    """The block as a request of its own would build it (a fresh user object, as every request has)."""
    request = RequestFactory().get("/")
    request.user = type(user).objects.get(pk=user.pk)
    return home.home_block(request, home_overview(request.user))


def invoices_in(user):
    result = block(user)
    return re.findall(r'">[^<:]+: ([^<]+)</a> · €', result.html) if result else []


@pytest.fixture
def invoice(world):
    return open_invoice(world.child)


def test_a_guardian_sees_the_open_invoice(world, invoice, client):
    assert invoices_in(world.users["guardian"]) == ["Schoolreis"]
    client.force_login(world.users["guardian"])
    assert 'id="records-home"' in client.get("/").content.decode()


def test_no_invoice_block_when_the_part_is_off(world, invoice):
    settings = settings_for(world.school)
    settings.parts_on = [part for part in settings.parts_on if part != Part.INVOICES]
    settings.save()
    assert block(world.users["guardian"]) is None


def test_no_invoice_block_when_invoices_are_closed_today(world, invoice):
    ClosedPeriod.objects.create(school=world.school, starts_on=TODAY, ends_on=TODAY, parts=[Part.INVOICES])
    assert block(world.users["guardian"]) is None


def test_a_closed_period_of_other_parts_or_another_day_leaves_invoices(world, invoice):
    ClosedPeriod.objects.create(school=world.school, starts_on=TODAY, ends_on=TODAY, parts=[Part.NOTES])
    tomorrow = TODAY + datetime.timedelta(days=1)
    ClosedPeriod.objects.create(school=world.school, starts_on=tomorrow, ends_on=tomorrow, parts=[Part.INVOICES])
    assert invoices_in(world.users["guardian"]) == ["Schoolreis"]


def test_no_invoice_block_when_the_module_is_off_or_closed(world, invoice):
    ModuleClosure.objects.create(school=world.school, module="records", starts_on=TODAY, ends_on=TODAY)
    assert block(world.users["guardian"]) is None
    ModuleClosure.objects.all().delete()
    ModuleSwitch.objects.filter(school=world.school, module="records").update(enabled=False)
    assert block(world.users["guardian"]) is None


def test_a_guardian_without_authority_sees_invoices_only_where_the_school_allows(world, invoice):
    Guardianship.objects.filter(user=world.users["guardian"]).update(has_parental_authority=False)
    assert block(world.users["guardian"]) is None
    settings = settings_for(world.school)
    settings.parts_without_authority = [*settings.parts_without_authority, Part.INVOICES]
    settings.save()
    assert invoices_in(world.users["guardian"]) == ["Schoolreis"]


def test_each_school_decides_for_its_own_children(world, invoice):
    """A guardian with children at two schools: one school keeps invoices closed, the other not."""
    guardian = world.users["guardian"]
    sister_child = enrolled_student(world.sister_school.groups.first())
    GuardianshipFactory(student=sister_child, user=guardian)
    open_invoice(sister_child, "Kamp")
    assert sorted(invoices_in(guardian)) == ["Kamp", "Schoolreis"]
    ClosedPeriod.objects.create(school=world.sister_school, starts_on=TODAY, ends_on=TODAY, parts=[Part.INVOICES])
    assert invoices_in(guardian) == ["Schoolreis"]


def test_the_block_costs_the_same_queries_for_one_and_many_children_and_schools(world, invoice):
    guardian = world.users["guardian"]

    def count():
        request = RequestFactory().get("/")
        request.user = type(guardian).objects.get(pk=guardian.pk)  # each request has its own
        overview = home_overview(request.user)  # reads the versions of the reach and the records
        with CaptureQueriesContext(connection) as context:
            result = home.home_block(request, overview)
        return len(context), result.html.count("· €")

    one, shown = count()
    assert shown == 1 and one == 2  # the invoices (access rule inside) and the handled requests
    settings_for(world.school)  # one school with a settings row, the other with the defaults
    for school in [world.school, world.sister_school, world.other_school]:
        for _ in range(2):
            child = enrolled_student(school.groups.first())
            GuardianshipFactory(student=child, user=guardian)
            open_invoice(child)
    ClosedPeriod.objects.create(school=world.other_school, starts_on=TODAY, ends_on=TODAY, parts=[Part.NOTES])
    many, shown = count()
    assert many == one and shown == 5
