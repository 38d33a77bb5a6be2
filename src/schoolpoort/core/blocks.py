"""Home blocks kept across requests: a block is rendered once and kept per user under the
versions of the reach and of the content it shows (``access.cached_part``, core/versions.py).
In core, not in lib/home.py: the kernel's ``lib`` may not import the access layer."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import get_language

from schoolpoort.lib.home import HomeBlock

from .access import cached_part


def cached_block(request, name: str, read, *, topics, own=()) -> HomeBlock | None:
    """A block rendered once and kept per user (``core.access.cached_part``, under the reach's
    versions, today's date and the versions of the content ``topics``): ``read()`` returns (the
    block or None; the moment it stops being true without any write, or None)."""

    def render_block():
        block, until = read()
        if block is None:
            return None, until
        html = render_to_string(block.template, {"block": block.context})
        return (block.template, block.order, block.section, html), until

    kept = cached_part(request.user, f"home.{name}:{get_language()}", render_block, topics=topics, own=own)
    if kept is None:
        return None
    template, order, section, html = kept
    return HomeBlock(template=template, order=order, section=section, html=html)
