"""The school square: staff post, the parents of the audience react and vote; staff who manage the
post switch reactions off and on and remove a reaction. A removed reaction disappears for parents;
staff see that it was removed (and by whom). A parent may take back their own reaction."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from schoolpoort.core.models import AuditEntry
from schoolpoort.notify.models import Broadcast
from schoolpoort.signups import actions
from schoolpoort.signups.models import Reaction, SquarePost
from tests.signups.helpers import english, make_square_post


@pytest.fixture
def post(world):
    return make_square_post(world, kind=SquarePost.Kind.HELP, title="Wie helpt in de moestuin?")


def react(client, post, text, **headers):
    return client.post(reverse("signups:square_post", args=[post.pk]), {"text": text}, **headers)


def test_a_parent_reacts_and_other_parents_of_the_group_see_it_with_the_name(client, world, post):
    guardian, other = world.users["guardian"], world.users["other_guardian"]
    client.force_login(guardian)
    assert react(client, post, "Ik help woensdag!").status_code == 302

    client.force_login(other)
    page = client.get(reverse("signups:square_post", args=[post.pk])).content.decode()
    assert "Ik help woensdag!" in page and escape(guardian.get_full_name()) in page


def test_reacting_with_htmx_returns_only_the_reactions(client, world, post):
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    response = react(client, post, "Ik help!", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="reactions"') and "Ik help!" in page
    assert "Your reaction has been placed." in page


def test_an_empty_reaction_keeps_the_form_and_says_why(client, world, post):
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    response = react(client, post, "   ")
    assert response.status_code == 200
    assert "Write your reaction first." in response.content.decode()
    assert not Reaction.objects.exists()


def test_staff_switch_reactions_off_and_parents_can_no_longer_react(client, world, post):
    teacher = world.users["teacher"]
    english(teacher, world.users["guardian"])
    client.force_login(teacher)
    response = client.post(reverse("signups:toggle_reactions", args=[post.pk]), follow=True)
    assert "Reactions are switched off." in response.content.decode()
    post.refresh_from_db()
    assert not post.reactions_open

    client.force_login(world.users["guardian"])
    page = client.get(reverse("signups:square_post", args=[post.pk])).content.decode()
    assert "Reactions are switched off for this post." in page and 'name="react"' not in page
    react(client, post, "Toch nog even")
    assert not Reaction.objects.exists()

    client.force_login(teacher)
    client.post(reverse("signups:toggle_reactions", args=[post.pk]))
    post.refresh_from_db()
    assert post.reactions_open


def test_staff_remove_a_reaction_parents_no_longer_see_it_staff_see_it_was_removed(client, world, post):
    teacher, guardian = world.users["teacher"], world.users["guardian"]
    english(teacher)
    reaction = actions.react(post, world.users["other_guardian"], "Koop bij mijn webwinkel!")
    kept = actions.react(post, guardian, "Ik help!")
    client.force_login(teacher)

    client.post(reverse("signups:remove_reaction", args=[post.pk, reaction.pk]))

    reaction.refresh_from_db()
    assert reaction.removed_by == teacher and reaction.removed_at is not None
    audit = AuditEntry.objects.get(action="signups.reaction_removed")
    assert audit.actor == teacher and audit.detail["author"] == world.users["other_guardian"].pk
    staff_page = client.get(reverse("signups:square_post", args=[post.pk])).content.decode()
    assert "Koop bij mijn webwinkel!" in staff_page and "removed" in staff_page
    assert escape(f"Removed by {teacher.get_full_name()}") in staff_page  # a name may hold an apostrophe

    client.force_login(guardian)
    page = client.get(reverse("signups:square_post", args=[post.pk]))
    assert "Koop bij mijn webwinkel!" not in page.content.decode()
    assert [r.pk for r in page.context["reactions"]] == [kept.pk]


def test_a_parent_takes_back_their_own_reaction_but_not_anothers(client, world, post):
    guardian = world.users["guardian"]
    own = actions.react(post, guardian, "Oeps, verkeerde groep")
    others = actions.react(post, world.users["other_guardian"], "Ik help!")
    client.force_login(guardian)
    assert client.post(reverse("signups:remove_reaction", args=[post.pk, others.pk])).status_code == 404
    assert client.post(reverse("signups:remove_reaction", args=[post.pk, own.pk])).status_code == 302
    own.refresh_from_db()
    others.refresh_from_db()
    assert own.removed_by == guardian and others.removed_at is None
    assert not AuditEntry.objects.filter(action="signups.reaction_removed").exists()  # not moderation


@pytest.mark.parametrize("role", ["guardian", "guardian_other_group", "teacher_other_group"])
def test_who_does_not_manage_the_post_cannot_moderate(client, world, role):
    post = make_square_post(world, school_wide=True)
    reaction = actions.react(post, world.users["other_guardian"], "Hallo")
    client.force_login(world.users[role])
    assert client.post(reverse("signups:toggle_reactions", args=[post.pk])).status_code == 404
    assert client.post(reverse("signups:remove_reaction", args=[post.pk, reaction.pk])).status_code == 404
    assert client.get(reverse("signups:square_delete", args=[post.pk])).status_code == 404
    post.refresh_from_db()
    reaction.refresh_from_db()
    assert post.reactions_open and reaction.removed_at is None


def test_a_quick_poll_counts_one_vote_per_parent_which_they_may_change(client, world):
    poll = make_square_post(world, kind=SquarePost.Kind.POLL, poll=["Dikkie Dik", "Jip en Janneke"])
    dikkie, jip = poll.poll_options.all()
    guardian, other = world.users["guardian"], world.users["other_guardian"]
    client.force_login(guardian)
    client.post(reverse("signups:vote", args=[poll.pk]), {"option": dikkie.pk})
    client.post(reverse("signups:vote", args=[poll.pk]), {"option": jip.pk})
    client.force_login(other)
    client.post(reverse("signups:vote", args=[poll.pk]), {"option": jip.pk})

    assert Reaction.objects.filter(post=poll, option__isnull=False).count() == 2
    page = client.get(reverse("signups:square_post", args=[poll.pk]))
    counts = {option.label: option.count for option in page.context["options"]}
    assert counts == {"Dikkie Dik": 0, "Jip en Janneke": 2}
    assert escape(guardian.get_full_name()) not in page.content.decode()  # votes are counts, never names


def test_staff_cannot_vote_and_the_teacher_sees_the_counts(client, world):
    poll = make_square_post(world, kind=SquarePost.Kind.POLL, poll=["Ja", "Nee"])
    yes = poll.poll_options.first()
    client.force_login(world.users["teacher"])
    assert client.post(reverse("signups:vote", args=[poll.pk]), {"option": yes.pk}).status_code == 404
    assert client.get(reverse("signups:square_post", args=[poll.pk])).status_code == 200


def test_placing_a_post_notifies_its_audience(client, world):
    teacher = world.users["teacher"]
    english(teacher)
    client.force_login(teacher)
    response = client.post(reverse("signups:square_create"), {
        "kind": "poll", "title": "Welk boek?", "body": "Kies mee", "audience_targets": [f"group:{world.group3.pk}"],
        "poll_options": "Dikkie Dik\nJip en Janneke\n",
    })
    post = SquarePost.objects.get()
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    assert [o.label for o in post.poll_options.all()] == ["Dikkie Dik", "Jip en Janneke"]
    (broadcast,) = Broadcast.objects.filter(event="signups.square")
    assert sorted(broadcast.recipient_ids) == sorted([world.users["guardian"].pk, world.users["other_guardian"].pk])


def test_a_failed_post_keeps_what_was_typed(client, world):
    teacher = world.users["teacher"]
    english(teacher)
    client.force_login(teacher)
    response = client.post(reverse("signups:square_create"), {
        "kind": "poll", "title": "Welk boek?", "body": "Kies mee", "audience_targets": [f"group:{world.group3.pk}"],
        "poll_options": "Alleen één",
    })
    assert response.status_code == 200
    page = response.content.decode()
    assert "Give at least two options." in page and 'value="Welk boek?"' in page and "Alleen één" in page
    assert not SquarePost.objects.exists()


def test_deleting_a_post_removes_its_reactions_and_is_audited(client, world, post):
    actions.react(post, world.users["guardian"], "Ik help!")
    client.force_login(world.users["director"])
    assert client.post(reverse("signups:square_delete", args=[post.pk])).status_code == 302
    assert not SquarePost.objects.exists() and not Reaction.objects.exists()
    assert AuditEntry.objects.filter(action="signups.square_deleted").exists()


def test_a_guardian_never_sees_the_reaction_of_the_ex_partner_who_hides_from_them(client, world, post):
    """``core.hiding``: other_guardian keeps their details from guardian (the other guardian of Noor)."""
    guardian, hider = world.users["guardian"], world.users["other_guardian"]
    client.force_login(hider)
    assert react(client, post, "Ik neem de schoppen mee").status_code == 302
    client.force_login(guardian)
    page = client.get(reverse("signups:square_post", args=[post.pk])).content.decode()
    assert "Ik neem de schoppen mee" not in page and escape(hider.get_full_name()) not in page
    client.force_login(world.users["teacher"])  # staff see every reaction
    assert "Ik neem de schoppen mee" in client.get(reverse("signups:square_post", args=[post.pk])).content.decode()


def test_a_post_written_in_the_editor_shows_its_list_and_nothing_unsafe(client, world):
    client.force_login(world.users["teacher"])
    client.post(reverse("signups:square_create"), {
        "kind": "question", "title": "Wie helpt mee?", "audience_targets": [f"group:{world.group3.pk}"],
        "body": '<p>Nodig:</p><ul><li>twee ouders</li><li>een auto</li></ul><p onclick="x()">Dank!</p>'
                "<script>alert(1)</script>",
    })
    post = SquarePost.objects.get()
    assert post.body == "<p>Nodig:</p><ul><li>twee ouders</li><li>een auto</li></ul><p>Dank!</p>"
    client.force_login(world.users["guardian"])
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<ul><li>twee ouders</li><li>een auto</li></ul>" in page and "alert(1)" not in page


def test_a_plain_text_post_of_before_keeps_its_lines_and_shows_no_html(client, world):
    post = make_square_post(world, body="Wie rijdt?\nGraag <b>voor</b> vrijdag")
    client.force_login(world.users["guardian"])
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<p>Wie rijdt?<br>Graag &lt;b&gt;voor&lt;/b&gt; vrijdag</p>" in page
