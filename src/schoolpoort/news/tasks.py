"""Background tasks of news. Tasks take ids, never model instances, and re-read what they need."""

from django_tasks import task

from schoolpoort.core.scopes import in_scope_of


@task(queue_name="default")
@in_scope_of("news.Post")
def publish_scheduled_post(post_id: int, publish_at_iso: str) -> bool:
    """Notify the post's audience when its publication time has come. Does nothing when the post
    is gone, its time was changed since (a newer task is on its way), or it was notified already.
    Returns whether it notified."""
    from .actions import publish_due_post

    return publish_due_post(post_id, publish_at_iso)
