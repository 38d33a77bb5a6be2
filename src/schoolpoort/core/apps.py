from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "schoolpoort.core"
    label = "core"
    verbose_name = _("Schools")

    def ready(self):
        from . import signals

        signals.connect()
