from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.modules import ModuleInfo


class SignupsConfig(AppConfig):
    name = "schoolpoort.signups"
    label = "signups"
    verbose_name = _("Sign-ups and polls")
    module_info = ModuleInfo(
        "signups", _("Sign-ups and polls"), _("Volunteer sign-ups and polls."),
        "icon-signups", "signups:index", order=60,
        off_consequence=_("Parents can no longer sign up or vote; answers so far are kept."),
    )

    def ready(self):
        from . import signals

        signals.connect()
