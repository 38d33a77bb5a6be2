"""Who am I: the account, its roles, its children, and for a token the token itself."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from ninja import Router, Schema

from schoolpoort.core.access import guardian_student_ids, roles_of
from schoolpoort.core.models import Enrollment, Group, School, Student

from ..errors import ERRORS

router = Router(tags=["me"])


class GroupOut(Schema):
    id: int
    name: str


class ChildOut(Schema):
    id: int
    first_name: str
    name: str
    school_id: int
    school: str
    groups: list[GroupOut]


class SchoolRolesOut(Schema):
    id: int
    name: str
    roles: list[str]


class TokenOut(Schema):
    name: str
    prefix: str
    school_id: int
    scopes: list[str]
    expires_at: datetime.datetime


class MeOut(Schema):
    id: int
    name: str
    email: str
    language: str
    is_guardian: bool
    schools: list[SchoolRolesOut]
    children: list[ChildOut]
    token: TokenOut | None = None


@router.get("/me", response={200: MeOut, **ERRORS}, url_name="me", summary="Who am I, and my children")
def me(request):
    caller = request.auth
    user = caller.user
    roles = roles_of(user)
    current = Enrollment.objects.filter(group__in=Group.objects.current()).select_related("group")
    children = (
        Student.objects.visible_to(user).filter(pk__in=guardian_student_ids(user)).select_related("school")
        .prefetch_related(Prefetch("enrollments", queryset=current, to_attr="current_enrollments"))
        .order_by("first_name", "pk")
    )
    staff_school_ids = set(roles.school_roles) | set(roles.board_school_ids)
    if caller.school_id is not None:
        children = children.filter(school_id=caller.school_id)
        staff_school_ids &= {caller.school_id}
    schools = School.objects.filter(pk__in=staff_school_ids).order_by("name")
    return {
        "id": user.pk,
        "name": user.full_name,
        "email": user.email,
        "language": user.language,
        "is_guardian": roles.is_guardian,
        "schools": [
            {
                "id": school.pk,
                "name": school.name,
                "roles": sorted(roles.school_roles.get(school.pk, set())
                                | ({"board_admin"} if school.pk in roles.board_school_ids else set())),
            }
            for school in schools
        ],
        "children": [
            {
                "id": child.pk, "first_name": child.first_name, "name": child.full_name,
                "school_id": child.school_id, "school": child.school.name,
                "groups": [{"id": e.group_id, "name": e.group.name} for e in child.current_enrollments],
            }
            for child in children
        ],
        "token": caller.token,
    }
