"""Reactions on news (👍 ❤️ 🙏 "thanks"), where the school switched them on
(``SchoolNewsSettings.reactions``, off by default). Only parents react, on posts they may see
(``Post.objects.visible_to``); a reaction is taken back by choosing it again.

Parents see counts only, never names: so no parent sees another family, nor a hidden ex-partner
(``core.hiding``). Staff see the names behind each count. Board-wide posts belong to no school
and take no reactions."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from schoolpoort.core.access import roles_of

from .models import PostReaction, SchoolNewsSettings


def reactions_on(post) -> bool:
    """Whether the post's school lets parents react; one query."""
    if post.school_id is None:
        return False
    return SchoolNewsSettings.objects.filter(school_id=post.school_id, reactions=True).exists()


def may_react(user, post) -> bool:
    """A guardian at the post's school (not in their staff role there), on a published post."""
    roles = roles_of(user)
    return post.is_published and post.school_id is not None and not roles.is_staff_at(post.school)


@dataclass
class ReactionCount:
    kind: str
    label: str
    count: int = 0
    mine: bool = False
    names: list[str] = field(default_factory=list)  # only filled for staff


def reaction_summary(post, user, *, with_names: bool) -> list[ReactionCount]:
    """Every kind with its count and whether ``user`` chose it; the names for staff. One query."""
    counts = {kind: ReactionCount(kind, label) for kind, label in PostReaction.Kind.choices}
    for reaction in PostReaction.objects.filter(post=post).select_related("user").order_by("created_at", "pk"):
        item = counts[reaction.kind]
        item.count += 1
        item.mine = item.mine or reaction.user_id == user.pk
        if with_names:
            item.names.append(reaction.user.full_name)
    return list(counts.values())


def toggle_reaction(post, user, kind: str) -> bool:
    """Add the reaction, or take it back when the user had it; True when it is there now."""
    removed, _ = PostReaction.objects.filter(post=post, user=user, kind=kind).delete()
    if removed:
        return False
    try:
        with transaction.atomic():
            PostReaction.objects.create(post=post, user=user, kind=kind)
    except IntegrityError:  # a double click: it is there
        pass
    return True


def reaction_context(user, post) -> dict:
    """What the post page shows of reactions: nothing where the school has them off."""
    if not reactions_on(post):
        return {"reactions": None}
    staff = roles_of(user).is_staff_at(post.school)
    return {
        "reactions": reaction_summary(post, user, with_names=staff),
        "can_react": may_react(user, post),
        "reaction_names": staff,
    }
