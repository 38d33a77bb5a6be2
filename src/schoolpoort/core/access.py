"""The access layer: who may see what. One rule everywhere.

Every query that returns school data for a user is filtered by a ``visible_to(user)``
queryset method, built from the subqueries below; views fetch single objects with
``get_visible_or_404``. What a user may not see does not exist for them: 404, never 403.

Visibility per role:
- board admin: every school of their boards, with all its groups and pupils;
- director and administration: their school, all its groups and pupils;
- teacher: their school, the groups they teach this school year and the pupils in them;
- guardian: the schools of their children, the current groups of their children (only where
  the school lets that guardian see class pages), and their own children; archived pupils
  (leavers) no longer count.
Modules switched off, or closed for a period, are invisible to guardians.

A module writes its rule once, as a function of an ``AccessIds`` (end of this file): read with
``SubqueryIds(user)`` it is the module's ``visible_to(user)``, one SQL query; read with the
request's ``ReachIds`` (plain id lists) it is the fast path of a list page. E.g. a news post is
visible when its audience school is among ``ids.child_schools`` and news is open there
(``ids.open_schools("news")``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from . import versions
from .modules import MODULES, ModuleInfo

NOTHING = Q(pk__in=[])
ADMIN_ROLES = ("administration", "director")


def _model(name: str):
    return apps.get_model("core", name)


def _is_signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _today() -> datetime.date:
    return timezone.localdate()


# --- Building blocks: subqueries of ids, so every visible_to stays one SQL query -------------


def board_school_ids(user) -> QuerySet:
    return _model("School").objects.filter(board__memberships__user=user).values("pk")


def staff_school_ids(user, roles: tuple[str, ...] | None = None) -> QuerySet:
    memberships = _model("StaffMembership").objects.filter(user=user)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return memberships.values("school_id")


def managed_school_ids(user) -> QuerySet:
    """Schools whose every group and pupil the user may see: board, director, administration."""
    School = _model("School")
    return School.objects.filter(
        Q(board__memberships__user=user) | Q(pk__in=staff_school_ids(user, ADMIN_ROLES))
    ).values("pk")


def taught_group_ids(user, today: datetime.date | None = None) -> QuerySet:
    return (
        _model("Group")
        .objects.current(today)
        .filter(teachers=user)
        .values("pk")
    )


def guardian_student_ids(user) -> QuerySet:
    return _model("Guardianship").objects.filter(user=user, student__archived_at__isnull=True).values("student_id")


def guardian_school_ids(user) -> QuerySet:
    return _model("Student").objects.filter(pk__in=guardian_student_ids(user)).values("school_id")


def guardian_group_ids(user, today: datetime.date | None = None) -> QuerySet:
    """Current groups of the user's children, where the school lets this guardian see them."""
    Guardianship = _model("Guardianship")
    children = Guardianship.objects.filter(
        user=user, sees_class_pages=True, student__archived_at__isnull=True
    ).values("student_id")
    return (
        _model("Enrollment")
        .objects.filter(student_id__in=children, group__in=_model("Group").objects.current(today))
        .values("group_id")
    )


# --- Q objects behind the visible_to(user) querysets ------------------------------------------


def school_q(user) -> Q:
    if not _is_signed_in(user):
        return NOTHING
    return (
        Q(pk__in=board_school_ids(user)) | Q(pk__in=staff_school_ids(user)) | Q(pk__in=guardian_school_ids(user))
    )


def group_q(user) -> Q:
    if not _is_signed_in(user):
        return NOTHING
    return (
        Q(school_id__in=managed_school_ids(user))
        | Q(pk__in=taught_group_ids(user))
        | Q(pk__in=guardian_group_ids(user))
    )


def student_q(user) -> Q:
    if not _is_signed_in(user):
        return NOTHING
    taught_students = _model("Enrollment").objects.filter(group_id__in=taught_group_ids(user)).values("student_id")
    return (
        Q(school_id__in=managed_school_ids(user))
        | Q(pk__in=taught_students, archived_at__isnull=True)
        | Q(pk__in=guardian_student_ids(user))
    )


