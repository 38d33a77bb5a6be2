from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibConfig(AppConfig):
    """An app only so that its templates (the one form-field template) are found."""

    name = "schoolpoort.lib"
    label = "lib"
    verbose_name = _("Kernel")
