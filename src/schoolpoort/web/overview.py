"""What a user's home page shows, for every role at once (a teacher can be a parent too).
A fixed number of queries, whatever the number of children, groups or schools."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.access import SchoolModules, cached_for_user, modules_for_schools, roles_of
from schoolpoort.core.models import Enrollment, Group, Guardianship, School, StaffMembership, Student
from schoolpoort.lib.home import Link, LinkRow, group_links, school_links


@dataclass
class ChildCard:
    student: Student
    school: School
    groups: list[Group]
    guardianship: Guardianship


@dataclass
class StaffSchool:
    school: School
    roles: list[str]
    groups: list[Group]  # groups this user teaches there
    manages: bool
    administers: bool
    pupils: int = 0
    guardian_slots: int = 0
    registered: int = 0

    @property
    def unregistered(self) -> int:
        return self.guardian_slots - self.registered

    @property
    def links(self) -> list[Link]:
        """What the modules offer for this school (lib/home.py); no queries."""
        return school_links(self)

    @property
    def group_links(self) -> list[LinkRow]:
        return group_links(self)


@dataclass
class HomeOverview:
    children: list[ChildCard] = field(default_factory=list)
    staff_schools: list[StaffSchool] = field(default_factory=list)
    modules: list[SchoolModules] = field(default_factory=list)
    # The timeline's "more" section (lib/home.py) is staff's: a parent's home keeps to what needs
    # them, so a block that would only land there need not be built for a parent.
    shows_more: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.children and not self.staff_schools


def _children(user) -> list[ChildCard]:
    """The user's children with their current groups: two queries."""
    current_enrollments = Enrollment.objects.filter(
        group__in=Group.objects.current()
    ).select_related("group")
    guardianships = list(
        Guardianship.objects.filter(user=user, student__archived_at__isnull=True)
        .select_related("student__school")
        .prefetch_related(Prefetch("student__enrollments", queryset=current_enrollments))
        .order_by("student__school__name", "student__first_name")
    )
    return [
        ChildCard(
            student=g.student,
            school=g.student.school,
            # A guardian the school keeps from class pages does not see the group either.
            groups=[e.group for e in g.student.enrollments.all()] if g.sees_class_pages else [],
            guardianship=g,
        )
        for g in guardianships
    ]


def home_overview(user, schools_and_modules=None) -> HomeOverview:
    """``schools_and_modules``: the user's schools and module states when the request has read
    them already (web/shell.py), so the page does not read them twice."""
    roles = roles_of(user)
    children = cached_for_user(user, "children", lambda: _children(user))

    if schools_and_modules is None:
        schools = list(School.objects.visible_to(user).select_related("board"))
        modules = modules_for_schools(user, schools)
    else:
        schools, modules = schools_and_modules
    staff_school_ids = [s.pk for s in schools if roles.is_staff_at(s)]
    staff_schools: list[StaffSchool] = []
    if staff_school_ids:
        taught: dict[int, list[Group]] = {}
        for group in Group.objects.current().filter(teachers=user).order_by("grades", "name"):
            taught.setdefault(group.school_id, []).append(group)
        role_labels = dict(StaffMembership.Role.choices)
        counts = {
            row["pk"]: row
            for row in School.objects.filter(pk__in=staff_school_ids).annotate(
                pupils=Count("students", filter=Q(students__archived_at__isnull=True), distinct=True),
            ).values("pk", "pupils")
        }
        slots = {
            row["student__school"]: row
            for row in Guardianship.objects.filter(
                student__school__in=staff_school_ids, student__archived_at__isnull=True
            )
            .values("student__school")
            .annotate(slots=Count("pk"), registered=Count("pk", filter=Q(user__isnull=False)))
        }
        for school in schools:
            if school.pk not in staff_school_ids:
                continue
            labels = [str(role_labels[r]) for r in sorted(roles.school_roles.get(school.pk, ()))]
            if school.pk in roles.board_school_ids:
                labels.insert(0, str(_("board admin")))
            staff_schools.append(
                StaffSchool(
                    school=school,
                    roles=labels,
                    groups=taught.get(school.pk, []),
                    manages=roles.manages(school),
                    administers=roles.administers(school),
                    pupils=counts.get(school.pk, {}).get("pupils", 0),
                    guardian_slots=slots.get(school.pk, {}).get("slots", 0),
                    registered=slots.get(school.pk, {}).get("registered", 0),
                )
            )
    return HomeOverview(children=children, staff_schools=staff_schools, modules=modules, shows_more=roles.is_staff)

