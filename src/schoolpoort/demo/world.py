"""The demo school of DEMO.md: one board, two schools, sixteen groups, a few hundred families and
the fixed accounts a newcomer signs in with. Generated from a fixed seed, so the same names come
back every time; ``build_demo()`` removes what an earlier run made and builds it again.

The core world is built here (the demo app);  every other app adds its own content (news, calendar, ...) in its
own ``demo.py`` with a ``load_demo(world: DemoWorld)`` function, called after the core world is
built, in the order of INSTALLED_APPS (``world.rng_for("news")`` gives an app random numbers of its
own, so that one app's changes leave the others' content alone). An app whose demo rows would
not go away with the demo schools and ``.example`` users (a PROTECT foreign key) may add a
``clear_demo()`` function: it is called before the core world is removed."""

from __future__ import annotations

import datetime
import importlib
import importlib.util
import random
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import TextIO

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from faker import Faker

from schoolpoort.accounts import registration
from schoolpoort.accounts.demo import DEMO_TOTP_SECRET
from schoolpoort.accounts.models import RegistrationCode, User
from schoolpoort.core.access import reach_changed
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
from schoolpoort.lib.db import analyze
from schoolpoort.lib.demo import ARK, BOARD_NAME, DOMAINS, PARENT_DOMAIN, PASSWORD, REGENBOOG, SEED, DemoWorld
from schoolpoort.notify.fanout import fan_out_broadcast
from schoolpoort.notify.models import Broadcast

GRADES = [str(grade) for grade in range(1, 9)]
MOTHER, FATHER, PARENT = (Guardianship.Relation.MOTHER, Guardianship.Relation.FATHER,
                          Guardianship.Relation.PARENT)

SCHOOLS = [
    dict(brin=REGENBOOG, name="OBS De Regenboog", street="Regenbooglaan 12", postal_code="3526 KT",
         city="Utrecht", phone="030 288 41 70", email="info@regenboog.example",
         website="https://www.regenboog.example", region=School.Region.MIDDLE),
    dict(brin=ARK, name="KBS De Ark", street="Noachstraat 3", postal_code="5616 BG", city="Eindhoven",
         phone="040 251 63 09", email="info@deark.example", website="https://www.deark.example",
         region=School.Region.SOUTH),
]
# KBS De Ark is in its first phase; OBS De Regenboog has every module on.
MODULES_ON = {REGENBOOG: set(MODULES), ARK: {"news", "calendar", "absences"}}


@dataclass(frozen=True)
class FixedStaff:
    email: str
    first_name: str
    last_name: str
    who: str  # as DEMO.md says it
    brin: str | None = None  # None: board admin
    role: str = StaffMembership.Role.TEACHER
    grade: str | None = None  # the group a teacher teaches


STAFF = [
    FixedStaff("bestuur@stichting.example", "Hans", "Vermeulen", "board admin of both schools"),
    FixedStaff("directie@regenboog.example", "Marieke", "Dekker", "director and school admin of De Regenboog",
               REGENBOOG, StaffMembership.Role.DIRECTOR),
    FixedStaff("administratie@regenboog.example", "Ingrid", "Mulder", "administration of De Regenboog",
               REGENBOOG, StaffMembership.Role.ADMINISTRATION),
    FixedStaff("leerkracht.groep3@regenboog.example", "Judith", "Kramer", "teacher of groep 3, De Regenboog",
               REGENBOOG, grade="3"),
    FixedStaff("leerkracht.groep6@regenboog.example", "Mark", "de Boer", "teacher of groep 6, De Regenboog",
               REGENBOOG, grade="6"),
    FixedStaff("leerkracht.groep5@deark.example", "Fatima", "Bennani", "teacher of groep 5, De Ark",
               ARK, grade="5"),
]


@dataclass(frozen=True)
class Parent:
    first_name: str
    last_name: str
    relation: str
    email: str | None = None  # a fixed account; None: a generated one
    registered: bool = True  # False: not registered and no e-mail known (registration letter only)
    hides_contact: bool = False
    note: str = ""  # added to the account list the command prints


