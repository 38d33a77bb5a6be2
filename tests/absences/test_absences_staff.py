"""Staff: the lists of the day per group and per school, confirming, registering an absence, the
history of a child, the CSV export for the administration system and the school's settings."""

import csv
import datetime
import io

import pytest
from django.utils.html import escape
from django.urls import reverse
from django.utils import timezone

from schoolpoort.absences import actions
from schoolpoort.absences.models import Absence, AbsenceSettings, LeaveRequest
from schoolpoort.core.models import AuditEntry
from tests.absences.helpers import english, leave, recipients, report
from tests.factories import GroupFactory, enrolled_student

TODAY = timezone.localdate


def rows_by_status(response) -> dict[str, str]:
    return {row.student.full_name: row.status for row in response.context["rows"]}


# --- The list of the day per group ----------------------------------------------------------------


def test_the_group_list_shows_every_pupil_with_what_is_known_today(client, world):
    users = world.users
    absent = world.child
    marked = enrolled_student(world.group3, first_name="Bram", last_name="Bos")
    on_leave = enrolled_student(world.group3, first_name="Cas", last_name="Claes")
    present = enrolled_student(world.group3, first_name="Dirk", last_name="Dam")
    report(users["guardian"], absent)
    actions.mark_absent(users["teacher"], marked)
    leave(users["guardian"], on_leave, status=LeaveRequest.Status.APPROVED, days=(TODAY(), TODAY()))
    client.force_login(users["teacher"])
    response = client.get(reverse("absences:group_today", args=[world.group3.pk]))
    assert rows_by_status(response) == {
        "Noor Jansen": "reported", "Bram Bos": "unexplained", "Cas Claes": "leave", "Dirk Dam": "present",
    }
    assert [row.status for row in response.context["rows"]][-1] == "present"  # away first
    assert response.context["away"] == 3
    page = response.content.decode()
    assert f'id="pupil-{present.pk}"' in page and 'data-status="reported"' in page


def test_the_group_list_of_another_day(client, world):
    yesterday = TODAY() - datetime.timedelta(days=1)
    report(world.users["guardian"], world.child, reason="doctor", starts_on=yesterday)
    client.force_login(world.users["teacher"])
    url = reverse("absences:group_today", args=[world.group3.pk])
    assert rows_by_status(client.get(url))["Noor Jansen"] == "present"
    assert rows_by_status(client.get(f"{url}?datum={yesterday.isoformat()}"))["Noor Jansen"] == "reported"
    assert client.get(f"{url}?datum=gisteren").status_code == 404


def test_the_group_list_shows_a_sickness_that_began_earlier_and_is_still_open(client, world):
    report(world.users["guardian"], world.child, starts_on=TODAY() - datetime.timedelta(days=3))
    client.force_login(world.users["teacher"])
    response = client.get(reverse("absences:group_today", args=[world.group3.pk]))
    assert rows_by_status(response)["Noor Jansen"] == "reported"