# --- Single objects ---------------------------------------------------------------------------


def get_visible_or_404(model_or_queryset: type[Model] | QuerySet, user, **lookup) -> Model:
    """The one way a view fetches a single object of school data: through ``visible_to``.
    Does-not-exist and not-yours give the same 404."""
    queryset = (
        model_or_queryset if isinstance(model_or_queryset, QuerySet) else model_or_queryset.objects.all()
    )
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def managed_school_or_404(user, school_id):
    """A school the user manages (director or board admin); for anyone else it does not exist."""
    school = get_visible_or_404(_model("School"), user, pk=school_id)
    if not roles_of(user).manages(school):
        raise Http404
    return school


def administered_school_or_404(user, school_id):
    """A school whose pupils and guardians the user administers (administration, director,
    board admin); for anyone else it does not exist."""
    school = get_visible_or_404(_model("School"), user, pk=school_id)
    if not roles_of(user).administers(school):
        raise Http404
    return school


# --- Modules: switched on, closed for a period ------------------------------------------------


def open_module_school_ids(module: str, today: datetime.date | None = None) -> QuerySet:
    """Schools where ``module`` is switched on and not closed today: what guardians may see."""
    today = today or _today()
    closed = _model("ModuleClosure").objects.filter(module=module, starts_on__lte=today, ends_on__gte=today)
    return (
        _model("ModuleSwitch")
        .objects.filter(module=module, enabled=True)
        .exclude(school_id__in=closed.values("school_id"))
        .values("school_id")
    )


def switched_on_module_school_ids(module: str) -> QuerySet:
    """Schools where ``module`` is switched on, closed for a period or not: what staff may see."""
    return _model("ModuleSwitch").objects.filter(module=module, enabled=True).values("school_id")


def usable_module_school_ids(user, module: str, today: datetime.date | None = None) -> QuerySet:
    """Schools where ``module`` is usable for ``user``: as staff (of the school or its board) where
    it is switched on, closed or not; as guardian where it is open today. One subquery."""
    School = _model("School")
    if not _is_signed_in(user):
        return School.objects.none().values("pk")
    as_staff = (Q(pk__in=staff_school_ids(user)) | Q(pk__in=board_school_ids(user))) & Q(
        pk__in=switched_on_module_school_ids(module)
    )
    as_guardian = Q(pk__in=guardian_school_ids(user)) & Q(pk__in=open_module_school_ids(module, today))
    return School.objects.filter(as_staff | as_guardian).values("pk")


@dataclass
class ModuleState:
    info: ModuleInfo
    enabled: bool
    closure: object | None = None  # the ModuleClosure in force today, if any

    @property
    def is_open(self) -> bool:
        return self.enabled and self.closure is None


@dataclass
class SchoolModules:
    """The modules of one school as a given user meets them."""

    school: object
    states: list[ModuleState] = field(default_factory=list)
    as_staff: bool = False

    @property
    def usable(self) -> list[ModuleState]:
        """Modules the user can open: staff see switched-on ones (closed or not), guardians open ones."""
        if self.as_staff:
            return [s for s in self.states if s.enabled]
        return [s for s in self.states if s.is_open]

    @property
    def closed_notices(self) -> list[ModuleState]:
        return [s for s in self.states if s.enabled and s.closure is not None]


def modules_for_schools(user, schools, today: datetime.date | None = None) -> list[SchoolModules]:
    """Module states for several schools in two queries (switches, closures)."""
    today = today or _today()
    schools = list(schools)
    school_ids = [s.pk for s in schools]
    enabled = set(
        _model("ModuleSwitch")
        .objects.filter(school_id__in=school_ids, enabled=True)
        .values_list("school_id", "module")
    )
    closures = {
        (c.school_id, c.module): c
        for c in _model("ModuleClosure").objects.filter(
            school_id__in=school_ids, starts_on__lte=today, ends_on__gte=today
        )
    }
    roles = roles_of(user)
    result = []
    for school in schools:
        states = [
            ModuleState(info, (school.pk, code) in enabled, closures.get((school.pk, code)))
            for code, info in MODULES.items()
        ]
        result.append(SchoolModules(school, states, as_staff=roles.is_staff_at(school)))
    return result