# (first name, infix, last name, school, grade) of each child, and the guardians.
FAMILIES: list[tuple[list[tuple[str, str, str, str, str]], list[Parent]]] = [
    ([("Noor", "", "Jansen", REGENBOOG, "3"), ("Sem", "", "Jansen", REGENBOOG, "6")],
     [Parent("Eva", "Jansen", MOTHER, "jansen@ouders.example"), Parent("Peter", "Jansen", FATHER)]),
    # Separated parents, each with an own account; Sanne keeps her contact details to herself.
    ([("Lotte", "de", "Vries", REGENBOOG, "6")],
     [Parent("Martijn", "de Vries", FATHER, "devries@ouders.example"),
      Parent("Sanne", "Bakker", MOTHER, "bakker@ouders.example", hides_contact=True,
             note="; separated from devries@, own account")]),
    ([("Yasmina", "", "El Moussaoui", REGENBOOG, "6"), ("Adam", "", "El Moussaoui", ARK, "5")],
     [Parent("Nadia", "El Moussaoui", MOTHER, "elmoussaoui@ouders.example"),
      Parent("Karim", "El Moussaoui", FATHER)]),
    # Daan's family shares nothing on the class list and gave no image consent: those choices
    # are made by the classlist and albums apps' demo modules (world.students["Daan Smit"]).
    ([("Daan", "", "Smit", REGENBOOG, "3")],
     [Parent("Linda", "Smit", MOTHER, "smit@ouders.example"), Parent("Robin", "Smit", FATHER)]),
    # Finn's mother has not registered yet: the demo prints a registration code for her slot.
    ([("Finn", "", "Visser", REGENBOOG, "6")],
     [Parent("Thomas", "Visser", FATHER), Parent("Anouk", "Meijer", MOTHER, registered=False)]),
]
FINN = "Finn Visser"


def fixed_accounts() -> list[tuple[str, str]]:
    """(e-mail, who) of every fixed account, in the order of DEMO.md."""
    accounts = [(spec.email, spec.who) for spec in STAFF]
    names = {REGENBOOG: "De Regenboog", ARK: "De Ark"}
    for children, parents in FAMILIES:
        kids = " and ".join(
            f"{' '.join(p for p in (first, infix, last) if p)} (groep {grade}, {names[brin]})"
            for first, infix, last, brin, grade in children
        )
        accounts += [(parent.email, f"guardian of {kids}{parent.note}") for parent in parents if parent.email]
    return accounts


def split_last_name(name: str) -> tuple[str, str]:
    """("van der", "Berg") from "van der Berg": leading lower-case particles are the infix."""
    words = name.split()
    n = 0
    while n < len(words) - 1 and (words[n][0].islower() or words[n][0] == "'"):
        n += 1
    return " ".join(words[:n]), " ".join(words[n:])


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_text.lower() if ch.isalnum() or ch == "-")


@dataclass
class _Person:
    first_name: str
    last_name: str
    relation: str
    user: User | None = None
    email: str = ""
    phone: str = ""
    authority: bool = True
    sees_class_pages: bool = True
    hides_contact: bool = False


