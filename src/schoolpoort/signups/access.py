"""Who sees which sign-up form and which school square post. Each rule is written once against
``core.access.AccessIds``: ``visible_to(user)`` reads it with subqueries (one SQL query each), the
form's own page with the request's plain id lists. Forms and square posts share the rule:

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
from django.db.models import Q

from schoolpoort.core.access import (
    NOTHING,
    AccessIds,
    SubqueryIds,
    for_groups_q,
    roles_of,
)

MODULE = "signups"


def _model(name: str):
    return apps.get_model("signups", name)


def _is_signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _audience_q(model: str, group_ids, school_ids) -> Q:
    in_groups = Q(audience="groups") & for_groups_q(_model(model), group_ids)
    return Q(audience="school", school_id__in=school_ids) | in_groups


def _guardian_q(ids: AccessIds, model: str) -> Q:
    return _audience_q(model, ids.child_groups, ids.child_schools) & Q(school_id__in=ids.open_schools(MODULE))


def _staff_q(ids: AccessIds, model: str, author_field: str) -> Q:
    staff_schools = ids.staff_schools
    return (
        Q(school_id__in=ids.managed_schools)
        | Q(**{author_field: ids.user}, school_id__in=staff_schools)
        | Q(audience="school", school_id__in=staff_schools)
        | (Q(audience="groups", school_id__in=staff_schools) & for_groups_q(_model(model), ids.taught_groups))
    ) & Q(school_id__in=ids.switched_on_schools(MODULE))


def guardian_form_q(ids: AccessIds) -> Q:
    """The forms the user may answer as a guardian."""
    if not ids.signed_in:
        return NOTHING
    return Q(published_at__isnull=False) & _guardian_q(ids, "Form")


def form_q(ids: AccessIds) -> Q:
    if not ids.signed_in:
        return NOTHING
    published = Q(published_at__isnull=False)
    staff = _staff_q(ids, "Form", "created_by")
    # A teacher sees a school-wide draft only when they made it (or run the school).
    staff &= published | ~Q(audience="school") | Q(created_by=ids.user) | Q(school_id__in=ids.managed_schools)
    return guardian_form_q(ids) | staff


def square_post_q(ids: AccessIds) -> Q:
    if not ids.signed_in:
        return NOTHING
    return _guardian_q(ids, "SquarePost") | _staff_q(ids, "SquarePost", "author")


def visible_form_q(user) -> Q:
    """``form_q`` for ``Form.objects.visible_to(user)``: one SQL query, always current."""
    return form_q(SubqueryIds(user))


def visible_guardian_form_q(user) -> Q:
    return guardian_form_q(SubqueryIds(user))


def visible_square_post_q(user) -> Q:
    return square_post_q(SubqueryIds(user))


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
