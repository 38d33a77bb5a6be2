"""``{{ value|when:"day" }}``: the named date styles of lib/dates.py in templates."""

from django import template

from schoolpoort.lib import dates

register = template.Library()


@register.filter
def when(value, name: str = "day") -> str:
    return dates.style(value, name)
