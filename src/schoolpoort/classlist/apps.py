from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.modules import ModuleInfo


class ClasslistConfig(AppConfig):
    name = "schoolpoort.classlist"
    label = "classlist"
    verbose_name = _("Class lists")
    module_info = ModuleInfo(
        "classlist", _("Class lists"), _("Class lists with what families chose to share."),
        "icon-classlist", "classlist:index", order=90,
        off_consequence=_("Parents no longer see the class lists; what families chose to share is kept."),
    )
