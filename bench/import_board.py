"""Benchmark: a board's import from the administration system (issue 8).

    DATABASE_URL=postgres://postgres@127.0.0.1:5441/schoolpoort .venv/bin/python bench/import_board.py
    .venv/bin/python bench/import_board.py --schools 20 --pupils 8000 --guardians 14000

Generates a board of 20 schools with 8,000 pupils (16 groups and 16 teachers per school) and
14,000 guardians, as one EDEX.XML and one guardian CSV per school and as one board-wide OneRoster
ZIP, then times with the product's own functions (``imports.run.preview`` = parse + dry run,
``imports.run.apply_run`` = re-read + re-plan + write, in one transaction):

1. EDEXML + guardian CSV, school by school: dry run and apply of the first import, then the
   same files again (re-import: nothing changes);
2. the next school year: every pupil one group up, a tenth of them leavers (dry run + apply);
3. the board-wide OneRoster ZIP on a fresh board: dry run, apply, and re-import.

Against DATABASE_URL (migrated first; the benchmark's board is removed afterwards) or, without
it, a temporary SQLite file. Not a test: it generates its own data and prints figures.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

FIRST = ["Noor", "Sem", "Emma", "Liam", "Julia", "Daan", "Tess", "Lucas", "Mila", "Finn", "Yara", "Adam", "Sara"]
LAST = ["Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos"]


def split_name(last: str) -> tuple[str, str]:
    parts = last.rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else ("", last)


def make_board(schools: int, pupils: int, guardians: int, year: str, seed: int = 8):
    """[(brin, groups, pupils, teachers, guardians)] with stable keys, so a second call with
    another year and the same seed describes the same people."""
    rng = random.Random(seed)
    board = []
    per_school = pupils // schools
    extra_guardians = guardians - pupils  # every pupil one, this many a second
    number = 100000
    for s in range(schools):
        brin = f"{30 + s // 26:02d}{chr(65 + s % 26)}A"
        groups = [(f"G{g}", f"Groep {g}", str(g)) for g in range(1, 9)] + [
            (f"G{g}b", f"Groep {g}b", str(g)) for g in range(1, 9)
        ]
        kids, parents = [], []
        for i in range(per_school):
            number += 1
            infix, last = split_name(rng.choice(LAST))
            group = groups[i % len(groups)]
            kids.append(
                (
                    str(number),
                    rng.choice(FIRST),
                    infix,
                    last,
                    f"201{rng.randint(4, 9)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                    group[0],
                )
            )
            parents.append((str(number), "moeder", rng.choice(FIRST), infix, last, f"p{number}a@ouders.example"))
            if (s * per_school + i) < extra_guardians:
                parents.append((str(number), "vader", rng.choice(FIRST), infix, last, f"p{number}b@ouders.example"))
        teachers = [(f"T{s}-{g[0]}", f"Leerkracht{g[0]}", f"t{s}-{g[0].lower()}@school.example", g[0]) for g in groups]
        board.append((brin, groups, kids, teachers, parents))
    return board


def edexml(brin, groups, kids, teachers, year) -> bytes:
    out = [
        f'<?xml version="1.0" encoding="UTF-8"?>\n<EDEX><school><schooljaar>{year}</schooljaar>'
        f"<brincode>{brin}</brincode></school><groepen>"
    ]
    out += [f'<groep key="{k}"><naam>{n}</naam><jaargroep>{g}</jaargroep></groep>' for k, n, g in groups]
    out.append("</groepen><leerlingen>")
    out += [
        f'<leerling key="{n}"><achternaam>{last}</achternaam><voorvoegsel>{infix}</voorvoegsel>'
        f'<roepnaam>{first}</roepnaam><geboortedatum>{born}</geboortedatum><groep key="{group}"/></leerling>'
        for n, first, infix, last, born, group in kids
    ]
    out.append("</leerlingen><leerkrachten>")
    out += [
        f'<leerkracht key="{k}"><achternaam>{last}</achternaam><roepnaam>Juf</roepnaam><emailadres>{email}</emailadres>'
        f'<groepen><groep key="{group}"/></groepen></leerkracht>'
        for k, last, email, group in teachers
    ]
    out.append("</leerkrachten></EDEX>")
    return "\n".join(out).encode()


def guardian_csv(parents) -> bytes:
    lines = ["leerlingnummer;relatie;voornaam;tussenvoegsel;achternaam;e-mailadres;telefoon;ouderlijk gezag"]
    lines += [f"{n};{rel};{first};{infix};{last};{email};;ja" for n, rel, first, infix, last, email in parents]
    return ("\r\n".join(lines) + "\r\n").encode()


def oneroster(board, year) -> bytes:
    from schoolpoort.imports import formats

    first, last_year = year.split("-")
    orgs = ["sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId", "b,,,Bench,district,,"]
    sessions = [
        "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear",
        f"y,,,{year},schoolYear,{first}-08-01,{last_year}-07-31,,{last_year}",
    ]
    classes = [
        "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,"
        "schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods"
    ]
    users = [
        "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,"
        "familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password"
    ]
    enrollments = [
        "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate"
    ]
    for brin, groups, kids, teachers, parents in board:
        org = f"o-{brin}"
        orgs.append(f"{org},,,School {brin},school,{brin},b")
        for key, name, grade in groups:
            classes.append(f"{org}-{key},,,{name},{grade},,{key},homeroom,,{org},y,,,")
        for n, first_name, infix, last, _born, group in kids:
            users.append(f"s{n},,,true,{org},student,,,{first_name},{last},{infix},{n},,,,,,")
            enrollments.append(f"e{n},,,{org}-{group},{org},s{n},student,,,")
        for key, last, email, group in teachers:
            users.append(f"{key},,,true,{org},teacher,,,Juf,{last},,,{email},,,,,")
            enrollments.append(f"e{key},,,{org}-{group},{org},{key},teacher,true,,")
        for i, (n, _rel, first_name, infix, last, email) in enumerate(parents):
            users.append(f"g{n}-{i},,,true,{org},parent,,,{first_name},{last},{infix},,{email},,,s{n},,")
    files = {
        "orgs.csv": orgs,
        "academicSessions.csv": sessions,
        "classes.csv": classes,
        "users.csv": users,
        "enrollments.csv": enrollments,
    }
    return formats.bundle({name: ("\n".join(rows) + "\n").encode() for name, rows in files.items()})


def timed(label: str, func, figures: list):
    started = time.perf_counter()
    value = func()
    elapsed = time.perf_counter() - started
    figures.append((label, elapsed))
    print(f"  {label:<58} {elapsed:7.2f} s", flush=True)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=20)
    parser.add_argument("--pupils", type=int, default=8000)
    parser.add_argument("--guardians", type=int, default=14000)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="import-bench-")
    os.environ.setdefault("SCHOOLPOORT_VAR_DIR", tmp)
    os.environ["DJANGO_SETTINGS_MODULE"] = "schoolpoort.settings"
    import django

    django.setup()
    from bench.common import leave_school_scopes

    leave_school_scopes()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from schoolpoort.core.models import Board, Enrollment, Group, Guardianship, School, Student
    from schoolpoort.imports.models import ImportRun
    from schoolpoort.imports.planner import school_year_name_for
    from schoolpoort.imports.run import apply_run, preview

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    year = school_year_name_for(timezone.localdate())
    first = int(year[:4])
    next_year = f"{first + 1}-{first + 2}"

    def fresh_board(name):
        board = Board.objects.create(name=name)
        return board

    def import_files(schools, files, figures, label):
        """Dry run and apply of every school's file; totals over the board."""
        runs = []
        started = time.perf_counter()
        for school, data in zip(schools, files, strict=True):
            run, result = preview(school=school, user=None, filename="f", data=data, inline=True)
            assert not result.all_errors, [str(e) for e in result.all_errors[:5]]
            runs.append((run, result))
        dry = time.perf_counter() - started
        started = time.perf_counter()
        for run, _result in runs:
            result = apply_run(run, None)
            assert not result.all_errors
        applied = time.perf_counter() - started
        totals = {}
        for _run, result in runs:
            for k, v in result.counts.items():
                totals[k] = totals.get(k, 0) + v
        figures.append((f"{label}: dry run", dry))
        figures.append((f"{label}: apply", applied))
        shown = {k: v for k, v in totals.items() if v}
        print(f"  {label:<40} dry run {dry:6.2f} s   apply {applied:6.2f} s   {shown}", flush=True)

    figures: list = []
    board_data = make_board(args.schools, args.pupils, args.guardians, year)
    n_guardians = sum(len(b[4]) for b in board_data)
    print(f"board: {args.schools} schools, {sum(len(b[2]) for b in board_data)} pupils, {n_guardians} guardians")

    board = fresh_board("Bench EDEXML")
    schools = [School.objects.create(board=board, name=f"School {b[0]}", brin=b[0]) for b in board_data]
    try:
        xml = [edexml(b[0], b[1], b[2], b[3], year) for b in board_data]
        csvs = [guardian_csv(b[4]) for b in board_data]
        print(f"EDEX.XML {sum(map(len, xml)) / 1e6:.1f} MB, guardian CSV {sum(map(len, csvs)) / 1e6:.1f} MB in total")
        import_files(schools, xml, figures, "EDEXML, first import")
        import_files(schools, csvs, figures, "guardian CSV, first import")
        import_files(schools, xml, figures, "EDEXML, re-import (no change)")
        import_files(schools, csvs, figures, "guardian CSV, re-import (no change)")
        # Next school year: one group up (groep 8 leaves), and a tenth leave besides.
        moved = []
        for brin, groups, kids, teachers, _parents in board_data:
            up = {f"G{g}": f"G{g + 1}" for g in range(1, 8)} | {f"G{g}b": f"G{g + 1}b" for g in range(1, 8)}
            stay = [
                (n, f, i, last, born, up[g])
                for k, (n, f, i, last, born, g) in enumerate(kids)
                if g in up and k % 10 != 3
            ]
            moved.append(edexml(brin, groups, stay, teachers, next_year))
        import_files(schools, moved, figures, "EDEXML, next school year")
        print(
            f"  after: {Student.objects.filter(school__board=board, archived_at__isnull=True).count()} active, "
            f"{Student.objects.filter(school__board=board, archived_at__isnull=False).count()} archived, "
            f"{Enrollment.objects.filter(student__school__board=board).count()} enrollments"
        )
    finally:
        cleanup(board, ImportRun, Guardianship, Enrollment, Student, Group, School)

    board = fresh_board("Bench OneRoster")
    schools = [School.objects.create(board=board, name=f"School {b[0]}", brin=b[0]) for b in board_data]
    try:
        data = oneroster(board_data, year)
        print(f"OneRoster ZIP {len(data) / 1e6:.1f} MB (board-wide)")
        for label in ("OneRoster, first import", "OneRoster, re-import (no change)"):
            run, result = timed(
                f"{label}: dry run",
                lambda: preview(school=None, board=board, user=None, filename="or.zip", data=data, inline=True),
                figures,
            )
            assert not result.all_errors, [str(e) for e in result.all_errors[:5]]
            print(f"    {dict((k, v) for k, v in result.counts.items() if v)}")
            timed(f"{label}: apply", lambda run=run: apply_run(run, None), figures)
    finally:
        cleanup(board, ImportRun, Guardianship, Enrollment, Student, Group, School)


def cleanup(board, ImportRun, Guardianship, Enrollment, Student, Group, School):
    ImportRun.objects.filter(board=board).delete()
    ImportRun.objects.filter(school__board=board).delete()
    Guardianship.objects.filter(student__school__board=board).delete()
    Enrollment.objects.filter(student__school__board=board).delete()
    Student.objects.filter(school__board=board).delete()
    Group.objects.filter(school__board=board).delete()
    School.objects.filter(board=board).delete()
    board.delete()


if __name__ == "__main__":
    main()
