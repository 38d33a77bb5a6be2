"""Actions on news that the pages and the API share. Each is atomic; notifications go through
``notify()`` inside the same transaction, so they commit (or roll back) with the post."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from schoolpoort.core import staging
from schoolpoort.core.models import AuditEntry
from schoolpoort.core.versions import content_changed
from schoolpoort.lib.uploads import CheckedFile

from .access import MODULE
from .audience import read_stats, recipients
from .models import Post, PostAttachment, PostRead
from .rendering import DRAFT_IMAGE
from .tasks import publish_scheduled_post
from .uploads import IMAGE_DRAFT_KIND, store_upload, unpark_draft


def notify_api(name: str):
    """A function of notify.api, or None while it is not there (cancel and mark_read are optional)."""
    from schoolpoort.notify import api

    return getattr(api, name, None)


def _notify(user_ids, *, event: str, key: str, post: Post) -> None:
    from schoolpoort.notify.api import notify

    notify(
        user_ids,
        event=event,
        key=key,
        module=MODULE,
        title=post.title,
        url=post.get_absolute_url(),
        school=post.school if post.school_id else None,
        urgent=post.urgent,
    )


def _send_published(post: Post) -> None:
    """Tell the post's audience, once; the caller holds the post's row lock."""
    user_ids = recipients(post)
    if user_ids:
        _notify(user_ids, event="news.published", key=post.notification_key, post=post)
    post.notified_at = timezone.now()
    Post.objects.filter(pk=post.pk).update(notified_at=post.notified_at)


@transaction.atomic
def publish_post(post: Post) -> bool:
    """Publish a saved post: notify its audience now when its time has come, or schedule that
    for its publication time. A post that was notified before is not notified again (editing a
    published post). Returns whether it notified now."""
    locked = Post.objects.select_for_update().get(pk=post.pk)
    if locked.notified_at is not None:
        return False
    if locked.publish_at <= timezone.now():
        _send_published(locked)
        post.notified_at = locked.notified_at
        return True
    _schedule(locked)
    return False


def _schedule(post: Post) -> None:
    # A changed time enqueues a new task; the one for the old time finds the time changed and
    # does nothing.
    task = publish_scheduled_post.using(run_after=post.publish_at, queue_name="urgent" if post.urgent else "default")
    task.enqueue(post.pk, post.publish_at.isoformat())


def publish_due_post(post_id: int, publish_at_iso: str) -> bool:
    """The scheduled task's work: notify if the post still exists, still has this time and was
    not notified yet."""
    with transaction.atomic():
        post = Post.objects.select_for_update().filter(pk=post_id).first()
        if post is None or post.notified_at is not None:
            return False
        if post.publish_at != datetime.datetime.fromisoformat(publish_at_iso):
            return False
        if post.publish_at > timezone.now():  # a worker whose clock runs ahead: try again later
            _schedule(post)
            return False
        _send_published(post)
        return True


@transaction.atomic
def save_post(
    post: Post,
    *,
    groups=(),
    uploads: list[CheckedFile] = (),
    remove_attachments=(),
    drafts=(),
    editor=None,
) -> Post:
    """Create or update a post with its audience groups and attachments, then publish it (now or
    at its time; not again when it was published before). ``drafts``: the parked files stored now
    (core staging, discarded once committed); ``editor``: whose parked photos in the text become
    the post's own (their URLs in the body are rewritten to the post's access-checked ones)."""
    post.save()
    _place_inline_images(post, editor)
    if post.audience == Post.Audience.GROUPS:
        post.groups.set(groups)
    else:
        post.groups.clear()
    for attachment in remove_attachments:
        _delete_attachment(attachment)
    for prepared in uploads:
        store_upload(post, prepared)
    staging.discard_on_commit(drafts)
    publish_post(post)
    return post


def _place_inline_images(post: Post, editor) -> None:
    """The photos placed in the text while writing (parked as the editor's drafts) are stored as
    the post's inline attachments; a draft URL that is not the editor's own is taken out."""
    ids = DRAFT_IMAGE.findall(post.body)
    if not ids:
        return
    parked = {str(upload.pk): upload for upload in staging.drafts(editor, IMAGE_DRAFT_KIND, ids)}
    urls = {}
    for pk, upload in parked.items():
        try:
            urls[pk] = store_upload(post, unpark_draft(upload), inline=True).get_absolute_url()
        except (staging.Expired, ValidationError):
            continue

    def replace(match):
        return urls.get(match.group(1), "")

    post.body = DRAFT_IMAGE.sub(replace, post.body)
    post.save(update_fields=["body"])  # rendered again: an image without its source is left out
    staging.discard_on_commit(parked.values())


def _delete_files_on_commit(files: list[tuple[object, str]]) -> None:
    def delete():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete)


def _delete_attachment(attachment: PostAttachment) -> None:
    _delete_files_on_commit([(attachment.file.storage, attachment.file.name)])
    attachment.delete()


@transaction.atomic
def delete_post(post: Post, actor) -> None:
    """Delete the post, its files, and the notifications about it that were not sent yet."""
    from schoolpoort.notify.models import Broadcast

    cancel = notify_api("cancel")
    if cancel is not None:
        reminders = Broadcast.objects.filter(key__startswith=f"{post.notification_key}:")
        for key in [post.notification_key, *sorted(set(reminders.values_list("key", flat=True)))]:
            cancel(key)
    _delete_files_on_commit([(a.file.storage, a.file.name) for a in post.attachments.all()])
    AuditEntry.record(actor, "news.deleted", post, school=post.school, title=post.title)
    post.delete()


@transaction.atomic
def remind_unread(post: Post, actor) -> int:
    """Notify the guardians of the families that have not read the post yet (and no one else).
    Every reminder has a key of its own. Returns the number of families reminded."""
    stats = read_stats(post)
    user_ids = stats.unread_guardian_ids
    now = timezone.now()
    if user_ids:
        key = f"{post.notification_key}:reminder:{now:%Y%m%dT%H%M%S}"
        _notify(user_ids, event="news.reminder", key=key, post=post)
    Post.objects.filter(pk=post.pk).update(reminded_at=now)
    post.reminded_at = now
    AuditEntry.record(actor, "news.reminded", post, school=post.school, families=len(stats.unread_families))
    return len(stats.unread_families)


def mark_read(post: Post, user) -> bool:
    """The user opened the post: a read receipt, and their notifications about it read. A post
    that is not published yet (its author previews it) is not read; returns whether it was."""
    if not post.is_published:
        return False
    now = timezone.now()
    PostRead.objects.bulk_create([PostRead(user=user, post=post, read_at=now)], ignore_conflicts=True)
    content_changed("news", [user])  # the feed's "new" badge (bulk_create passes the signals)
    from schoolpoort.notify.api import mark_read as notify_mark_read
    from schoolpoort.notify.api import mark_read_under

    notify_mark_read(user, post.notification_key)
    mark_read_under(user, f"{post.notification_key}:")  # reminders have keys of their own
    return True
