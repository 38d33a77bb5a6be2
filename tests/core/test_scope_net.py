"""The safety net under every module's managers (core/scopes.py): every model with a path to a
school has a school-scoped default manager, or is on the allow-list below with its reason; a query
outside a scope raises; in the scope of one school another school's rows do not exist; rows of a
whole board (board news and events, a board's import) are in the scope of each of its schools."""

import pytest
from django.apps import apps
from django.db.models import F
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import include, path

from schoolpoort.calendar.models import Event
from schoolpoort.core.models import Board, School
from schoolpoort.core.scopes import ScopeError, school_scope, schools_of, scopes_disabled
from schoolpoort.imports.models import ImportRun
from schoolpoort.lib.demo import ARK, REGENBOOG
from schoolpoort.news.models import Post, PostRead
from tests.calendar.calendar_helpers import make_event
from tests.world import build_world

# Models with a path to a school that deliberately keep a plain manager. A new model with a path
# to a school must either be scoped (``objects = school_scoped(...)``) or be added here, with why.
NOT_SCOPED = {
    # The access layer itself: the scope is computed from these (``reached_school_ids``), and
    # signing in or registering reads them before the user reaches any school.
    "core.Group", "core.Student", "core.Enrollment", "core.Guardianship", "core.StaffMembership",
    # A school's settings, read while deciding access or shaping a page; no person's data.
    "core.ModuleSwitch", "core.ModuleClosure", "absences.AbsenceSettings", "messaging.SchoolMessagingSettings",
    "classlist.ClassListSettings", "notify.QuietHours", "records.RecordsSettings", "records.ClosedPeriod",
    "records.NoteCategory", "results.ReportPeriod", "results.LevelBand",
    # Who is in an image: the row "no child recognisable" has no pupil and so no school; it is
    # only ever read through the image it belongs to, which is scoped (core/consent.py).
    "core.ImageTag",
    # The audit trail: written from every layer, also with no school at all.
    "core.AuditEntry",
    # Parked uploads: found by their own secret key, and swept for every school at once.
    "core.StagedUpload",
    # Redeemed by a parent who is not signed in yet: found by its secret code alone.
    "accounts.RegistrationCode",
    # notify's tables belong to their recipient (inbox and outbox, per user); a broadcast may
    # have no school (a system message).
    "notify.Broadcast", "notify.Notification", "notify.Delivery",
}


def path_to_school(model, depth: int = 4, seen: tuple = ()) -> str | None:
    """A chain of foreign keys (or one-to-ones) from ``model`` to ``core.School``, if any."""
    links = [f for f in model._meta.get_fields() if (f.many_to_one or f.one_to_one) and f.concrete]
    for field in links:
        if field.related_model is School:
            return field.name
    if depth:
        for field in links:
            if field.related_model not in (model, *seen):
                rest = path_to_school(field.related_model, depth - 1, (*seen, model))
                if rest:
                    return f"{field.name}__{rest}"
    return None


def scoped_models() -> list:
    return sorted(
        (m for m in apps.get_models() if getattr(m._default_manager, "school_path", None)), key=lambda m: m._meta.label
    )


def ends_at(model, lookup: str):
    for hop in lookup.split("__"):
        model = model._meta.get_field(hop).related_model
    return model


def test_every_model_with_a_path_to_a_school_is_scoped_or_on_the_list():
    with_a_path = {m._meta.label for m in apps.get_models() if m is not School and path_to_school(m)}
    scoped = {m._meta.label for m in scoped_models()}
    assert with_a_path - scoped - NOT_SCOPED == set(), "scope these, or add them to NOT_SCOPED with why"
    assert NOT_SCOPED - with_a_path == set(), "stale entries in NOT_SCOPED"
    assert scoped & NOT_SCOPED == set()
    assert len(scoped) >= 50  # every module's school data, records and results included


@pytest.mark.parametrize("model", scoped_models(), ids=lambda m: m._meta.label)
def test_each_scoped_path_ends_at_a_school_and_a_board_path_at_a_board(model):
    manager = model._default_manager
    assert ends_at(model, manager.school_path) is School
    if getattr(manager, "board_path", None):
        assert ends_at(model, manager.board_path) is Board
    # Related managers (``album.photos``) and prefetches use the same class: scoped as well.
    assert type(manager).__name__.startswith("SchoolScoped")


@pytest.mark.parametrize("model", scoped_models(), ids=lambda m: m._meta.label)
def test_every_scoped_model_refuses_a_query_outside_a_scope(db, enforce_scopes, model):
    for query in (
        lambda: list(model.objects.all()),
        lambda: model.objects.filter(pk=1).first(),
        lambda: model.objects.count(),
        lambda: model.objects.exists(),  # not refused by django-scopes itself
        lambda: list(model.objects.exclude(pk=1)),
        lambda: model.objects.in_bulk([1]),
    ):
        with pytest.raises(ScopeError):
            query()
    assert list(model.objects.none()) == []


# --- Board-wide rows ----------------------------------------------------------------------------


@pytest.fixture
def world(db):
    return build_world()


def post(world, *, school=None, title):
    board = school.board if school else world.school.board
    audience = Post.Audience.SCHOOL if school else Post.Audience.BOARD
    return Post.objects.create(board=board, school=school, audience=audience, title=title)


def event(*, school=None, board=None, title):
    return make_event(school=school, board=board, title=title)


