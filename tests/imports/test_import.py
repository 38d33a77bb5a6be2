"""The import of issue 8: dry run, apply, re-apply with no change, group moves, leavers, bad rows
with their line numbers and nothing applied — for EDEXML + the guardian CSV and for OneRoster."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from schoolpoort.core.access import get_visible_or_404, roles_of
from schoolpoort.core.models import Enrollment, Group, Guardianship, StaffMembership, Student
from schoolpoort.imports import formats
from schoolpoort.imports.models import ImportRun
from schoolpoort.imports.run import PlanChanged, apply_run, plan_dataset, preview
from tests.factories import GuardianshipFactory, UserFactory
from tests.world import build_world

from .samples import edexml, guardians_csv, next_year, oneroster_files, oneroster_zip, this_year


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    return build_world()


def dry_run(world, data):
    return plan_dataset(formats.parse(data), school=world.school)


def do_import(world, data, user=None):
    run, result = preview(school=world.school, user=user or world.users["administration"], filename="f", data=data)
    assert not result.all_errors, [str(e) for e in result.all_errors]
    return apply_run(run, user or world.users["administration"])


def snapshot(school):
    return (
        sorted(Student.objects.filter(school=school).values_list("sis_id", "first_name", "archived_at")),
        sorted(Enrollment.objects.filter(student__school=school).values_list("student_id", "group_id")),
        sorted(Guardianship.objects.filter(student__school=school).values_list("email", "relation")),
        Group.objects.filter(school=school).count(),
    )


# --- EDEXML + guardian CSV ---------------------------------------------------------------------


def test_the_dry_run_shows_what_would_change_and_changes_nothing(world):
    before = snapshot(world.school)
    result = dry_run(world, edexml())
    counts = result.counts
    assert counts["added"] == 3
    assert counts["archived"] == 2  # the world's two pupils are not in the file: leavers
    assert counts["teachers"] == 3  # two new, and the world's teacher of groep 3 no longer with it
    assert [c.name for c in result.plans[0].shown["added"]] == ["Noor Jansen", "Sem van den Berg", "Yasmina El Amrani"]
    assert snapshot(world.school) == before


def test_apply_then_the_same_file_again_changes_nothing(world):
    do_import(world, edexml())
    do_import(world, guardians_csv())
    noor = Student.objects.get(school=world.school, sis_id="5001")
    assert noor.groups.get().name == "Groep 3"
    assert noor.date_of_birth.isoformat() == "2018-03-04"
    assert sorted(noor.guardianships.values_list("email", "relation", "has_parental_authority")) == [
        ("anna.jansen@ouders.example", "mother", True),
        ("bram.jansen@ouders.example", "father", True),
    ]
    karim = Guardianship.objects.get(email="karim@ouders.example")
    assert not karim.has_parental_authority and karim.user is None
    after = snapshot(world.school)

    for data in (edexml(), guardians_csv()):
        again = dry_run(world, data)
        assert again.is_empty and not again.all_errors, again.counts
        do_import(world, data)
    assert snapshot(world.school) == after


def test_teachers_get_an_account_without_password_a_role_and_their_group(world):
    do_import(world, edexml())
    teacher = Group.objects.get(school=world.school, name="Groep 3", school_year__name=this_year()).teachers.get(
        email="m.visser@school.example"
    )
    assert not teacher.has_usable_password()  # the activation link sets it
    assert StaffMembership.objects.filter(user=teacher, school=world.school, role="teacher").exists()
    # The world's teacher of groep 3 is not in the file any more: no longer linked to it.
    assert not world.group3.teachers.filter(pk=world.users["teacher"].pk).exists()


def test_a_group_move_keeps_the_pupil_its_guardians_and_accounts(world):
    do_import(world, edexml())
    do_import(world, guardians_csv())
    sem = Student.objects.get(school=world.school, sis_id="5002")
    slot = sem.guardianships.get()
    slot.user = UserFactory(email="kees@ouders.example")
    slot.save()
    moved_file = edexml().replace(
        b"<roepnaam>Sem</roepnaam>\n      <geboortedatum>2018-11-20</geboortedatum>\n      <jaargroep>3</jaargroep>\n"
        b'      <groep key="G3"/>',
        b"<roepnaam>Sem</roepnaam>\n      <geboortedatum>2018-11-20</geboortedatum>\n      <jaargroep>5</jaargroep>\n"
        b'      <groep key="G56"/>',
    )
    result = dry_run(world, moved_file)
    assert [(c.key, c.changes[0][1], c.changes[0][2]) for c in result.plans[0].shown["moved"]] == [
        ("5002", f"Groep 3 ({this_year()})", f"Groep 5/6 ({this_year()})")
    ]
    assert result.counts["added"] == 0 and result.counts["archived"] == 0
    do_import(world, moved_file)
    sem_after = Student.objects.get(school=world.school, sis_id="5002")
    assert sem_after.pk == sem.pk
    assert list(sem_after.groups.values_list("name", flat=True)) == ["Groep 5/6"]  # moved, not doubled
    assert sem_after.guardianships.get().user.email == "kees@ouders.example"


def test_a_move_into_the_next_school_year_keeps_last_years_group_as_history(world):
    do_import(world, edexml())
    next_file = edexml(year=next_year()).replace(
        b"<naam>Groep 3</naam>\n      <jaargroep>3", b"<naam>Groep 4</naam>\n      <jaargroep>4"
    )
    result = dry_run(world, next_file)
    assert result.counts["groups"] == 2 and result.counts["moved"] == 3 and result.counts["added"] == 0
    do_import(world, next_file)
    noor = Student.objects.get(school=world.school, sis_id="5001")
    assert sorted(noor.groups.values_list("school_year__name", "name")) == [
        (this_year(), "Groep 3"),
        (next_year(), "Groep 4"),
    ]
    assert dry_run(world, next_file).is_empty


def test_a_leaver_is_archived_not_deleted_and_the_guardians_lose_access(world):
    guardian = world.users["guardian"]
    assert get_visible_or_404(Student, guardian, pk=world.child.pk)
    result = dry_run(world, edexml())
    assert world.child.sis_id in [c.key for c in result.plans[0].shown["archived"]]
    do_import(world, edexml())
    world.child.refresh_from_db()
    assert world.child.archived_at is not None
    assert world.child.guardianships.count() == 2  # kept, with their accounts
    guardian = type(guardian).objects.get(pk=guardian.pk)  # fresh: roles are cached on the object
    with pytest.raises(Http404):
        get_visible_or_404(Student, guardian, pk=world.child.pk)
    assert not Group.objects.visible_to(guardian).exists()
    assert not roles_of(guardian).is_guardian
    # A leaver who is in the file again comes back.
    back = edexml().replace(
        b"</leerlingen>",
        f"""<leerling key="{world.child.sis_id}"><achternaam>Jansen</achternaam>
      <roepnaam>Noor</roepnaam><groep key="G3"/></leerling></leerlingen>""".encode(),
    )
    result = dry_run(world, back)
    assert [c.key for c in result.plans[0].shown["returned"]] == [world.child.sis_id]


def test_bad_rows_are_reported_with_their_line_numbers_and_nothing_is_applied(world):
    do_import(world, edexml())
    before = snapshot(world.school)
    bad = guardians_csv(
        "5002;oom;Piet;;Berg;piet@ouders.example;;ja\r\n"  # line 7: unknown relation
        "9999;moeder;Els;;Kok;els@ouders.example;;ja\r\n"  # line 8: no such pupil
        "5003;moeder;Fatima;;El Amrani;fatima@ouders.example;;ja\r\n"  # line 9: twice
        "5003;vader;Ali;;El Amrani;geen-adres;;ja\r\n"  # line 10: not an address
        "5002;vader;Jan;;Berg;jan@ouders.example;;misschien\r\n"  # line 11: authority
    )
    run, result = preview(school=world.school, user=world.users["administration"], filename="o.csv", data=bad)
    lines = [(e.line, e.message) for e in result.all_errors]
    assert [line for line, _m in lines] == [7, 8, 9, 10, 11]
    assert "oom" in lines[0][1] and "9999" in lines[1][1] and "line 5" in lines[2][1]
    assert run.status == ImportRun.Status.FAILED
    result = apply_run(run, world.users["administration"])
    assert result.all_errors
    assert snapshot(world.school) == before  # not even the good rows


def test_bad_edexml_elements_are_reported_with_their_line(world):
    bad = edexml(
        **{
            "<geboortedatum>2018-11-20</geboortedatum>": "<geboortedatum>20-20-2018</geboortedatum>",
            '<leerling key="5003">': '<leerling key="5001">',
        }
    )
    result = dry_run(world, bad)
    found = [(e.line, e.message) for e in result.all_errors]
    assert [line for line, _m in found] == [34, 42]  # the lines of the two <leerling> elements
    assert "date of birth" in found[0][1] and "twice" in found[1][1]
    assert dry_run(world, b"<EDEX><school>").all_errors[0].line == 1


def test_an_export_of_a_school_year_that_has_ended_is_refused(world):
    first = int(this_year()[:4]) - 1
    result = dry_run(world, edexml(year=f"{first}-{first + 1}"))
    assert "ended" in result.all_errors[0].message


def test_a_file_for_another_school_is_refused(world):
    result = plan_dataset(formats.parse(edexml()), school=world.other_school)
    assert "11AA" in result.all_errors[0].message


# --- OneRoster ---------------------------------------------------------------------------------


def test_oneroster_dry_run_apply_and_again(world):
    result = dry_run(world, oneroster_zip())
    counts = result.counts
    assert (counts["added"], counts["archived"], counts["guardians_added"]) == (3, 2, 4)
    groups = [c.name for c in result.plans[0].shown["groups"]]
    assert "Muziek" not in groups  # only homeroom classes are groups
    do_import(world, oneroster_zip())
    noor = Student.objects.get(school=world.school, sis_id="5001")
    assert noor.date_of_birth.isoformat() == "2018-03-04"
    # Linked from the student's side (Anna, Bram) and from the guardian's side (Kees, Fatima).
    assert sorted(
        Guardianship.objects.filter(student__school=world.school, user__isnull=True).values_list(
            "student__sis_id", "email", "relation"
        )
    ) == [
        ("5001", "anna.jansen@ouders.example", "parent"),
        ("5001", "bram.jansen@ouders.example", "parent"),
        ("5002", "kees@ouders.example", "guardian"),
        ("5003", "fatima@ouders.example", "parent"),
    ]
    assert Student.objects.get(school=world.school, sis_id="5003").groups.get().name == "Groep 5/6"
    assert dry_run(world, oneroster_zip()).is_empty


def test_oneroster_as_separate_files_and_its_errors_name_file_and_line(world):
    files = oneroster_files()
    files["enrollments.csv"] += b"e7,,,class-g56,org-11AA,u-5001,student,,,\n"
    dataset = formats.oneroster.parse(files)
    result = plan_dataset(dataset, school=world.school)
    (error,) = result.all_errors
    assert (error.source, error.line) == ("enrollments.csv", 8)
    assert "line 2" in error.message
    del files["users.csv"]
    assert formats.oneroster.parse(files).errors[0].source == "users.csv"


def test_a_board_wide_oneroster_file_plans_every_school_of_the_board(world):
    files = oneroster_files()
    files["orgs.csv"] += b"org-11BB,,,School A2,school,11BB,board-1\n"
    files["users.csv"] += b"u-7001,,,true,org-11BB,student,,,Lieke,Bos,,7001,,,,,04,\n"
    result = plan_dataset(formats.oneroster.parse(files), board=world.school.board)
    assert sorted((p.school.brin, p.counts["added"]) for p in result.plans) == [("11AA", 3), ("11BB", 1)]


# --- Transactions and speed ---------------------------------------------------------------------


def test_a_confirmation_of_an_outdated_preview_shows_the_new_one_instead(world):
    run, result = preview(school=world.school, user=world.users["administration"], filename="x", data=edexml())
    Student.objects.filter(pk=world.classmate_of_other_group.pk).update(sis_id="5003")  # someone changed data
    with pytest.raises(PlanChanged):
        apply_run(run, world.users["administration"], digest=run.upload.digest_for(result.digest()))
    assert not Student.objects.filter(sis_id="5001").exists()
    run.refresh_from_db()
    apply_run(run, world.users["administration"], digest=run.upload.digest_for(run.digest))
    assert Student.objects.filter(sis_id="5001").exists()


def many_pupils(n: int) -> bytes:
    pupils = "".join(
        f'<leerling key="{9000 + i}"><achternaam>Kind</achternaam><roepnaam>K{i}</roepnaam>'
        f'<geboortedatum>2017-01-01</geboortedatum><groep key="{"G3" if i % 2 else "G56"}"/></leerling>'
        for i in range(n)
    )
    return edexml().replace(b"</leerlingen>", pupils.encode() + b"</leerlingen>")


def guardians_for(n: int) -> bytes:
    rows = "".join(f"{9000 + i};ouder;O{i};;Kind;o{i}@ouders.example;;ja\r\n" for i in range(n))
    return guardians_csv(rows)


@pytest.mark.parametrize("kind", ["pupils", "guardians"])
def test_the_dry_run_takes_the_same_number_of_queries_for_few_and_many_pupils(world, kind):
    counts = []
    for n in (2, 40):
        do_import(world, many_pupils(n))
        data = many_pupils(n + 3) if kind == "pupils" else guardians_for(n)
        dataset = formats.parse(data)
        with CaptureQueriesContext(connection) as queries:
            plan_dataset(dataset, school=world.school)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_slots_with_an_account_are_never_removed(world):
    do_import(world, edexml())
    do_import(world, guardians_csv())
    karim = Guardianship.objects.get(email="karim@ouders.example")
    karim.user = UserFactory(email="karim@ouders.example")
    karim.save()
    GuardianshipFactory(student=karim.student, user=None, email="old@ouders.example")
    without_karim = b"\r\n".join(line for line in guardians_csv().split(b"\r\n") if b"karim" not in line)
    result = dry_run(world, without_karim)
    assert [c.name for c in result.plans[0].shown["guardians_removed"]] == ["old@ouders.example → 5003"]
    do_import(world, without_karim)
    assert Guardianship.objects.filter(pk=karim.pk).exists()
