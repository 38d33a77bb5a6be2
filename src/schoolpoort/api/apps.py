from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "schoolpoort.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        from schoolpoort.lib.events import school_event

        from . import checks  # noqa: F401  (registers the deploy check)
        from .webhooks import on_school_event

        school_event.connect(on_school_event, dispatch_uid="api.webhooks")
