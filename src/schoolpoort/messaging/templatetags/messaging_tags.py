"""``{% messaging_header as header %}``: whether messages are usable for the user and how many
conversations are unread, for the link in the page header (two queries, once per request)."""

from django import template

from ..counts import header_counts

register = template.Library()


@register.simple_tag(takes_context=True)
def messaging_header(context) -> dict:
    request = context.get("request")
    if request is None:
        return {"usable": False, "unread": 0}
    return header_counts(request)
