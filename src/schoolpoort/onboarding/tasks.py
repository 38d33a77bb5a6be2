"""Background tasks of onboarding. Tasks take ids, never model instances, and re-read what they need."""

from django_tasks import task

from schoolpoort.core.scopes import in_scope_of

from .invitations import send_mail_batch_now
from .letters import make_letters_now


@task(queue_name="default")
@in_scope_of("onboarding.LetterBatch")
def make_letters(batch_id: int) -> dict:
    return make_letters_now(batch_id)


@task(queue_name="bulk")
@in_scope_of("onboarding.MailBatch")
def send_mail_batch(batch_id: int) -> dict:
    return send_mail_batch_now(batch_id)
