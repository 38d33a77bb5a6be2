"""The safety net under the managers (core/scopes.py): a query of a pupil's records outside a
declared scope raises, and within a request it never returns a row of a school the user does not
reach, even from a view that forgot ``visible_to``."""

import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from schoolpoort.core.models import School, SchoolYear
from schoolpoort.core.scopes import (
    SchoolIds,
    SchoolScopeMiddleware,
    ScopeError,
    get_scope,
    in_school_scope,
    school_scope,
    scopes_disabled,
)
from schoolpoort.records.models import (
    Contact,
    CorrectionRequest,
    Invoice,
    MedicalInfo,
    Note,
    NoteCategory,
    NoteReaction,
    StudentCard,
    SupportPlan,
)
from schoolpoort.records.results.models import (
    MethodTest,
    ReportCard,
    ReportCardLine,
    ReportPeriod,
    StandardisedTest,
)
from tests.world import build_world

TODAY = datetime.date(2026, 10, 1)

# Every model of the records domain that holds a pupil's data. A new one must be added here,
# and so decide its scope; the school's own settings (parts on, closed periods, note categories,
# report periods, level bands) hold no pupil's data and stay unscoped.
PUPIL_MODELS = {
    StudentCard, Contact, MedicalInfo, Invoice, SupportPlan, Note, NoteReaction, CorrectionRequest,
    ReportCard, ReportCardLine, MethodTest, StandardisedTest,
}


def _is_scoped(model) -> bool:
    return getattr(model._default_manager, "school_path", None) is not None


def one_of_each(student) -> dict:
    """A row of every scoped model for one pupil."""
    category = NoteCategory.objects.create(school=student.school, name=f"Cat {student.pk}", open_to_guardians=True)
    note = Note.objects.create(student=student, category=category, date=TODAY, text="Leest graag")
    period = ReportPeriod.objects.create(
        school=student.school, school_year=SchoolYear.for_date(TODAY), name="Rapport 1", released_on=TODAY
    )
    card = ReportCard.objects.create(student=student, period=period)
    return {
        StudentCard: StudentCard.objects.create(student=student, city=f"Stad van {student.first_name}"),
        Contact: Contact.objects.create(student=student, name="Oma"),
        MedicalInfo: MedicalInfo.objects.create(student=student, allergies="Pinda"),
        Invoice: Invoice.objects.create(student=student, description="Schoolreis", amount="30.00"),
        SupportPlan: SupportPlan.objects.create(student=student, title="Plan", starts_on=TODAY),
        Note: note,
        NoteReaction: NoteReaction.objects.create(note=note, text="Dank je"),
        CorrectionRequest: CorrectionRequest.objects.create(
            student=student, school=student.school, subject="card", changes="{}", due_on=TODAY
        ),
        ReportCard: card,
        ReportCardLine: ReportCardLine.objects.create(report_card=card, subject="Rekenen", grade="8"),
        MethodTest: MethodTest.objects.create(
            student=student, subject="rekenen", method="Pluspunt", taken_on=TODAY, score=Decimal(80)
        ),
        StandardisedTest: StandardisedTest.objects.create(
            student=student, test="CITO", moment="M4", school_year=period.school_year, taken_on=TODAY
        ),
    }


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def rows(world):
    """Rows of every kind for the child at school A1 and the child at school B1."""
    return {"a": one_of_each(world.child), "b": one_of_each(world.other_school_child)}


# --- Outside any scope: the query raises -------------------------------------------------------


def test_every_pupil_model_of_the_records_domain_is_scoped():
    domain = [*apps.get_app_config("records").get_models(), *apps.get_app_config("results").get_models()]
    assert {model for model in domain if _is_scoped(model)} == PUPIL_MODELS
    for model in PUPIL_MODELS:  # each path ends at core.School
        *hops, last = model._default_manager.school_path.split("__")
        for hop in hops:
            model = model._meta.get_field(hop).related_model
        assert model._meta.get_field(last).related_model is School


@pytest.mark.parametrize("model", sorted(PUPIL_MODELS, key=lambda m: m.__name__), ids=lambda m: m.__name__)
def test_a_query_outside_any_scope_raises(rows, enforce_scopes, model):
    with pytest.raises(ScopeError):
        model.objects.filter(pk=rows["a"][model].pk).first()
    with pytest.raises(ScopeError):
        list(model.objects.all())
    with pytest.raises(ScopeError):
        model.objects.count()


@pytest.mark.parametrize("model", [StudentCard, Invoice, Note, ReportCard, MethodTest, StandardisedTest])
def test_visible_to_outside_any_scope_raises_a_scope_error_too(world, rows, enforce_scopes, model):
    # Not an AttributeError of django-scopes' own refusing queryset: the safety net's message.
    with pytest.raises(ScopeError):
        list(model.objects.visible_to(world.users["guardian"]))


