"""Background tasks of the albums. Tasks take ids, never model instances, and re-read what they need."""

from django_tasks import task


@task(queue_name="bulk")
def process_photo(photo_id: int) -> str:
    """Make the served versions of an upload (see processing.py): the web version and thumbnail of
    an image, the metadata-free remux and poster thumbnail of a video."""
    from .processing import process_photo as process

    return process(photo_id)


@task(queue_name="bulk")
def send_consent_reminders() -> int:
    """Remind the guardians who have not answered the image consent questions of this school
    year (at most once a week each). Returns how many were reminded."""
    from .consent import remind_unanswered

    return remind_unanswered()
