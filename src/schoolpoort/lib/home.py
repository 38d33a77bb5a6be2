"""What modules add to the home page, found by name so that web names none of them. An app with
a ``home.py`` may define
- ``home_block(request, overview)``: a HomeBlock ("the next events", "latest news") or None; a
  fixed number of queries each;
- ``school_links(staff)``: links for the card of a school the user works at (``staff`` is the
  overview's StaffSchool: ``school``, ``groups``, ``manages``, ``administers``); no queries;
- ``group_links(staff)``: a LinkRow ("Results: groep 3 · groep 4") for the teacher's groups, or
  None; no queries;
- ``HEADER_LINK``: the template of the module's link in the top bar of every page (it reads what
  it needs from the context; a fixed number of queries)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .providers import module_hooks


@dataclass
class HomeBlock:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100  # lower comes first


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    order: int = 100


@dataclass(frozen=True)
class LinkRow:
    title: str
    links: tuple[Link, ...]


def school_links(staff) -> list[Link]:
    links = [link for provider in module_hooks("home", "school_links") for link in provider(staff)]
    return sorted(links, key=lambda link: link.order)


def group_links(staff) -> list[LinkRow]:
    return [row for provider in module_hooks("home", "group_links") if (row := provider(staff)) is not None]


def home_blocks(request, overview) -> list[HomeBlock]:
    providers = module_hooks("home", "home_block")
    blocks = [block for provider in providers if (block := provider(request, overview)) is not None]
    return sorted(blocks, key=lambda block: block.order)


def header_links() -> tuple[str, ...]:
    """The templates of the top bar's links, in the order of INSTALLED_APPS."""
    return module_hooks("home", "HEADER_LINK")
