from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.modules import ModuleInfo


class RecordsConfig(AppConfig):
    name = "schoolpoort.records"
    label = "records"
    verbose_name = _("Records")
    module_info = ModuleInfo(
        "records", _("Records and results"), _("Your child's details, reports and test results."),
        "icon-records", "records:index", order=100,
        off_consequence=_("Parents no longer see their child's details, reports and results; nothing is deleted."),
    )

    def ready(self):
        from . import signals

        signals.connect()
