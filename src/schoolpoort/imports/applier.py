"""ONE applier: writes a ``SchoolPlan`` with bulk statements. Call it inside the transaction in
which the plan was made (``imports.run.apply_file`` does), and only for a plan without errors."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from schoolpoort.core.access import reach_changed
from schoolpoort.core.models import Enrollment, Group, Guardianship, SchoolYear, StaffMembership, Student

from .planner import SchoolPlan

BATCH = 500


def _school_year(name: str) -> SchoolYear:
    first = int(name[:4])
    year, _created = SchoolYear.objects.get_or_create(
        name=name, defaults={"starts_on": datetime.date(first, 8, 1), "ends_on": datetime.date(first + 1, 7, 31)}
    )
    return year


def apply_plan(plan: SchoolPlan) -> None:
    assert not plan.errors, "a plan with errors is never applied"
    school = plan.school
    year = plan.school_year or _school_year(plan.school_year_name)

    # Groups: new ones, then everything this year's groups are keyed on.
    Group.objects.bulk_create(
        [
            Group(school=school, school_year=year, name=g.name, grades=g.grades or "-", sis_id=g.key)
            for g in plan.new_groups
        ],
        batch_size=BATCH,
    )
    Group.objects.bulk_update(plan.changed_groups, ["name", "grades", "sis_id"], batch_size=BATCH)
    groups = {g.sis_id: g for g in Group.objects.filter(school=school, school_year=year).exclude(sis_id="")}

    # Pupils.
    created = Student.objects.bulk_create(
        [
            Student(
                school=school,
                sis_id=s.key,
                first_name=s.first_name,
                infix=s.infix,
                last_name=s.last_name,
                date_of_birth=s.date_of_birth,
            )
            for s in plan.new_students
        ],
        batch_size=BATCH,
    )
    Student.objects.bulk_update(
        plan.changed_students, ["first_name", "infix", "last_name", "date_of_birth", "archived_at"], batch_size=BATCH
    )
    if plan.archive:
        ids = [s.pk for s in plan.archive]
        archived_at = plan.archive[0].archived_at
        for start in range(0, len(ids), BATCH):
            Student.objects.filter(pk__in=ids[start : start + BATCH]).update(archived_at=archived_at)

    if created and created[0].pk is None:  # a backend that does not return ids from a bulk insert
        created = list(Student.objects.filter(school=school, sis_id__in=[s.key for s in plan.new_students]))
    student_ids = {s.sis_id: s.pk for s in created}
    if plan.moves:
        keys = [key for key, _e, _g in plan.moves if key not in student_ids]
        student_ids.update(
            Student.objects.filter(school=school, sis_id__in=keys).values_list("sis_id", "pk") if keys else []
        )

    # Enrollments: a move within the year moves the row; into a new year adds one beside the old.
    new_enrollments = [
        Enrollment(student_id=student_ids[s.key], group=groups[s.group_key]) for s in plan.new_students if s.group_key
    ]
    moved_rows = []
    for key, same_year, group_key in plan.moves:
        if same_year is not None:
            same_year.group = groups[group_key]
            moved_rows.append(same_year)
        else:
            new_enrollments.append(Enrollment(student_id=student_ids[key], group=groups[group_key]))
    Enrollment.objects.bulk_update(moved_rows, ["group"], batch_size=BATCH)
    Enrollment.objects.bulk_create(new_enrollments, batch_size=BATCH, ignore_conflicts=True)

    _apply_teachers(plan, school, groups)
    _apply_guardians(plan, school, student_ids)
    # Bulk statements send no signals: groups, pupils, enrollments, staff and guardians changed,
    # so every cached reach is read again (core/access.py).
    reach_changed()


def _apply_teachers(plan: SchoolPlan, school, groups) -> None:
    if not (plan.new_teachers or plan.new_memberships or plan.links_added or plan.links_removed):
        return
    User = get_user_model()
    # New accounts have no password: the activation link of accounts sets it (as for guardians).
    User.objects.bulk_create(
        [
            User(
                email=t.email, first_name=t.first_name[:100], last_name=t.last_name[:150], password=make_password(None)
            )
            for t in plan.new_teachers
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    emails = set(plan.new_memberships) | {e for _k, e in plan.links_added}
    users = {u.email.lower(): u.pk for u in User.objects.filter(email__in=sorted(emails))}
    StaffMembership.objects.bulk_create(
        [
            StaffMembership(user_id=users[e], school=school, role=StaffMembership.Role.TEACHER)
            for e in plan.new_memberships
            if e in users
        ],
        ignore_conflicts=True,
    )
    Through = Group.teachers.through
    Through.objects.bulk_create(
        [Through(group_id=groups[k].pk, user_id=users[e]) for k, e in plan.links_added if k in groups and e in users],
        ignore_conflicts=True,
    )
    for key, user_id in plan.links_removed:
        if key in groups:
            Through.objects.filter(group_id=groups[key].pk, user_id=user_id).delete()


def _apply_guardians(plan: SchoolPlan, school, student_ids) -> None:
    missing = {g.student_key for g in plan.new_guardians} - set(student_ids)
    if missing:
        student_ids.update(
            Student.objects.filter(school=school, sis_id__in=sorted(missing)).values_list("sis_id", "pk")
        )
    Guardianship.objects.bulk_create(
        [
            Guardianship(
                student_id=student_ids[g.student_key],
                relation=g.relation,
                first_name=g.first_name[:100],
                last_name=g.last_name[:150],
                email=g.email,
                phone=g.phone,
                has_parental_authority=g.has_parental_authority,
            )
            for g in plan.new_guardians
        ],
        batch_size=BATCH,
    )
    Guardianship.objects.bulk_update(
        plan.changed_guardians,
        ["relation", "first_name", "last_name", "email", "phone", "has_parental_authority"],
        batch_size=BATCH,
    )
    ids = [g.pk for g in plan.removed_guardians if g.user_id is None]
    for start in range(0, len(ids), BATCH):
        # user__isnull again: a guardian who registered since the plan was made keeps the slot.
        Guardianship.objects.filter(pk__in=ids[start : start + BATCH], user__isnull=True).delete()
