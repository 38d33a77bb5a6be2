"""A small shared test world with named personas, always with a second school and a second
board, for access tests. (The demo school of DEMO.md is the larger world of the browser tests.)"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from schoolpoort.core.models import Group, School, StaffMembership, Student
from tests.factories import (
    BoardFactory,
    BoardMembershipFactory,
    GroupFactory,
    GuardianshipFactory,
    SchoolFactory,
    StaffMembershipFactory,
    UserFactory,
    enrolled_student,
)


@dataclass
class World:
    school: School  # school A1 of board A: where everything happens
    sister_school: School  # school A2 of the same board
    other_school: School  # school B1 of another board
    group3: Group
    group6: Group
    child: Student  # in group 3 of school A1, two separated guardians
    classmate_of_other_group: Student  # in group 6
    other_school_child: Student
    users: dict


ROLES = [
    "guardian",  # guardian of the child
    "other_guardian",  # the other, separated guardian of the same child (own account)
    "guardian_other_group",  # guardian of a child in group 6 of the same school
    "guardian_other_school",  # guardian of a child at a school of another board
    "teacher",  # teacher of the child's group
    "teacher_other_group",  # teacher of group 6
    "administration",
    "director",
    "board_admin",
    "board_admin_other_board",
    "anonymous",
]


def build_world() -> World:
    board = BoardFactory(name="Stichting A")
    school = SchoolFactory(board=board, name="School A1", brin="11AA")
    sister = SchoolFactory(board=board, name="School A2", brin="11BB")
    other_board = BoardFactory(name="Stichting B")
    other_school = SchoolFactory(board=other_board, name="School B1", brin="22AA")

    users = {role: UserFactory(email=f"{role}@example.org") for role in ROLES if role != "anonymous"}
    users["anonymous"] = AnonymousUser()

    group3 = GroupFactory(school=school, grades="3", teachers=[users["teacher"]])
    group6 = GroupFactory(school=school, grades="6", teachers=[users["teacher_other_group"]])
    GroupFactory(school=sister, grades="3")
    other_group = GroupFactory(school=other_school, grades="3")

    child = enrolled_student(group3, first_name="Noor", last_name="Jansen")
    GuardianshipFactory(student=child, user=users["guardian"])
    GuardianshipFactory(student=child, user=users["other_guardian"], hides_contact_from_other_guardians=True)
    classmate = enrolled_student(group6, first_name="Lotte", last_name="Vries", infix="de")
    GuardianshipFactory(student=classmate, user=users["guardian_other_group"])
    other_child = enrolled_student(other_group, first_name="Adam", last_name="Bakker")
    GuardianshipFactory(student=other_child, user=users["guardian_other_school"])

    StaffMembershipFactory(user=users["teacher"], school=school, role=StaffMembership.Role.TEACHER)
    StaffMembershipFactory(user=users["teacher_other_group"], school=school, role=StaffMembership.Role.TEACHER)
    StaffMembershipFactory(user=users["administration"], school=school, role=StaffMembership.Role.ADMINISTRATION)
    StaffMembershipFactory(user=users["director"], school=school, role=StaffMembership.Role.DIRECTOR)
    BoardMembershipFactory(user=users["board_admin"], board=board)
    BoardMembershipFactory(user=users["board_admin_other_board"], board=other_board)

    return World(school, sister, other_school, group3, group6, child, classmate, other_child, users)
