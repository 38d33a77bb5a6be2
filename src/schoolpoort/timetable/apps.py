from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimetableConfig(AppConfig):
    name = "schoolpoort.timetable"
    label = "timetable"
    verbose_name = _("Timetable")

    def ready(self):
        from . import signals

        signals.connect()
