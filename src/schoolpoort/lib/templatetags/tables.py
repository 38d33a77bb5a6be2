"""Data tables that read on a 360 px phone: ``{% datatable label %}<table>…</table>{% enddatatable %}``.

The one wrapper of every data table: a scroll container with an accessible name that keyboard users
can focus and scroll, with a shadow at the edge where there is more (CSS ``.table-wrap``). With
``stack=True`` the rows become cards on a small screen instead, each cell labelled with its column
header (``data-label``, written here from the ``<thead>``, so no template repeats its headers)."""

from __future__ import annotations

import html
import re

from django import template
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe

register = template.Library()

_TAG = re.compile(r"<(/?)(thead|tbody|tfoot|tr|th|td)\b([^>]*)>", re.IGNORECASE)
_COLSPAN = re.compile(r'colspan\s*=\s*"?(\d+)', re.IGNORECASE)


def label_cells(table: str) -> str:
    """Give every body cell the text of its column header as ``data-label`` (colspans counted;
    a cell that has its own data-label keeps it). Our tables are our own templates' output, so a
    tag scanner is enough."""
    headers: list[str] = []
    out, last = [], 0
    section, column, header_start, header_span = "", 0, None, 1
    for match in _TAG.finditer(table):
        closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
        if name in ("thead", "tbody", "tfoot"):
            section = "" if closing else name
        elif name == "tr" and not closing:
            column = 0
        elif section == "thead" and name == "th":
            if not closing:
                header_start, header_span = match.end(), int(m.group(1)) if (m := _COLSPAN.search(attrs)) else 1
            elif header_start is not None:
                text = " ".join(html.unescape(strip_tags(table[header_start:match.start()])).split())
                headers.extend([text] * header_span)
                header_start = None
        elif name in ("td", "th") and not closing:
            span = int(m.group(1)) if (m := _COLSPAN.search(attrs)) else 1
            label = headers[column] if column < len(headers) else ""
            if label and "data-label" not in attrs:
                out.append(table[last:match.end() - 1])
                out.append(f' data-label="{escape(label)}">')
                last = match.end()
            column += span
    out.append(table[last:])
    return "".join(out)


@register.simple_block_tag
def datatable(content, label, stack=False, extra_class=""):
    classes = " ".join(filter(None, ["table-wrap", "table-wrap--stack" if stack else "", extra_class]))
    return format_html(
        '<div class="{}" role="region" tabindex="0" aria-label="{}">{}</div>',
        classes,
        label,
        mark_safe(label_cells(str(content))),  # the block's own rendered, escaped output  # noqa: S308
    )
