"""News for parents' apps, beside the feed (endpoints/news.py): mark a post read, and a post's file,
through the same access rule, read receipt and file sending as the post page (news.listing,
news.actions)."""

from __future__ import annotations

from ninja import Router, Schema

from schoolpoort.news.actions import mark_read
from schoolpoort.news.listing import readable_post_or_404, send_attachment

from ..errors import ERRORS
from .news import _scope

router = Router(tags=["news"])


class ReadOut(Schema):
    id: int
    is_read: bool


@router.post("/news/{post_id}/read", response={200: ReadOut, **ERRORS}, url_name="news_read",
             summary="Mark a news post read")
def news_read(request, post_id: int):
    """As opening the post page: a read receipt, and the caller's notifications about it read."""
    caller = request.auth
    caller.require_session()
    post = readable_post_or_404(caller.user, post_id, _scope(request))
    return {"id": post.pk, "is_read": mark_read(post, caller.user)}


@router.get("/news/{post_id}/attachments/{attachment_id}", response={200: None, **ERRORS},
            url_name="news_attachment", summary="A file of a news post",
            openapi_extra={"responses": {200: {"description": "The file", "content": {
                "*/*": {"schema": {"type": "string", "format": "binary"}}}}}})
def news_attachment(request, post_id: int, attachment_id: int):
    """The file as the post page sends it (photos of children without image consent are not there)."""
    request.auth.require("news:read")
    return send_attachment(request, readable_post_or_404(request.auth.user, post_id, _scope(request)), attachment_id)
