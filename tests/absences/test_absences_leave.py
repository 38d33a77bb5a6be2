"""Leave requests (verlof) under the compulsory-education rules: each rule refuses with its message,
a valid request is accepted; the director approves, or refuses with a reason; the parent sees the
status and can withdraw."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from schoolpoort.absences import actions
from schoolpoort.absences.models import LeaveRequest
from schoolpoort.absences.rules import leave_problems
from schoolpoort.absences.schooldays import school_days
from schoolpoort.core.models import AuditEntry
from tests.absences.helpers import english, holiday_week, leave, recipients

D = datetime.date
TODAY = D(2026, 11, 23)  # a Monday; the school is in region "midden"
FIRST, LAST = D(2027, 2, 1), D(2027, 2, 5)  # a week of five school days, ten weeks later
PDF = b"%PDF-1.4\n%test\n"
CREATE = reverse("absences:leave_create")


def problems(world, kind="holiday", first=FIRST, last=LAST, statement=True, circumstance="",
             today=TODAY, student=None):
    with translation.override("en"):
        found = leave_problems(student=student or world.child, kind=kind, starts_on=first, ends_on=last,
                               circumstance=circumstance, has_statement=statement, today=today)
    return {(problem.field, problem.message) for problem in found}


def messages(found) -> str:
    return " | ".join(message for _field, message in found)


# --- The rules, one by one ------------------------------------------------------------------------


def test_valid_holiday_leave_breaks_no_rule(world):
    assert problems(world) == set()


def test_holiday_leave_must_be_asked_eight_weeks_ahead(world):
    found = problems(world, first=D(2027, 1, 11), last=D(2027, 1, 15))
    assert len(found) == 1
    field, message = found.pop()
    assert field == "starts_on" and "at least 8 weeks ahead" in message and "16 November 2026" in message
    assert problems(world, first=D(2027, 1, 18), last=D(2027, 1, 22)) == set()  # exactly eight weeks


def test_holiday_leave_is_at_most_ten_school_days(world):
    found = problems(world, first=D(2027, 2, 1), last=D(2027, 2, 16))
    assert {field for field, _message in found} == {"ends_on"}
    assert "at most 10 school days; this period has 12 school days" in messages(found)
    assert problems(world, first=D(2027, 2, 1), last=D(2027, 2, 12)) == set()  # ten


def test_holiday_leave_is_not_in_the_first_two_weeks_of_the_school_year(world):
    found = problems(world, first=D(2027, 9, 6), last=D(2027, 9, 10))
    assert "not possible in the first two weeks of the school year (30 August 2027 to 12 September 2027)" in messages(
        found)
    assert problems(world, first=D(2027, 9, 13), last=D(2027, 9, 17)) == set()


def test_holiday_leave_is_once_per_school_year(world):
    leave(world.users["guardian"], world.child, status=LeaveRequest.Status.APPROVED, days=(D(2027, 3, 8),
                                                                                         D(2027, 3, 12)))
    found = problems(world)
    assert "once per school year" in messages(found) and "8 March 2027" in messages(found)


@pytest.mark.parametrize("status", [LeaveRequest.Status.REFUSED, LeaveRequest.Status.WITHDRAWN])
def test_a_refused_or_withdrawn_request_does_not_count_for_the_year(world, status):
    leave(world.users["guardian"], world.child, status=status, days=(D(2027, 3, 8), D(2027, 3, 12)))
    assert problems(world) == set()


def test_holiday_leave_of_another_school_year_or_of_another_kind_does_not_count(world):
    leave(world.users["guardian"], world.child, status=LeaveRequest.Status.APPROVED, days=(D(2026, 3, 9),
                                                                                         D(2026, 3, 13)))
    leave(world.users["guardian"], world.child, status=LeaveRequest.Status.APPROVED, kind="circumstances",
          days=(D(2027, 3, 8), D(2027, 3, 8)), circumstance="wedding")
    assert problems(world) == set()


def test_holiday_leave_needs_the_employers_statement(world):
    found = problems(world, statement=False)
    assert {field for field, _message in found} == {"statement"} and "statement of your employer" in messages(found)


def test_a_period_without_school_days_needs_no_leave(world):
    found = problems(world, first=D(2026, 12, 21), last=D(2026, 12, 24))  # the Christmas vacation
    assert "There are no school days in this period" in messages(found)


def test_the_last_day_cannot_be_before_the_first(world):
    assert messages(problems(world, first=D(2027, 2, 5), last=D(2027, 2, 1))) == (
        "The last day cannot be before the first day.")


def test_school_days_leave_out_weekends_vacations_and_public_holidays():
    assert school_days(D(2027, 2, 1), D(2027, 2, 7), "midden") == 5
    assert school_days(D(2027, 5, 3), D(2027, 5, 7), "noord") == 4  # Ascension Day, 6 May 2027
    assert school_days(D(2027, 4, 26), D(2027, 4, 30), "midden") == 0  # the May vacation
    assert school_days(D(2027, 2, 15), D(2027, 2, 19), "zuid") == 0  # spring vacation in the south
    assert school_days(D(2027, 2, 15), D(2027, 2, 19), "midden") == 5  # but not in the middle


def test_important_circumstances_need_the_circumstance(world):
    found = problems(world, kind="circumstances", first=D(2026, 11, 30), last=D(2026, 11, 30), statement=False)
    assert found == {("circumstance", "Choose the circumstance the leave is for.")}


def test_important_circumstances_can_be_asked_shortly_ahead_without_a_statement(world):
    assert problems(world, kind="circumstances", circumstance="wedding", first=D(2026, 11, 24),
                    last=D(2026, 11, 25), statement=False) == set()


def test_a_known_circumstance_must_be_asked_ahead(world):
    found = problems(world, kind="circumstances", circumstance="wedding", first=D(2026, 11, 20), last=D(2026, 11, 20))
    assert "Leave must be asked ahead" in messages(found)


def test_a_funeral_may_be_asked_up_to_two_days_afterwards(world):
    assert problems(world, kind="circumstances", circumstance="funeral", first=D(2026, 11, 21),
                    last=D(2026, 11, 23)) == set()
    found = problems(world, kind="circumstances", circumstance="funeral", first=D(2026, 11, 20), last=D(2026, 11, 20))
    assert "at the latest two days after it began" in messages(found)


def test_more_than_ten_days_for_circumstances_is_for_the_attendance_officer(world):
    found = problems(world, kind="circumstances", circumstance="religious", first=D(2027, 1, 11),
                     last=D(2027, 1, 29))
    assert "attendance officer" in messages(found)


def test_leave_is_asked_at_most_a_year_ahead(world):
    found = problems(world, kind="circumstances", circumstance="wedding", first=D(2027, 12, 6), last=D(2027, 12, 6))
    assert "at most a year ahead" in messages(found)


# --- The form -------------------------------------------------------------------------------------


def leave_data(student, first, last, **fields):
    return {"student": student.pk, "kind": "holiday", "circumstance": "", "starts_on": first.isoformat(),
            "ends_on": last.isoformat(), "reason": "Seizoenswerk in de kassen", **fields}


def test_a_valid_request_is_accepted_and_the_director_hears(client, world):
    first, last = holiday_week(world.school)
    client.force_login(world.users["guardian"])
    response = client.post(CREATE, {**leave_data(world.child, first, last),
                                     "statement": SimpleUploadedFile("verklaring.pdf", PDF)})
    leave_request = LeaveRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == leave_request.get_absolute_url()
    assert leave_request.status == "requested" and leave_request.school_days == 5
    assert leave_request.requested_by == world.users["guardian"] and leave_request.statement_name == "verklaring.pdf"
    assert leave_request.statement.read() == PDF
    assert set(recipients(leave_request.notification_key)) == {world.users["director"].pk}


def test_a_rule_broken_in_the_form_is_shown_at_its_field_and_nothing_is_lost(client, world):
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    today = timezone.localdate()
    first = today + datetime.timedelta(days=14)
    response = client.post(CREATE, {**leave_data(world.child, first, first + datetime.timedelta(days=2)),
                                    "statement": SimpleUploadedFile("verklaring.pdf", PDF)})
    assert response.status_code == 200
    form = response.context["form"]
    assert "at least 8 weeks ahead" in str(form.errors["starts_on"])
    page = response.content.decode()
    assert "Seizoenswerk in de kassen" in page and first.isoformat() in page
    assert "is kept: you do not need to choose it again" in page
    assert not LeaveRequest.objects.exists()


def test_the_kept_statement_goes_with_the_corrected_request(client, world):
    client.force_login(world.users["guardian"])
    first, last = holiday_week(world.school)
    response = client.post(CREATE, {**leave_data(world.child, first, last, reason=""),
                                    "statement": SimpleUploadedFile("verklaring.pdf", PDF)})
    token = response.context["form"].data["statement_token"]
    assert token
    response = client.post(CREATE, {**leave_data(world.child, first, last), "statement_token": token})
    leave_request = LeaveRequest.objects.get()
    assert leave_request.statement_name == "verklaring.pdf" and leave_request.statement.read() == PDF


def test_a_kept_statement_is_only_for_whoever_chose_it(client, world):
    client.force_login(world.users["guardian"])
    first, last = holiday_week(world.school)
    response = client.post(CREATE, {**leave_data(world.child, first, last, reason=""),
                                    "statement": SimpleUploadedFile("verklaring.pdf", PDF)})
    token = response.context["form"].data["statement_token"]
    client.force_login(world.users["other_guardian"])
    response = client.post(CREATE, {**leave_data(world.child, first, last), "statement_token": token})
    assert response.status_code == 200 and "statement" in response.context["form"].errors


@pytest.mark.parametrize("name, content, message", [
    ("verklaring.exe", b"MZ", "is not a file type that can be added"),
    ("verklaring.pdf", b"not a pdf", "could not be read as the kind of file"),
    ("verklaring.jpg", b"not a jpeg", "could not be read as the kind of file"),
    ("verklaring.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "is too large"),
])
def test_a_statement_of_the_wrong_type_or_size_is_refused_with_a_clear_message(client, world, name, content, message):
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    first, last = holiday_week(world.school)
    response = client.post(CREATE, {**leave_data(world.child, first, last),
                                    "statement": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    errors = response.context["form"].errors["statement"]
    assert len(errors) == 1 and message in errors[0]
    assert "Seizoenswerk in de kassen" in response.content.decode()
    assert not LeaveRequest.objects.exists()


def test_a_photo_of_the_statement_is_stored_without_its_metadata(client, world):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    image = Image.new("RGB", (40, 30), "white")
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    image.save(buffer, "JPEG", exif=exif)
    client.force_login(world.users["guardian"])
    first, last = holiday_week(world.school)
    client.post(CREATE, {**leave_data(world.child, first, last),
                         "statement": SimpleUploadedFile("foto.jpg", buffer.getvalue())})
    stored = LeaveRequest.objects.get().statement.read()
    assert b"Camera maker" not in stored and Image.open(io.BytesIO(stored)).size == (40, 30)


def test_a_guardian_asks_only_for_their_own_children(client, world):
    client.force_login(world.users["guardian"])
    first, last = holiday_week(world.school)
    response = client.post(CREATE, {**leave_data(world.classmate_of_other_group, first, last),
                                    "statement": SimpleUploadedFile("verklaring.pdf", PDF)})
    assert "student" in response.context["form"].errors and not LeaveRequest.objects.exists()


# --- Deciding -------------------------------------------------------------------------------------


def test_the_director_approves_and_the_parent_hears_and_sees_it(client, world):
    leave_request = leave(world.users["guardian"], world.child)
    client.force_login(world.users["director"])
    response = client.post(reverse("absences:leave_decide", args=[leave_request.pk]), {"decision": "approve"})
    assert response.status_code == 302
    leave_request.refresh_from_db()
    assert leave_request.status == "approved" and leave_request.decided_by == world.users["director"]
    assert set(recipients(f"{leave_request.notification_key}:decided")) == {world.users["guardian"].pk}
    assert AuditEntry.objects.filter(action="absences.leave_approved", object_id=str(leave_request.pk)).exists()
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    page = client.get(leave_request.get_absolute_url()).content.decode()
    assert 'id="leave-status">Approved' in page


def test_refusing_needs_a_reason_which_the_parent_sees(client, world):
    leave_request = leave(world.users["guardian"], world.child)
    english(world.users["director"], world.users["guardian"])
    client.force_login(world.users["director"])
    url = reverse("absences:leave_decide", args=[leave_request.pk])
    response = client.post(url, {"decision": "refuse", "reason": "  "})
    assert response.status_code == 200 and "Give the reason for refusing" in str(response.context["form"].errors)
    assert LeaveRequest.objects.get().status == "requested"
    client.post(url, {"decision": "refuse", "reason": "Geen verklaring van de werkgever voor deze periode."})
    leave_request.refresh_from_db()
    assert leave_request.status == "refused" and leave_request.decision_reason.startswith("Geen verklaring")
    client.force_login(world.users["guardian"])
    page = client.get(leave_request.get_absolute_url()).content.decode()
    assert "Refused" in page and "Geen verklaring van de werkgever" in page


def test_a_decision_is_made_once(client, world):
    leave_request = leave(world.users["guardian"], world.child)
    assert actions.decide_leave(leave_request, world.users["director"], approve=True)
    assert not actions.decide_leave(leave_request, world.users["board_admin"], approve=False, reason="Nee")
    client.force_login(world.users["director"])
    response = client.get(reverse("absences:leave_decide", args=[leave_request.pk]))
    assert response.status_code == 302 and LeaveRequest.objects.get().status == "approved"


@pytest.mark.parametrize("role, status", [
    ("director", 200), ("board_admin", 200), ("administration", 404), ("teacher", 404), ("guardian", 404),
    ("other_guardian", 404), ("board_admin_other_board", 404), ("guardian_other_group", 404),
])
def test_only_the_director_and_the_board_decide(client, world, role, status):
    leave_request = leave(world.users["guardian"], world.child)
    client.force_login(world.users[role])
    url = reverse("absences:leave_decide", args=[leave_request.pk])
    assert client.get(url).status_code == status
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == (302 if status == 200 else 404)
    assert LeaveRequest.objects.get().status == ("approved" if status == 200 else "requested")


# --- Withdrawing ----------------------------------------------------------------------------------


def test_the_parent_withdraws_a_request(client, world):
    leave_request = leave(world.users["guardian"], world.child)
    client.force_login(world.users["guardian"])
    response = client.post(reverse("absences:leave_withdraw", args=[leave_request.pk]))
    assert response.status_code == 302
    leave_request.refresh_from_db()
    assert leave_request.status == "withdrawn" and leave_request.withdrawn_at is not None


def test_approved_leave_can_be_withdrawn_until_it_begins(world):
    today = timezone.localdate()
    later = leave(world.users["guardian"], world.child, status="approved")
    assert actions.withdraw_leave(later, world.users["guardian"])
    begun = leave(world.users["guardian"], world.child, status="approved", days=(today, today))
    assert not actions.withdraw_leave(begun, world.users["guardian"])
    refused = leave(world.users["guardian"], world.child, status="refused")
    assert not actions.withdraw_leave(refused, world.users["guardian"])
    assert LeaveRequest.objects.get(pk=begun.pk).status == "approved"


@pytest.mark.parametrize("role", ["other_guardian", "director", "administration", "guardian_other_group"])
def test_only_who_asked_can_withdraw(client, world, role):
    leave_request = leave(world.users["guardian"], world.child)
    client.force_login(world.users[role])
    assert client.post(reverse("absences:leave_withdraw", args=[leave_request.pk])).status_code == 404
    assert LeaveRequest.objects.get().status == "requested"


def test_the_school_list_has_the_waiting_requests_first(client, world):
    waiting = leave(world.users["guardian"], world.child)
    decided = leave(world.users["guardian_other_group"], world.classmate_of_other_group, status="approved")
    client.force_login(world.users["administration"])
    response = client.get(reverse("absences:leave_list", args=[world.school.pk]))
    assert response.context["pending"] == [waiting]
    assert list(response.context["page"].object_list) == [decided]
    assert not response.context["manages"]
