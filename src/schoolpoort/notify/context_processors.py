from .api import unread_by_module


def notifications(request):
    """The unread count in the header (one query, only for signed-in users; per module, kept on the
    request for the shell's tabs)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notify_unread": sum(unread_by_module(request).values())}
