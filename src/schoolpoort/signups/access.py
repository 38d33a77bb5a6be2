"""Who sees which sign-up form and which school square post, composed from the building blocks of
``core.access`` (one SQL query each: subqueries only). Forms and square posts share the rule:

- a guardian: published forms (every square post) for the school of one of their children, or for
  a current group of one of their children (where the school lets them see class pages), where the
  module is open at that school (switched on and not closed for a period);
- a teacher: school-wide ones of their schools once published, the ones for groups they teach
  (drafts too: they manage those), and their own;
- director and administration: every one of their school; a board admin: of the board's schools.
For staff only where the module is switched on.

What a page offers beyond seeing (``manages``: edit, publish, results, export, remind, moderate)
is decided here too; never a substitute for ``visible_to``."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q, QuerySet

from schoolpoort.core.access import (
    NOTHING,
    guardian_group_ids,
    guardian_school_ids,
    managed_school_ids,
    open_module_school_ids,
    roles_of,
    staff_school_ids,
    switched_on_module_school_ids,
    taught_group_ids,
)

MODULE = "signups"


def _model(name: str):
    return apps.get_model("signups", name)


def _is_signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def switched_on_school_ids() -> QuerySet:
    """Schools where the module is switched on (closed periods do not matter to staff)."""
    return switched_on_module_school_ids(MODULE)


def _of_groups(model: str, group_ids) -> QuerySet:
    """Ids of forms or posts whose audience includes one of ``group_ids`` (no join: no duplicates)."""
    through = _model(model).groups.through
    column = f"{through._meta.get_field('form' if model == 'Form' else 'squarepost').attname}"
    return through.objects.filter(group_id__in=group_ids).values(column)


def _audience_q(user, model: str, group_ids, school_ids) -> Q:
    return Q(audience="school", school_id__in=school_ids) | Q(
        audience="groups", pk__in=_of_groups(model, group_ids)
    )


def _guardian_q(user, model: str) -> Q:
    return _audience_q(user, model, guardian_group_ids(user), guardian_school_ids(user)) & Q(
        school_id__in=open_module_school_ids(MODULE)
    )


def _staff_q(user, model: str, author_field: str) -> Q:
    staff_schools = staff_school_ids(user)
    return (
        Q(school_id__in=managed_school_ids(user))
        | Q(**{author_field: user}, school_id__in=staff_schools)
        | Q(audience="school", school_id__in=staff_schools)
        | Q(audience="groups", pk__in=_of_groups(model, taught_group_ids(user)), school_id__in=staff_schools)
    ) & Q(school_id__in=switched_on_school_ids())


def guardian_form_q(user) -> Q:
    """The forms the user may answer as a guardian."""
    if not _is_signed_in(user):
        return NOTHING
    return Q(published_at__isnull=False) & _guardian_q(user, "Form")


def form_q(user) -> Q:
    if not _is_signed_in(user):
        return NOTHING
    published = Q(published_at__isnull=False)
    staff = _staff_q(user, "Form", "created_by")
    # A teacher sees a school-wide draft only when they made it (or run the school).
    staff &= published | ~Q(audience="school") | Q(created_by=user) | Q(school_id__in=managed_school_ids(user))
    return guardian_form_q(user) | staff


def square_post_q(user) -> Q:
    if not _is_signed_in(user):
        return NOTHING
    return _guardian_q(user, "SquarePost") | _staff_q(user, "SquarePost", "author")


# --- What a page offers (never a substitute for visible_to) ---------------------------------------


def manages(user, item, group_ids=None) -> bool:
    """Edit, publish, see the results, export, remind (forms); moderate (square posts). The
    school's administration, director and board admins; the staff member who made it while still
    staff there; a teacher of one of its groups. ``item`` is a Form or SquarePost the user can see
    (its groups prefetched, or their ids given)."""
    if not _is_signed_in(user):
        return False
    roles = roles_of(user)
    if roles.administers(item.school):
        return True
    if not roles.is_staff_at(item.school):
        return False
    author_id = getattr(item, "created_by_id", None) or getattr(item, "author_id", None)
    if author_id == user.pk:
        return True
    if item.audience != "groups":
        return False
    if group_ids is None:
        group_ids = {group.pk for group in item.groups.all()}
    taught = apps.get_model("core", "Group").objects.current().filter(teachers=user, pk__in=list(group_ids))
    return taught.exists()
