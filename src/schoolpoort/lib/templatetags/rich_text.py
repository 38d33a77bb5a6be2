"""``{{ value|rich_text }}``: a field written in the editor (or as plain text before it) as safe HTML
(``lib.text.rich_or_plain_html``; images are not allowed here: a module with photos in the text
renders with its own access-checked pattern)."""

from django import template
from django.utils.safestring import mark_safe

from schoolpoort.lib.text import rich_or_plain_html

register = template.Library()


@register.filter
def rich_text(value) -> str:
    return mark_safe(rich_or_plain_html(str(value or "")))  # noqa: S308 (sanitised by nh3)
