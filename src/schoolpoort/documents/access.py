"""Who may see a shelf, its documents and their versions, built from the building blocks of
``core.access``. One SQL query each: every branch is a subquery of ids.

- guardian, where documents is open at the school (switched on and not closed today):
  - school shelves of the schools of their children;
  - group shelves of their children's current groups (only where the school lets that guardian
    see class pages);
  - named shelves (a letter for one family) where one of their own guardian links is named;
    such a letter reaches a guardian who is kept from class pages too: it is addressed to them;
- staff, where documents is switched on at the school (closed or not):
  - administration, director and board admin: every shelf of their schools, named ones too;
  - teacher: the school shelves of their schools and the shelves for a group they teach this
    school year; not the named letters (a letter to one family is between the family and the
    school's office, even when the child is in the teacher's group; the school can make a
    shelf for the group when the whole group should have it).
- the versions of a document: staff who see the shelf through their role see every version
  (the history); guardians only the current one.
Nothing else exists for anyone: the views answer 404."""

from __future__ import annotations

from django.apps import apps
from django.db.models import F, Q, QuerySet

from schoolpoort.core.access import (
    NOTHING,
    guardian_group_ids,
    guardian_school_ids,
    managed_school_ids,
    open_module_school_ids,
    staff_school_ids,
    switched_on_module_school_ids,
    taught_group_ids,
)

MODULE = "documents"


def _model(label: str):
    return apps.get_model(label)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def switched_on_school_ids() -> QuerySet:
    """Schools where the module is switched on (closed periods do not matter to staff)."""
    return switched_on_module_school_ids(MODULE)


def _shelves_for_groups(group_ids) -> QuerySet:
    return _model("documents.Shelf").groups.through.objects.filter(group_id__in=group_ids).values("shelf_id")


def _shelves_naming(user) -> QuerySet:
    """Named shelves through one of the user's own guardian links of a pupil still at school."""
    return (
        _model("documents.Shelf")
        .guardianships.through.objects.filter(
            guardianship__user=user, guardianship__student__archived_at__isnull=True
        )
        .values("shelf_id")
    )


def guardian_shelf_q(user) -> Q:
    return Q(school_id__in=open_module_school_ids(MODULE)) & (
        Q(audience="school", school_id__in=guardian_school_ids(user))
        | Q(audience="groups", pk__in=_shelves_for_groups(guardian_group_ids(user)))
        | Q(audience="guardians", pk__in=_shelves_naming(user))
    )


def staff_shelf_q(user) -> Q:
    return Q(school_id__in=switched_on_school_ids()) & (
        Q(school_id__in=managed_school_ids(user))
        | Q(audience="school", school_id__in=staff_school_ids(user))
        | Q(audience="groups", pk__in=_shelves_for_groups(taught_group_ids(user)))
    )


def shelf_q(user) -> Q:
    if not _signed_in(user):
        return NOTHING
    return guardian_shelf_q(user) | staff_shelf_q(user)


def _shelf_ids(q: Q) -> QuerySet:
    return _model("documents.Shelf").objects.filter(q).values("pk")


def document_q(user) -> Q:
    if not _signed_in(user):
        return NOTHING
    return Q(shelf_id__in=_shelf_ids(shelf_q(user)))


def version_q(user) -> Q:
    if not _signed_in(user):
        return NOTHING
    return Q(document__shelf_id__in=_shelf_ids(staff_shelf_q(user))) | Q(
        document__shelf_id__in=_shelf_ids(guardian_shelf_q(user)), pk=F("document__current_version_id")
    )