def test_board_news_events_and_imports_are_in_the_scope_of_each_school_of_the_board(world, enforce_scopes):
    with scopes_disabled():
        board_post = post(world, title="Stichting A")
        own_post = post(world, school=world.school, title="A1")
        sister_post = post(world, school=world.sister_school, title="A2")
        other_board_post = Post.objects.create(
            board=world.other_school.board, audience=Post.Audience.BOARD, title="Stichting B"
        )
        board_event = event(board=world.school.board, title="Studiedag stichting A")
        other_event = event(school=world.other_school, title="Sportdag B1")
        board_run = ImportRun.objects.create(board=world.school.board, format="oneroster", filename="a.zip")
        PostRead.objects.create(user=world.users["guardian"], post=board_post)

    with school_scope(world.school):
        assert set(Post.objects.all()) == {board_post, own_post}
        assert set(Event.objects.all()) == {board_event}
        assert list(ImportRun.objects.all()) == [board_run]
        assert PostRead.objects.get().post == board_post  # through the post's board
    with school_scope(world.sister_school):
        assert set(Post.objects.all()) == {board_post, sister_post}
        assert Event.objects.get() == board_event
    with school_scope(world.other_school):
        assert set(Post.objects.all()) == {other_board_post}
        assert set(Event.objects.all()) == {other_event}
        assert not ImportRun.objects.all()
        assert not PostRead.objects.all()
    with school_scope([]):
        assert not Post.objects.all()
    # A task on a board's row enters the scope of every school of that board.
    with scopes_disabled():
        assert sorted(schools_of(Post, board_post.pk)) == sorted([world.school.pk, world.sister_school.pk])
        assert schools_of(Post, own_post.pk) == [world.school.pk]
        assert schools_of(Post, 0) == []


# --- Every scoped model, in the demo school ------------------------------------------------------


def careless_view(request, label, pk):
    """A deliberately careless view: any model, by primary key, without ``visible_to``."""
    if not apps.get_model(label).objects.filter(pk=pk).first():
        raise Http404
    return HttpResponse("found")


urlpatterns = [
    path("careless/<str:label>/<int:pk>/", careless_view),
    path("", include("schoolpoort.urls")),
]


def rows_by_school(model) -> dict[int, set[int]]:
    """Every row of ``model`` under the school whose scope must show it: its own school, or for a
    row of a whole board, each school of that board."""
    manager = model._default_manager
    board_path = getattr(manager, "board_path", None)
    fields = {"_school": F(manager.school_path)} | ({"_board": F(board_path)} if board_path else {})
    schools_of_board = {}
    for school in School.objects.all():
        schools_of_board.setdefault(school.board_id, []).append(school.pk)
    found: dict[int, set[int]] = {}
    for row in model._base_manager.values("pk", **fields):
        if row["_school"] is not None:
            schools = [row["_school"]]
        else:
            schools = schools_of_board.get(row.get("_board"), [])
        for school in schools:
            found.setdefault(school, set()).add(row["pk"])
    return found


@pytest.mark.urls(__name__)
def test_in_the_demo_every_scoped_model_shows_a_school_its_own_rows_only(client, demo):
    from schoolpoort.accounts.models import User

    world = demo
    schools = {school.pk: school for school in School.objects.all()}
    regenboog, ark = world.schools[REGENBOOG].pk, world.schools[ARK].pk
    # A teacher of De Ark only, and a parent of De Regenboog only (DEMO.md)
    ark_teacher = User.objects.get(email="leerkracht.groep5@deark.example")
    regenboog_parent = User.objects.get(email="jansen@ouders.example")

    checked = []
    for model in scoped_models():
        by_school = rows_by_school(model)
        if not by_school:
            continue
        checked.append(model._meta.label)
        for school_id in schools:
            with school_scope([school_id]):
                assert set(model.objects.values_list("pk", flat=True)) == by_school.get(school_id, set()), (
                    model, schools[school_id]
                )
        # Through a request: a row only De Regenboog reaches is not there for De Ark's teacher.
        only_regenboog = by_school.get(regenboog, set()) - by_school.get(ark, set())
        if only_regenboog:
            pk = min(only_regenboog)
            client.force_login(ark_teacher)
            assert client.get(f"/careless/{model._meta.label}/{pk}/").status_code == 404, model
            client.force_login(regenboog_parent)
            assert client.get(f"/careless/{model._meta.label}/{pk}/").status_code == 200, model
    # The demo fills nearly every module: the check above was not empty.
    assert len(checked) >= 35, checked


def test_the_operators_django_admin_spans_every_school_for_a_superuser_only(client, world):
    """Django's admin (``beheer/django/``) is the platform operator's: a superuser sees every
    school's events there; a board admin with staff status would see their own schools' only."""
    own = event(school=world.school, title="Sportdag A1")
    other = event(school=world.other_school, title="Sportdag B1")
    operator = world.users["board_admin"]
    operator.is_staff = operator.is_superuser = True
    operator.save()
    client.force_login(operator)
    listing = client.get("/beheer/django/calendar/event/").content.decode()
    assert own.title in listing and other.title in listing
    assert client.get(f"/beheer/django/calendar/event/{other.pk}/change/").status_code == 200
    # Elsewhere the same user is in the scope of their boards' schools: the net stays.
    from schoolpoort.core.scopes import SchoolScopeMiddleware, get_scope

    seen = {}

    def view(request):
        seen["scope"] = sorted(get_scope()["school"])
        return HttpResponse()

    request = RequestFactory().get("/nieuws/")
    request.user = operator
    SchoolScopeMiddleware(view)(request)
    assert seen["scope"] == sorted([world.school.pk, world.sister_school.pk])
