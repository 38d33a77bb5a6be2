"""Whom a user may write to: the one list the new-message form offers, and the one check a new
conversation passes (a value that is not offered here cannot be sent to).

A parent may write to
- the current teachers of their children's groups (about that child);
- the school office of their children's schools (the administration staff as one address;
  the director where a school has no administration);
- other parents of a current group of their child, only when the school allows messages between
  parents and both parents allowed them for that group (shown by name only), never one who keeps
  their contact details from this parent (``core.hiding``).

A teacher may write to the parents of the pupils of the groups they teach this year; the office
and the leadership of a school (administration, director, board admin) to those of every group of
the school:
- one parent;
- the parents of a child, together in one conversation, or each in their own when one of them
  keeps their contact details from the other (``core.hiding.keeps_apart``);
- all parents of a group: a private conversation per family (split the same way), or one group
  conversation.

``recipient_options(user)`` costs a fixed number of queries, however many groups and pupils."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.utils.translation import gettext as _

from schoolpoort.core.access import roles_of
from schoolpoort.core.hiding import hidden_user_ids_q, keeps_apart
from schoolpoort.core.models import Enrollment, Group, Guardianship, School, StaffMembership

from .access import usable_school_ids
from .models import ParentContactConsent, Participant, SchoolMessagingSettings, TeacherAvailability, person_name

SEPARATE, TOGETHER = "separate", "together"
TEACHER, OFFICE, PARENT, GUARDIAN, FAMILY, GROUP = "teacher", "office", "parent", "guardian", "family", "group"
Role = Participant.Role


@dataclass(frozen=True)
class Member:
    """Someone a conversation is started with, in a role, through a child."""

    user: object
    role: str
    student_id: int | None = None


@dataclass
class Recipient:
    value: str  # what the form sends, e.g. "teacher:12:34"
    label: str
    section: str
    kind: str
    school: School
    sender_role: str
    threads: list[list[Member]]  # one conversation per list (the sender is added to each)
    together: list[Member] = field(default_factory=list)  # a group: everyone in one conversation
    sender_student_id: int | None = None
    student_id: int | None = None  # the conversation is about this child
    group: Group | None = None

    @property
    def is_group(self) -> bool:
        return self.kind == GROUP

    def conversations(self, mode: str = SEPARATE) -> list[list[Member]]:
        if self.is_group and mode == TOGETHER:
            return [self.together] if self.together else []
        return self.threads


@dataclass
class RecipientOptions:
    recipients: list[Recipient] = field(default_factory=list)
    schools: list[School] = field(default_factory=list)  # where the module is usable for the user
    notices: list[tuple[School, str]] = field(default_factory=list)  # the schools' texts for parents
    availability: list[tuple[object, TeacherAvailability]] = field(default_factory=list)  # offered staff

    def __bool__(self) -> bool:
        return bool(self.recipients)

    def get(self, value: str) -> Recipient | None:
        return next((r for r in self.recipients if r.value == value), None)

    def choices(self) -> list:
        sections: dict[str, list[tuple[str, str]]] = {}
        for recipient in self.recipients:
            sections.setdefault(recipient.section, []).append((recipient.value, recipient.label))
        return list(sections.items())

    @property
    def has_groups(self) -> bool:
        return any(r.is_group for r in self.recipients)


def recipient_options(user) -> RecipientOptions:
    schools = list(School.objects.filter(pk__in=usable_school_ids(user)).order_by("name"))
    if not schools:
        return RecipientOptions()
    options = RecipientOptions(schools=schools)
    settings = {s.school_id: s for s in SchoolMessagingSettings.objects.filter(school__in=schools)}
    _as_parent(user, options, settings)
    _as_staff(user, options)
    _dedupe(options)
    return options


def _dedupe(options: RecipientOptions) -> None:
    seen: set[str] = set()
    unique = []
    for recipient in options.recipients:
        if recipient.value not in seen:
            seen.add(recipient.value)
            unique.append(recipient)
    options.recipients = unique


# --- As a parent --------------------------------------------------------------------------------


def _as_parent(user, options: RecipientOptions, settings: dict) -> None:
    by_id = {school.pk: school for school in options.schools}
    current = Enrollment.objects.filter(group__in=Group.objects.current()).select_related("group")
    slots = list(
        Guardianship.objects.filter(user=user, student__archived_at__isnull=True, student__school__in=by_id)
        .select_related("student")
        .prefetch_related(
            Prefetch("student__enrollments", queryset=current.prefetch_related("group__teachers").order_by("pk"))
        )
        .order_by("student__first_name", "student__pk")
    )
    if not slots:
        return
    multiple_schools = len({slot.student.school_id for slot in slots}) > 1
    staff_offered = []
    for slot in slots:
        student = slot.student
        for enrollment in student.enrollments.all():
            group = enrollment.group
            for teacher in sorted(group.teachers.all(), key=lambda t: (t.last_name, t.first_name, t.pk)):
                if teacher.pk == user.pk:
                    continue
                staff_offered.append((teacher, student.school_id))
                options.recipients.append(Recipient(
                    value=f"{TEACHER}:{teacher.pk}:{student.pk}",
                    label=_("%(name)s, teacher of %(child)s (%(group)s)")
                    % {"name": person_name(teacher), "child": student.first_name, "group": group.name},
                    section=_("Teachers"),
                    kind=TEACHER,
                    school=by_id[student.school_id],
                    sender_role=Role.GUARDIAN,
                    sender_student_id=student.pk,
                    threads=[[Member(teacher, Role.TEACHER)]],
                    student_id=student.pk,
                    group=group,
                ))
    parent_schools = [by_id[pk] for pk in dict.fromkeys(slot.student.school_id for slot in slots)]
    for school, office in _offices(parent_schools).items():
        office = [member for member in office if member.pk != user.pk]
        if not office:
            continue
        staff_offered.extend((member, school.pk) for member in office)
        options.recipients.append(Recipient(
            value=f"{OFFICE}:{school.pk}",
            label=_("The school office of %(school)s") % {"school": school.name} if multiple_schools
            else _("The school office"),
            section=_("School office"),
            kind=OFFICE,
            school=school,
            sender_role=Role.GUARDIAN,
            threads=[[Member(member, Role.OFFICE) for member in office]],
        ))
    _other_parents(user, options, slots, settings, by_id)
    options.notices = [
        (school, settings[school.pk].parent_notice)
        for school in parent_schools
        if school.pk in settings and settings[school.pk].parent_notice.strip()
    ]
    _availability(options, staff_offered)


def _offices(schools: list[School]) -> dict[School, list]:
    """The school office: the administration staff, or the director where there is none."""
    rows = (
        StaffMembership.objects.filter(school__in=schools, role__in=("administration", "director"))
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__pk")
    )
    found: dict[int, dict[str, list]] = {}
    for row in rows:
        if row.user.is_active:
            found.setdefault(row.school_id, {}).setdefault(row.role, []).append(row.user)
    result = {}
    for school in schools:
        roles = found.get(school.pk, {})
        people = roles.get("administration") or roles.get("director") or []
        if people:
            result[school] = list({person.pk: person for person in people}.values())
    return result


def _other_parents(user, options: RecipientOptions, slots, settings: dict, by_id: dict) -> None:
    """Parents of a child's group who allowed messages from other parents, when this parent did
    too and the school allows it. By name only."""
    my_groups = {}  # group id -> (group, my child)
    for slot in slots:
        school_settings = settings.get(slot.student.school_id)
        if not slot.sees_class_pages or school_settings is None or not school_settings.parent_to_parent:
            continue
        for enrollment in slot.student.enrollments.all():
            my_groups.setdefault(enrollment.group_id, (enrollment.group, slot.student))
    if not my_groups:
        return
    consented = set(
        ParentContactConsent.objects.filter(user=user, group_id__in=my_groups).values_list("group_id", flat=True)
    )
    if not consented:
        return
    their_child = Guardianship.objects.filter(
        user=OuterRef("user"),
        sees_class_pages=True,
        student__archived_at__isnull=True,
        student__enrollments__group=OuterRef("group"),
    )
    others = (
        ParentContactConsent.objects.filter(group_id__in=consented, user__is_active=True)
        .exclude(user=user)
        .exclude(user_id__in=hidden_user_ids_q(user))
        .filter(Exists(their_child))
        .annotate(child_id=Subquery(their_child.order_by("student_id").values("student_id")[:1]))
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__pk")
    )
    for consent in others:
        group, my_child = my_groups[consent.group_id]
        options.recipients.append(Recipient(
            value=f"{PARENT}:{consent.user_id}:{group.pk}",
            label=_("%(name)s, parent in %(group)s") % {"name": person_name(consent.user), "group": group.name},
            section=_("Other parents"),
            kind=PARENT,
            school=by_id[group.school_id],
            sender_role=Role.GUARDIAN,
            sender_student_id=my_child.pk,
            threads=[[Member(consent.user, Role.GUARDIAN, consent.child_id)]],
            group=group,
        ))


def _availability(options: RecipientOptions, staff_offered: list) -> None:
    if not staff_offered:
        return
    people = {}
    for person, school_id in staff_offered:
        people.setdefault((person.pk, school_id), person)
    rows = TeacherAvailability.objects.filter(
        user_id__in={pk for pk, _school in people}, school_id__in={school for _pk, school in people}
    ).exclude(office_hours="", auto_reply_on=False)
    options.availability = [
        (people[row.user_id, row.school_id], row) for row in rows if (row.user_id, row.school_id) in people
    ]
    options.availability.sort(key=lambda pair: person_name(pair[0]))


# --- As staff -----------------------------------------------------------------------------------


def _as_staff(user, options: RecipientOptions) -> None:
    roles = roles_of(user)
    staff_schools = [school for school in options.schools if roles.is_staff_at(school)]
    if not staff_schools:
        return
    administered = [school.pk for school in staff_schools if roles.administers(school)]
    groups = list(
        Group.objects.current()
        .filter(Q(school__in=staff_schools, teachers=user) | Q(school_id__in=administered))
        .distinct()
        .select_related("school")
        .prefetch_related("teachers")
        .order_by("school__name", "grades", "name", "pk")
    )
    if not groups:
        return
    registered = Guardianship.objects.filter(user__isnull=False, user__is_active=True).select_related("user")
    enrollments = list(
        Enrollment.objects.filter(group__in=groups, student__archived_at__isnull=True)
        .select_related("student")
        .prefetch_related(Prefetch("student__guardianships", queryset=registered.order_by("pk"), to_attr="registered"))
        .order_by("student__first_name", "student__last_name", "student__pk")
    )
    pupils: dict[int, list] = {}
    for enrollment in enrollments:
        pupils.setdefault(enrollment.group_id, []).append(enrollment.student)
    multiple_schools = len({group.school_id for group in groups}) > 1
    for group in groups:
        school = group.school
        if any(teacher.pk == user.pk for teacher in group.teachers.all()):
            role = Role.TEACHER
        elif roles.has_role(school, "administration"):
            role = Role.OFFICE
        else:
            role = Role.STAFF
        section = f"{group.name} · {school.name}" if multiple_schools else group.name
        _group_recipients(user, options, group, pupils.get(group.pk, []), role, section)


def _guardians(student, exclude_user) -> list[Guardianship]:
    return [slot for slot in student.registered if slot.user_id != exclude_user.pk]


def family_threads(slots: list[Guardianship], student_id: int) -> list[list[Member]]:
    """The parents of one child: one conversation together, or each their own when one of them
    keeps their contact details from the other."""
    members = [Member(slot.user, Role.GUARDIAN, student_id) for slot in slots]
    if keeps_apart(slots):
        return [[member] for member in members]
    return [members] if members else []


def _group_recipients(user, options: RecipientOptions, group: Group, students: list, role: str, section: str):
    recipients = []
    families: list[list[Member]] = []
    reached: set[int] = set()
    together: dict[int, Member] = {}
    for student in students:
        slots = _guardians(student, user)
        threads = family_threads(slots, student.pk)
        # A family with several children in the group gets one conversation; every parent one.
        for thread in threads:
            fresh = [member for member in thread if member.user.pk not in reached]
            if fresh:
                families.append(fresh)
                reached.update(member.user.pk for member in fresh)
        for slot in slots:
            if slot.sees_class_pages:
                together.setdefault(slot.user_id, Member(slot.user, Role.GUARDIAN, student.pk))
        if len(slots) > 1:
            separately = len(threads) > 1
            recipients.append(Recipient(
                value=f"{FAMILY}:{student.pk}:{group.pk}",
                label=(_("The parents of %(child)s (each in their own conversation)") if separately
                       else _("The parents of %(child)s")) % {"child": student.full_name},
                section=section, kind=FAMILY, school=group.school, sender_role=role,
                threads=threads, student_id=student.pk, group=group,
            ))
        for slot in slots:
            recipients.append(Recipient(
                value=f"{GUARDIAN}:{slot.user_id}:{student.pk}:{group.pk}",
                label=_("%(name)s, parent of %(child)s") % {"name": person_name(slot.user), "child": student.full_name},
                section=section, kind=GUARDIAN, school=group.school, sender_role=role,
                threads=[[Member(slot.user, Role.GUARDIAN, student.pk)]], student_id=student.pk, group=group,
            ))
    if families:
        options.recipients.append(Recipient(
            value=f"{GROUP}:{group.pk}",
            label=_("All parents of %(group)s") % {"group": group.name},
            section=section, kind=GROUP, school=group.school, sender_role=role,
            threads=families, together=list(together.values()), group=group,
        ))
    options.recipients.extend(recipients)
