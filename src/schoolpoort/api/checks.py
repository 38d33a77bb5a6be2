"""System checks of the API settings."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_webhook_addresses(app_configs, **kwargs):
    """The loopback switch is for the tests' receiving server only: in production it would let a
    school admin make the server call its own private network (SSRF)."""
    if settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:
        return [
            checks.Error(
                "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES is on: webhooks may call loopback and private addresses.",
                hint="Leave WEBHOOKS_ALLOW_PRIVATE_ADDRESSES unset in production.",
                id="api.E001",
            )
        ]
    return []