def request_modules(request) -> tuple[list, list[SchoolModules]]:
    """The user's schools (``visible_to``, by name) and their module states: read once per request
    (three queries) and kept across requests in the reach cache (none then). The app shell, the
    home page and list pages share it."""
    cached = getattr(request, "_schoolpoort_modules", None)
    user = request.user
    if cached is None or cached[0] is not user:  # a login since
        def read():
            schools = list(_model("School").objects.visible_to(user).select_related("board").order_by("name"))
            return schools, modules_for_schools(user, schools)

        cached = request._schoolpoort_modules = (user, cached_for_user(user, "modules", read))
    return cached[1]


def usable_school_ids(modules: list[SchoolModules], module: str) -> list[int]:
    """The schools among ``modules`` (``request_modules``) where ``module`` is usable for the user:
    the plain-list form of ``usable_module_school_ids``; no query."""
    return sorted(m.school.pk for m in modules if any(state.info.code == module for state in m.usable))


def require_module(user, school, module: str, today: datetime.date | None = None) -> None:
    """404 unless ``module`` is usable for ``user`` at ``school``."""
    (state,) = [s for s in modules_for_schools(user, [school], today)[0].usable if s.info.code == module] or [None]
    if state is None:
        raise Http404


# --- Roles, for deciding what a page offers (never a substitute for visible_to) -----------------


@dataclass(frozen=True)
class Roles:
    board_ids: frozenset[int] = frozenset()
    board_school_ids: frozenset[int] = frozenset()
    school_roles: dict[int, frozenset[str]] = field(default_factory=dict)
    is_guardian: bool = False
    staff_school_boards: dict[int, int] = field(default_factory=dict)  # board of each school in school_roles

    @property
    def is_staff(self) -> bool:
        return bool(self.board_ids or self.school_roles)

    def is_staff_at(self, school) -> bool:
        return school.pk in self.board_school_ids or school.pk in self.school_roles

    def has_role(self, school, *roles: str) -> bool:
        return bool(self.school_roles.get(school.pk, frozenset()) & set(roles))

    def manages(self, school) -> bool:
        """Director or board admin: switches modules, sees the whole school."""
        return school.pk in self.board_school_ids or self.has_role(school, "director")

    def administers(self, school) -> bool:
        """Administration, director or board admin: guardians, registration, imports."""
        return school.pk in self.board_school_ids or self.has_role(school, "director", "administration")


def roles_of(user) -> Roles:
    """The user's roles: three small queries, read once per user object (kept on it) and across
    requests from the reach cache (``cached_for_user``)."""
    if not _is_signed_in(user):
        return Roles()
    cached = getattr(user, "_schoolpoort_roles", None)
    if cached is None:
        if _today_cache_on(None):
            cached = _access_of(user).roles  # the cached reach holds the roles
        else:
            cached = _read_roles(user)
        user._schoolpoort_roles = cached
    return cached


def _read_roles(user) -> Roles:
    board_rows = list(
        _model("BoardMembership").objects.filter(user=user).values_list("board_id", "board__schools__pk")
    )
    school_roles: dict[int, set[str]] = {}
    staff_school_boards: dict[int, int] = {}
    memberships = _model("StaffMembership").objects.filter(user=user)
    for school_id, role, board_id in memberships.values_list("school_id", "role", "school__board_id"):
        school_roles.setdefault(school_id, set()).add(role)
        staff_school_boards[school_id] = board_id
    is_guardian = _model("Guardianship").objects.filter(user=user, student__archived_at__isnull=True).exists()
    return Roles(
        board_ids=frozenset(board for board, _ in board_rows),
        board_school_ids=frozenset(school for _, school in board_rows if school is not None),
        school_roles={k: frozenset(v) for k, v in school_roles.items()},
        is_guardian=is_guardian,
        staff_school_boards=staff_school_boards,
    )


