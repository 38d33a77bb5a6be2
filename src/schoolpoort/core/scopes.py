"""The safety net under the managers: a query of school data outside a declared scope fails.

``visible_to(user)`` is the access rule; this net catches the query that forgot it. Models with a
pupil's data take ``school_scoped(...)`` as their default manager (django-scopes, as pretix does per
organizer), so that:

- within a request, ``SchoolScopeMiddleware`` has entered the scope of the schools the user reaches
  (children's, staff and board schools): ``Model.objects.filter(pk=...)`` there never returns a row of
  another school, so a view that forgot ``visible_to`` still answers 404;
- outside a request (tasks, commands, the shell, the demo, tests' own setup) every query raises
  ``ScopeError`` until the code declares what it works on: ``with school_scope(school):`` for one
  school, or ``with scopes_disabled():`` for code that deliberately spans every school.

What it does not cover (Django reads these through the plain base manager, by design): following a
foreign key or a one-to-one from another row (``student.records_card``), deletion cascades, and
``save()``. Those start from a row the code already holds; the net is about finding rows.

A module joins by giving its pupil models ``objects = school_scoped(TheQuerySet, school="student__school")``
(the path from the model to its ``core.School``) and declaring the scope in its commands and tasks
(``in_school_scope``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.db import models
from django_scopes import ScopedManager, ScopeError, get_scope, scope, scopes_disabled
from django_scopes.manager import DisabledQuerySet

from .access import school_q

__all__ = [
    "ScopeError",
    "SchoolIds",
    "SchoolScopeMiddleware",
    "get_scope",
    "in_school_scope",
    "reached_school_ids",
    "school_scope",
    "school_scoped",
    "scope",
    "scopes_disabled",
]

DIMENSION = "school"


def school_scoped(queryset_class: type[models.QuerySet] = models.QuerySet, *, school: str) -> models.Manager:
    """A default manager whose querysets are ``queryset_class`` (``visible_to`` and the rest stay),
    filtered to the schools of the current scope through the lookup path ``school``, and refusing
    every query outside a scope with ``ScopeError``.

    django-scopes answers outside a scope with its own queryset class, which lacks our methods: a
    call such as ``objects.visible_to(user)`` would fail with an ``AttributeError``. The refusing
    queryset here is both, so that such a call raises ``ScopeError`` as well."""
    base = type(ScopedManager(models.Manager.from_queryset(queryset_class), **{DIMENSION: school}))
    refusing = type(f"Unscoped{queryset_class.__name__}", (DisabledQuerySet, queryset_class), {})

    class SchoolScopedManager(base):
        school_path = school  # how the model reaches its school; tests check every pupil model has one

        def get_queryset(self):
            queryset = super().get_queryset()
            if isinstance(queryset, DisabledQuerySet) and not isinstance(queryset, refusing):
                return refusing(self.model, using=self._db, missing_scopes=queryset.missing_scopes)
            return queryset

    SchoolScopedManager.__name__ = SchoolScopedManager.__qualname__ = f"SchoolScoped{queryset_class.__name__}Manager"
    return SchoolScopedManager()


def _ids(schools) -> list[int]:
    if isinstance(schools, (int, str)) or hasattr(schools, "pk"):
        schools = [schools]
    return [getattr(school, "pk", school) for school in schools]


def school_scope(schools):
    """The scope of one school or several (objects or ids), for a command or a task that works
    on them: ``with school_scope(school): ...``."""
    return scope(**{DIMENSION: _ids(schools)})


def in_school_scope(func):
    """For a task whose first argument is a school id: runs it in that school's scope, as pretix's
    tasks re-enter their organizer's. A worker has no request; tasks take ids, so the school is
    at hand. Under the task decorator: ``@task()`` then ``@in_school_scope``."""

    @wraps(func)
    def wrapper(school_id, *args, **kwargs):
        with school_scope([school_id]):
            return func(school_id, *args, **kwargs)

    return wrapper


class SchoolIds(list):
    """A list of school ids read on first use (django-scopes filters on a list with ``__in``), so a
    request that touches no scoped model makes no query for it. Constructed from an iterable it is
    an ordinary list (Django rebuilds lookup values with their own type)."""

    _load: Callable[[], Iterable[int]] | None = None

    @classmethod
    def lazy(cls, load: Callable[[], Iterable[int]]) -> SchoolIds:
        ids = cls()
        ids._load = load
        return ids

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


def request_school_ids(request) -> list[int]:
    """``reached_school_ids`` of the request's user; free when the page has read the request's
    ``Reach`` already (the same three sets, as plain ids)."""
    reach = getattr(request, "_schoolpoort_reach", None)
    # Only a reach read for this very user object (not one from before a login in this request).
    if reach is not None and reach.roles is getattr(request.user, "_schoolpoort_roles", None):
        return sorted(reach.child_school_ids | reach.staff_school_ids | reach.roles.board_school_ids)
    return reached_school_ids(request.user)


class SchoolScopeMiddleware:
    """Every request runs in the scope of the schools its user reaches, read lazily (at most one
    query, only when a scoped model is touched). After the authentication middleware; the user is
    read when the ids are, so a login earlier in the same request counts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with scope(**{DIMENSION: SchoolIds.lazy(lambda: request_school_ids(request))}):
            return self.get_response(request)
