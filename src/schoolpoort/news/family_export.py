"""The family export (``lib.family_export``): which news the user read, and when."""

from __future__ import annotations

from schoolpoort.lib.family_export import Section

from .models import Post, PostRead


def export_for(user) -> Section | None:
    visible = Post.objects.visible_to(user).values("pk")
    reads = PostRead.objects.filter(user=user, post_id__in=visible).select_related("post").order_by("-read_at")
    rows = [{"post": read.post.title, "read_at": read.read_at} for read in reads]
    if not rows:
        return None
    return Section("news", {"read": rows})
