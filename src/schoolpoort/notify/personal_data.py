"""The personal data of notify, for the register (schoolpoort.lib.personal_data)."""

from django.utils.translation import gettext_lazy as _

from schoolpoort.lib.personal_data import Anchor, Basis, Entry, Term, delete_items, label

from .models import Broadcast, Notification, PushSubscription


def _old_broadcasts(school, cutoff):
    return Broadcast.objects.filter(school=school, created_at__lt=cutoff).only("pk").order_by("pk")


def _erase_family(school, student_ids, user_ids) -> int:
    count, _ = Notification.objects.filter(recipient_id__in=user_ids, broadcast__school=school).delete()
    # Devices of the accounts that were closed (anonymised before this entry runs).
    PushSubscription.objects.filter(user_id__in=user_ids, user__is_active=False).delete()
    return count


def register() -> list[Entry]:
    return [
        Entry(
            key="notify.notifications",
            label=_("Notifications: what the portal told whom, by e-mail, push or in the app, and when"),
            purpose=_("Telling parents and staff about new items; showing what was read."),
            basis=Basis.LEGITIMATE_INTEREST,
            who=_("The recipient."),
            anchor=Anchor.CREATED,
            term=Term(12),
            source=_("1 year, as messages (model privacy regulations PO)."),
            expired=_old_broadcasts,
            erase=delete_items,
            erase_family=_erase_family,
            describe=label,
        ),
    ]
