"""The safety net under the managers: a query of school data outside a declared scope fails.

``visible_to(user)`` is the access rule; this net catches the query that forgot it. Every model
with a path to a school, in every module, takes ``school_scoped(...)`` as its default manager
(django-scopes, as pretix does per organizer); ``tests/core/test_scope_net.py`` lists the few that
deliberately do not (the access layer itself, school settings, per-recipient tables), each with
its reason, and fails for a new model that is neither. So:

- within a request, ``SchoolScopeMiddleware`` has entered the scope of the schools the user reaches
  (children's, staff and board schools): ``Model.objects.filter(pk=...)`` there never returns a row of
  another school, so a view that forgot ``visible_to`` still answers 404. A request whose user is
  not the session's (the calendar feed's secret link) enters ``user_school_scope(user)``;
- outside a request (tasks, commands, the shell, the demo, tests' own setup) every query raises
  ``ScopeError`` until the code declares what it works on: ``with school_scope(school):`` for one
  school, ``@in_school_scope`` / ``@in_scope_of("app.Model")`` for a task given a school id or a
  row id, or ``with scopes_disabled():`` for code that deliberately spans every school (say why).

Rows of a whole board (board-wide news and events, a board's import) have no school: their manager
names the board's path too (``board="board"``), and they are in the scope of each of its schools.

What it does not cover (Django reads these through the plain base manager, by design): following a
foreign key or a one-to-one from another row (``student.records_card``), deletion cascades, and
``save()``. Those start from a row the code already holds; the net is about finding rows.

A model joins by ``objects = school_scoped(TheQuerySet, school="student__school")`` (the path from
the model to its ``core.School``; ``board=`` for board-wide rows), and the code that reads it
outside a request declares its scope."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.apps import apps
from django.db import models
from django.db.models import F, Q
from django_scopes import ScopedManager, ScopeError, get_scope, scope, scopes_disabled
from django_scopes.manager import DisabledQuerySet

from .access import school_q

__all__ = [
    "ScopeError",
    "SchoolIds",
    "SchoolScopeMiddleware",
    "get_scope",
    "in_school_scope",
    "in_scope_of",
    "in_schools_q",
    "reached_school_ids",
    "school_scope",
    "school_scoped",
    "schools_of",
    "scope",
    "scopes_disabled",
    "user_school_scope",
]

DIMENSION = "school"


def _refuse(self, *args, **kwargs):
    DisabledQuerySet.error(self)


# Beyond what django-scopes refuses: these would otherwise query every school (``exists()``) or
# hand on a queryset that fails only later, far from the cause.
REFUSED = {name: _refuse for name in (
    "exists", "contains", "in_bulk", "exclude", "explain", "select_related", "prefetch_related", "distinct",
    "defer", "alias", "extra",
)}


def school_scoped(
    queryset_class: type[models.QuerySet] = models.QuerySet, *, school: str, board: str | None = None
) -> models.Manager:
    """A default manager whose querysets are ``queryset_class`` (``visible_to`` and the rest stay),
    filtered to the schools of the current scope through the lookup path ``school``, and refusing
    every query outside a scope with ``ScopeError``.

    ``board``: for a model whose rows belong to a school *or* to a whole board (board-wide news
    and events, a board's import), the path to that board. A row without a school is then in the
    scope of every school of its board.

    django-scopes answers outside a scope with its own queryset class, which lacks our methods: a
    call such as ``objects.visible_to(user)`` would fail with an ``AttributeError``. The refusing
    queryset here is both, so that such a call raises ``ScopeError`` as well."""
    plain = models.Manager.from_queryset(queryset_class)
    base = type(ScopedManager(plain, **{DIMENSION: school}))
    refusing = type(f"Unscoped{queryset_class.__name__}", (DisabledQuerySet, queryset_class), REFUSED)

    class SchoolScopedManager(base):
        school_path = school  # how the model reaches its school; tests check every school model has one
        board_path = board  # and for rows of a whole board, how it reaches that board

        def get_queryset(self):
            current = getattr(self, "_override_scope", None) or get_scope()
            queryset = plain.get_queryset(self)
            if not current.get("_enabled", True):
                return queryset
            if DIMENSION not in current:
                return refusing(self.model, using=self._db, missing_scopes={DIMENSION})
            return queryset.filter(in_schools_q(current[DIMENSION], school=school, board=board))

    SchoolScopedManager.__name__ = SchoolScopedManager.__qualname__ = f"SchoolScoped{queryset_class.__name__}Manager"
    return SchoolScopedManager()


def in_schools_q(schools, *, school: str, board: str | None = None) -> Q:
    """The rows of ``schools`` (a list of ids, one id, or ``None`` for every school, as in
    django-scopes), through the path ``school``; with ``board``, also the rows of a whole board
    (no school) whose board is one of those schools' boards."""
    if schools is None:
        return Q()
    lookup = "__in" if isinstance(schools, (list, tuple, models.QuerySet)) else ""
    q = Q(**{f"{school}{lookup}": schools})
    if board is not None:
        from .models import School

        # The request's scope knows its schools' boards (from the reach): a plain list lets
        # PostgreSQL walk an ordered index (the feed) where a subquery made it sort every post.
        boards = schools.board_ids() if isinstance(schools, SchoolIds) else None
        if boards is None:
            boards = School.objects.filter(**{f"pk{lookup}": schools}).values("board_id")
        q |= Q(**{f"{school}__isnull": True, f"{board}__in": boards})
    return q


def fence_within(school_ids) -> bool:
    """Whether the scope in force lets through only rows of ``school_ids`` (and of their boards):
    then a page's own filter on those schools adds nothing. PostgreSQL takes two such filters on the
    same columns as independent, underestimates the rows, and sorts every candidate (50,000 news
    posts) instead of walking an ordered index and stopping after a page."""
    current = get_scope()
    fence = current.get(DIMENSION) if current.get("_enabled", True) else None
    return isinstance(fence, list) and set(fence) <= set(school_ids)


def _ids(schools) -> list[int]:
    if isinstance(schools, (int, str)) or hasattr(schools, "pk"):
        schools = [schools]
    return [getattr(school, "pk", school) for school in schools]


def school_scope(schools):
    """The scope of one school or several (objects or ids), for a command or a task that works
    on them: ``with school_scope(school): ...``."""
    return scope(**{DIMENSION: _ids(schools)})


def user_school_scope(user):
    """The scope of the schools ``user`` reaches (``reached_school_ids``), as a subquery: no query of
    its own. For a request whose user is not its session's, e.g. the calendar feed, whose secret
    link names its user while the request itself is anonymous."""
    from .models import School

    return scope(**{DIMENSION: School.objects.filter(school_q(user)).values("pk")})


def in_school_scope(func):
    """For a task whose first argument is a school id: runs it in that school's scope, as pretix's
    tasks re-enter their organizer's. A worker has no request; tasks take ids, so the school is
    at hand. Under the task decorator: ``@task()`` then ``@in_school_scope``."""

    @wraps(func)
    def wrapper(school_id, *args, **kwargs):
        with school_scope([school_id]):
            return func(school_id, *args, **kwargs)

    return wrapper


def schools_of(model, pk, *, school: str | None = None, board: str | None = None) -> list[int]:
    """The schools in whose scope the row ``pk`` of ``model`` lives: its school, or for a row of a
    whole board every school of that board; none when the row is gone. Read without the net (the
    row's own school is what the caller needs in order to declare a scope). ``school``/``board``:
    the paths, by default those of the model's scoped manager."""
    manager = model._default_manager
    school = school or manager.school_path
    board = board or getattr(manager, "board_path", None)
    fields = {"_school": F(school)} | ({"_board": F(board)} if board else {})
    row = model._base_manager.filter(pk=pk).values(**fields).first()
    if row is None:
        return []
    if row["_school"] is not None:
        return [row["_school"]]
    if row.get("_board") is not None:
        from .models import School

        return list(School.objects.filter(board_id=row["_board"]).values_list("pk", flat=True))
    return []


def in_scope_of(model: str, *, school: str | None = None):
    """For a task whose first argument is the id of a row of ``model`` ("app_label.Model"): runs it
    in the scope of that row's school (``schools_of``), as ``in_school_scope`` does for a school id.
    Under the task decorator: ``@task()`` then ``@in_scope_of("albums.Photo")``."""

    def decorate(func):
        @wraps(func)
        def wrapper(pk, *args, **kwargs):
            with school_scope(schools_of(apps.get_model(model), pk, school=school)):
                return func(pk, *args, **kwargs)

        return wrapper

    return decorate


class SchoolIds(list):
    """A list of school ids read on first use (django-scopes filters on a list with ``__in``), so a
    request that touches no scoped model makes no query for it. Constructed from an iterable it is
    an ordinary list (Django rebuilds lookup values with their own type)."""

    _load: Callable[[], Iterable[int]] | None = None
    _load_boards: Callable[[], Iterable[int] | None] | None = None

    @classmethod
    def lazy(
        cls, load: Callable[[], Iterable[int]], boards: Callable[[], Iterable[int] | None] | None = None
    ) -> SchoolIds:
        """``boards``: the boards of exactly these schools when known without a query (else None)."""
        ids = cls()
        ids._load = load
        ids._load_boards = boards
        return ids

    def board_ids(self) -> list[int] | None:
        """The boards of these schools, read with them; None when only the database knows them."""
        self._filled()
        if self._load_boards is None:
            return None
        boards = self._load_boards()
        return None if boards is None else sorted(boards)

    def _filled(self) -> SchoolIds:
        if self._load is not None:
            load, self._load = self._load, None
            self.extend(load())
        return self

    def __iter__(self):
        return list.__iter__(self._filled())

    def __len__(self):
        return list.__len__(self._filled())

    def __getitem__(self, index):
        return list.__getitem__(self._filled(), index)

    def __contains__(self, value):
        return list.__contains__(self._filled(), value)

    def __bool__(self):
        return bool(len(self))

    def __eq__(self, other):
        return list.__eq__(self._filled(), other)

    def __repr__(self):
        return "SchoolIds(<not read yet>)" if self._load is not None else f"SchoolIds({list.__repr__(self)})"


def reached_school_ids(user) -> list[int]:
    """The schools whose data the user may meet at all: their children's schools (leavers aside),
    the schools they work at, the schools of their boards. One query (none when signed out). The
    scope is only the outer fence; ``visible_to`` decides within it."""
    from .models import School

    return list(School.objects.filter(school_q(user)).values_list("pk", flat=True))


def _known_reach(request):
    """The request's ``Reach`` when it costs nothing more: the reach cache is on, or the page has
    read it already for this very user object (not one from before a login in this request)."""
    from .access import reach_cache_on, request_reach

    if reach_cache_on():
        return request_reach(request)
    reach = getattr(request, "_schoolpoort_reach", None)
    if reach is not None and reach.roles is getattr(request.user, "_schoolpoort_roles", None):
        return reach
    return None


def request_school_ids(request) -> list[int]:
    """``reached_school_ids`` of the request's user; free when the request's ``Reach`` is known
    (the same three sets, as plain ids)."""
    reach = _known_reach(request)
    if reach is not None:
        return sorted(reach.child_school_ids | reach.staff_school_ids | reach.roles.board_school_ids)
    return reached_school_ids(request.user)


def request_board_ids(request) -> list[int] | None:
    """The boards of ``request_school_ids``' schools from the same ``Reach``; None when it is not
    known (the scope then asks the database)."""
    reach = _known_reach(request)
    if reach is None:
        return None
    return sorted(set(reach.boards_of(reach.child_school_ids | reach.staff_school_ids)) | reach.roles.board_ids)


class SchoolScopeMiddleware:
    """Every request runs in the scope of the schools its user reaches, read lazily (at most one
    query, only when a scoped model is touched). After the authentication middleware; the user is
    read when the ids are, so a login earlier in the same request counts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _is_operators_admin(request):
            # Django's admin is the platform operator's (superusers only), over every school.
            with scopes_disabled():
                return self.get_response(request)
        ids = SchoolIds.lazy(lambda: request_school_ids(request), boards=lambda: request_board_ids(request))
        with scope(**{DIMENSION: ids}):
            return self.get_response(request)


def _is_operators_admin(request) -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        prefix = reverse("admin:index")
    except NoReverseMatch:
        return False
    return request.path.startswith(prefix) and getattr(request.user, "is_superuser", False)
