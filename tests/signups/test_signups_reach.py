"""One rule, two readings: ``form_q`` and ``square_post_q`` read from subqueries (``visible_to``)
and from the request's plain id lists (the form page, ``access.get_in_reach_or_404``) find the
same forms and square posts for every role, with the module open, switched off or closed today."""

from types import SimpleNamespace

import pytest

from schoolpoort.signups.access import form_q, guardian_form_q, square_post_q, visible_guardian_form_q
from schoolpoort.signups.models import Form, SquarePost
from tests.access_table import CASES as ACCESS_TABLE
from tests.access_table import reach_ids, set_module_state
from tests.signups.helpers import make_form, make_square_post


def _forms_and_posts_of_every_kind(world):
    users = world.users
    elsewhere = SimpleNamespace(school=world.other_school, users=users)
    make_form(world, title="Groep 3")
    make_form(world, groups=[world.group6], creator=users["teacher_other_group"], title="Groep 6")
    make_form(world, school=world.school, creator=users["director"], title="School")
    make_form(world, published=False, title="Concept groep 3")
    make_form(world, published=False, groups=[world.group6], creator=users["director"], title="Concept groep 6")
    make_form(world, school=world.school, published=False, creator=users["teacher"], title="Concept van de juf")
    make_form(world, school=world.school, published=False, creator=users["director"], title="Concept school")
    make_form(world, school=world.sister_school, creator=users["board_admin"], title="Zusterschool")
    make_form(elsewhere, school=world.other_school, creator=users["board_admin_other_board"], title="Elders")
    make_square_post(world)
    make_square_post(world, groups=[world.group6], author=users["teacher_other_group"])
    make_square_post(world, school_wide=True, author=users["director"])
    make_square_post(elsewhere, school_wide=True, author=users["board_admin_other_board"])


@pytest.mark.parametrize(("role", "state"), ACCESS_TABLE)
def test_visible_to_and_the_form_page_read_one_rule_alike(world, role, state):
    _forms_and_posts_of_every_kind(world)
    set_module_state(world, "signups", state)
    user = world.users[role]
    ids = reach_ids(user)
    forms = set(Form.objects.visible_to(user))
    assert set(Form.objects.filter(form_q(ids))) == forms
    assert set(Form.objects.filter(guardian_form_q(ids))) == set(Form.objects.filter(visible_guardian_form_q(user)))
    assert set(SquarePost.objects.filter(square_post_q(ids))) == set(SquarePost.objects.visible_to(user))
    # Not two empty sets: every role reads something, except the main school's parents when it is shut.
    shut = state == "switched off" or (state == "closed today" and role in ("guardian", "other_guardian"))
    assert bool(forms) == (not shut or role in ("guardian_other_school", "board_admin"))