def test_related_managers_and_prefetches_outside_any_scope_raise(world, rows, enforce_scopes):
    with pytest.raises(ScopeError):
        list(world.child.records_contacts.all())
    with pytest.raises(ScopeError):
        list(rows["a"][Note].reactions.all())


def test_creating_outside_a_scope_is_allowed_but_reading_back_is_not(world, enforce_scopes):
    contact = Contact.objects.create(student=world.child, name="Buurvrouw")
    with pytest.raises(ScopeError):
        Contact.objects.get(pk=contact.pk)
    with school_scope(world.school):
        assert Contact.objects.get(pk=contact.pk) == contact


def test_a_declared_school_scope_returns_that_school_only(rows, world, enforce_scopes):
    with school_scope(world.school):
        for model in PUPIL_MODELS:
            assert list(model.objects.all()) == [rows["a"][model]], model
            assert not model.objects.filter(pk=rows["b"][model].pk).exists(), model
    with school_scope([world.school.pk, world.other_school.pk]):
        assert StudentCard.objects.count() == 2
    with scopes_disabled():
        assert Invoice.objects.count() == 2


# --- Within a request: another school's rows do not exist ---------------------------------------


def card_without_visible_to(request, pk):
    """A deliberately careless view: fetches by primary key without ``visible_to``."""
    card = StudentCard.objects.filter(pk=pk).first()
    if card is None:
        raise Http404
    return HttpResponse(card.city)


def lines_without_visible_to(request, pk):
    return HttpResponse(",".join(line.subject for line in ReportCardLine.objects.filter(report_card_id=pk)))


urlpatterns = [
    path("careless/card/<int:pk>/", card_without_visible_to),
    path("careless/lines/<int:pk>/", lines_without_visible_to),
    path("", include("schoolpoort.urls")),
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "role, school_a, school_b",
    [
        ("guardian", 200, 404),
        ("teacher", 200, 404),  # of the child's group at school A1
        ("teacher_other_group", 200, 404),  # the school's fence only: visible_to narrows further
        ("administration", 200, 404),
        ("board_admin", 200, 404),
        ("guardian_other_school", 404, 200),
        ("board_admin_other_board", 404, 200),
        ("anonymous", 404, 404),
    ],
)
def test_a_view_that_forgot_visible_to_still_finds_no_row_of_another_school(
    client, world, rows, role, school_a, school_b
):
    user = world.users[role]
    if user.is_authenticated:
        client.force_login(user)
    assert client.get(f"/careless/card/{rows['a'][StudentCard].pk}/").status_code == school_a
    assert client.get(f"/careless/card/{rows['b'][StudentCard].pk}/").status_code == school_b
    lines = client.get(f"/careless/lines/{rows['b'][ReportCard].pk}/").content.decode()
    assert lines == ("Rekenen" if school_b == 200 else "")


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_middleware_reads_the_schools_once_and_only_when_a_scoped_model_is_touched(world, rows):
    guardian = world.users["guardian"]
    seen = {}

    def untouched(request):
        seen["ids"] = get_scope()["school"]
        return HttpResponse()

    with CaptureQueriesContext(connection) as queries:
        SchoolScopeMiddleware(untouched)(_request(guardian))
    assert len(queries) == 0
    assert isinstance(seen["ids"], SchoolIds)

    def touching(request):
        seen["cards"] = list(StudentCard.objects.values_list("pk", flat=True))
        seen["invoices"] = list(Invoice.objects.values_list("pk", flat=True))
        seen["ids"] = list(get_scope()["school"])
        return HttpResponse()

    from schoolpoort.core.access import reach_of

    reach_of(type(guardian).objects.get(pk=guardian.pk))  # an earlier request left the reach in the cache
    request = _request(type(guardian).objects.get(pk=guardian.pk))  # this request's own user object
    with CaptureQueriesContext(connection) as queries:
        SchoolScopeMiddleware(touching)(request)
    assert len(queries) == 3  # the schools once (the reach cache's versions), then the two reads
    assert seen == {"cards": [rows["a"][StudentCard].pk], "invoices": [rows["a"][Invoice].pk],
                    "ids": [world.school.pk]}


def test_a_page_that_read_the_reach_already_pays_no_query_for_the_scope(world, rows):
    from schoolpoort.core.access import request_reach

    def view(request):
        request_reach(request)
        with CaptureQueriesContext(connection) as queries:
            cards = list(StudentCard.objects.values_list("pk", flat=True))
        return HttpResponse(f"{cards} {len(queries)}")

    response = SchoolScopeMiddleware(view)(_request(world.users["board_admin"]))
    assert response.content.decode() == f"[{rows['a'][StudentCard].pk}] 1"


