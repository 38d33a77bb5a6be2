"""ONE planner: the normalised data of one school (``SchoolData``) against the database.

``plan_school`` reads what it needs in a fixed number of queries (dictionaries keyed on the
administration's keys), whatever the number of pupils, and returns a ``SchoolPlan``: what will
be added, changed, moved to another group, archived as a leaver, and every error. It writes
nothing; ``applier.apply_plan`` does, inside the transaction in which the plan was made.

Rules:
- a pupil is the same pupil when the pupil number is the same (Student.sis_id per school); a
  group move within the year moves the enrollment; a group in a new school year adds an
  enrollment beside the old one: the Student row, accounts, guardianships and history stay;
- a pupil missing from a full file (EDEXML, OneRoster) is a leaver: archived, never deleted;
  a leaver who is in the file again comes back;
- pupils without a pupil number (made by hand) are left alone;
- guardian slots are matched on (pupil, e-mail), else (pupil, name); a slot with an account is
  never removed; a slot without one that the file no longer lists for that pupil is removed.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from schoolpoort.core.models import (
    Enrollment,
    Group,
    Guardianship,
    School,
    SchoolYear,
    StaffMembership,
    Student,
)
from schoolpoort.lib.csv import RowError

from .dataset import SchoolData, SisGroup, SisGuardian, SisStudent, SisTeacher


@dataclass
class Change:
    """One row of the dry run: who, and for changes the fields with old → new."""

    key: str
    name: str
    line: int = 0
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)


@dataclass
class SchoolPlan:
    school: School
    school_year_name: str
    school_year: SchoolYear | None  # None: the year does not exist yet and is made on apply
    full: bool
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    # What the applier needs (model instances and keys) ...
    new_groups: list[SisGroup] = field(default_factory=list)
    changed_groups: list[Group] = field(default_factory=list)
    new_students: list[SisStudent] = field(default_factory=list)
    changed_students: list[Student] = field(default_factory=list)
    moves: list[tuple[str, Enrollment | None, str]] = field(default_factory=list)  # (pupil, same-year row, group)
    archive: list[Student] = field(default_factory=list)
    new_teachers: list[SisTeacher] = field(default_factory=list)
    new_memberships: list[str] = field(default_factory=list)  # e-mail addresses
    links_added: list[tuple[str, str]] = field(default_factory=list)  # (group key, e-mail)
    links_removed: list[tuple[int, int]] = field(default_factory=list)  # (group id, user id)
    new_guardians: list[SisGuardian] = field(default_factory=list)
    changed_guardians: list[Guardianship] = field(default_factory=list)
    removed_guardians: list[Guardianship] = field(default_factory=list)
    # ... and what the dry run shows.
    shown: dict[str, list[Change]] = field(default_factory=dict)

    SECTIONS = (
        "groups",
        "added",
        "changed",
        "moved",
        "archived",
        "returned",
        "teachers",
        "guardians_added",
        "guardians_changed",
        "guardians_removed",
    )

    def section(self, name: str) -> list[Change]:
        return self.shown.setdefault(name, [])

    @property
    def counts(self) -> dict[str, int]:
        counts = {name: len(self.shown.get(name, [])) for name in self.SECTIONS}
        counts["errors"] = len(self.errors)
        counts["warnings"] = len(self.warnings)
        return counts

    @property
    def is_empty(self) -> bool:
        return not any(self.shown.get(name) for name in self.SECTIONS)

    def digest(self) -> str:
        """A fingerprint of what would change: if it differs at confirmation, the data changed."""
        content = {name: [(c.key, c.line, c.changes) for c in self.shown.get(name, [])] for name in self.SECTIONS}
        content["errors"] = [(e.source, e.line, e.message) for e in self.errors]
        content["year"] = self.school_year_name
        return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def school_year_name_for(day: datetime.date) -> str:
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}"


def _group_label(group: Group | None) -> str:
    if group is None:
        return "—"
    return f"{group.name} ({group.school_year.name})"


def plan_school(school: School, data: SchoolData, *, today: datetime.date | None = None) -> SchoolPlan:
    today = today or timezone.localdate()
    year_name = data.school_year or school_year_name_for(today)
    year = SchoolYear.objects.filter(name=year_name).first()
    plan = SchoolPlan(school=school, school_year_name=year_name, school_year=year, full=data.full)
    source = data.source
    if year_name < school_year_name_for(today) and (data.full or data.groups):
        # An old export by mistake would archive this year's pupils as leavers.
        plan.errors.append(
            RowError(1, _("This file is for school year %(year)s, which has ended.") % {"year": year_name}, "")
        )
        return plan

    if data.full or data.groups or data.students:
        _plan_groups_and_students(plan, school, data, year, source)
    if data.teachers:
        _plan_teachers(plan, school, data, year)
    if data.guardians is not None:
        _plan_guardians(plan, school, data, source)
    plan.errors.sort(key=lambda e: (e.source, e.line))
    return plan


# --- Groups and pupils ------------------------------------------------------------------------


def _plan_groups_and_students(plan, school, data, year, source) -> None:
    # Query 1: this year's groups of the school.
    groups = list(Group.objects.filter(school=school, school_year=year).select_related("school_year")) if year else []
    by_key = {g.sis_id: g for g in groups if g.sis_id}
    by_name = {g.name.lower(): g for g in groups}
    group_for_key: dict[str, Group | None] = {}  # file key → existing group (None: new)
    for sis_group in data.groups:
        group = by_key.get(sis_group.key) or by_name.get(sis_group.name.lower())
        group_for_key[sis_group.key] = group
        if group is None:
            plan.new_groups.append(sis_group)
            plan.section("groups").append(
                Change(sis_group.key, sis_group.name, sis_group.line, [(_("new group"), "", sis_group.grades)])
            )
            continue
        changes = []
        for attr, label, new in (
            ("name", _("name"), sis_group.name),
            ("grades", _("grades"), sis_group.grades),
            ("sis_id", _("administration key"), sis_group.key),
        ):
            old = getattr(group, attr)
            if new and old != new:
                changes.append((label, old, new))
                setattr(group, attr, new)
        if changes:
            plan.changed_groups.append(group)
            plan.section("groups").append(Change(sis_group.key, sis_group.name, sis_group.line, changes))
    group_names = {g.key: g.name for g in data.groups}

    # Query 2: every pupil of the school with a pupil number, leavers included.
    students = {s.sis_id: s for s in Student.objects.filter(school=school).exclude(sis_id="")}
    # Query 3: their enrollments, newest school year first, to see where each pupil is now.
    current: dict[int, Enrollment] = {}
    for enrollment in (
        Enrollment.objects.filter(student__school=school)
        .select_related("group__school_year")
        .order_by("student_id", "-group__school_year__starts_on", "-pk")
    ):
        current.setdefault(enrollment.student_id, enrollment)

    now = timezone.now()
    seen = set()
    for sis in data.students:
        seen.add(sis.key)
        student = students.get(sis.key)
        name = " ".join(p for p in (sis.first_name, sis.infix, sis.last_name) if p)
        if student is None:
            plan.new_students.append(sis)
            plan.section("added").append(
                Change(sis.key, name, sis.line, [(_("group"), "", group_names.get(sis.group_key, "—"))])
            )
            continue
        changes = []
        for attr, label, new in (
            ("first_name", _("first name"), sis.first_name),
            ("infix", _("infix"), sis.infix),
            ("last_name", _("last name"), sis.last_name),
            ("date_of_birth", _("date of birth"), sis.date_of_birth),
        ):
            old = getattr(student, attr)
            if attr == "date_of_birth" and new is None:
                continue  # a file without dates of birth does not erase them
            if old != new:
                changes.append((label, str(old or ""), str(new or "")))
                setattr(student, attr, new)
        if student.archived_at is not None:
            plan.section("returned").append(Change(sis.key, name, sis.line))
            student.archived_at = None
            plan.changed_students.append(student)
        elif changes:
            plan.changed_students.append(student)
        if changes:
            plan.section("changed").append(Change(sis.key, name, sis.line, changes))

        if not sis.group_key:
            continue
        target = group_for_key.get(sis.group_key)
        enrollment = current.get(student.pk)
        if enrollment is not None and target is not None and enrollment.group_id == target.pk:
            continue
        same_year = enrollment if (enrollment and year and enrollment.group.school_year_id == year.pk) else None
        plan.moves.append((sis.key, same_year, sis.group_key))
        plan.section("moved").append(
            Change(
                sis.key,
                name,
                sis.line,
                [
                    (
                        _("group"),
                        _group_label(enrollment.group if enrollment else None),
                        f"{group_names[sis.group_key]} ({plan.school_year_name})",
                    )
                ],
            )
        )

    if data.full:
        for key, student in students.items():
            if key not in seen and student.archived_at is None:
                student.archived_at = now
                plan.archive.append(student)
                plan.section("archived").append(Change(key, student.full_name, 0))


# --- Teachers ---------------------------------------------------------------------------------


def _plan_teachers(plan, school, data, year) -> None:
    User = get_user_model()
    emails = sorted({t.email for t in data.teachers})
    # Query: the accounts these addresses already have (case-insensitive, as accounts are).
    users = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
    # Query: who already teaches at the school.
    members = set(
        StaffMembership.objects.filter(school=school, role=StaffMembership.Role.TEACHER).values_list(
            "user__email", flat=True
        )
    )
    members = {m.lower() for m in members}
    # Query: the teachers of this year's groups.
    Through = Group.teachers.through
    linked: dict[str, set[tuple[int, str]]] = {}
    if year:
        # A group is the file's group by its key, or by its name before it had one (as the
        # group planner matches them).
        by_name = {g.name.lower(): g.key for g in data.groups}
        file_keys_set = {g.key for g in data.groups}
        for sis_id, group_name, user_id, email in Through.objects.filter(
            group__school=school, group__school_year=year
        ).values_list("group__sis_id", "group__name", "user_id", "user__email"):
            group_key = sis_id if sis_id in file_keys_set else by_name.get(group_name.lower(), sis_id)
            linked.setdefault(group_key, set()).add((user_id, email.lower()))
    file_keys = {g.key for g in data.groups}
    wanted: dict[str, set[str]] = {}
    done = set()
    for teacher in data.teachers:
        if teacher.email in done:
            continue
        done.add(teacher.email)
        name = " ".join(p for p in (teacher.first_name, teacher.last_name) if p) or teacher.email
        changes = []
        if teacher.email not in users:
            plan.new_teachers.append(teacher)
            changes.append((_("account"), "", teacher.email))
        if teacher.email not in members:
            plan.new_memberships.append(teacher.email)
            changes.append((_("role"), "", _("teacher")))
        for key in teacher.group_keys:
            wanted.setdefault(key, set()).add(teacher.email)
        existing_groups = {k for k, rows in linked.items() if any(e == teacher.email for _u, e in rows)}
        added = [k for k in teacher.group_keys if k not in existing_groups]
        for key in added:
            plan.links_added.append((key, teacher.email))
        if added:
            names = {g.key: g.name for g in data.groups}
            changes.append((_("groups"), "", ", ".join(names.get(k, k) for k in added)))
        if changes:
            plan.section("teachers").append(Change(teacher.email, name, teacher.line, changes))
    # Teachers no longer with a group that the file lists.
    for key, rows in linked.items():
        if key not in file_keys:
            continue
        for user_id, email in rows:
            if email not in wanted.get(key, set()):
                plan.links_removed.append((key, user_id))
                plan.section("teachers").append(Change(email, email, 0, [(_("group"), key, "—")]))


# --- Guardians --------------------------------------------------------------------------------


def _plan_guardians(plan, school, data, source) -> None:
    # Query: every guardian slot of the school's pupils, with the account's address.
    students = {}
    slots_by_student: dict[int, list[Guardianship]] = {}
    for slot in (
        Guardianship.objects.filter(student__school=school)
        .exclude(student__sis_id="")
        .select_related("student", "user")
    ):
        students[slot.student.sis_id] = slot.student
        slots_by_student.setdefault(slot.student_id, []).append(slot)
    # Pupils without any guardian yet (query), and pupils this same file adds.
    for student in Student.objects.filter(school=school).exclude(sis_id="").exclude(sis_id__in=list(students)):
        students[student.sis_id] = student
    new_keys = {s.key for s in plan.new_students}
    archived_keys = {s.sis_id for s in plan.archive}

    relation_labels = dict(Guardianship.Relation.choices)
    matched: set[int] = set()
    covered: set[str] = set()
    for sis in data.guardians:
        name = " ".join(p for p in (sis.first_name, sis.last_name) if p) or sis.email
        student = students.get(sis.student_key)
        if student is None and sis.student_key not in new_keys:
            plan.errors.append(
                RowError(
                    sis.line,
                    _("There is no pupil with pupil number %(key)s at this school.") % {"key": sis.student_key},
                    source if not data.full else "",
                )
            )
            continue
        if sis.student_key in archived_keys or (
            student is not None
            and student.archived_at is not None
            and sis.student_key not in {s.key for s in data.students}
        ):
            plan.warnings.append(
                RowError(
                    sis.line,
                    _("Pupil %(key)s has left the school; this guardian is skipped.") % {"key": sis.student_key},
                )
            )
            continue
        covered.add(sis.student_key)
        label = f"{name} → {sis.student_key}"
        if student is None:
            plan.new_guardians.append(sis)
            plan.section("guardians_added").append(Change(sis.student_key, label, sis.line))
            continue
        slot = _match(slots_by_student.get(student.pk, []), sis, matched)
        if slot is None:
            plan.new_guardians.append(sis)
            plan.section("guardians_added").append(Change(sis.student_key, label, sis.line))
            continue
        matched.add(slot.pk)
        changes = []
        for attr, lbl, new in (
            ("relation", _("relation"), sis.relation),
            ("first_name", _("first name"), sis.first_name),
            ("last_name", _("last name"), sis.last_name),
            ("email", _("e-mail"), sis.email),
            ("phone", _("phone"), sis.phone),
            ("has_parental_authority", _("parental authority"), sis.has_parental_authority),
        ):
            old = getattr(slot, attr)
            if attr in ("first_name", "last_name", "phone", "email") and not new:
                continue  # an empty cell does not erase what the school knows
            if old != new:
                show = (lambda v: str(relation_labels.get(v, v))) if attr == "relation" else _yes_no
                changes.append((lbl, show(old), show(new)))
                setattr(slot, attr, new)
        if changes:
            plan.changed_guardians.append(slot)
            plan.section("guardians_changed").append(Change(sis.student_key, label, sis.line, changes))

    for key in covered:
        student = students.get(key)
        if student is None:
            continue
        for slot in slots_by_student.get(student.pk, []):
            if slot.pk not in matched and slot.user_id is None:
                plan.removed_guardians.append(slot)
                plan.section("guardians_removed").append(Change(key, f"{slot.display_name} → {key}", 0))


def _yes_no(value) -> str:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return str(value)


def _match(slots: list[Guardianship], sis: SisGuardian, taken: set[int]) -> Guardianship | None:
    free = [s for s in slots if s.pk not in taken]
    if sis.email:
        for slot in free:
            if sis.email in {slot.email.lower(), (slot.user.email.lower() if slot.user_id else "")}:
                return slot
    wanted = (sis.first_name.lower(), sis.last_name.lower())
    for slot in free:
        if (slot.first_name.lower(), slot.last_name.lower()) == wanted and (not slot.email or not sis.email):
            return slot
    return None