# --- Reach: the same building blocks as plain id sets, read once per request --------------------


@dataclass(frozen=True)
class Reach:
    """What a user reaches, as plain sets of ids read at one moment: the values of the subqueries
    above (``guardian_student_ids``, ``guardian_group_ids``, ``managed_school_ids`` …).

    For list pages over large tables (50,000 news posts of a board): a filter on ``IN (1, 2, 3)``
    lets PostgreSQL walk an ordered index and stop after one page, where the subqueries are
    evaluated against every candidate row. A snapshot, read once per request (``request_reach``)
    and kept across requests only in the reach cache (``cached_for_user``), whose versions every
    change in access bumps: a leaver archived must show on the next page. Rules read it through
    ``ReachIds`` (see ``AccessIds``)."""

    roles: Roles
    child_ids: frozenset[int] = frozenset()  # guardian: own children, leavers excluded
    child_school_ids: frozenset[int] = frozenset()
    child_group_ids: frozenset[int] = frozenset()  # current groups, where the guardian sees class pages
    taught_group_ids: frozenset[int] = frozenset()  # current groups
    school_boards: dict[int, int] = field(default_factory=dict)  # board of every school above
    child_all_group_ids: frozenset[int] = frozenset()  # current groups, class pages or not
    class_page_school_ids: frozenset[int] = frozenset()  # schools of the children whose class pages they see

    @property
    def staff_school_ids(self) -> frozenset[int]:
        return frozenset(self.roles.school_roles)

    @property
    def managed_school_ids(self) -> frozenset[int]:
        admin = {school for school, roles in self.roles.school_roles.items() if roles & set(ADMIN_ROLES)}
        return self.roles.board_school_ids | admin

    @property
    def member_board_ids(self) -> frozenset[int]:
        return self.roles.board_ids

    def boards_of(self, school_ids) -> set[int]:
        return {self.school_boards[pk] for pk in school_ids if pk in self.school_boards}


def reach_of(user, today: datetime.date | None = None) -> Reach:
    """The user's reach now: three small queries beside ``roles_of``'s three, whatever the number
    of children, groups or schools; none when the reach cache holds it (``cached_for_user``)."""
    if not _is_signed_in(user):
        return Reach(Roles())
    if _today_cache_on(today):
        return _access_of(user)
    return _read_reach(user, roles_of(user), today)


def _access_of(user) -> Reach:
    """Today's reach of ``user`` (with its roles) from the reach cache, read when missing; kept
    on the user object, so that its roles are the very ``roles_of(user)``."""
    access = getattr(user, "_schoolpoort_access", None)
    if access is None:
        def read() -> Reach:
            return _read_reach(user, _read_roles(user), None)

        access = user._schoolpoort_access = cached_for_user(user, "reach", read)
    return access


def _read_reach(user, roles: Roles, today: datetime.date | None) -> Reach:
    children = list(
        _model("Guardianship")
        .objects.filter(user=user, student__archived_at__isnull=True)
        .values_list("student_id", "student__school_id", "student__school__board_id", "sees_class_pages")
    )
    class_pages = {student for student, _, _, sees in children if sees}
    # The children's current groups in one query; those of class pages are ``guardian_group_ids``.
    enrolled = list(
        _model("Enrollment")
        .objects.filter(student_id__in=guardian_student_ids(user), group__in=_model("Group").objects.current(today))
        .values_list("group_id", "student_id")
    )
    taught = set(taught_group_ids(user, today).values_list("pk", flat=True))
    school_boards = {**roles.staff_school_boards, **{school: board for _, school, board, _ in children}}
    return Reach(
        roles=roles,
        child_ids=frozenset(student for student, _, _, _ in children),
        child_school_ids=frozenset(school for _, school, _, _ in children),
        child_group_ids=frozenset(group for group, student in enrolled if student in class_pages),
        taught_group_ids=frozenset(taught),
        school_boards=school_boards,
        child_all_group_ids=frozenset(group for group, _ in enrolled),
        class_page_school_ids=frozenset(school for _, school, _, sees in children if sees),
    )


