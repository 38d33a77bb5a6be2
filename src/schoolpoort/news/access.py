"""Who may see a news post, built from the building blocks of ``core.access``. One SQL query:
every branch is a subquery of ids.

- guardian: published posts (publish_at <= now) whose audience includes a current group of one
  of their children (where the school lets them see class pages), the school of one of their
  children, or the board of such a school; only where news is open at that school (for a
  board-wide post: open at any of their children's schools);
- teacher (any staff member): published school-wide and board-wide posts of their schools,
  published posts to groups they teach, and their own posts to their schools (scheduled ones too);
- director and administration: every post of their school, and the published board-wide ones;
- board admin: every post of their boards.

Whether the module is switched on for staff is for the pages to check (``require_module``), as
it is for every module."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from schoolpoort.core.access import (
    NOTHING,
    guardian_group_ids,
    guardian_school_ids,
    managed_school_ids,
    open_module_school_ids,
    staff_school_ids,
    taught_group_ids,
)

MODULE = "news"


def _model(label: str):
    return apps.get_model(label)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _posts_to_groups(group_ids):
    """Ids of posts whose audience includes one of ``group_ids`` (no join: no duplicates)."""
    return _model("news.Post").groups.through.objects.filter(group_id__in=group_ids).values("post_id")


def guardian_post_q(user, now=None) -> Q:
    School = _model("core.School")
    open_schools = open_module_school_ids(MODULE)
    children_open_schools = School.objects.filter(pk__in=guardian_school_ids(user)).filter(pk__in=open_schools)
    return Q(publish_at__lte=now or timezone.now()) & (
        Q(audience="groups", school_id__in=open_schools, pk__in=_posts_to_groups(guardian_group_ids(user)))
        | Q(audience="school", school_id__in=children_open_schools.values("pk"))
        | Q(audience="board", board_id__in=children_open_schools.values("board_id"))
    )


def staff_post_q(user, now=None) -> Q:
    School = _model("core.School")
    published = Q(publish_at__lte=now or timezone.now())
    staff_schools = staff_school_ids(user)
    staff_boards = School.objects.filter(pk__in=staff_schools).values("board_id")
    return (
        Q(author=user, school_id__in=staff_schools)
        | Q(board_id__in=_model("core.BoardMembership").objects.filter(user=user).values("board_id"))
        | Q(school_id__in=managed_school_ids(user))
        | (published & Q(audience="school", school_id__in=staff_schools))
        | (published & Q(audience="board", board_id__in=staff_boards))
        | (published & Q(audience="groups", pk__in=_posts_to_groups(taught_group_ids(user))))
    )


def post_q(user, now=None) -> Q:
    if not _signed_in(user):
        return NOTHING
    now = now or timezone.now()
    return guardian_post_q(user, now) | staff_post_q(user, now)


def reach_post_q(user, reach, open_school_ids, now=None) -> Q:
    """``post_q`` with the user's ids as plain lists (``core.access.Reach``, read once per
    request) and ``open_school_ids``, the schools among the user's where news is open today
    (``NewsScope.open_school_ids``). Same posts, but PostgreSQL can walk the feed's index
    (newest first) and stop after a page instead of testing subqueries on every post; the
    equivalence is tested per role in tests/news/test_news_reach.py."""
    if not _signed_in(user):
        return NOTHING
    published = Q(publish_at__lte=now or timezone.now())
    open_child_schools = reach.child_school_ids & set(open_school_ids)
    guardian = published & (
        (Q(audience="groups", school_id__in=sorted(open_school_ids)) & _to_groups(reach.child_group_ids))
        | Q(audience="school", school_id__in=sorted(open_child_schools))
        | Q(audience="board", board_id__in=sorted(reach.boards_of(open_child_schools)))
    )
    staff_schools = sorted(reach.staff_school_ids)
    staff = (
        Q(author=user, school_id__in=staff_schools)
        | Q(board_id__in=sorted(reach.member_board_ids))
        | Q(school_id__in=sorted(reach.managed_school_ids))
        | (published & Q(audience="school", school_id__in=staff_schools))
        | (published & Q(audience="board", board_id__in=sorted(reach.boards_of(staff_schools))))
        | (published & Q(audience="groups") & _to_groups(reach.taught_group_ids))
    )
    return guardian | staff


def _to_groups(group_ids) -> Q:
    return Q(pk__in=_posts_to_groups(sorted(group_ids))) if group_ids else NOTHING
