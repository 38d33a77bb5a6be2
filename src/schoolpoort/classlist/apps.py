from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClasslistConfig(AppConfig):
    name = "schoolpoort.classlist"
    label = "classlist"
    verbose_name = _("Class lists")