class _Builder:
    def __init__(self, rng: random.Random, faker: Faker):
        self.rng, self.faker = rng, faker
        self.password = make_password(PASSWORD)  # once: hashing per user would take minutes
        self.users: list[User] = []
        self.emails: set[str] = set()
        self.students: list[Student] = []
        self.enrollments: list[Enrollment] = []
        self.guardianships: list[Guardianship] = []
        self.pupil_numbers: dict[str, int] = {}

    def user(self, first_name: str, last_name: str, email: str = "", domain: str = PARENT_DOMAIN,
             language: str = "nl") -> User:
        email = email or self.email(first_name, last_name, domain)
        self.emails.add(email)
        user = User(email=email, first_name=first_name, last_name=last_name, language=language,
                    password=self.password)
        self.users.append(user)
        return user

    def email(self, first_name: str, last_name: str, domain: str) -> str:
        base, n = f"{_slug(first_name)}.{_slug(last_name)}", 1
        email = f"{base}@{domain}"
        while email in self.emails:
            n += 1
            email = f"{base}{n}@{domain}"
        self.emails.add(email)
        return email

    def phone(self) -> str:
        return f"06-{self.rng.randrange(10_000_000, 100_000_000)}"

    def first_name(self, relation: str | None = None) -> str:
        female = relation == MOTHER or (relation != FATHER and self.rng.random() < 0.5)
        return self.faker.first_name_female() if female else self.faker.first_name_male()

    def pupil(self, school: School, group: Group, first_name: str, infix: str, last_name: str) -> Student:
        self.pupil_numbers[school.brin] = number = self.pupil_numbers.get(school.brin, 0) + 1
        first_year = group.school_year.starts_on.year
        born = datetime.date(first_year - int(group.grades) - 4, 10, 1)
        born += datetime.timedelta(self.rng.randrange(365))
        student = Student(school=school, sis_id=f"{number + 1000}", first_name=first_name, infix=infix,
                          last_name=last_name, date_of_birth=born)
        self.students.append(student)
        self.enrollments.append(Enrollment(student=student, group=group))
        return student

    def guardianship(self, student: Student, person: _Person) -> Guardianship:
        slot = Guardianship(
            student=student, user=person.user, relation=person.relation, first_name=person.first_name,
            last_name=person.last_name, email=person.email, phone=person.phone,
            has_parental_authority=person.authority, sees_class_pages=person.sees_class_pages,
            hides_contact_from_other_guardians=person.hides_contact,
        )
        self.guardianships.append(slot)
        return slot

    def fixed_parent(self, parent: Parent) -> _Person:
        person = _Person(parent.first_name, parent.last_name, parent.relation, phone=self.phone(),
                         hides_contact=parent.hides_contact)
        if parent.registered:
            person.user = self.user(parent.first_name, parent.last_name, parent.email or "")
            person.email = person.user.email
        return person

    def generated_parent(self, relation: str, last_name: str) -> _Person:
        person = _Person(self.first_name(relation), last_name, relation, phone=self.phone())
        kind = self.rng.random()
        if kind < 0.85:  # registered
            language = "en" if self.rng.random() < 0.06 else "nl"
            person.user = self.user(person.first_name, last_name, language=language)
            person.email = person.user.email
        elif kind < 0.95:  # known to the school, can be invited
            person.email = self.email(person.first_name, last_name, PARENT_DOMAIN)
        return person

    def generated_family(self, last_name: str) -> list[_Person]:
        rng = self.rng
        if rng.random() < 0.15:
            relation = rng.choices([MOTHER, FATHER, PARENT], [75, 20, 5])[0]
            return [self.generated_parent(relation, last_name)]
        relations = [PARENT, PARENT] if rng.random() < 0.05 else [FATHER, MOTHER]
        # Half of the mothers kept their own name.
        own_name = rng.random() < 0.5
        parents = [self.generated_parent(relation, self.faker.last_name() if own_name and relation == MOTHER
                                         else last_name) for relation in relations]
        if rng.random() < 0.05:
            parents[0].authority = False
        return parents


