from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.modules import ModuleInfo


class AlbumsConfig(AppConfig):
    name = "schoolpoort.albums"
    label = "albums"
    verbose_name = _("Photo albums")
    module_info = ModuleInfo(
        "albums", _("Photo albums"), _("Photos of the school and the class."),
        "icon-albums", "albums:list", order=40,
        off_consequence=_("Parents no longer see photo albums; the photos are kept."),
    )

    def ready(self):
        from . import signals

        signals.connect()
