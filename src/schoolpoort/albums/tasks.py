"""Background tasks of the albums. Tasks take ids, never model instances, and re-read what they need."""

from django_tasks import task

from schoolpoort.core.scopes import in_scope_of, scopes_disabled


@task(queue_name="bulk")
@in_scope_of("albums.Photo")
def process_photo(photo_id: int) -> str:
    """Make the served versions of an upload (see processing.py): the web version and thumbnail of
    an image, the metadata-free remux and poster thumbnail of a video."""
    from .processing import process_photo as process

    return process(photo_id)


@task(queue_name="bulk")
@scopes_disabled()  # the reminders of every school at once
def send_consent_reminders() -> int:
    """Remind the guardians who have not answered the image consent questions of this school
    year (at most once a week each). Returns how many were reminded."""
    from .consent import remind_unanswered

    return remind_unanswered()
