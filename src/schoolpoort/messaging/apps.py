from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.modules import ModuleInfo


class MessagingConfig(AppConfig):
    name = "schoolpoort.messaging"
    label = "messaging"
    verbose_name = _("Messages")
    module_info = ModuleInfo(
        "messaging", _("Messages"), _("Messages between parents and school."),
        "icon-messages", "messaging:inbox", order=80,
        off_consequence=_("Parents can no longer read or send messages; conversations are kept."),
    )
