"""Who may write, edit and remind, and to whom: the audience a staff member may choose follows
their role. Teachers post to the groups they teach, directors to their school or any of its
groups, board admins to the board, any of its schools or groups. Urgent messages are for
directors and board admins. Authors edit and delete their own posts; a director or board admin
those of their school."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from schoolpoort.core.access import modules_for_schools, roles_of
from schoolpoort.core.models import Board, Group, School

from .access import MODULE
from .models import Post


@dataclass(frozen=True)
class Target:
    """One choice in the form's audience list: "board:1", "school:2" or "group:3"."""

    kind: str  # "board", "school", "group"
    pk: int
    label: str
    board_id: int
    school_id: int | None = None

    @property
    def value(self) -> str:
        return f"{self.kind}:{self.pk}"


@dataclass
class AuthoringOptions:
    targets: list[Target] = field(default_factory=list)
    urgent_board_ids: set[int] = field(default_factory=set)  # boards a user may send urgent messages to
    urgent_school_ids: set[int] = field(default_factory=set)  # schools a user may send urgent messages to

    @property
    def can_post(self) -> bool:
        return bool(self.targets)

    @property
    def may_send_urgent(self) -> bool:
        return bool(self.urgent_board_ids or self.urgent_school_ids)

    def by_value(self) -> dict[str, Target]:
        return {target.value: target for target in self.targets}

    def add_current_audience(self, post: Post) -> None:
        """When editing, the post's own audience stays choosable."""
        known = self.by_value()
        extra = []
        if post.audience == Post.Audience.BOARD:
            extra.append(Target("board", post.board_id, post.board.name, post.board_id))
        elif post.audience == Post.Audience.SCHOOL:
            extra.append(Target("school", post.school_id, post.school.name, post.board_id, post.school_id))
        else:
            extra += [
                Target("group", g.pk, _group_label(g, post.school), post.board_id, post.school_id)
                for g in post.groups.all()
            ]
        self.targets += [target for target in extra if target.value not in known]


def _group_label(group: Group, school: School) -> str:
    return f"{group.name} · {school.name}"


def authoring_options(user) -> AuthoringOptions:
    """Where ``user`` may post: only schools where news is switched on. A fixed number of queries."""
    roles = roles_of(user)
    options = AuthoringOptions()
    if not roles.is_staff:
        return options
    schools = list(
        School.objects.filter(Q(pk__in=roles.board_school_ids) | Q(pk__in=list(roles.school_roles)))
        .select_related("board")
        .order_by("board__name", "name")
    )
    news_on = {
        state.school.pk
        for state in modules_for_schools(user, schools)
        if any(module.info.code == MODULE for module in state.usable)
    }
    schools = [school for school in schools if school.pk in news_on]
    managed = [school for school in schools if roles.manages(school)]
    groups = Group.objects.current().filter(school__in=schools).order_by("school__name", "grades", "name")
    groups = groups.filter(Q(school__in=managed) | Q(teachers=user)).distinct()
    groups_by_school: dict[int, list[Group]] = {}
    for group in groups:
        groups_by_school.setdefault(group.school_id, []).append(group)

    boards: dict[int, Board] = {s.board_id: s.board for s in schools if s.board_id in roles.board_ids}
    for board in sorted(boards.values(), key=lambda b: b.name):
        options.targets.append(Target("board", board.pk, _("%(board)s (every school)") % {"board": board.name},
                                      board.pk))
        options.urgent_board_ids.add(board.pk)
    for school in schools:
        if school in managed:
            options.targets.append(Target("school", school.pk, school.name, school.board_id, school.pk))
            options.urgent_school_ids.add(school.pk)
        for group in groups_by_school.get(school.pk, []):
            options.targets.append(Target("group", group.pk, _group_label(group, school), school.board_id, school.pk))
    return options


def can_edit(user, post: Post) -> bool:
    """The author (still staff there), or a director or board admin of the post's school or board.
    Only for a post the user can see (fetched through ``visible_to``)."""
    roles = roles_of(user)
    if post.audience == Post.Audience.BOARD:
        return post.board_id in roles.board_ids
    school = post.school
    if roles.manages(school):
        return True
    return post.author_id == user.pk and roles.is_staff_at(school)


def may_send_urgent(user, post: Post) -> bool:
    roles = roles_of(user)
    if post.audience == Post.Audience.BOARD:
        return post.board_id in roles.board_ids
    return roles.manages(post.school)