def request_reach(request) -> Reach:
    """``reach_of(request.user)``, read once per request (from the reach cache when it holds it)."""
    reach = getattr(request, "_schoolpoort_reach", None)
    user = request.user
    if reach is None or getattr(request, "_schoolpoort_reach_user", None) is not user:  # a login since
        reach = request._schoolpoort_reach = reach_of(user)
        request._schoolpoort_reach_user = user
    return reach


# --- The reach across requests: cached per user under versions that every change bumps --------
#
# A stale reach is a leak, so the rule is simple and errs towards reading again:
# - a cached value's key holds two versions (core/versions.py), everyone's and the user's own,
#   and today's date (groups are "current" by date, closures by day);
# - a change of one user's access (their guardianships, staff or board memberships, the
#   class-page setting of their guardianship, their children's pupils and enrollments) bumps that
#   user's version; a change of a school's (module switches and closures, groups and their
#   teachers, school years, schools) bumps everyone's. core/signals.py bumps on save, delete and
#   m2m changes; code that writes these rows around the signals (``queryset.update()``,
#   ``bulk_create``) calls ``reach_changed`` itself;
# - the versions live where every process sees them, while the values may live per process
#   (``default``: memory).
# ``REACH_CACHE_SECONDS = 0`` switches the cache off.


def _cache_seconds() -> int:
    return int(getattr(settings, "REACH_CACHE_SECONDS", 300))


def reach_cache_on() -> bool:
    return _cache_seconds() > 0


def _today_cache_on(today: datetime.date | None) -> bool:
    return reach_cache_on() and (today is None or today == _today())


EVERYONE = "reach:v:all"


def _user_version_key(user_id) -> str:
    return f"reach:v:user:{user_id}"


def _versions(user) -> str:
    """Everyone's version and the user's, one read of the shared cache, which also reads the
    versions of the content topics (for ``cached_part``) and keeps them on the user (the request's)."""
    keys = [EVERYONE, _user_version_key(user.pk)]
    found = versions.tokens(keys + versions.content_keys(user.pk))
    user._schoolpoort_content_versions = found
    return ".".join(found[key] for key in keys)


def reach_changed(users: Iterable | None = None) -> None:
    """Drop the cached reach of ``users`` (users or user ids), or of everyone when None: the
    next request of each reads it again. Call it after writing access rows around the signals
    (``update()``, ``bulk_create``); see core/signals.py for what counts. Within a transaction
    each version is bumped once at once and once more on commit, however many rows change."""
    if users is None:
        versions.bump([EVERYONE])
        return
    ids = {getattr(user, "pk", user) for user in users}
    versions.bump(sorted(_user_version_key(pk) for pk in ids if pk is not None))


def _reach_prefix(user) -> str:
    prefix = getattr(user, "_schoolpoort_reach_prefix", None)
    if prefix is None:
        prefix = user._schoolpoort_reach_prefix = f"reach:{user.pk}:{_versions(user)}:{_today().isoformat()}"
    return prefix


def cached_for_user(user, name: str, read: Callable[[], object]):
    """``read()``, kept across requests per user under the reach's versions and today's date (see
    above): for what follows from the user's access alone (their roles, reach, schools and module
    states, children). ``read`` may only read what a bump covers."""
    seconds = _cache_seconds()
    if seconds <= 0 or not _is_signed_in(user):
        return read()
    cache = caches["default"]
    key = f"{_reach_prefix(user)}:{name}"
    value = cache.get(key)
    if value is None:
        value = read()
        cache.set(key, value, seconds)
    return value


