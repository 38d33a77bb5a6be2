from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.modules import ModuleInfo


class AbsencesConfig(AppConfig):
    name = "schoolpoort.absences"
    label = "absences"
    verbose_name = _("Absence reports")
    module_info = ModuleInfo(
        "absences", _("Absence reports"), _("Report your child sick or absent."),
        "icon-absences", "absences:index", order=70,
        off_consequence=_("Parents can no longer report their child sick or absent here; earlier reports are kept."),
    )

    def ready(self):
        from . import signals

        signals.connect()