def build_world(rng: random.Random, faker: Faker) -> DemoWorld:
    """The core world of DEMO.md, built with bulk inserts. Expects no demo data to exist."""
    letters = "".join(rng.choice(registration.ALPHABET) for _ in range(registration.CODE_LENGTH))
    code = f"{letters[:4]}-{letters[4:]}"
    b = _Builder(rng, faker)

    board = Board.objects.create(name=BOARD_NAME)
    schools = {spec["brin"]: School(board=board, **spec) for spec in SCHOOLS}
    School.objects.bulk_create(schools.values())
    ModuleSwitch.objects.bulk_create(
        ModuleSwitch(school=school, module=module, enabled=module in MODULES_ON[brin])
        for brin, school in schools.items()
        for module in MODULES
    )
    year = SchoolYear.for_date(timezone.localdate())
    groups = {
        (brin, grade): Group(school=school, school_year=year, name=f"Groep {grade}", grades=grade)
        for brin, school in schools.items()
        for grade in GRADES
    }
    Group.objects.bulk_create(groups.values())
    free = {key: rng.randint(18, 28) for key in groups}

    # Staff: the fixed accounts, a director and administration at De Ark, a teacher for every
    # other group (some groups have two: a "duo").
    users = {}
    teachers: dict[tuple[str, str], list[User]] = {key: [] for key in groups}
    staff = []
    for spec in STAFF:
        users[spec.email] = user = b.user(spec.first_name, spec.last_name, spec.email)
        if spec.brin is None:
            continue
        staff.append(StaffMembership(user=user, school=schools[spec.brin], role=spec.role))
        if spec.grade:
            teachers[spec.brin, spec.grade].append(user)
    for role in (StaffMembership.Role.DIRECTOR, StaffMembership.Role.ADMINISTRATION):
        user = b.user(b.first_name(), faker.last_name(), domain=DOMAINS[ARK])
        staff.append(StaffMembership(user=user, school=schools[ARK], role=role))
    for (brin, _grade), group_teachers in teachers.items():
        for _n in range(0 if group_teachers else 2 if rng.random() < 0.2 else 1):
            user = b.user(b.first_name(), faker.last_name(), domain=DOMAINS[brin])
            staff.append(StaffMembership(user=user, school=schools[brin], role=StaffMembership.Role.TEACHER))
            group_teachers.append(user)

    # The fixed families.
    students: dict[str, Student] = {}
    finn_slot = None
    for children, parents in FAMILIES:
        people = [b.fixed_parent(parent) for parent in parents]
        for person, parent in zip(people, parents, strict=True):
            if parent.email:
                users[parent.email] = person.user
        for first_name, infix, last_name, brin, grade in children:
            student = b.pupil(schools[brin], groups[brin, grade], first_name, infix, last_name)
            students[student.full_name] = student
            free[brin, grade] -= 1
            for person in people:
                slot = b.guardianship(student, person)
                if student.full_name == FINN and person.user is None:
                    finn_slot = slot

    # Generated families fill the groups, some with brothers and sisters in other groups.
    restricted_parent_done = False
    for brin, school in schools.items():
        while open_grades := [grade for grade in GRADES if free[brin, grade] > 0]:
            size = min(rng.choices([1, 2, 3], [70, 23, 7])[0], len(open_grades))
            infix, last_name = split_last_name(faker.last_name())
            full_last_name = f"{infix} {last_name}".strip()
            parents = b.generated_family(full_last_name)
            if brin == REGENBOOG and not restricted_parent_done and len(parents) == 2 and parents[0].user:
                # A parent without authority who only gets what the school must give (BW 1:377c).
                parents[0].authority = parents[0].sees_class_pages = False
                restricted_parent_done = True
            for grade in sorted(rng.sample(open_grades, size)):
                first_name = b.first_name()
                while " ".join(p for p in (first_name, infix, last_name) if p) in students:
                    first_name = b.first_name()
                student = b.pupil(school, groups[brin, grade], first_name, infix, last_name)
                free[brin, grade] -= 1
                for person in parents:
                    b.guardianship(student, person)

    User.objects.bulk_create(b.users)
    BoardMembership.objects.create(user=users[STAFF[0].email], board=board)
    StaffMembership.objects.bulk_create(staff)
    Teaching = Group.teachers.through
    Teaching.objects.bulk_create(
        Teaching(group=groups[key], user=user) for key, people in teachers.items() for user in people
    )
    Student.objects.bulk_create(b.students)
    Enrollment.objects.bulk_create(b.enrollments)
    Guardianship.objects.bulk_create(b.guardianships)
    RegistrationCode.objects.create(
        guardianship=finn_slot, code_hash=registration.hash_code(code),
        expires_at=timezone.now() + datetime.timedelta(days=schools[REGENBOOG].registration_code_days),
    )
    return DemoWorld(rng=rng, faker=faker, board=board, school_year=year, schools=schools, groups=groups,
                     teachers=teachers, users=users, students=students, registration_code=code)