def test_the_middleware_gives_an_anonymous_user_no_school_and_no_query(world, rows):
    from django.contrib.auth.models import AnonymousUser

    def view(request):
        return HttpResponse(str(StudentCard.objects.count()))

    with CaptureQueriesContext(connection) as queries:
        response = SchoolScopeMiddleware(view)(_request(AnonymousUser()))
    assert response.content == b"0"
    assert len(queries) == 0  # an empty IN list is answered without asking the database


def test_the_scope_ends_with_the_request(world, rows, enforce_scopes):
    SchoolScopeMiddleware(lambda request: HttpResponse())(_request(world.users["guardian"]))
    with pytest.raises(ScopeError):
        StudentCard.objects.count()


# --- Outside a request: commands and the demo declare their scope --------------------------------

CARD_CSV = "Leerlingnummer;Straat;Postcode;Plaats\n{n};Lindelaan 4;3526kt;Utrecht\n"


def test_the_import_command_declares_the_school_it_imports_into(world, enforce_scopes, tmp_path):
    path = tmp_path / "kaart.csv"
    path.write_text(CARD_CSV.format(n=world.child.sis_id))
    call_command("import_records", str(path), school=world.school.brin, kind="card", apply=True, stdout=io.StringIO())
    with school_scope(world.school):
        assert StudentCard.objects.get(student=world.child).city == "Utrecht"


def test_the_key_rotation_command_needs_no_scope(rows, enforce_scopes):
    # It reads and writes the stored tokens with plain SQL, for every school at once.
    out = io.StringIO()
    call_command("rotate_records_key", stdout=out)
    assert "re-encrypted with the first key" in out.getvalue()


def test_the_demo_loader_declares_its_scope(db, enforce_scopes):
    from schoolpoort.demo.world import build_demo

    build_demo(verbosity=0)
    build_demo(verbosity=0)  # again: clearing the earlier run touches the report cards' files
    with scopes_disabled():
        assert ReportCard.objects.exclude(file="").exists()
        assert StudentCard.objects.exists()


@task()
@in_school_scope
def count_cards_of_school(school_id):
    return StudentCard.objects.count()


@task()
def count_cards_without_a_scope(school_id):
    return StudentCard.objects.count()


@pytest.mark.django_db(transaction=True)
def test_a_task_in_the_worker_runs_in_the_scope_it_declares(enforce_scopes):
    with scopes_disabled():
        world = build_world()
        one_of_each(world.child)
        one_of_each(world.other_school_child)
    declared = count_cards_of_school.enqueue(world.other_school.pk)
    undeclared = count_cards_without_a_scope.enqueue(world.other_school.pk)

    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)

    declared.refresh()
    assert (declared.status, declared.return_value) == ("SUCCESSFUL", 1)
    undeclared.refresh()
    assert undeclared.status == "FAILED"
    with scopes_disabled():
        failed = DBTaskResult.objects.get(pk=undeclared.id)
    assert "ScopeError" in str(failed.exception_class_path)


@pytest.mark.parametrize("role", ["guardian", "teacher", "director", "board_admin", "guardian_other_school"])
def test_the_request_scope_knows_its_schools_boards_as_the_database_does(world, rows, role):
    """The boards a board-wide row is let through for are read from the request's reach (a plain
    list PostgreSQL plans well), and are exactly the boards of the scope's schools."""
    from schoolpoort.core.access import request_reach

    seen = {}

    def view(request):
        request_reach(request)
        ids = get_scope()["school"]
        seen["schools"], seen["boards"] = list(ids), ids.board_ids()
        return HttpResponse()

    SchoolScopeMiddleware(view)(_request(world.users[role]))
    expected = set(School.objects.filter(pk__in=seen["schools"]).values_list("board_id", flat=True))
    assert seen["boards"] is not None
    assert set(seen["boards"]) == expected


def test_a_scope_of_plain_ids_leaves_the_boards_to_the_database(world):
    assert SchoolIds.lazy(lambda: [world.school.pk]).board_ids() is None


def test_the_fence_is_within_the_schools_it_lets_through_only(world):
    from schoolpoort.core.scopes import fence_within

    a, b = world.school.pk, world.sister_school.pk
    with school_scope([a]):
        assert fence_within({a, b})
        assert fence_within({a})
        assert not fence_within({b})
    with school_scope([a, b]):
        assert not fence_within({a})
    with scopes_disabled():
        assert not fence_within({a, b})
