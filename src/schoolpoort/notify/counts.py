"""The bell's and the tabs' unread notifications, per module, as rows of the kernel's one query
of the header's counts (core/counts.py): ("notify.<module>", count)."""

from django.db.models import Count, F, Value
from django.db.models.functions import Concat

from .models import Notification

KEY_PREFIX = "notify."


def count_rows(request):
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .annotate(count_key=Concat(Value(KEY_PREFIX), F("module")))
        .values_list("count_key")
        .annotate(count=Count("pk"))
    )
