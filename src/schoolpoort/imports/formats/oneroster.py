"""OneRoster 1.1 CSV: ``orgs.csv``, ``academicSessions.csv``, ``classes.csv``, ``users.csv`` and
``enrollments.csv`` (``demographics.csv`` for dates of birth, when present), as a ZIP or as the
separate files. One file may hold several schools (orgs of type "school", the BRIN in
``identifier``): a board-wide export.

- groups are the classes of type ``homeroom`` (all classes, when a school has no homeroom);
- the pupil number is the student's ``identifier`` (falling back to ``sourcedId``);
- guardians are users with role parent, guardian or relative, linked to their children through
  ``agentSourcedIds`` (on the guardian, on the student, or both);
- rows with status ``tobedeleted`` are left out, as the standard's delta files intend.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from schoolpoort.core.models import Guardianship
from schoolpoort.lib.archives import ArchiveRefused, open_zip
from schoolpoort.lib.csv import CsvTable, RowError, read_csv

from ..dataset import (
    Dataset,
    SchoolData,
    SisGroup,
    SisGuardian,
    SisStudent,
    SisTeacher,
    clean_email,
    grades_from,
    join_infix,
    parse_date,
    school_year_name,
)

FORMAT = "oneroster"

FILES = {
    "orgs.csv": (["sourcedId", "name", "type"], ["identifier", "status"]),
    "academicSessions.csv": (["sourcedId"], ["title", "type", "startDate", "endDate", "schoolYear", "status"]),
    "classes.csv": (
        ["sourcedId", "title", "schoolSourcedId"],
        ["classType", "classCode", "grades", "termSourcedIds", "status"],
    ),
    "users.csv": (
        ["sourcedId", "role", "givenName", "familyName"],
        ["orgSourcedIds", "email", "identifier", "agentSourcedIds", "middleName", "phone", "sms", "status"],
    ),
    "enrollments.csv": (["classSourcedId", "userSourcedId", "role"], ["schoolSourcedId", "status"]),
    "demographics.csv": (["sourcedId"], ["birthDate", "status"]),
}
OPTIONAL_FILES = {"demographics.csv", "academicSessions.csv"}
GUARDIAN_ROLES = {
    "parent": Guardianship.Relation.PARENT,
    "guardian": Guardianship.Relation.GUARDIAN,
    "relative": Guardianship.Relation.OTHER,
}


def _ids(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _year_of(start: str) -> str:
    """The school year a session starting on ``start`` belongs to (they start on 1 August)."""
    try:
        day = parse_date(start)
    except ValueError:
        return ""
    if day is None:
        return ""
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}"


def parse_zip(data: bytes) -> Dataset:
    """The CSV files of a OneRoster ZIP, unpacked within the kernel's archive limits."""
    try:
        files = open_zip(data).read_all(suffixes=(".csv",))
    except ArchiveRefused as refused:
        dataset = Dataset(format=FORMAT)
        dataset.errors.append(RowError(1, refused.message))
        return dataset
    return parse(files)


