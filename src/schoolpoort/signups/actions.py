"""Actions on sign-up forms and the school square that the pages and the API share. Each is atomic;
notifications go through ``notify()`` inside the same transaction, so they commit (or roll back)
with the change. Titles only: never a child's name or an answer. Signing up itself is in
``signing.py``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from schoolpoort.core.models import AuditEntry
from schoolpoort.core.versions import content_changed
from schoolpoort.lib import dates

from .access import MODULE
from .audience import answered, recipients
from .forms import OptionSpec
from .models import Form, Option, Question, Reaction, SquarePollOption, SquarePost


class ActionRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _send(user_ids: Iterable[int], *, item, event: str, key: str, title: Callable[[], str]) -> int:
    """Notify ``user_ids`` about ``item`` (a form or a square post); ``title()`` is called once per
    language. Returns the number of recipients."""
    from schoolpoort.notify.api import notify

    user_ids = sorted(set(user_ids))
    if not user_ids:
        return 0
    supported = {code for code, _name in settings.LANGUAGES}
    by_language: dict[str, list[int]] = defaultdict(list)
    for pk, language in get_user_model().objects.filter(pk__in=user_ids, is_active=True).values_list(
        "pk", "language"
    ):
        by_language[language if language in supported else settings.LANGUAGE_CODE].append(pk)
    for language, ids in sorted(by_language.items()):
        with translation.override(language):
            notify(ids, event=event, key=key, module=MODULE, title=title(), url=item.get_absolute_url(),
                   school=item.school_id)
    return sum(len(ids) for ids in by_language.values())


# --- Forms ---------------------------------------------------------------------------------------


@transaction.atomic
def save_form(form: Form, *, group_ids=None) -> Form:
    """Create or update a form's settings and audience (``group_ids`` None: audience unchanged)."""
    form.save()
    if group_ids is not None:
        form.groups.set(group_ids if form.audience == "groups" else [])
    return form


def _refuse_when_answered(form: Form) -> None:
    if form.responses.exists():
        raise ActionRefused(_("Parents have answered already: the questions can no longer be changed."))


@transaction.atomic
def save_question(form: Form, question: Question, options: list[OptionSpec]) -> Question:
    """Create or change a question with its options; only while no one has answered."""
    Form.objects.select_for_update().filter(pk=form.pk).first()
    _refuse_when_answered(form)
    if question.pk is None:
        question.form = form
        question.position = (form.questions.aggregate(last=Max("position"))["last"] or 0) + 1
    question.save()
    question.options.all().delete()
    Option.objects.bulk_create(
        Option(question=question, label=spec.label, capacity=spec.capacity, position=n)
        for n, spec in enumerate(options, start=1)
    )
    return question


@transaction.atomic
def delete_question(form: Form, question: Question) -> None:
    Form.objects.select_for_update().filter(pk=form.pk).first()
    _refuse_when_answered(form)
    question.delete()


@transaction.atomic
def publish_form(form: Form, actor) -> int:
    """Open the form to parents and tell its audience. Returns the number of parents notified."""
    locked = Form.objects.select_for_update().get(pk=form.pk)
    if locked.published_at is not None:
        return 0
    if not locked.questions.exists():
        raise ActionRefused(_("Add a question first."))
    if locked.deadline <= timezone.now():
        raise ActionRefused(_("The deadline has passed. Choose a later deadline first."))
    form.published_at = locked.published_at = timezone.now()
    Form.objects.filter(pk=form.pk).update(published_at=form.published_at)
    content_changed("signups")  # update() passes the signals (signups/signals.py)
    return _send(recipients(form), item=form, event="signups.published", key=form.notification_key,
                 title=lambda: form.title)


def _cancel_notifications(prefix: str) -> None:
    from schoolpoort.notify import api
    from schoolpoort.notify.models import Broadcast

    keys = sorted(set(Broadcast.objects.filter(key__startswith=f"{prefix}:").values_list("key", flat=True)))
    for key in [prefix, *keys]:
        api.cancel(key)


