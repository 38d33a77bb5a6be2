"""Who may see a news post: one rule, written once against ``core.access.AccessIds``, so that
``Post.objects.visible_to(user)`` (subqueries) and the feed's pages (the request's plain id lists,
which PostgreSQL plans well on 50,000 posts) are the same code.

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

from schoolpoort.core.access import NOTHING, AccessIds, SubqueryIds, for_groups_q

MODULE = "news"


def _model(label: str):
    return apps.get_model(label)


def post_q(ids: AccessIds, now=None) -> Q:
    """The posts visible through ``ids``: ``SubqueryIds(user)`` for ``visible_to``, the request's
    ``ReachIds`` for the feed."""
    if not ids.signed_in:
        return NOTHING
    now = now or timezone.now()
    return guardian_post_q(ids, now) | staff_post_q(ids, now)


def guardian_post_q(ids: AccessIds, now=None) -> Q:
    open_schools = ids.open_schools(MODULE)
    open_child_schools = ids.both(ids.child_schools, open_schools)
    return Q(publish_at__lte=now or timezone.now()) & (
        (Q(audience="groups", school_id__in=open_schools) & for_groups_q(_model("news.Post"), ids.child_groups))
        | Q(audience="school", school_id__in=open_child_schools)
        | Q(audience="board", board_id__in=ids.boards_of(open_child_schools))
    )


def staff_post_q(ids: AccessIds, now=None) -> Q:
    published = Q(publish_at__lte=now or timezone.now())
    return (
        Q(author=ids.user, school_id__in=ids.staff_schools)
        | Q(board_id__in=ids.member_boards)
        | Q(school_id__in=ids.managed_schools)
        | (published & Q(audience="school", school_id__in=ids.staff_schools))
        | (published & Q(audience="board", board_id__in=ids.boards_of(ids.staff_schools)))
        | (published & Q(audience="groups") & for_groups_q(_model("news.Post"), ids.taught_groups))
    )


def visible_post_q(user, now=None) -> Q:
    """``post_q`` for ``Post.objects.visible_to(user)``: one SQL query, always current."""
    return post_q(SubqueryIds(user), now)

