"""Reactions on news (``news/reactions.py``): off by default, switched on by the school's
director; parents react on posts they may see (a 404 otherwise), take a reaction back, see counts
only; staff see the names. htmx swaps the buttons; a plain POST goes back to the post."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from schoolpoort.core.models import AuditEntry
from schoolpoort.news.models import PostReaction, SchoolNewsSettings
from tests.news.news_helpers import make_post


@pytest.fixture
def post(world):
    return make_post(world.users["teacher"], groups=[world.group3], title="Schoolreis")


@pytest.fixture
def reactions_on(world):
    return SchoolNewsSettings.objects.create(school=world.school, reactions=True)


def detail(client, user, post) -> str:
    client.force_login(user)
    response = client.get(reverse("news:detail", args=[post.pk]))
    assert response.status_code == 200
    return response.content.decode()


def react(client, user, post, kind="thumbs", **headers):
    client.force_login(user)
    return client.post(reverse("news:react", args=[post.pk]), {"kind": kind}, **headers)


def test_reactions_are_off_by_default(client, world, post):
    assert 'id="reactions"' not in detail(client, world.users["guardian"], post)
    assert react(client, world.users["guardian"], post).status_code == 404
    assert not PostReaction.objects.exists()


def test_a_parent_reacts_and_takes_it_back_with_a_plain_post(client, world, post, reactions_on):
    guardian = world.users["guardian"]
    page = detail(client, guardian, post)
    assert 'id="reactions"' in page and 'aria-pressed="false"' in page
    response = react(client, guardian, post, "thanks")
    assert response.status_code == 302 and response["Location"].endswith("#reactions")
    assert PostReaction.objects.filter(post=post, user=guardian, kind="thanks").exists()
    assert 'aria-pressed="true"' in detail(client, guardian, post)
    react(client, guardian, post, "thanks")  # again: taken back
    assert not PostReaction.objects.filter(post=post, user=guardian).exists()


def test_htmx_gets_only_the_buttons(client, world, post, reactions_on):
    response = react(client, world.users["guardian"], post, "heart", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith("<section") and "<html" not in body
    assert 'data-kind="heart"' in body and 'aria-pressed="true"' in body


def test_a_parent_sees_counts_never_names(client, world, post, reactions_on):
    users = world.users
    react(client, users["other_guardian"], post, "thumbs")  # the hidden ex-partner
    page = detail(client, users["guardian"], post)
    section = page[page.find('id="reactions"'):]
    assert 'class="reaction__count">1<' in section
    assert escape(users["other_guardian"].full_name) not in page and 'id="reaction-names"' not in page


def test_staff_see_who_reacted_and_cannot_react_themselves(client, world, post, reactions_on):
    users = world.users
    react(client, users["guardian"], post, "pray")
    page = detail(client, users["teacher"], post)
    assert 'id="reaction-names"' in page and escape(users["guardian"].full_name) in page
    assert 'name="kind"' not in page
    assert react(client, users["teacher"], post).status_code == 404


@pytest.mark.parametrize("role", ["guardian_other_group", "guardian_other_school", "board_admin_other_board"])
def test_a_reaction_on_a_post_one_may_not_see_is_a_404(client, world, post, reactions_on, role):
    assert react(client, world.users[role], post).status_code == 404
    assert not PostReaction.objects.exists()


def test_an_unknown_reaction_is_a_404(client, world, post, reactions_on):
    assert react(client, world.users["guardian"], post, "poop").status_code == 404


def test_reactions_are_per_school(client, world, reactions_on):
    elsewhere = make_post(world.users["board_admin_other_board"], school=world.other_school, title="Elders")
    assert 'id="reactions"' not in detail(client, world.users["guardian_other_school"], elsewhere)
    assert react(client, world.users["guardian_other_school"], elsewhere).status_code == 404


def test_the_director_switches_reactions_on_and_it_is_audited(client, world, post):
    director = world.users["director"]
    client.force_login(director)
    url = reverse("news:school_settings", args=[world.school.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reactions": "on"}).status_code == 302
    assert SchoolNewsSettings.objects.get(school=world.school).reactions
    assert AuditEntry.objects.filter(action="news.settings_changed", school=world.school).exists()
    assert 'id="reactions"' in detail(client, world.users["guardian"], post)


@pytest.mark.parametrize("role", ["teacher", "administration", "guardian", "board_admin_other_board"])
def test_only_those_who_manage_the_school_reach_its_news_settings(client, world, role):
    client.force_login(world.users[role])
    assert client.get(reverse("news:school_settings", args=[world.school.pk])).status_code == 404


def test_the_post_page_costs_the_same_with_one_reaction_or_many(client, world, post, reactions_on):
    teacher = world.users["teacher"]
    react(client, world.users["guardian"], post)
    client.force_login(teacher)
    url = reverse("news:detail", args=[post.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for role in ("other_guardian", "guardian_other_group", "director"):
        PostReaction.objects.create(post=post, user=world.users[role], kind="heart")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_parents_reactions_are_in_their_family_export(client, world, post, reactions_on):
    from schoolpoort.news.family_export import export_for

    react(client, world.users["guardian"], post, "thanks")
    section = export_for(world.users["guardian"])
    assert section.data["reactions"][0]["post"] == "Schoolreis"
    assert export_for(world.users["other_guardian"]) is None or "reactions" not in export_for(
        world.users["other_guardian"]).data
