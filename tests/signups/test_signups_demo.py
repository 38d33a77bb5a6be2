"""The demo's sign-ups (DEMO.md): a volunteer sign-up for groep 3 of De Regenboog with slots of four
places, some taken by generated families and none by the fixed ones; a poll with answers; the
school square with reactions (one removed) and a quick poll; nothing at De Ark, where the module is
off; and the families told of the forms."""

from collections import Counter

from schoolpoort.core.models import ModuleSwitch
from schoolpoort.demo.world import build_demo
from schoolpoort.lib.demo import ARK, REGENBOOG
from schoolpoort.notify.models import Broadcast
from schoolpoort.signups import signing
from schoolpoort.signups.models import Answer, Form, Option, Question, Reaction, SquarePost


def test_the_volunteer_sign_up_has_slots_of_four_some_taken_but_not_by_the_fixed_families(demo):
    form = Form.objects.get(title="Rijden naar de kinderboerderij")
    assert form.school == demo.schools[REGENBOOG] and list(form.groups.all()) == [demo.groups[REGENBOOG, "3"]]
    assert form.is_open() and form.per == Form.Per.FAMILY
    slots = Option.objects.filter(question__form=form, question__kind=Question.Kind.SLOTS).order_by("position")
    assert [option.capacity for option in slots] == [4, 4]
    assert [option.taken for option in slots] == [3, 2]
    for email in ("jansen@ouders.example", "smit@ouders.example"):
        assert signing.current_response(form, demo.users[email]) is None
    assert form.created_by == demo.users["leerkracht.groep3@regenboog.example"]


def test_the_poll_has_answers_among_them_the_de_vries_family(demo):
    form = Form.objects.get(title="Welke dag past voor de ouderavond?")
    assert form.audience == "school" and form.responses.count() > 20
    response = signing.current_response(form, demo.users["bakker@ouders.example"])  # the other guardian sees it
    assert response is not None and response.family_user == demo.users["devries@ouders.example"]
    assert signing.current_response(form, demo.users["jansen@ouders.example"]) is None


def test_every_counter_matches_the_answers(demo):
    counted = Counter(Answer.objects.filter(option__isnull=False).values_list("option_id", flat=True))
    for option in Option.objects.all():
        assert option.taken == counted.get(option.pk, 0)


def test_the_school_square_has_reactions_one_removed_and_a_quick_poll(demo):
    help_post = SquarePost.objects.get(kind=SquarePost.Kind.HELP)
    assert Reaction.objects.filter(post=help_post).shown().count() >= 4
    (removed,) = Reaction.objects.filter(post=help_post, removed_at__isnull=False)
    assert removed.removed_by == demo.users["leerkracht.groep6@regenboog.example"]
    poll = SquarePost.objects.get(kind=SquarePost.Kind.POLL)
    assert Reaction.objects.filter(post=poll, option__isnull=False).count() > 5


def test_de_ark_has_signups_off_and_no_content(demo):
    assert not ModuleSwitch.objects.get(school=demo.schools[ARK], module="signups").enabled
    assert not Form.objects.filter(school=demo.schools[ARK]).exists()
    assert not SquarePost.objects.filter(school=demo.schools[ARK]).exists()


def test_the_demo_tells_the_families_of_both_forms_as_publishing_does(demo):
    """Issue 15: the notification centre shows the demo's items, so the demo notifies through the
    module's own function, and the fan-out has run."""
    broadcasts = Broadcast.objects.filter(module="signups")
    assert {b.event for b in broadcasts} == {"signups.published"}  # one per form and language
    assert len({b.key for b in broadcasts}) == 2 and all(b.recipient_ids and b.fanned_out_at for b in broadcasts)


def test_the_demo_is_the_same_every_time(db):
    def snapshot():
        form = Form.objects.get(title="Rijden naar de kinderboerderij")
        return sorted(
            (r.family_user.email, tuple(sorted(a.option.label for a in r.answers.all() if a.option_id)))
            for r in form.responses.select_related("family_user")
        )

    build_demo(verbosity=0)
    first = snapshot()
    build_demo(verbosity=0)
    assert snapshot() == first