def parse(files: dict[str, bytes]) -> Dataset:
    """``files``: file name → contents. Names are matched without regard to case."""
    dataset = Dataset(format=FORMAT)
    by_lower = {name.lower(): content for name, content in files.items()}
    tables: dict[str, CsvTable] = {}
    for name, (required, optional) in FILES.items():
        content = by_lower.get(name.lower())
        if content is None:
            if name not in OPTIONAL_FILES:
                dataset.errors.append(RowError(1, _("The file is missing."), name))
            continue
        table = read_csv(content, [c.lower() for c in required], [c.lower() for c in optional])
        for error in table.errors:
            error.source = name
        dataset.errors.extend(table.errors)
        # Rows marked for deletion are not there.
        table.rows = [(line, row) for line, row in table.rows if row.get("status", "").lower() != "tobedeleted"]
        tables[name] = table
    if dataset.errors:
        return dataset

    def error(file: str, line: int, message: str) -> None:
        dataset.errors.append(RowError(line, message, file))

    schools: dict[str, SchoolData] = {}
    for line, row in tables["orgs.csv"].rows:
        if row["type"].lower() != "school":
            continue
        if not row["identifier"]:
            error("orgs.csv", line, _("School %(name)s has no BRIN code in identifier.") % {"name": row["name"]})
            continue
        schools[row["sourcedid"]] = SchoolData(
            brin=row["identifier"].upper(), name=row["name"], full=True, guardians=[], source="users.csv"
        )
    if not schools:
        error("orgs.csv", 1, _("There is no org of type school."))
        return dataset

    sessions = {row["sourcedid"]: row for _line, row in tables.get("academicSessions.csv", CsvTable()).rows}

    classes = [(line, row) for line, row in tables["classes.csv"].rows if row["schoolsourcedid"] in schools]
    homeroom_schools = {row["schoolsourcedid"] for _l, row in classes if row["classtype"].lower() == "homeroom"}
    groups: dict[str, tuple[str, SisGroup]] = {}  # class sourcedId → (school sourcedId, group)
    years: dict[str, Counter] = defaultdict(Counter)
    for line, row in classes:
        school_id = row["schoolsourcedid"]
        if school_id in homeroom_schools and row["classtype"].lower() != "homeroom":
            continue
        group = SisGroup(
            key=row["sourcedid"],
            name=row["title"],
            grades=grades_from(row["grades"]) or grades_from(row["title"]),
            line=line,
        )
        groups[row["sourcedid"]] = (school_id, group)
        schools[school_id].groups.append(group)
        for term in _ids(row["termsourcedids"]):
            session = sessions.get(term)
            if session:
                year = school_year_name(session.get("schoolyear", "")) or _year_of(session.get("startdate", ""))
                if year:
                    years[school_id][year] += 1
    for school_id, counter in years.items():
        schools[school_id].school_year = counter.most_common(1)[0][0]

    births = {}
    for line, row in tables.get("demographics.csv", CsvTable()).rows:
        try:
            births[row["sourcedid"]] = parse_date(row.get("birthdate", ""))
        except ValueError:
            error(
                "demographics.csv",
                line,
                _("The date of birth %(value)s is not a date.") % {"value": row.get("birthdate", "")},
            )

    students: dict[str, tuple[str, SisStudent]] = {}  # user sourcedId → (school sourcedId, pupil)
    teachers: dict[str, tuple[list[str], SisTeacher]] = {}
    agents: list[tuple[int, dict]] = []
    pupil_numbers: dict[tuple[str, str], int] = {}
    for line, row in tables["users.csv"].rows:
        role = row["role"].lower()
        orgs = [o for o in _ids(row["orgsourcedids"]) if o in schools]
        if role == "student":
            if not orgs:
                continue  # a pupil of a school not in this file
            key = row["identifier"] or row["sourcedid"]
            if (orgs[0], key) in pupil_numbers:
                error(
                    "users.csv",
                    line,
                    _("The pupil number %(key)s is also on line %(other)s.")
                    % {"key": key, "other": pupil_numbers[(orgs[0], key)]},
                )
                continue
            if not row["givenname"] or not row["familyname"]:
                error("users.csv", line, _("Pupil %(key)s has no given name or family name.") % {"key": key})
                continue
            pupil_numbers[(orgs[0], key)] = line
            student = SisStudent(
                key=key,
                first_name=row["givenname"],
                infix=row["middlename"],
                last_name=row["familyname"],
                date_of_birth=births.get(row["sourcedid"]),
                group_key="",
                line=line,
            )
            students[row["sourcedid"]] = (orgs[0], student)
            schools[orgs[0]].students.append(student)
        elif role in ("teacher", "aide"):
            try:
                email = clean_email(row["email"])
            except ValidationError:
                error("users.csv", line, _("%(value)s is not an e-mail address.") % {"value": row["email"]})
                continue
            if not email:
                dataset.warnings.append(
                    RowError(
                        line,
                        _("Teacher %(name)s has no e-mail address and is skipped.")
                        % {"name": join_infix(row["middlename"], row["familyname"])},
                        "users.csv",
                    )
                )
                continue
            teacher = SisTeacher(
                key=row["sourcedid"],
                email=email,
                first_name=row["givenname"],
                last_name=join_infix(row["middlename"], row["familyname"]),
                line=line,
            )
            teachers[row["sourcedid"]] = (orgs, teacher)
        elif role in GUARDIAN_ROLES:
            agents.append((line, row))

    placed: dict[str, int] = {}
    for line, row in tables["enrollments.csv"].rows:
        entry = groups.get(row["classsourcedid"])
        if entry is None:
            continue  # not a homeroom, or another school's class
        school_id, group = entry
        role = row["role"].lower()
        user_id = row["usersourcedid"]
        if role == "student" and user_id in students:
            if user_id in placed:
                error(
                    "enrollments.csv",
                    line,
                    _("This pupil is already in a group on line %(other)s.") % {"other": placed[user_id]},
                )
                continue
            placed[user_id] = line
            students[user_id][1].group_key = group.key
        elif role in ("teacher", "aide") and user_id in teachers:
            orgs, teacher = teachers[user_id]
            teacher.group_keys.append(group.key)
            if school_id not in orgs:
                orgs.append(school_id)
    for orgs, teacher in teachers.values():
        for school_id in orgs:
            mine = {g.key for g in schools[school_id].groups}
            schools[school_id].teachers.append(
                SisTeacher(
                    key=teacher.key,
                    email=teacher.email,
                    first_name=teacher.first_name,
                    last_name=teacher.last_name,
                    group_keys=[k for k in teacher.group_keys if k in mine],
                    line=teacher.line,
                )
            )

    # Guardian links may be written on either side; each pair counts once.
    pairs: dict[tuple[str, str], int] = {}
    guardian_rows = {row["sourcedid"]: (line, row) for line, row in agents}
    for line, row in agents:
        for child in _ids(row["agentsourcedids"]):
            pairs.setdefault((row["sourcedid"], child), line)
    for _line, row in tables["users.csv"].rows:
        if row["sourcedid"] in students:
            for agent in _ids(row["agentsourcedids"]):
                if agent in guardian_rows:
                    pairs.setdefault((agent, row["sourcedid"]), guardian_rows[agent][0])
    for (agent, child), line in pairs.items():
        if child not in students:
            continue  # a child of another school, or not a pupil
        _line, row = guardian_rows[agent]
        try:
            email = clean_email(row["email"])
        except ValidationError:
            error("users.csv", line, _("%(value)s is not an e-mail address.") % {"value": row["email"]})
            continue
        school_id, student = students[child]
        schools[school_id].guardians.append(
            SisGuardian(
                student_key=student.key,
                email=email,
                relation=GUARDIAN_ROLES[row["role"].lower()],
                first_name=row["givenname"],
                last_name=join_infix(row["middlename"], row["familyname"]),
                phone=(row["phone"] or row["sms"])[:30],
                has_parental_authority=True,
                line=line,
            )
        )
    if not agents:
        for school in schools.values():
            school.guardians = None  # this export says nothing about parents
    dataset.schools = list(schools.values())
    return dataset
