from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.modules import ModuleInfo


class ConferencesConfig(AppConfig):
    name = "schoolpoort.conferences"
    label = "conferences"
    verbose_name = _("Parent-teacher conferences")
    module_info = ModuleInfo(
        "conferences", _("Parent-teacher conferences"), _("Book a time for a conversation with the teacher."),
        "icon-conferences", "conferences:list", order=30,
        off_consequence=_("Parents can no longer book or see conference times; bookings are kept."),
    )

    def ready(self):
        from . import signals

        signals.connect()
