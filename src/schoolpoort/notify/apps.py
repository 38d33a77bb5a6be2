from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "schoolpoort.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self):
        # Claims of a worker that stopped are taken back by the others' heartbeat (core/worker.py).
        from schoolpoort.core.backup import keeps_secret
        from schoolpoort.core.worker import on_heartbeat

        from .outbox import recover_stale, renew_held_claims
        from .push import key_path, vapid

        on_heartbeat(renew_held_claims)  # first this worker's own claims, then the others' dead ones
        on_heartbeat(recover_stale)
        # The web push key binds every parent's subscription: backups keep it (encrypted).
        keeps_secret(key_path().name, lambda: vapid().private_pem().decode())
        # The bell's count, kept per user (core/counts.py), is read again after a single write.
        from schoolpoort.core.counts import bump_counts_on_writes

        from .models import Notification

        bump_counts_on_writes(Notification, lambda row: [row.recipient_id])
