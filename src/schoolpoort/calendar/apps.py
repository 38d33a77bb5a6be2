from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.modules import ModuleInfo


class CalendarConfig(AppConfig):
    name = "schoolpoort.calendar"
    label = "calendar"
    verbose_name = _("Calendar")
    module_info = ModuleInfo(
        "calendar", _("Calendar"), _("School calendar, also in your own agenda."),
        "icon-calendar", "calendar:list", order=20,
        off_consequence=_(
            "Parents no longer see the calendar, and their agenda subscription shows nothing new; events are kept."
        ),
    )

    def ready(self):
        from . import signals

        signals.connect()
