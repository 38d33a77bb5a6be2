"""The one audit of staff reads (``core.audit``): one row per pupil in one insert, a queryset costs
one query more, nothing for an anonymous actor, the view decorator writes only for a page that was
shown, and every part has a readable label."""

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.utils import translation

from schoolpoort.core.audit import (
    READ_ACTION,
    audit_read,
    audits_reads,
    label_parts,
    part_label,
    read_part,
    reads_of,
)
from schoolpoort.core.models import AuditEntry, Student
from tests.factories import enrolled_student
from tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


def test_one_row_per_pupil_in_one_insert(world, django_assert_num_queries):
    pupils = [world.child, *(enrolled_student(world.group3) for _ in range(4))]
    with django_assert_num_queries(1):
        assert audit_read(world.users["teacher"], pupils + [world.child], "class_list") == 5
    rows = AuditEntry.objects.filter(action=READ_ACTION)
    assert sorted(int(row.object_id) for row in rows) == sorted(p.pk for p in pupils)
    assert {(row.object_type, row.actor_id, row.school_id) for row in rows} == {
        ("core.student", world.users["teacher"].pk, world.school.pk)
    }


def test_a_queryset_of_pupils_costs_one_query_more(world, django_assert_num_queries):
    with django_assert_num_queries(2):
        audit_read(world.users["administration"], Student.objects.filter(school=world.school), "absences_export")
    assert AuditEntry.objects.filter(action=READ_ACTION).count() == Student.objects.filter(school=world.school).count()


def test_an_anonymous_actor_or_no_pupils_write_nothing(world, django_assert_num_queries):
    with django_assert_num_queries(0):
        audit_read(world.users["anonymous"], [world.child], "medical")
        audit_read(world.users["teacher"], [], "medical")
    assert not AuditEntry.objects.exists()


def _view(status=200, raise_404=False):
    @audits_reads
    def view(request):
        request.reads.add([request.student], "medical")
        if raise_404:
            raise Http404
        return HttpResponse(status=status)

    return view


@pytest.mark.parametrize(("status", "written"), [(200, 1), (302, 1), (400, 0), (500, 0)])
def test_the_decorator_writes_the_reads_only_for_a_page_that_was_shown(world, status, written):
    request = RequestFactory().get("/")
    request.user, request.student = world.users["teacher"], world.child
    _view(status)(request)
    assert AuditEntry.objects.filter(action=READ_ACTION).count() == written


def test_the_decorator_writes_nothing_for_a_404(world):
    request = RequestFactory().get("/")
    request.user, request.student = world.users["teacher"], world.child
    with pytest.raises(Http404):
        _view(raise_404=True)(request)
    assert not AuditEntry.objects.exists()


def test_each_part_has_a_label_and_reads_of_lists_them_newest_first(world):
    read_part("test_part", "A test part")
    audit_read(world.users["teacher"], [world.child], "test_part")
    audit_read(world.users["director"], [world.child], "no_module_declares_this")
    first, second = label_parts(reads_of(world.child.pk))
    assert (first.actor, first.part_label) == (world.users["director"], "no_module_declares_this")
    assert (second.actor, second.part_label) == (world.users["teacher"], "A test part")
    from schoolpoort.records import access  # noqa: F401  the records app declares its parts on import

    with translation.override("en"):
        assert part_label("medical") == "Medical"
