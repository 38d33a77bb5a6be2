"""Who sees which form and square post, per role of the shared test world, both the yes and the no.
What a user may not see is a 404, never a 403: the form page, its results and export, the square
post. A module the school switched off is invisible to everyone; closed for a period, to parents."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schoolpoort.core.models import ModuleClosure, ModuleSwitch
from schoolpoort.signups.models import Form
from tests.signups.helpers import add_question, make_form, make_square_post

ROLES = ["guardian", "other_guardian", "guardian_other_group", "guardian_other_school", "teacher",
         "teacher_other_group", "administration", "director", "board_admin", "board_admin_other_board"]
OFFICE = {"administration", "director", "board_admin"}

# (what, who sees it)
GROUP_FORM = {"guardian", "other_guardian", "teacher", *OFFICE}
SCHOOL_FORM = {"guardian", "other_guardian", "guardian_other_group", "teacher", "teacher_other_group", *OFFICE}
GROUP_DRAFT = {"teacher", *OFFICE}
SCHOOL_DRAFT = set(OFFICE)
# Who manages (results, export, edit): the office, and the teacher of the group or who made it.
GROUP_MANAGERS = {"teacher", *OFFICE}
SCHOOL_MANAGERS = set(OFFICE)


def items(world):
    group_form = make_form(world)
    school_form = make_form(world, school=world.school, creator=world.users["director"], title="Ouderavond")
    group_draft = make_form(world, published=False, title="Concept")
    school_draft = make_form(world, school=world.school, published=False, creator=world.users["director"])
    for form in (group_form, school_form, group_draft, school_draft):
        add_question(form)
    return {"group_form": group_form, "school_form": school_form, "group_draft": group_draft,
            "school_draft": school_draft}


@pytest.mark.parametrize("role", ROLES)
def test_forms_are_seen_by_their_audience_and_staff_and_are_404_for_everyone_else(client, world, role):
    found = items(world)
    client.force_login(world.users[role])
    expected = {"group_form": GROUP_FORM, "school_form": SCHOOL_FORM, "group_draft": GROUP_DRAFT,
                "school_draft": SCHOOL_DRAFT}
    for name, form in found.items():
        status = client.get(reverse("signups:form", args=[form.pk])).status_code
        assert status == (200 if role in expected[name] else 404), name
    assert set(Form.objects.visible_to(world.users[role])) == {
        found[name] for name, roles in expected.items() if role in roles
    }


@pytest.mark.parametrize("role", ROLES)
def test_results_export_edit_and_delete_are_for_those_who_manage_the_form(client, world, role):
    found = items(world)
    client.force_login(world.users[role])
    for name, managers in [("group_form", GROUP_MANAGERS), ("school_form", SCHOOL_MANAGERS)]:
        form = found[name]
        for route in ("signups:results", "signups:export", "signups:edit", "signups:delete", "signups:add_question"):
            status = client.get(reverse(route, args=[form.pk])).status_code
            assert status == (200 if role in managers else 404), (name, route)


@pytest.mark.parametrize("role", ROLES)
def test_square_posts_are_seen_by_their_audience_and_staff(client, world, role):
    group_post = make_square_post(world)
    school_post = make_square_post(world, school_wide=True, author=world.users["director"])
    client.force_login(world.users[role])
    for post, readers in [(group_post, GROUP_FORM), (school_post, SCHOOL_FORM)]:
        status = client.get(reverse("signups:square_post", args=[post.pk])).status_code
        assert status == (200 if role in readers else 404)


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    form = make_form(world)
    for url in (reverse("signups:index"), reverse("signups:form", args=[form.pk]),
                reverse("signups:results", args=[form.pk]), reverse("signups:export", args=[form.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_a_form_that_does_not_exist_is_404_like_one_that_is_not_yours(client, world):
    client.force_login(world.users["director"])
    for route in ("signups:form", "signups:results", "signups:export", "signups:edit"):
        assert client.get(reverse(route, args=[999999])).status_code == 404
    assert client.get(reverse("signups:square_post", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", ["guardian", "teacher", "director"])
def test_with_the_module_switched_off_everything_is_404(client, world, role):
    form = make_form(world)
    post = make_square_post(world)
    ModuleSwitch.objects.filter(school=world.school, module="signups").update(enabled=False)
    client.force_login(world.users[role])
    assert client.get(reverse("signups:index")).status_code == 404
    assert client.get(reverse("signups:form", args=[form.pk])).status_code == 404
    assert client.get(reverse("signups:square_post", args=[post.pk])).status_code == 404
    assert client.get(reverse("signups:create")).status_code == 404
    if role != "guardian":
        assert client.get(reverse("signups:results", args=[form.pk])).status_code == 404
        assert client.get(reverse("signups:export", args=[form.pk])).status_code == 404


def test_closed_for_a_period_the_module_is_404_for_parents_and_open_for_staff(client, world):
    form = make_form(world)
    today = timezone.localdate()
    ModuleClosure.objects.create(school=world.school, module="signups", starts_on=today,
                                 ends_on=today + datetime.timedelta(days=2))
    client.force_login(world.users["guardian"])
    assert client.get(reverse("signups:form", args=[form.pk])).status_code == 404
    client.force_login(world.users["teacher"])
    assert client.get(reverse("signups:form", args=[form.pk])).status_code == 200


def test_a_guardian_without_class_pages_does_not_see_group_forms_but_does_see_school_forms(client, world):
    found = items(world)
    world.child.guardianships.filter(user=world.users["other_guardian"]).update(sees_class_pages=False)
    client.force_login(world.users["other_guardian"])
    assert client.get(reverse("signups:form", args=[found["group_form"].pk])).status_code == 404
    assert client.get(reverse("signups:form", args=[found["school_form"].pk])).status_code == 200


def test_a_guardian_of_a_child_who_left_no_longer_sees_the_form(client, world):
    form = make_form(world)
    world.child.archived_at = timezone.now()
    world.child.save()
    client.force_login(world.users["guardian"])
    assert client.get(reverse("signups:form", args=[form.pk])).status_code == 404


@pytest.mark.parametrize("role", ["guardian", "guardian_other_school", "teacher_other_group"])
def test_only_staff_make_forms_and_posts_and_only_for_their_own_audiences(client, world, role):
    client.force_login(world.users[role])
    expected = 200 if role == "teacher_other_group" else 404
    assert client.get(reverse("signups:create")).status_code == expected
    assert client.get(reverse("signups:square_create")).status_code == expected


def test_a_teacher_cannot_address_a_group_they_do_not_teach(client, world):
    client.force_login(world.users["teacher"])
    later = timezone.localtime(timezone.now() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("signups:create"), {
        "title": "Stiekem", "deadline": later, "per": "family", "audience_targets": [f"group:{world.group6.pk}"],
    })
    assert response.status_code == 200 and not Form.objects.exists()
    response = client.post(reverse("signups:create"), {
        "title": "Hele school", "deadline": later, "per": "family", "audience_targets": [f"school:{world.school.pk}"],
    })
    assert response.status_code == 200 and not Form.objects.exists()


def test_the_form_page_follows_a_closure_a_switch_a_leaver_and_class_pages_on_the_next_request(client, world):
    """The form page and the answer read the form with the request's kept id lists
    (``access.get_in_reach_or_404``), not the subqueries: each change that hides the form from a
    guardian must reach them on the very next request, or the kept reach would be a leak."""
    from schoolpoort.core.models import Guardianship
    from schoolpoort.signups.models import Response
    from tests.access_table import follows_closure_and_switch
    from tests.signups.helpers import options_of

    form = make_form(world)
    (slot,) = options_of(add_question(form))
    guardian = world.users["guardian"]
    page, answer = reverse("signups:form", args=[form.pk]), reverse("signups:respond", args=[form.pk])
    posted = {f"family-q{slot.question_id}": [slot.pk], "response": ""}
    status = follows_closure_and_switch(client, world, "signups", page, (answer, posted))
    # A group's form needs class pages: the school taking them away hides it at once.
    guardianship = Guardianship.objects.get(user=guardian, student=world.child)
    guardianship.sees_class_pages = False
    guardianship.save()
    assert status(guardian, page) == 404 and status(guardian, answer, posted) == 404
    guardianship.sees_class_pages = True
    guardianship.save()
    assert status(guardian, page) == 200
    world.child.archived_at = timezone.now()
    world.child.save()
    assert status(guardian, page) == 404 and status(guardian, answer, posted) == 404
    assert not Response.objects.exists()
