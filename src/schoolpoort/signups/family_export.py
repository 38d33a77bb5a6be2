"""The family export (``lib.family_export``): the family's answers to sign-up forms and polls, found
as the form page finds them (``audience.family_response`` and ``audience.children_of``)."""

from __future__ import annotations

from schoolpoort.lib.family_export import Section
from schoolpoort.lib.text import rich_or_plain_text

from . import audience
from .models import Answer, Form, Reaction, Response, SquarePost


def _answers(response: Response) -> list[dict]:
    answers = Answer.objects.filter(response=response).select_related("question", "option").order_by(
        "question__position", "pk"
    )
    return [{"question": a.question.text, "answer": a.option.label if a.option_id else a.text} for a in answers]


def _by(user, response: Response) -> str:
    return "you" if response.responded_by_id == user.pk else "another guardian"


def export_for(user) -> Section | None:
    rows = []
    for form in Form.objects.visible_to(user).order_by("created_at", "pk"):
        if form.per == Form.Per.FAMILY:
            response = audience.family_response(user, form)
            found = [(None, response)] if response is not None else []
        else:
            children = audience.children_of(user, form)
            responses = Response.objects.filter(form=form, student__in=children).select_related("student")
            found = [(response.student.full_name, response) for response in responses]
        for child, response in found:
            rows.append({
                "form": form.title,
                "child": child,
                "answered_by": _by(user, response),
                "answered_at": response.updated_at,
                "answers": _answers(response),
            })
    # The school square: what the user wrote there themself (others' posts are theirs).
    reactions = [
        {"post": reaction.post.title, "text": reaction.text,
         "vote": reaction.option.label if reaction.option_id else "", "at": reaction.created_at,
         "removed_at": reaction.removed_at}
        for reaction in Reaction.objects.filter(user=user, post__in=SquarePost.objects.visible_to(user))
        .select_related("post", "option").order_by("created_at", "pk")
    ]
    posts = [
        {"title": post.title, "text": rich_or_plain_text(post.body), "kind": post.kind, "at": post.created_at}
        for post in SquarePost.objects.visible_to(user).filter(author=user).order_by("created_at", "pk")
    ]
    if not (rows or reactions or posts):
        return None
    return Section("signups", {"responses": rows, "square_posts": posts, "square_reactions": reactions})