@transaction.atomic
def delete_form(form: Form, actor) -> None:
    """Delete the form with every answer, and its notifications that were not sent yet."""
    _cancel_notifications(form.notification_key)
    AuditEntry.record(actor, "signups.deleted", form, school=form.school, title=form.title,
                      responses=form.responses.count())
    form.delete()


@transaction.atomic
def remind(form: Form, actor) -> int:
    """Notify the guardians of the children or families that have not answered yet (and no one
    else). Every reminder has a key of its own. Returns the number of children or families."""
    if not form.is_open():
        raise ActionRefused(_("The form is not open: there is no one to remind."))
    state = answered(form)
    now = timezone.now()
    if state.waiting_guardian_ids:
        deadline = timezone.localtime(form.deadline)
        _send(
            state.waiting_guardian_ids, item=form, event="signups.reminder",
            key=f"{form.notification_key}:reminder:{now:%Y%m%dT%H%M%S%f}",
            title=lambda: _("Reminder: please answer “%(title)s” before %(deadline)s") % {
                "title": form.title, "deadline": dates.style(deadline, "day_month_time"),
            },
        )
    Form.objects.filter(pk=form.pk).update(reminded_at=now)
    form.reminded_at = now
    AuditEntry.record(actor, "signups.reminded", form, school=form.school, waiting=len(state.waiting),
                      guardians=len(state.waiting_guardian_ids))
    return len(state.waiting)


# --- The school square ---------------------------------------------------------------------------


@transaction.atomic
def create_square_post(post: SquarePost, *, group_ids=(), poll_labels=()) -> SquarePost:
    """Save a new square post with its poll options and tell its audience."""
    post.save()
    post.groups.set(list(group_ids) if post.audience == "groups" else [])
    SquarePollOption.objects.bulk_create(
        SquarePollOption(post=post, label=label, position=n) for n, label in enumerate(poll_labels, start=1)
    )
    _send(recipients(post), item=post, event="signups.square", key=post.notification_key, title=lambda: post.title)
    return post


@transaction.atomic
def delete_square_post(post: SquarePost, actor) -> None:
    _cancel_notifications(post.notification_key)
    AuditEntry.record(actor, "signups.square_deleted", post, school=post.school, title=post.title)
    post.delete()


def react(post: SquarePost, user, text: str) -> Reaction:
    if not post.reactions_open:
        raise ActionRefused(_("Reactions are switched off for this post."))
    return Reaction.objects.create(post=post, user=user, text=text)


def vote(post: SquarePost, user, option: SquarePollOption) -> Reaction:
    """Vote in a poll, or change the vote: one per parent."""
    if not post.reactions_open:
        raise ActionRefused(_("Reactions are switched off for this post."))
    if option.post_id != post.pk:
        raise ActionRefused(_("That choice is not one of this poll."))
    for _attempt in range(2):
        try:
            with transaction.atomic():
                existing = Reaction.objects.select_for_update().filter(post=post, user=user, option__isnull=False)
                reaction = existing.first()
                if reaction is None:
                    return Reaction.objects.create(post=post, user=user, option=option)
                if reaction.is_removed:
                    raise ActionRefused(_("Your vote in this poll was removed by the school."))
                reaction.option = option
                reaction.save(update_fields=["option"])
                return reaction
        except IntegrityError:  # the same parent voting twice at once: the second changes the first
            continue
    raise ActionRefused(_("Your vote could not be saved. Please try again."))


@transaction.atomic
def remove_reaction(reaction: Reaction, actor, *, moderated: bool) -> None:
    """Remove a reaction: by the school (moderation, audited) or by the parent who wrote it."""
    if reaction.removed_at is not None:
        return
    reaction.removed_at = timezone.now()
    reaction.removed_by = actor
    reaction.save(update_fields=["removed_at", "removed_by"])
    if moderated:
        AuditEntry.record(actor, "signups.reaction_removed", reaction, school=reaction.post.school,
                          post=reaction.post_id, author=reaction.user_id)


def set_reactions_open(post: SquarePost, actor, is_open: bool) -> None:
    SquarePost.objects.filter(pk=post.pk).update(reactions_open=is_open)
    post.reactions_open = is_open
