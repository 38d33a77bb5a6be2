"""System checks of the accounts settings."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_proxy_addresses(app_configs, **kwargs):
    """Behind a proxy every request comes from the proxy's address: without TRUSTED_PROXY_COUNT
    the per-address ceiling would be shared by every visitor."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not settings.TRUSTED_PROXY_COUNT:
        return [
            checks.Warning(
                "BEHIND_HTTPS_PROXY is set but TRUSTED_PROXY_COUNT is 0: every login counts against the "
                "proxy's address, so failed logins from one visitor can lock out everyone.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies in front of the app (usually 1).",
                id="accounts.W001",
            )
        ]
    return []
