"""Whom a form or square post is for, which families and children have answered a form, and who
answers for whom. Plain functions that the pages, the actions and the API share.

The audience is the guardian accounts of the pupils in its groups (only guardians the school lets
see class pages) or in any group of its school: a registered, active account, a pupil who has not
left, a current enrollment, at a school where the module is open to parents — exactly the
guardians who see the form. A family is the children who share the same set of guardian accounts
(brothers and sisters). A per-family form is answered by one guardian; the other guardians of the
same children see that answer and may change or withdraw it ("co-guardians")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from schoolpoort.core.access import open_module_school_ids
from schoolpoort.core.models import Enrollment, Group, Guardianship, Student

from .access import MODULE
from .models import Audience, Form, Response


def _group_ids(item) -> list[int]:
    return [group.pk for group in item.groups.all()]


def _link_q(item) -> Q:
    """What the guardian link itself must be: a registered, active account, and for a form of some
    groups, a guardian the school lets see class pages."""
    link = Q(user__isnull=False, user__is_active=True)
    if item.audience == Audience.GROUPS:
        link &= Q(sees_class_pages=True)
    return link


def audience_slots(item) -> QuerySet[Guardianship]:
    """The guardian links (pupil, account) through which a form or post reaches someone."""
    enrollments = Enrollment.objects.filter(group__in=Group.objects.current(), group__school_id=item.school_id)
    if item.audience == Audience.GROUPS:
        enrollments = enrollments.filter(group_id__in=_group_ids(item))
    return Guardianship.objects.filter(
        _link_q(item),
        student__archived_at__isnull=True,
        student__school_id=item.school_id,
        student__school_id__in=open_module_school_ids(MODULE),
        student_id__in=enrollments.values("student_id"),
    )


def recipients(item) -> list[int]:
    """The ids of the guardian accounts the form or post is for, each once; one query."""
    return sorted(set(audience_slots(item).values_list("user_id", flat=True)))


def children_of(user, form: Form) -> list[Student]:
    """The user's children in the form's audience, by first name; one query."""
    slots = audience_slots(form).filter(user=user).select_related("student").order_by("student__first_name", "pk")
    return [slot.student for slot in slots]


def co_guardian_ids(user, form: Form, child_ids: Iterable[int] | None = None) -> set[int]:
    """The user and the other guardians of the user's children in the form's audience; one query.
    ``child_ids``: the user's children in the audience (``children_of``) when read already; then
    the query asks only for their guardian links (the children are in the audience already), which
    PostgreSQL answers from an index instead of walking the school's audience."""
    if child_ids is not None:
        links = Guardianship.objects.filter(_link_q(form), student_id__in=sorted(set(child_ids)))
        return set(links.values_list("user_id", flat=True)) | {user.pk}
    children = audience_slots(form).filter(user=user).values("student_id")
    return set(audience_slots(form).filter(student_id__in=children).values_list("user_id", flat=True)) | {user.pk}


def family_response(user, form: Form, children: list[Student] | None = None, rows=None) -> Response | None:
    """The answer of the user's family to a per-family form: their own, else a co-guardian's
    (``children`` as for ``co_guardian_ids``; ``rows``: the responses to read it from, say with
    their answers prefetched)."""
    rows = Response.objects.all() if rows is None else rows
    found = list(
        rows.filter(form=form, family_user_id__in=co_guardian_ids(
            user, form, None if children is None else [child.pk for child in children]
        ))
        .select_related("family_user", "responded_by")
        .order_by("pk")
    )
    return next((r for r in found if r.family_user_id == user.pk), found[0] if found else None)


@dataclass
class Family:
    children: list[Student]
    guardians: list  # User
    guardian_ids: frozenset[int] = field(default_factory=frozenset)
    response: Response | None = None

    @property
    def children_names(self) -> str:
        return ", ".join(child.full_name for child in self.children)

    @property
    def guardian_names(self) -> str:
        return ", ".join(guardian.get_full_name() for guardian in self.guardians)


def _child_order(child: Student):
    return (child.last_name.lower(), child.first_name.lower(), child.pk)


def families(item) -> list[Family]:
    """The audience's families, sorted by the children's names; one query."""
    slots = audience_slots(item).select_related("student", "user").order_by("student_id")
    children: dict[int, Student] = {}
    guardians_of: dict[int, dict[int, object]] = {}
    for slot in slots:
        children[slot.student_id] = slot.student
        guardians_of.setdefault(slot.student_id, {})[slot.user_id] = slot.user
    by_guardians: dict[frozenset[int], Family] = {}
    for student_id, guardians in guardians_of.items():
        key = frozenset(guardians)
        family = by_guardians.get(key)
        if family is None:
            ordered = sorted(guardians.values(), key=lambda user: (user.get_full_name().lower(), user.pk))
            family = by_guardians[key] = Family([], ordered, key)
        family.children.append(children[student_id])
    for family in by_guardians.values():
        family.children.sort(key=_child_order)
    return sorted(by_guardians.values(), key=lambda family: _child_order(family.children[0]))


@dataclass
class Answered:
    """Who has answered a form: per child (the pupils) or per family."""

    per_child: bool
    answered: list  # per child: (Student, Response); per family: Family with its response
    waiting: list  # per child: (Student, [guardians]); per family: Family
    waiting_guardian_ids: list[int]

    @property
    def total(self) -> int:
        return len(self.answered) + len(self.waiting)


def answered(form: Form, responses: list[Response] | None = None) -> Answered:
    """Which children or families have answered and which have not, with the guardian accounts to
    remind; two queries (the audience and the responses) unless the responses are given."""
    if responses is None:
        responses = list(Response.objects.filter(form=form))
    if form.per_child:
        by_student = {response.student_id: response for response in responses if response.student_id}
        slots = audience_slots(form).select_related("student", "user").order_by("student_id")
        children: dict[int, Student] = {}
        guardians_of: dict[int, list] = {}
        for slot in slots:
            children[slot.student_id] = slot.student
            guardians_of.setdefault(slot.student_id, []).append(slot.user)
        ordered = sorted(children.values(), key=_child_order)
        done = [(child, by_student[child.pk]) for child in ordered if child.pk in by_student]
        waiting = [(child, guardians_of[child.pk]) for child in ordered if child.pk not in by_student]
        ids = sorted({user.pk for _child, users in waiting for user in users})
        return Answered(True, done, waiting, ids)
    by_user = {response.family_user_id: response for response in responses if response.family_user_id}
    done, waiting = [], []
    for family in families(form):
        response = next((by_user[pk] for pk in sorted(family.guardian_ids) if pk in by_user), None)
        family.response = response
        (done if response else waiting).append(family)
    ids = sorted({pk for family in waiting for pk in family.guardian_ids})
    return Answered(False, done, waiting, ids)
