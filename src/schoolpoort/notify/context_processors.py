from .models import Notification


def notifications(request):
    """The unread count in the header (one query, only for signed-in users)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notify_unread": Notification.objects.filter(recipient=user, read_at__isnull=True).count()}
