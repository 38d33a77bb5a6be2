"""``{% messaging_header as header %}``: whether messages are usable for the user and how many
conversations are unread, for the link in the page header (two queries, once per request)."""

from django import template

from ..counts import messages_usable, unread_conversations

register = template.Library()


@register.simple_tag(takes_context=True)
def messaging_header(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"usable": False, "unread": 0}
    cached = getattr(request, "_messaging_header", None)
    if cached is None:
        usable = messages_usable(user)
        cached = {"usable": usable, "unread": unread_conversations(user) if usable else 0}
        request._messaging_header = cached
    return cached
