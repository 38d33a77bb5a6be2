"""Factories for tests. Every factory makes valid, saved data; tests say only what matters."""

import factory
from django.utils import timezone

from schoolpoort.accounts.models import User
from schoolpoort.core.models import (
    Board,
    BoardMembership,
    Enrollment,
    Group,
    Guardianship,
    ModuleSwitch,
    School,
    SchoolYear,
    StaffMembership,
    Student,
)
from schoolpoort.core.modules import MODULES

PASSWORD = "Test-wachtwoord-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.django.Password(PASSWORD)


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    name = factory.Sequence(lambda n: f"Stichting {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        skip_postgeneration_save = True

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    brin = factory.Sequence(lambda n: f"{n % 10000:02d}XX")  # at most 6 characters, however many tests ran

    @factory.post_generation
    def modules(school, create, extracted, **kwargs):
        """All modules on unless a list of codes is given."""
        if not create:
            return
        wanted = set(MODULES) if extracted is None else set(extracted)
        ModuleSwitch.objects.bulk_create(
            ModuleSwitch(school=school, module=code, enabled=code in wanted) for code in MODULES
        )


def current_year() -> SchoolYear:
    return SchoolYear.for_date(timezone.localdate())


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    school_year = factory.LazyFunction(current_year)
    grades = "3"
    name = factory.LazyAttribute(lambda o: f"Groep {o.grades}")

    @factory.post_generation
    def teachers(group, create, extracted, **kwargs):
        if create and extracted:
            group.teachers.add(*extracted)


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    school = factory.SubFactory(SchoolFactory)
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    sis_id = factory.Sequence(lambda n: f"{100000 + n}")


def enrolled_student(group: Group, **fields) -> Student:
    """A pupil of ``group``'s school, enrolled in it."""
    student = StudentFactory(school=group.school, **fields)
    Enrollment.objects.create(student=student, group=group)
    return student


class GuardianshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardianship

    student = factory.SubFactory(StudentFactory)
    user = factory.SubFactory(UserFactory)
    relation = Guardianship.Relation.PARENT


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = StaffMembership.Role.TEACHER


class BoardMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMembership

    user = factory.SubFactory(UserFactory)
    board = factory.SubFactory(BoardFactory)
