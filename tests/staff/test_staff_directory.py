"""The staff directory: for anyone who can see the school, each staff member as they agreed to be
shown (name and role by default); photos only through the access check; a staff member edits only
their own profile; photos are checked by their content and lose their metadata."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from schoolpoort.core.models import StaffMembership
from schoolpoort.staff.models import StaffProfile
from tests.factories import GroupFactory, StaffMembershipFactory, UserFactory
from tests.staff.helpers import english, jpeg_with_gps, profile_with_photo, upload

SEES_SCHOOL_A1 = {"guardian", "other_guardian", "guardian_other_group", "teacher", "teacher_other_group",
                  "administration", "director", "board_admin"}
ROLES = sorted(SEES_SCHOOL_A1 | {"guardian_other_school", "board_admin_other_board"})


@pytest.fixture
def teacher(world):
    user = world.users["teacher"]
    user.first_name, user.last_name = "Judith", "Kramer"
    user.save()
    return user


@pytest.mark.parametrize("role", ROLES)
def test_the_directory_of_a_school_is_for_those_who_can_see_the_school(client, world, teacher, role):
    client.force_login(world.users[role])
    response = client.get(reverse("staff:directory", args=[world.school.pk]))
    assert response.status_code == (200 if role in SEES_SCHOOL_A1 else 404)
    if response.status_code == 200:
        assert "Judith Kramer" in response.content.decode()


def test_by_default_only_name_and_role_are_shown(client, world, teacher):
    english(world.users["guardian"])
    profile_with_photo(teacher, world.school, days=[0, 1])  # switches off: nothing beyond name and role
    client.force_login(world.users["guardian"])
    html = client.get(reverse("staff:directory", args=[world.school.pk])).content.decode()
    card = html[html.index(f'id="staff-{teacher.pk}"'):]
    card = card[: card.index("</li>")]
    assert "Judith Kramer" in card and "Teacher" in card
    assert "<img" not in card and "Monday" not in card and world.group3.name not in card


def test_what_a_staff_member_switches_on_is_shown(client, world, teacher):
    english(world.users["guardian"])
    profile = profile_with_photo(teacher, world.school, display_name="juf Judith", role_text="Leerkracht groep 3",
                                 days=[0, 2], show_photo=True, show_days=True, show_groups=True)
    client.force_login(world.users["guardian"])
    html = client.get(reverse("staff:directory", args=[world.school.pk])).content.decode()
    card = html[html.index(f'id="staff-{teacher.pk}"'):]
    card = card[: card.index("</li>")]
    assert "juf Judith" in card and "Leerkracht groep 3" in card
    assert reverse("staff:photo", args=[profile.pk]) in card
    assert "Monday, Wednesday" in card and "Groep 3" in card


def test_staff_of_other_schools_and_former_staff_are_not_listed(client, world, teacher):
    stranger = UserFactory(first_name="Kees", last_name="Vreemd")
    StaffMembershipFactory(user=stranger, school=world.other_school)
    profile_with_photo(stranger, world.school, show_photo=True)  # a profile left at a school he never worked at
    client.force_login(world.users["guardian"])
    html = client.get(reverse("staff:directory", args=[world.school.pk])).content.decode()
    assert "Kees Vreemd" not in html


@pytest.mark.parametrize("role", ROLES + ["anonymous"])
def test_a_photo_is_served_only_to_those_who_can_see_the_school(client, world, teacher, role):
    profile = profile_with_photo(teacher, world.school, show_photo=True)
    if role != "anonymous":
        client.force_login(world.users[role])
    response = client.get(reverse("staff:photo", args=[profile.pk]))
    if role == "anonymous":
        assert response.status_code == 302
    elif role in SEES_SCHOOL_A1:
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"].startswith("private")
    else:
        assert response.status_code == 404


def test_a_photo_that_is_not_shown_is_404_except_to_its_owner(client, world, teacher):
    profile = profile_with_photo(teacher, world.school, show_photo=False)
    url = reverse("staff:photo", args=[profile.pk])
    for role in ("guardian", "director", "board_admin"):
        client.force_login(world.users[role])
        assert client.get(url).status_code == 404, role
    client.force_login(teacher)
    assert client.get(url).status_code == 200


def test_the_photo_of_someone_who_left_the_school_is_404(client, world, teacher):
    profile = profile_with_photo(teacher, world.school, show_photo=True)
    StaffMembership.objects.filter(user=teacher, school=world.school).delete()
    client.force_login(world.users["guardian"])
    assert client.get(reverse("staff:photo", args=[profile.pk])).status_code == 404
    assert client.get(reverse("staff:photo", args=[999999])).status_code == 404


@pytest.mark.parametrize("role, status", [("teacher", 200), ("administration", 200), ("director", 200),
                                          ("board_admin", 404), ("guardian", 404), ("board_admin_other_board", 404)])
def test_only_the_schools_staff_edit_a_profile_there(client, world, role, status):
    client.force_login(world.users[role])
    assert client.get(reverse("staff:edit", args=[world.school.pk])).status_code == status
    assert client.get(reverse("staff:edit", args=[world.other_school.pk])).status_code == 404


def test_a_staff_member_edits_their_own_profile_with_a_photo_without_metadata(client, world, teacher):
    client.force_login(teacher)
    response = client.post(reverse("staff:edit", args=[world.school.pk]), {
        "display_name": "juf Judith", "role_text": "", "days": ["1", "3"], "show_photo": "on", "show_days": "on",
        "new_photo": upload(jpeg_with_gps()),
    })
    assert response.status_code == 302
    profile = StaffProfile.objects.get(user=teacher, school=world.school)
    assert (profile.display_name, profile.days, profile.show_photo, profile.show_days, profile.show_groups) == (
        "juf Judith", [1, 3], True, True, False)
    with profile.photo.open("rb") as handle, Image.open(io.BytesIO(handle.read())) as stored:
        assert stored.format == "JPEG" and stored.size == (512, 512)
        assert not stored.getexif() and "exif" not in stored.info
    assert not StaffProfile.objects.exclude(user=teacher).exists()  # nobody else's profile changed

    old_name = profile.photo.name
    client.post(reverse("staff:edit", args=[world.school.pk]), {"display_name": "juf Judith", "remove_photo": "on"})
    profile.refresh_from_db()
    assert not profile.photo and not profile.photo.storage.exists(old_name)


@pytest.mark.parametrize("data, name", [(b"GIF89a not really", "foto.jpg"), (b"%PDF-1.4", "foto.png"),
                                        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "foto.svg")])
def test_a_file_that_is_not_a_photo_is_refused(client, world, teacher, data, name):
    english(teacher)
    client.force_login(teacher)
    response = client.post(reverse("staff:edit", args=[world.school.pk]), {"new_photo": upload(data, name)})
    assert response.status_code == 200
    assert "could not be read as a photo" in response.content.decode()
    assert not StaffProfile.objects.exists()


def test_the_directory_costs_the_same_queries_for_few_and_many_staff(client, world, teacher):
    url = reverse("staff:directory", args=[world.school.pk])
    client.force_login(world.users["guardian"])

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for n in range(12):
        user = UserFactory()
        StaffMembershipFactory(user=user, school=world.school)
        GroupFactory(school=world.school, grades=str(n % 8 + 1), name=f"Groep {n}b", teachers=[user])
        profile_with_photo(user, world.school, show_photo=True, show_groups=True, show_days=True, days=[n % 5])
    assert count() == few


def test_the_index_shows_the_directory_of_the_only_school_or_a_choice(client, world, teacher):
    client.force_login(world.users["guardian"])
    assert "Kramer" in client.get(reverse("staff:index")).content.decode()
    client.force_login(world.users["board_admin"])
    html = client.get(reverse("staff:index")).content.decode()
    assert reverse("staff:directory", args=[world.school.pk]) in html
    assert reverse("staff:directory", args=[world.sister_school.pk]) in html
    assert reverse("staff:directory", args=[world.other_school.pk]) not in html


def test_the_demo_staff_have_profiles_with_avatars(demo):
    profiles = {p.user.email: p for p in StaffProfile.objects.select_related("user")}
    assert set(profiles) >= {"directie@regenboog.example", "leerkracht.groep3@regenboog.example",
                             "leerkracht.groep5@deark.example"}
    assert all(profile.photo for profile in profiles.values())
    assert profiles["directie@regenboog.example"].show_days
    assert not profiles["administratie@regenboog.example"].show_photo
    with profiles["leerkracht.groep3@regenboog.example"].photo.open("rb") as handle:
        assert Image.open(handle).size == (512, 512)
    assert demo.users["leerkracht.groep3@regenboog.example"].pk in {p.user_id for p in profiles.values()}
