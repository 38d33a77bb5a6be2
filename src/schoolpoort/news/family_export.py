"""The family export (``lib.family_export``): which news the user read, and when, and the
reactions they left."""

from __future__ import annotations

from schoolpoort.lib.family_export import Section

from .models import Post, PostReaction, PostRead


def export_for(user) -> Section | None:
    visible = Post.objects.visible_to(user).values("pk")
    reads = PostRead.objects.filter(user=user, post_id__in=visible).select_related("post").order_by("-read_at")
    rows = [{"post": read.post.title, "read_at": read.read_at} for read in reads]
    reactions = (
        PostReaction.objects.filter(user=user, post_id__in=visible).select_related("post").order_by("-created_at")
    )
    reacted = [
        {"post": reaction.post.title, "reaction": reaction.get_kind_display(), "at": reaction.created_at}
        for reaction in reactions
    ]
    if not rows and not reacted:
        return None
    data = {"read": rows}
    if reacted:
        data["reactions"] = reacted
    return Section("news", data)
