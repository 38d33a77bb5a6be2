"""What bumps the sign-ups version of the cached home block (``access.cached_part``,
signups/home.py, which lists the open forms a family has not answered yet):

- every save and delete of a form: everyone's version. Publishing writes around the signals
  (``update()``) and bumps itself;
- every save and delete of an answer: only the versions of the family it is of (every guardian of
  its child, or of the children of the guardian who answered for the family). An answer changes
  no other family's block, and in a sign-up rush every answer bumping everyone's version would
  make all answers of the school queue on that one version row inside their transactions.

The places taken (``Option.taken``) are not on the block."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from schoolpoort.core.models import Guardianship
from schoolpoort.core.versions import bump_on_writes, content_changed

from .models import Form, Response


def family_user_ids(response: Response) -> set[int]:
    """The accounts whose "still to answer" an answer changes; one query."""
    if response.student_id is not None:
        children = [response.student_id]
    elif response.family_user_id is not None:
        children = Guardianship.objects.filter(user_id=response.family_user_id).values("student_id")
    else:
        return set()
    users = set(
        Guardianship.objects.filter(student_id__in=children, user__isnull=False).values_list("user_id", flat=True)
    )
    if response.family_user_id is not None:
        users.add(response.family_user_id)
    return users


def _answer_changed(sender, instance: Response, raw: bool = False, **kwargs) -> None:
    if not raw:  # a restore's rows: the versions start anew with it
        content_changed("signups", family_user_ids(instance))


def connect() -> None:
    bump_on_writes("signups", models=(Form,))
    post_save.connect(_answer_changed, sender=Response, dispatch_uid="signups-answer-save")
    post_delete.connect(_answer_changed, sender=Response, dispatch_uid="signups-answer-delete")
