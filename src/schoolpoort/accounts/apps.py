from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "schoolpoort.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import (
            checks,  # noqa: F401  (registers the system checks)
            second_factor,
        )

        def _second_factor_on_sign_in(sender, request, user, **kwargs):
            second_factor.on_sign_in(request, user)

        user_logged_in.connect(_second_factor_on_sign_in, dispatch_uid="schoolpoort.second_factor", weak=False)
