import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schoolpoort.core.models import ModuleClosure, ModuleSwitch
from tests.factories import GroupFactory, GuardianshipFactory, SchoolFactory, enrolled_student
from tests.world import build_world

HOME = reverse("web:home")
# Queries of the home page when the user's reach and the cached blocks (news, albums, records,
# calendar, timetable, absences, sign-ups, conferences: core/blocks.cached_block) are in the cache
# (the usual request): the session, the user, the versions of the reach and the content (one read;
# none with Redis), then each other module's block (staff) and the shell's counts (one query for
# all, core/counts.py).
HOME_QUERIES = {"guardian": 3, "teacher": 10, "director": 10, "board_admin": 10}


@pytest.fixture
def world(db):
    return build_world()


def home_as(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_guardian_sees_their_child_with_group_and_school_and_no_other(client, world):
    page = home_as(client, world.users["guardian"])
    assert "Noor Jansen" in page
    assert "Groep 3" in page
    assert "School A1" in page
    assert "Lotte" not in page and "Adam" not in page


def test_the_page_is_dutch_by_default_and_english_on_request(client, world):
    page = home_as(client, world.users["guardian"])
    assert '<html lang="nl">' in page
    assert "Mijn kinderen" in page
    user = world.users["guardian"]
    user.language = "en"
    user.save()
    page = home_as(client, user)
    assert '<html lang="en">' in page
    assert "My children" in page


def test_a_family_at_two_schools_finds_each_schools_own_modules_under_more(client, world):
    ark = SchoolFactory(board=world.school.board, name="KBS De Ark", modules=["news", "calendar", "absences"])
    adam = enrolled_student(GroupFactory(school=ark, grades="5"), first_name="Adam")
    GuardianshipFactory(student=adam, user=world.users["guardian"])
    client.force_login(world.users["guardian"])
    page = client.get(reverse("web:more")).content.decode()
    assert "School A1" in page and "KBS De Ark" in page
    sections = page.split('<ul class="more-list" aria-labelledby="more-modules-')
    (ark_section,) = [s for s in sections if s.startswith(f'{ark.pk}"')]
    (a1_section,) = [s for s in sections if s.startswith(f'{world.school.pk}"')]
    assert "Kalender" in ark_section and "Fotoalbums" not in ark_section
    assert "Kalender" in a1_section and "Fotoalbums" in a1_section


def test_a_closed_module_shows_the_schools_message_instead_of_the_module(client, world):
    today = timezone.localdate()
    ModuleClosure.objects.create(
        school=world.school, module="records", starts_on=today, ends_on=today + datetime.timedelta(days=7),
        message="Gesloten rond de rapporten",
    )
    page = home_as(client, world.users["guardian"])
    assert "Gesloten rond de rapporten" in page
    assert "Rapporten en resultaten" not in page.split("Gesloten rond de rapporten")[1]


def test_a_school_without_modules_says_so(client, world):
    ModuleSwitch.objects.filter(school=world.school).update(enabled=False)
    client.force_login(world.users["guardian"])
    page = client.get(reverse("web:more")).content.decode()
    assert "heeft nog geen onderdelen aangezet" in page


def test_a_teacher_sees_their_groups_and_no_registration_figures(client, world):
    page = home_as(client, world.users["teacher"])
    assert "Groep 3" in page
    assert "Nog niet geregistreerd" not in page


def test_the_director_sees_registration_figures_and_the_module_switches(client, world):
    page = home_as(client, world.users["director"])
    assert reverse("core:modules", args=[world.school.pk]) in page
    assert reverse("accounts:guardians", args=[world.school.pk]) in page
    assert "Nog niet geregistreerd" in page


def test_a_user_with_nothing_linked_is_asked_for_a_registration_code(client, db):
    from tests.factories import UserFactory

    page = home_as(client, UserFactory())
    assert reverse("accounts:register") in page


@pytest.mark.parametrize("role", ["guardian", "teacher", "director", "board_admin"])
def test_home_page_queries_do_not_grow_with_the_data(client, world, role, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from schoolpoort.core.access import reach_changed

    user = world.users[role]
    client.force_login(user)
    client.get(HOME)  # the reach cache's versions exist from here on
    reach_changed()  # the reach read anew, as after any change of access
    with CaptureQueriesContext(connection) as small:
        client.get(HOME)
    with CaptureQueriesContext(connection) as warm:
        client.get(HOME)
    assert len(warm.captured_queries) == HOME_QUERIES[role]

    # more of everything: children for the guardian, groups for the teacher, a school for the board
    more = SchoolFactory(board=world.school.board)
    for grade in "4578":
        group = GroupFactory(school=world.school, grades=grade, teachers=[world.users["teacher"]])
        for _ in range(3):
            child = enrolled_student(group)
            GuardianshipFactory(student=child, user=world.users["guardian"])
            GuardianshipFactory(student=child, user=None, email="")
    GuardianshipFactory(student=enrolled_student(GroupFactory(school=more)), user=world.users["guardian"])

    with django_assert_num_queries(len(small.captured_queries)):  # the changes above bumped the reach
        response = client.get(HOME)
    assert response.status_code == 200
    with django_assert_num_queries(len(warm.captured_queries)):
        assert client.get(HOME).status_code == 200