def test_a_teacher_marks_a_pupil_absent_and_takes_it_back(client, world):
    client.force_login(world.users["teacher"])
    url = reverse("absences:mark", args=[world.group3.pk, world.child.pk])
    response = client.post(url, {"absent": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'data-status="unexplained"' in response.content.decode()
    assert world.child.attendance_marks.filter(date=TODAY()).exists()
    response = client.post(url, {"absent": "0"})
    assert response.status_code == 302 and not world.child.attendance_marks.exists()


def test_a_teacher_cannot_mark_a_pupil_of_another_group(client, world):
    client.force_login(world.users["teacher"])
    url = reverse("absences:mark", args=[world.group3.pk, world.classmate_of_other_group.pk])
    assert client.post(url, {"absent": "1"}).status_code == 404
    url = reverse("absences:mark", args=[world.group6.pk, world.classmate_of_other_group.pk])
    assert client.post(url, {"absent": "1"}).status_code == 404


# --- The list of the day per school ---------------------------------------------------------------


def test_the_school_list_shows_who_is_away_by_group(client, world):
    users = world.users
    report(users["guardian"], world.child)
    report(users["guardian_other_group"], world.classmate_of_other_group, reason="doctor")
    elsewhere = enrolled_student(GroupFactory(school=world.sister_school, grades="4"), first_name="Elders")
    report(users["board_admin"], elsewhere, source="staff")
    enrolled_student(world.group3, first_name="Aanwezig")
    client.force_login(users["administration"])
    response = client.get(reverse("absences:school_today", args=[world.school.pk]))
    sections = {
        section.name: [row.student.full_name for row in section.rows] for section in response.context["sections"]
    }
    assert sections == {"Groep 3": ["Noor Jansen"], "Groep 6": ["Lotte de Vries"]}
    assert response.context["away"] == 2


def test_the_school_list_holds_leave_and_unexplained_absence_too(client, world):
    users = world.users
    actions.mark_absent(users["teacher"], world.child)
    leave(users["guardian_other_group"], world.classmate_of_other_group, status=LeaveRequest.Status.APPROVED,
          days=(TODAY(), TODAY()))
    client.force_login(users["director"])
    response = client.get(reverse("absences:school_today", args=[world.school.pk]))
    statuses = {row.student.first_name: row.status for section in response.context["sections"] for row in section.rows}
    assert statuses == {"Noor": "unexplained", "Lotte": "leave"}


def test_an_empty_day_says_so(client, world):
    english(world.users["administration"])
    client.force_login(world.users["administration"])
    page = client.get(reverse("absences:school_today", args=[world.school.pk])).content.decode()
    assert "Nobody is reported absent on this day." in page


# --- Confirmation ---------------------------------------------------------------------------------


def test_the_teacher_confirms_and_the_guardian_sees_it(client, world):
    absence = report(world.users["guardian"], world.child)
    client.force_login(world.users["teacher"])
    response = client.post(reverse("absences:confirm", args=[absence.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "absences-confirmed" in response.content.decode()
    absence.refresh_from_db()
    assert absence.confirmed_by == world.users["teacher"] and absence.confirmed_at is not None
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    assert "Seen by the school" in client.get(reverse("absences:index")).content.decode()


def test_confirming_twice_keeps_the_first(world):
    absence = report(world.users["guardian"], world.child)
    assert actions.confirm_absence(absence, world.users["teacher"])
    assert not actions.confirm_absence(absence, world.users["administration"])
    absence.refresh_from_db()
    assert absence.confirmed_by == world.users["teacher"]


def test_confirming_without_htmx_goes_back_to_the_list(client, world):
    absence = report(world.users["guardian"], world.child)
    client.force_login(world.users["administration"])
    back = reverse("absences:school_today", args=[world.school.pk])
    response = client.post(reverse("absences:confirm", args=[absence.pk]), {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    response = client.post(reverse("absences:confirm", args=[absence.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == absence.get_absolute_url()


@pytest.mark.parametrize("role", ["guardian", "other_guardian", "teacher_other_group", "guardian_other_group",
                                  "board_admin_other_board"])
def test_who_may_not_confirm_gets_404(client, world, role):
    absence = report(world.users["guardian"], world.child)
    client.force_login(world.users[role])
    assert client.post(reverse("absences:confirm", args=[absence.pk])).status_code == 404
    absence.refresh_from_db()
    assert not absence.is_confirmed


# --- Staff register absences ------------------------------------------------------------------------


def test_the_administration_registers_an_absence_that_counts_as_confirmed(client, world):
    users = world.users
    client.force_login(users["administration"])
    url = reverse("absences:register", args=[world.school.pk])
    response = client.post(url, {"student": world.child.pk, "reason": "other",
                                 "starts_on": TODAY().isoformat(), "note": "Vader belde om 8:05"})
    absence = Absence.objects.get()
    assert response.status_code == 302 and response["Location"] == absence.get_absolute_url()
    assert absence.source == "staff" and absence.reported_by == users["administration"]
    assert absence.confirmed_by == users["administration"] and not absence.after_cutoff
    heard = recipients(absence.notification_key)
    assert {users["guardian"].pk, users["other_guardian"].pk, users["teacher"].pk} <= set(heard)
    assert users["administration"].pk not in heard
    assert AuditEntry.objects.filter(action="absences.registered", object_id=str(absence.pk)).exists()


def test_staff_may_register_further_back_than_parents(client, world):
    client.force_login(world.users["administration"])
    long_ago = TODAY() - datetime.timedelta(days=30)
    client.post(reverse("absences:register", args=[world.school.pk]),
                {"student": world.child.pk, "reason": "sick", "starts_on": long_ago.isoformat(),
                 "ends_on": (long_ago + datetime.timedelta(days=1)).isoformat()})
    assert Absence.objects.get().starts_on == long_ago


def test_a_teacher_registers_only_for_pupils_of_their_groups(client, world):
    client.force_login(world.users["teacher"])
    url = reverse("absences:register", args=[world.school.pk])
    choices = list(client.get(url).context["form"].fields["student"].queryset)
    assert choices == [world.child]
    response = client.post(url, {"student": world.classmate_of_other_group.pk, "reason": "sick",
                                 "starts_on": TODAY().isoformat()})
    assert response.status_code == 200 and "student" in response.context["form"].errors
    assert not Absence.objects.exists()


# --- History per child ------------------------------------------------------------------------------


def _history(world, count):
    first = TODAY() - datetime.timedelta(days=400)
    for n in range(count):
        day = first + datetime.timedelta(days=2 * n)
        Absence.objects.create(student=world.child, school=world.school, reason="doctor", starts_on=day, ends_on=day,
                               source="guardian", reported_by=world.users["guardian"])


def test_the_history_is_newest_first_and_paginated(client, world):
    _history(world, 25)
    client.force_login(world.users["guardian"])
    url = reverse("absences:student", args=[world.child.pk])
    first_page = client.get(url)
    assert len(first_page.context["page"].object_list) == 20
    days = [absence.starts_on for absence in first_page.context["page"]]
    assert days == sorted(days, reverse=True)
    assert len(client.get(f"{url}?pagina=2").context["page"].object_list) == 5


@pytest.mark.parametrize("role, status", [
    ("guardian", 200), ("other_guardian", 200), ("teacher", 200), ("administration", 200), ("director", 200),
    ("board_admin", 200), ("guardian_other_group", 404), ("teacher_other_group", 404),
    ("board_admin_other_board", 404), ("guardian_other_school", 404),
])
def test_the_history_of_a_child_is_for_its_guardians_and_its_school(client, world, role, status):
    _history(world, 2)
    client.force_login(world.users[role])
    assert client.get(reverse("absences:student", args=[world.child.pk])).status_code == status


# --- CSV export -------------------------------------------------------------------------------------


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_export_holds_the_absences_and_leave_of_the_period_and_is_audited(client, world):
    users = world.users
    world.child.sis_id = "4711"
    world.child.save()
    today = TODAY()
    report(users["guardian"], world.child, reason="doctor", from_time=datetime.time(10), until_time=datetime.time(11),
           note="=HYPERLINK(\"x\")")
    Absence.objects.create(student=world.classmate_of_other_group, school=world.school, reason="sick",
                           starts_on=today - datetime.timedelta(days=90), ends_on=today - datetime.timedelta(days=89),
                           source="guardian")
    leave(users["guardian_other_group"], world.classmate_of_other_group, status=LeaveRequest.Status.APPROVED,
          days=(today, today))
    leave(users["guardian"], world.child, status=LeaveRequest.Status.REFUSED, days=(today, today))
    report(users["guardian_other_school"], world.other_school_child)
    client.force_login(users["administration"])
    first = today - datetime.timedelta(days=7)
    response = client.get(reverse("absences:export", args=[world.school.pk]),
                          {"van": first.isoformat(), "tot": today.isoformat()})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert f"absences-11AA-{first.isoformat()}" in response["Content-Disposition"]
    rows = _csv(response)
    assert [(row["first_name"], row["kind"]) for row in rows] == [("Noor", "absence"), ("Lotte", "leave")]
    noor = rows[0]
    assert noor["pupil_number"] == "4711" and noor["group"] == "Groep 3" and noor["reason"] == "doctor"
    assert (noor["from_time"], noor["until_time"]) == ("10:00", "11:00")
    assert noor["first_day"] == today.isoformat() and noor["source"] == "guardian"
    assert noor["note"].startswith("'=")  # no formula runs in the spreadsheet
    assert rows[1]["reason"] == "holiday"
    entry = AuditEntry.objects.get(action="absences.exported")
    assert entry.actor == users["administration"] and entry.school == world.school and entry.detail["rows"] == 2
    # A read of every pupil in the export, for the guardians' "who at school viewed" (``core.audit``).
    reads = AuditEntry.objects.filter(action="records.view", actor=users["administration"])
    assert sorted((r.object_id, r.detail["part"]) for r in reads) == sorted(
        (str(pk), "absences_export") for pk in (world.child.pk, world.classmate_of_other_group.pk)
    )


def test_an_open_sickness_is_exported_without_a_last_day(client, world):
    report(world.users["guardian"], world.child, starts_on=TODAY() - datetime.timedelta(days=3))
    client.force_login(world.users["director"])
    rows = _csv(client.get(reverse("absences:export", args=[world.school.pk]),
                           {"van": TODAY().isoformat(), "tot": TODAY().isoformat()}))
    assert rows[0]["last_day"] == "" and rows[0]["reason"] == "sick"


def test_the_export_form_checks_the_period(client, world):
    english(world.users["administration"])
    client.force_login(world.users["administration"])
    url = reverse("absences:export", args=[world.school.pk])
    assert client.get(url).status_code == 200 and not AuditEntry.objects.exists()
    response = client.get(url, {"van": "2026-03-01", "tot": "2026-02-01"})
    assert "cannot be before" in str(response.context["form"].errors)
    response = client.get(url, {"van": "2024-01-01", "tot": "2026-02-01"})
    assert "at most a year" in str(response.context["form"].errors)
    assert not AuditEntry.objects.filter(action="absences.exported").exists()


@pytest.mark.parametrize("role, status", [
    ("administration", 200), ("director", 200), ("board_admin", 200), ("teacher", 404), ("guardian", 404),
    ("board_admin_other_board", 404),
])
def test_the_export_is_for_the_administration(client, world, role, status):
    client.force_login(world.users[role])
    response = client.get(reverse("absences:export", args=[world.school.pk]), {"van": "2026-01-01",
                                                                                "tot": "2026-01-31"})
    assert response.status_code == status


# --- Settings ---------------------------------------------------------------------------------------


def test_the_director_sets_the_times_and_the_switch(client, world):
    client.force_login(world.users["director"])
    url = reverse("absences:settings", args=[world.school.pk])
    response = client.post(url, {"cutoff_time": "08:00", "check_time": "09:30"})
    assert response.status_code == 302
    row = AbsenceSettings.objects.get(school=world.school)
    assert (row.cutoff_time, row.check_time, row.unexplained_alert) == (datetime.time(8), datetime.time(9, 30), False)


def test_a_school_without_settings_has_the_defaults(world):
    row = AbsenceSettings.for_school(world.school)
    assert row.pk is None and row.cutoff_time == datetime.time(8, 15) and row.check_time == datetime.time(9)
    assert row.unexplained_alert


def test_an_absence_reported_by_the_ex_partner_who_hides_does_not_name_them(client, world):
    """``core.hiding``: other_guardian keeps their details from guardian (both guardians of Noor)."""
    hider = world.users["other_guardian"]
    absence = report(hider, world.child)
    for role, named in [("guardian", False), ("other_guardian", True), ("administration", True)]:
        client.force_login(world.users[role])
        page = client.get(absence.get_absolute_url()).content.decode()
        assert (escape(hider.get_full_name()) in page) is named, role