def cached_part(
    user,
    name: str,
    read: Callable[[], tuple[object, datetime.datetime | None]],
    *,
    topics: Iterable[str],
    own: Iterable[str] = (),
):
    """A part of a page (say the feed's rendered cards), kept across requests per user under the
    reach's versions and those of the content ``topics`` it shows (``versions.content_changed``),
    everyone's and, for the ``own`` topics, the user's own.
    ``read()`` returns (value, the moment it stops being true without any write, or None): a
    scheduled post comes out by the clock alone. ``name`` holds whatever else the value depends on
    (the page number, the language)."""
    seconds = _cache_seconds()
    if seconds <= 0 or not _is_signed_in(user):
        return read()[0]
    cache = caches["default"]
    prefix = _reach_prefix(user)  # read with the topics' versions
    key = f"{prefix}:{versions.content_tokens(topics, own, user.pk, user._schoolpoort_content_versions)}:{name}"
    found = cache.get(key)
    now = timezone.now()
    if found is not None and (found[1] is None or now < found[1]):
        return found[0]
    value, until = read()
    lasts = seconds if until is None else min(seconds, int((until - now).total_seconds()))
    if lasts > 0:
        cache.set(key, (value, until), lasts)
    return value


def for_groups_q(model: type[Model], group_ids) -> Q:
    """Rows of ``model`` whose audience (its ``groups``) includes one of ``group_ids``, a subquery or a
    plain list: a test on the through table, no join (no duplicate rows); nothing for an empty list."""
    if isinstance(group_ids, list) and not group_ids:
        return NOTHING
    field = model._meta.get_field("groups")
    through = field.remote_field.through
    return Q(pk__in=through.objects.filter(group_id__in=group_ids).values(field.m2m_field_name() + "_id"))


# --- Id sources: what a module's one visibility builder is written against ----------------------


class AccessIds:
    """The ids a module's visibility rule is built from, under one set of names. Each module writes
    its rule once, as a function of an ``AccessIds``; two kinds exist:

    - ``SubqueryIds(user)``: every id set is a subquery, so ``Model.objects.visible_to(user)`` is
      one SQL query that is always current (workers, the API, single objects);
    - ``ReachIds(user, reach, modules)``: the same sets as sorted plain lists, read once per request, for
      list pages over large tables where PostgreSQL plans ``IN (1, 2, 3)`` far better than
      subqueries (see ``Reach``).

    Every value fits the right-hand side of an ``__in`` lookup. ``both``, ``either`` and
    ``boards_of`` combine school id sets without leaving the kind (a subquery or a list)."""

    user = None
    children = ()  # the guardian's current children (leavers excluded)
    child_schools = ()
    child_groups = ()  # the children's current groups, where the school lets the guardian see class pages
    child_all_groups = ()  # the children's current groups, class pages or not
    class_page_schools = ()  # schools of the children whose class pages the school lets the guardian see
    taught_groups = ()  # groups the user teaches this school year
    staff_schools = ()  # schools with any staff role of the user
    managed_schools = ()  # board admin, director, administration: the whole school
    board_schools = ()  # schools of the user's boards
    member_boards = ()  # boards the user is admin of

    @property
    def signed_in(self) -> bool:
        return _is_signed_in(self.user)

    def open_schools(self, module: str):
        """Schools where ``module`` is switched on and not closed today: what guardians may see."""
        raise NotImplementedError

    def switched_on_schools(self, module: str):
        """Schools where ``module`` is switched on: what staff may see (closed periods or not)."""
        raise NotImplementedError

    def both(self, schools, other):
        raise NotImplementedError

    def either(self, schools, other):
        raise NotImplementedError

    def boards_of(self, schools):
        raise NotImplementedError


