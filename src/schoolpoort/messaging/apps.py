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

    def ready(self):
        # The inbox's unread count, kept per user (core/counts.py), is read again after a single
        # write of a participant or a conversation (their querysets bump after update()).
        from schoolpoort.core.counts import bump_counts_on_writes

        from .models import Conversation, Participant

        bump_counts_on_writes(Participant, lambda row: [row.user_id])
        bump_counts_on_writes(
            Conversation,
            lambda row: Participant._base_manager.filter(conversation_id=row.pk).values_list("user_id", flat=True),
        )
