"""Background tasks of the API: sending a webhook delivery (api/webhooks.py). Tasks take ids."""

from django_tasks import task

from schoolpoort.core.scopes import in_scope_of


@task(queue_name="default")
@in_scope_of("api.WebhookDelivery")
def deliver(delivery_id: int) -> str:
    """One try of a webhook delivery; a failure schedules the next try with back-off."""
    from .webhooks import attempt

    return attempt(delivery_id)
