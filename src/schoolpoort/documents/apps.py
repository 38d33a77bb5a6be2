from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.modules import ModuleInfo


class DocumentsConfig(AppConfig):
    name = "schoolpoort.documents"
    label = "documents"
    verbose_name = _("Documents")
    module_info = ModuleInfo(
        "documents", _("Documents"), _("The school guide, letters and protocols."),
        "icon-documents", "documents:list", order=50,
        off_consequence=_("Parents no longer see documents; the files are kept."),
    )
