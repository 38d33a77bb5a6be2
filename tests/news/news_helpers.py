"""Helpers of the news tests."""

import datetime

from django.core.management import call_command
from django.utils import timezone
from django_scopes import scope

from schoolpoort.news.actions import save_post
from schoolpoort.news.models import Post


def english(*users):
    """Pages in English: the assertions read the English strings (the Dutch catalogue comes later)."""
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


def run_worker():
    with scope():  # as in the worker process: no scope until a task declares its own
        call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


def make_post(author, *, school=None, groups=(), board=None, when=None, publish=True, **fields) -> Post:
    """A post to the groups (of one school), the school, or the board; published now, at ``when``,
    or (publish=False) saved without notifying anyone."""
    groups = list(groups)
    if groups:
        school = groups[0].school
        audience = Post.Audience.GROUPS
    elif school is not None:
        audience = Post.Audience.SCHOOL
    else:
        audience = Post.Audience.BOARD
    post = Post(
        audience=audience,
        school=school,
        board=board or school.board,
        author=author,
        title=fields.pop("title", "Bericht"),
        body=fields.pop("body", "Tekst van het bericht."),
        publish_at=when or timezone.now() - datetime.timedelta(minutes=1),
        **fields,
    )
    if publish:
        return save_post(post, groups=groups)
    post.save()
    post.groups.set(groups)
    return post
