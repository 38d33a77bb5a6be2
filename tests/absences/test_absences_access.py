"""Who sees which absence and leave request, role by role: both the yes and the no, through
``visible_to`` (as views fetch) and through the pages; a module switched off or closed hides it;
list pages cost the same number of queries for more data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schoolpoort.absences import actions
from schoolpoort.absences.models import Absence, AttendanceMark, LeaveRequest
from tests.absences.helpers import close_module, english, leave, module, report
from tests.factories import GroupFactory, GuardianshipFactory, UserFactory, enrolled_student

Y, N = True, False
ABSENCES = ["child", "classmate", "sister_school", "other_board"]
MATRIX = {
    #                         child classmate sister other_board
    "guardian":                (Y, N, N, N),
    "other_guardian":          (Y, N, N, N),
    "guardian_other_group":    (N, Y, N, N),
    "guardian_other_school":   (N, N, N, Y),
    "teacher":                 (Y, N, N, N),
    "teacher_other_group":     (N, Y, N, N),
    "administration":          (Y, Y, N, N),
    "director":                (Y, Y, N, N),
    "board_admin":             (Y, Y, Y, N),
    "board_admin_other_board": (N, N, N, Y),
    "anonymous":               (N, N, N, N),
}
# Leave: the same, except that teachers see no requests.
LEAVE_MATRIX = {**MATRIX, "teacher": (N, N, N, N), "teacher_other_group": (N, N, N, N)}


@pytest.fixture
def absences(world):
    users = world.users
    sister_child = enrolled_student(GroupFactory(school=world.sister_school, grades="4"), first_name="Zus")
    return {
        "child": report(users["guardian"], world.child),
        "classmate": report(users["guardian_other_group"], world.classmate_of_other_group),
        "sister_school": report(users["board_admin"], sister_child, source="staff"),
        "other_board": report(users["guardian_other_school"], world.other_school_child),
    }


@pytest.fixture
def leaves(world, absences):
    return {name: leave(None, absence.student) for name, absence in absences.items()}


@pytest.mark.parametrize("role", MATRIX)
def test_visible_to_holds_exactly_what_the_role_may_see(world, absences, role):
    visible = set(Absence.objects.visible_to(world.users[role]).values_list("pk", flat=True))
    assert visible == {absences[name].pk for name, yes in zip(ABSENCES, MATRIX[role], strict=True) if yes}


@pytest.mark.parametrize("role", LEAVE_MATRIX)
def test_leave_requests_are_visible_to_the_family_and_the_schools_office(world, leaves, role):
    visible = set(LeaveRequest.objects.visible_to(world.users[role]).values_list("pk", flat=True))
    assert visible == {leaves[name].pk for name, yes in zip(ABSENCES, LEAVE_MATRIX[role], strict=True) if yes}


@pytest.mark.parametrize("role", [role for role in MATRIX if role != "anonymous"])
def test_the_detail_page_follows_the_matrix(client, world, absences, role):
    client.force_login(world.users[role])
    for name, yes in zip(ABSENCES, MATRIX[role], strict=True):
        response = client.get(reverse("absences:detail", args=[absences[name].pk]))
        assert response.status_code == (200 if yes else 404), name


@pytest.mark.parametrize("role", [role for role in LEAVE_MATRIX if role != "anonymous"])
def test_the_leave_page_follows_the_matrix(client, world, leaves, role):
    client.force_login(world.users[role])
    for name, yes in zip(ABSENCES, LEAVE_MATRIX[role], strict=True):
        response = client.get(reverse("absences:leave_detail", args=[leaves[name].pk]))
        assert response.status_code == (200 if yes else 404), name


def test_the_statement_is_downloaded_by_who_sees_the_request(client, world, settings, tmp_path):
    from django.core.files.base import ContentFile

    leave_request = leave(world.users["guardian"], world.child, statement_name="v.pdf",
                          statement_type="application/pdf")
    leave_request.statement.save("v.pdf", ContentFile(b"%PDF-1.4"))
    url = reverse("absences:leave_attachment", args=[leave_request.pk])
    for role, status in [("guardian", 200), ("director", 200), ("teacher", 404), ("guardian_other_group", 404)]:
        client.force_login(world.users[role])
        response = client.get(url)
        assert response.status_code == status, role
        if status == 200:
            assert b"".join(response.streaming_content) == b"%PDF-1.4"
            assert "attachment" in response["Content-Disposition"]


def test_marks_are_for_staff_only(world):
    actions.mark_absent(world.users["teacher"], world.child)
    assert AttendanceMark.objects.visible_to(world.users["teacher"]).count() == 1
    assert AttendanceMark.objects.visible_to(world.users["administration"]).count() == 1
    for role in ("guardian", "teacher_other_group", "board_admin_other_board"):
        assert not AttendanceMark.objects.visible_to(world.users[role]).exists(), role


@pytest.mark.parametrize("role, status", [
    ("teacher", 200), ("administration", 200), ("director", 200), ("board_admin", 200),
    ("teacher_other_group", 404), ("guardian", 404), ("board_admin_other_board", 404),
])
def test_the_group_list_is_for_its_teachers_and_the_schools_office(client, world, role, status):
    client.force_login(world.users[role])
    assert client.get(reverse("absences:group_today", args=[world.group3.pk])).status_code == status
    response = client.post(reverse("absences:mark", args=[world.group3.pk, world.child.pk]), {"absent": "1"})
    assert response.status_code == (302 if status == 200 else 404)


@pytest.mark.parametrize("role, status", [
    ("administration", 200), ("director", 200), ("board_admin", 200), ("teacher", 404), ("guardian", 404),
    ("board_admin_other_board", 404),
])
def test_the_school_list_is_for_the_schools_office(client, world, role, status):
    client.force_login(world.users[role])
    assert client.get(reverse("absences:school_today", args=[world.school.pk])).status_code == status
    assert client.get(reverse("absences:leave_list", args=[world.school.pk])).status_code == status


def test_anonymous_visitors_are_sent_to_the_login_page(client, world, absences):
    for url in (reverse("absences:index"), reverse("absences:report"),
                reverse("absences:detail", args=[absences["child"].pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


# --- The module switched off or closed ------------------------------------------------------------


def test_a_module_switched_off_hides_everything_from_parents_and_staff(client, world, absences):
    module(world.school, enabled=False)
    for role in ("guardian", "teacher", "administration", "director"):
        assert not Absence.objects.visible_to(world.users[role]).exists(), role
        client.force_login(world.users[role])
        assert client.get(reverse("absences:index")).status_code == 404, role
        assert client.get(reverse("absences:detail", args=[absences["child"].pk])).status_code == 404, role
    client.force_login(world.users["guardian"])
    assert client.get(reverse("absences:report")).status_code == 404
    assert client.get(reverse("absences:leave_create")).status_code == 404
    client.force_login(world.users["administration"])
    assert client.get(reverse("absences:school_today", args=[world.school.pk])).status_code == 404
    assert client.get(reverse("absences:export", args=[world.school.pk])).status_code == 404
    client.force_login(world.users["teacher"])
    assert client.get(reverse("absences:group_today", args=[world.group3.pk])).status_code == 404


def test_a_module_closed_for_a_period_hides_it_from_parents_but_not_from_staff(client, world, absences):
    close_module(world.school)
    client.force_login(world.users["guardian"])
    assert client.get(reverse("absences:report")).status_code == 404
    assert client.get(reverse("absences:detail", args=[absences["child"].pk])).status_code == 404
    client.force_login(world.users["teacher"])
    assert client.get(reverse("absences:detail", args=[absences["child"].pk])).status_code == 200


def test_a_parent_with_children_at_two_schools_reports_only_where_it_is_open(client, world):
    GuardianshipFactory(student=world.other_school_child, user=world.users["guardian"])
    module(world.other_school, enabled=False)
    client.force_login(world.users["guardian"])
    choices = list(client.get(reverse("absences:report")).context["form"].fields["student"].queryset)
    assert choices == [world.child]


def test_a_user_without_schools_has_no_absence_pages(client, db):
    client.force_login(UserFactory())
    assert client.get(reverse("absences:index")).status_code == 404
    assert client.get(reverse("absences:report")).status_code == 404


# --- Home page ------------------------------------------------------------------------------------


def test_the_home_page_shows_a_guardian_the_open_absences(client, world):
    absence = report(world.users["other_guardian"], world.child, starts_on=timezone.localdate() - datetime.timedelta(
        days=2))
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    page = client.get(reverse("web:home")).content.decode()
    assert 'id="absences-home"' in page and f'id="absence-{absence.pk}"' in page
    assert "Better: back at school today" in page
    actions.report_better(absence, world.users["guardian"], back_today=True)
    page = client.get(reverse("web:home")).content.decode()
    assert f'id="absence-{absence.pk}"' not in page and "None of your children is reported absent." in page


def test_the_home_page_shows_a_teacher_todays_count(client, world):
    report(world.users["guardian"], world.child)
    english(world.users["teacher"])
    client.force_login(world.users["teacher"])
    page = client.get(reverse("web:home")).content.decode()
    assert reverse("absences:group_today", args=[world.group3.pk]) in page and "1 absent today" in page


def test_the_home_page_has_no_absences_block_where_the_module_is_off(client, world):
    module(world.school, enabled=False)
    client.force_login(world.users["guardian"])
    assert 'id="absences-home"' not in client.get(reverse("web:home")).content.decode()


# --- A fixed number of queries --------------------------------------------------------------------


def _more_pupils(world, count=6):
    """Pupils in both groups with guardians, absences, marks and leave."""
    today = timezone.localdate()
    for n in range(count):
        group = world.group3 if n % 2 else world.group6
        student = enrolled_student(group)
        guardian = GuardianshipFactory(student=student).user
        kind = n % 3
        if kind == 0:
            report(guardian, student, reason="doctor", note=f"Afspraak {n}")
        elif kind == 1:
            actions.mark_absent(world.users["teacher"], student)
        else:
            leave(guardian, student, status="approved", days=(today, today))
        leave(guardian, student, status="requested")
        first = today - datetime.timedelta(days=30 + n)
        Absence.objects.create(student=world.child, school=world.school, reason="sick", starts_on=first,
                               ends_on=first, source="guardian", reported_by=world.users["guardian"])
    GuardianshipFactory(student=enrolled_student(world.group3), user=world.users["guardian"])
    report(world.users["guardian"], world.child)


def _same_queries(client, django_assert_num_queries, world, url, user):
    client.force_login(user)
    client.get(url)  # once first: per-process caches (content types) warm, as on a running server
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    expected = len(small)  # now: the next request empties the log
    _more_pupils(world)
    client.get(url)  # warm, as on a running server: its reach is cached
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("role, url_name", [
    ("teacher", "group_today"),
    ("administration", "school_today"),
    ("director", "leave_list"),
    ("guardian", "student"),
    ("administration", "student"),
    ("guardian", "index"),
    ("teacher", "index"),
    ("director", "index"),
])
def test_list_pages_take_the_same_number_of_queries_for_more_data(client, world, django_assert_num_queries, role,
                                                                   url_name):
    report(world.users["guardian_other_group"], world.classmate_of_other_group)
    report(world.users["guardian"], world.child, reason="doctor", starts_on=timezone.localdate() - datetime.timedelta(
        days=3))
    leave(world.users["guardian"], world.child)
    leave(world.users["guardian_other_group"], world.classmate_of_other_group, status="refused")
    args = {"group_today": [world.group3.pk], "school_today": [world.school.pk], "leave_list": [world.school.pk],
            "student": [world.child.pk], "index": []}[url_name]
    _same_queries(client, django_assert_num_queries, world, reverse(f"absences:{url_name}", args=args),
                  world.users[role])


@pytest.mark.parametrize("role", ["guardian", "teacher", "administration"])
def test_the_home_block_takes_the_same_number_of_queries_for_more_data(client, world, django_assert_num_queries,
                                                                        role):
    report(world.users["guardian"], world.child, reason="doctor")
    _same_queries(client, django_assert_num_queries, world, reverse("web:home"), world.users[role])