def app_demo_modules() -> Iterator[ModuleType]:
    """The ``demo`` modules of the project's other apps, in the order of INSTALLED_APPS."""
    for config in apps.get_app_configs():
        if not config.name.startswith("schoolpoort.") or config.name == "schoolpoort.demo":
            continue
        name = f"{config.name}.demo"
        if importlib.util.find_spec(name) is not None:
            yield importlib.import_module(name)


def clear_world() -> None:
    """Remove what an earlier run made: the demo board with its schools and everything in
    them, and every user whose e-mail address ends in ".example"."""
    for module in app_demo_modules():
        if hasattr(module, "clear_demo"):
            module.clear_demo()
    boards = Board.objects.filter(name=BOARD_NAME)
    schools = School.objects.filter(Q(board__in=boards) | Q(brin__in=DOMAINS))
    Student.objects.filter(school__in=schools).delete()
    schools.delete()
    boards.delete()
    User.objects.filter(email__iendswith=".example").delete()


def fan_out_now() -> int:
    """Run the fan-out of every broadcast the demo's content made (the modules tell people
    through ``notify()`` as their actions do), here and now rather than in the task worker: the
    notification centre has its rows as soon as the demo is built, also where no worker runs (the
    browser tests). The e-mails and pushes it plans stay queued for the worker, as after any post.
    Returns the number of broadcasts."""
    pending = list(
        Broadcast.objects.filter(fanned_out_at__isnull=True, cancelled_at__isnull=True).order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in pending:
        fan_out_broadcast(pk)
    return len(pending)


def build_demo(verbosity: int = 1, stdout: TextIO | None = None, seed: int = SEED) -> DemoWorld:
    """Clear and build the whole demo, the core world and every app's content, in one
    transaction. With verbosity 1 or more, prints the time it took, the accounts and the code."""
    started = time.perf_counter()
    rng = random.Random(seed)
    faker = Faker("nl_NL")
    faker.seed_instance(seed)
    with transaction.atomic():
        clear_world()
        world = build_world(rng, faker)
        world.seed = seed
        analyze()  # the people, groups and enrollments: what every module's audience query reads
        for module in app_demo_modules():
            if hasattr(module, "load_demo"):
                module.load_demo(world)
        analyze()
        fan_out_now()
        for module in app_demo_modules():
            if hasattr(module, "after_fan_out"):
                module.after_fan_out(world)
        reach_changed()  # the world was written in bulk, around the signals
    if verbosity > 0:
        (stdout or sys.stdout).write(summary(world, time.perf_counter() - started))
    return world


def summary(world: DemoWorld, seconds: float) -> str:
    """Where to go, who to sign in as, and the registration code to try."""
    accounts = fixed_accounts()
    width = max(len(email) for email, _who in accounts)
    code = world.registration_code
    return "\n".join([
        f"Demo school loaded in {seconds:.1f} s.",
        "",
        f"Open {settings.SITE_URL}/ and sign in with one of these accounts:",
        *(f"  {email:<{width}}  {who}" for email, who in accounts),
        "",
        f"Password for every account: {world.password}",
        f"Second factor of every staff account (board, director, administration, teachers): TOTP secret "
        f"{DEMO_TOTP_SECRET} (base32, 30 s, 6 digits; any authenticator app, or "
        f"pyotp.TOTP('{DEMO_TOTP_SECRET}').now())",
        f"Registration code for Finn Visser's guardian: {code} — "
        f"{settings.SITE_URL}{reverse('accounts:register')}?code={code}",
        "",
    ])
