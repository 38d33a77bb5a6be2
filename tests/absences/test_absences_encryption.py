"""Absence notes, leave reasons, decisions and employer's statements are encrypted at rest (the
kernel's ``lib.encryption``): the database column and the file on disk hold no plaintext, the pages
and the access-checked download show it, and lists decrypt per row without extra queries."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schoolpoort.absences import actions
from schoolpoort.absences.models import Absence, LeaveRequest
from schoolpoort.lib.encryption import PREFIX
from tests.absences.helpers import holiday_week, leave, report

NOTE = "Noor heeft koorts MARKER-NOTE-4711"
REASON = "Bruiloft opa MARKER-REASON-0815"
DECISION = "Niet toegestaan MARKER-DECISION-42"
STATEMENT = b"%PDF-1.4\n% MARKER-STATEMENT-1234 werkgeversverklaring\n%%EOF\n"


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_the_note_is_not_in_the_database_but_on_the_page(client, world):
    absence = report(world.users["guardian"], world.child, note=NOTE)
    stored = raw("absences_absence", "note", absence.pk)
    assert stored.startswith(PREFIX) and "MARKER-NOTE" not in stored
    for role in ("guardian", "teacher"):
        client.force_login(world.users[role])
        assert "MARKER-NOTE-4711" in client.get(reverse("absences:detail", args=[absence.pk])).content.decode()
    client.force_login(world.users["administration"])
    page = client.get(reverse("absences:school_today", args=[world.school.pk])).content.decode()
    assert "MARKER-NOTE-4711" in page


def test_a_note_is_not_shown_to_who_may_not_see_the_absence(client, world):
    absence = report(world.users["guardian"], world.child, note=NOTE)
    client.force_login(world.users["guardian_other_group"])
    assert client.get(reverse("absences:detail", args=[absence.pk])).status_code == 404


def test_an_empty_note_stays_empty(world):
    absence = report(world.users["guardian"], world.child)
    assert raw("absences_absence", "note", absence.pk) == ""
    assert Absence.objects.get(pk=absence.pk).note == ""


def test_reason_decision_and_statement_are_encrypted_and_shown_to_who_may_see_them(client, world, settings):
    first, last = holiday_week(world.school)
    client.force_login(world.users["guardian"])
    response = client.post(reverse("absences:leave_create"), {
        "student": world.child.pk, "kind": "holiday", "circumstance": "", "starts_on": first.isoformat(),
        "ends_on": last.isoformat(), "reason": REASON,
        "statement": SimpleUploadedFile("verklaring.pdf", STATEMENT, "application/pdf"),
    })
    assert response.status_code == 302
    request = LeaveRequest.objects.get()
    actions.decide_leave(request, world.users["director"], approve=False, reason=DECISION)

    assert "MARKER-REASON" not in raw("absences_leaverequest", "reason", request.pk)
    assert "MARKER-DECISION" not in raw("absences_leaverequest", "decision_reason", request.pk)
    assert "verklaring" not in raw("absences_leaverequest", "statement_name", request.pk)
    on_disk = (settings.MEDIA_ROOT / request.statement.name).read_bytes()
    assert b"MARKER-STATEMENT" not in on_disk and b"%PDF" not in on_disk
    stored = [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]
    assert stored and not any(b"MARKER-STATEMENT" in path.read_bytes() for path in stored)

    page = client.get(request.get_absolute_url()).content.decode()
    assert "MARKER-REASON-0815" in page and "MARKER-DECISION-42" in page
    download = client.get(reverse("absences:leave_attachment", args=[request.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == STATEMENT
    assert download["Content-Length"] == str(len(STATEMENT))
    assert "verklaring.pdf" in download["Content-Disposition"]

    client.force_login(world.users["teacher"])  # teachers do not see leave requests
    assert client.get(reverse("absences:leave_attachment", args=[request.pk])).status_code == 404
    assert client.get(request.get_absolute_url()).status_code == 404


def test_a_statement_parked_while_the_form_is_corrected_is_encrypted_too(client, world, settings):
    first, last = holiday_week(world.school)
    client.force_login(world.users["guardian"])
    response = client.post(reverse("absences:leave_create"), {
        "student": world.child.pk, "kind": "holiday", "circumstance": "", "starts_on": first.isoformat(),
        "ends_on": last.isoformat(), "reason": "",  # missing: the form comes back, the file is parked
        "statement": SimpleUploadedFile("verklaring.pdf", STATEMENT, "application/pdf"),
    })
    assert response.status_code == 200
    parked = [path for path in (settings.MEDIA_ROOT / "absences" / "parked").iterdir()]
    assert len(parked) == 1 and b"MARKER-STATEMENT" not in parked[0].read_bytes()


def test_a_byte_range_of_the_statement_is_cut_from_the_plain_file(client, world):
    from django.core.files.base import ContentFile

    request = leave(world.users["guardian"], world.child, statement_name="v.pdf", statement_type="application/pdf")
    request.statement.save("v.pdf", ContentFile(STATEMENT))
    client.force_login(world.users["director"])
    response = client.get(reverse("absences:leave_attachment", args=[request.pk]), HTTP_RANGE="bytes=0-7")
    assert response.status_code == 206 and b"".join(response.streaming_content) == STATEMENT[:8]
    assert response["Content-Range"] == f"bytes 0-7/{len(STATEMENT)}"


def _queries(client, url) -> int:
    client.get(url)  # warm, as on a running server: its reach is cached
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_lists_decrypt_each_note_without_extra_queries(client, world):
    today = timezone.localdate()
    report(world.users["guardian"], world.child, note=NOTE)
    leave(world.users["guardian"], world.child, reason=REASON)
    client.force_login(world.users["administration"])
    student_url = reverse("absences:student", args=[world.child.pk])
    school_url = reverse("absences:school_today", args=[world.school.pk])
    before = _queries(client, student_url), _queries(client, school_url)
    for n in range(1, 21):
        day = today - datetime.timedelta(days=n % 2)  # half today (the school's list), all in the history
        Absence.objects.create(student=world.child, school=world.school, reason="doctor", starts_on=day,
                               ends_on=day, source="guardian", reported_by=world.users["guardian"],
                               note=f"Tandarts {n} MARKER")
    report(world.users["guardian_other_group"], world.classmate_of_other_group, note="Buikpijn MARKER")
    assert (_queries(client, student_url), _queries(client, school_url)) == before
    assert "Tandarts 19 MARKER" in client.get(student_url).content.decode()
    assert "Buikpijn MARKER" in client.get(school_url).content.decode()

    leave(world.users["guardian_other_group"], world.classmate_of_other_group, status="refused",
          reason="Familiebezoek", decision_reason="Buiten de regels")  # both sections shown already
    client.force_login(world.users["director"])
    leave_url = reverse("absences:leave_list", args=[world.school.pk])
    before = _queries(client, leave_url)
    for _n in range(10):
        leave(world.users["guardian_other_group"], world.classmate_of_other_group, status="refused",
              reason="Familiebezoek", decision_reason="Buiten de regels")
    assert _queries(client, leave_url) == before