class SubqueryIds(AccessIds):
    """The user's ids as subqueries (the building blocks above)."""

    def __init__(self, user, today: datetime.date | None = None):
        self.user = user
        self.today = today
        if not _is_signed_in(user):
            return  # the empty sets of ``AccessIds``: nobody reaches nothing
        self.children = guardian_student_ids(user)
        self.child_schools = guardian_school_ids(user)
        self.child_groups = guardian_group_ids(user, today)
        self.child_all_groups = (
            _model("Enrollment")
            .objects.filter(student_id__in=self.children, group__in=_model("Group").objects.current(today))
            .values("group_id")
        )
        self.class_page_schools = (
            _model("Guardianship")
            .objects.filter(user=user, sees_class_pages=True, student__archived_at__isnull=True)
            .values("student__school_id")
        )
        self.taught_groups = taught_group_ids(user, today)
        self.staff_schools = staff_school_ids(user)
        self.managed_schools = managed_school_ids(user)
        self.board_schools = board_school_ids(user)
        self.member_boards = _model("BoardMembership").objects.filter(user=user).values("board_id")

    def open_schools(self, module: str):
        return open_module_school_ids(module, self.today)

    def switched_on_schools(self, module: str):
        return switched_on_module_school_ids(module)

    def both(self, schools, other):
        return _model("School").objects.filter(pk__in=schools).filter(pk__in=other).values("pk")

    def either(self, schools, other):
        return _model("School").objects.filter(Q(pk__in=schools) | Q(pk__in=other)).values("pk")

    def boards_of(self, schools):
        return _model("School").objects.filter(pk__in=schools).values("board_id")


class ReachIds(AccessIds):
    """The request's ``Reach`` as sorted plain lists; where a module is open or switched on comes
    from ``modules``, the ``SchoolModules`` of every school the user sees (``modules_for_schools``,
    the home page's ``overview.modules``), so no query is made here."""

    def __init__(self, user, reach: Reach, modules):
        self.user = user
        self.reach = reach
        self.modules = list(modules)
        self.children = sorted(reach.child_ids)
        self.child_schools = sorted(reach.child_school_ids)
        self.child_groups = sorted(reach.child_group_ids)
        self.child_all_groups = sorted(reach.child_all_group_ids)
        self.class_page_schools = sorted(reach.class_page_school_ids)
        self.taught_groups = sorted(reach.taught_group_ids)
        self.staff_schools = sorted(reach.staff_school_ids)
        self.managed_schools = sorted(reach.managed_school_ids)
        self.board_schools = sorted(reach.roles.board_school_ids)
        self.member_boards = sorted(reach.member_board_ids)
        self._boards = {**{m.school.pk: m.school.board_id for m in self.modules}, **reach.school_boards}

    def _states(self, module: str):
        return [(m.school.pk, s) for m in self.modules for s in m.states if s.info.code == module]

    def open_schools(self, module: str):
        return sorted(school for school, state in self._states(module) if state.is_open)

    def switched_on_schools(self, module: str):
        return sorted(school for school, state in self._states(module) if state.enabled)

    def both(self, schools, other):
        return sorted(set(schools) & set(other))

    def either(self, schools, other):
        return sorted(set(schools) | set(other))

    def boards_of(self, schools):
        return sorted({self._boards[pk] for pk in schools if pk in self._boards})

    def board_of(self, school_id: int) -> int | None:
        return self._boards.get(school_id)


def request_ids(request) -> ReachIds:
    """The request's ``ReachIds``: its reach and its schools' module states, read once per request
    and kept across requests under the reach's versions; no query when they are kept."""
    ids = getattr(request, "_schoolpoort_ids", None)
    if ids is None or ids.user is not request.user:  # a login since
        ids = request._schoolpoort_ids = ReachIds(request.user, request_reach(request), request_modules(request)[1])
    return ids


def get_in_reach_or_404(request, queryset: QuerySet, rule: Callable[[AccessIds], Q], **lookup) -> Model:
    """``get_visible_or_404`` on the hot path: the object through the module's own rule (the one
    its ``visible_to`` is built from), read with the request's plain id lists instead of the
    subqueries. For the pages a whole school opens at once (a round opening, a sign-up rush), where
    the subqueries cost more than the rest of the page."""
    try:
        return queryset.filter(rule(request_ids(request))).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
