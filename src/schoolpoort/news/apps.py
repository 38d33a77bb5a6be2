from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.modules import ModuleInfo


class NewsConfig(AppConfig):
    name = "schoolpoort.news"
    label = "news"
    verbose_name = _("News")
    module_info = ModuleInfo(
        "news", _("News"), _("News and urgent messages from school and class."),
        "icon-news", "news:feed", order=10,
        off_consequence=_("Parents no longer see news; posts are kept."),
    )

    def ready(self):
        from . import signals

        signals.connect()
