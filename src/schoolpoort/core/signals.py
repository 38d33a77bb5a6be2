"""What bumps the reach cache (core.access, ``cached_for_user``): every save and delete of a row
that decides who reaches what. A change of one user's access bumps that user's version (their
guardianships, including the class-page setting, staff and board memberships; the pupils,
enrollments and image consent answers of their children); a change of a school's bumps everyone's (module switches and
closures, groups and their teachers, school years, schools). Code that writes these rows around
the signals (``queryset.update()``, ``bulk_create``, ``bulk_update``) calls
``access.reach_changed(...)`` itself. A delete bumps everyone's (one bump however many rows).

Image tags and consent answers also bump the "images" content version (``versions.content_changed``):
which photos other families see follows from them, and cached page parts count or show photos."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .access import reach_changed
from .consent_models import ImageTag
from .models import (
    Board,
    BoardMembership,
    Consent,
    Enrollment,
    Group,
    Guardianship,
    ModuleClosure,
    ModuleSwitch,
    School,
    SchoolYear,
    StaffMembership,
    Student,
)
from .versions import bump_on_writes

EVERYONES = (Board, School, SchoolYear, Group, ModuleSwitch, ModuleClosure)


def _guardians_of(student_ids) -> list[int]:
    return list(
        Guardianship.objects.filter(student_id__in=student_ids, user__isnull=False).values_list("user_id", flat=True)
    )


def _everyone(sender, **kwargs) -> None:
    reach_changed()


def _remember_user(sender, instance, **kwargs) -> None:
    """The user a row belonged to before this save (a guardianship moved to another account)."""
    if instance.pk is not None and not instance._state.adding:
        before = sender._base_manager.filter(pk=instance.pk).values_list("user_id", flat=True)
        instance._reach_user_before = before.first()


def _users_row(sender, instance, **kwargs) -> None:
    reach_changed([instance.user_id, getattr(instance, "_reach_user_before", None)])


def _students_row(sender, instance, **kwargs) -> None:
    student_id = instance.pk if sender is Student else instance.student_id  # Enrollment, Consent
    reach_changed(_guardians_of([student_id]))


def _enrollments_changed(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        reach_changed()


def _teachers_changed(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        reach_changed()


def connect() -> None:
    for model in EVERYONES:
        post_save.connect(_everyone, sender=model, dispatch_uid=f"reach-save-{model.__name__}")
        post_delete.connect(_everyone, sender=model, dispatch_uid=f"reach-delete-{model.__name__}")
    for model in (Guardianship, StaffMembership, BoardMembership):
        pre_save.connect(_remember_user, sender=model, dispatch_uid=f"reach-before-{model.__name__}")
        post_save.connect(_users_row, sender=model, dispatch_uid=f"reach-save-{model.__name__}")
    for model in (Student, Enrollment, Consent):
        post_save.connect(_students_row, sender=model, dispatch_uid=f"reach-save-{model.__name__}")
    # A delete bumps everyone: no query per row, and a delete of many rows (a cascade, the
    # retention sweep, the demo's reset) bumps once per transaction.
    for model in (Guardianship, StaffMembership, BoardMembership, Student, Enrollment, Consent):
        post_delete.connect(_everyone, sender=model, dispatch_uid=f"reach-delete-{model.__name__}")
    bump_on_writes("images", models=(Consent, ImageTag))
    m2m_changed.connect(_enrollments_changed, sender=Student.groups.through, dispatch_uid="reach-enrollments")
    m2m_changed.connect(_teachers_changed, sender=Group.teachers.through, dispatch_uid="reach-teachers")
