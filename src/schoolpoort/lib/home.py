"""What modules add to the home page, found by name so that web names none of them. An app with
a ``home.py`` may define
- ``home_block(request, overview)``: a HomeBlock ("the next events", "latest news") or None; a
  fixed number of queries each;
- ``school_links(staff)``: links for the card of a school the user works at (``staff`` is the
  overview's StaffSchool: ``school``, ``groups``, ``manages``, ``administers``); no queries;
- ``group_links(staff)``: a LinkRow ("Results: groep 3 · groep 4") for the teacher's groups, or
  None; no queries;
- ``HEADER_LINK``: the template of the module's link in the top bar of every page (it reads what
  it needs from the context; a fixed number of queries);
- ``tab_count(request, modules)``: a TabCount for a tab of the app shell's tab bar ("3 unread" on
  News), or None; ``modules`` are the user's module states (core.access.SchoolModules), read once
  per request by the shell; one query at most, on every page;
- ``more_links(request, modules)``: Links for the "More" page beside the modules' own start pages
  (the staff directory, the timetable); no queries.

A home block may also be a list of blocks. Its ``section`` places it in the parent's timeline:
``action`` (what needs the parent: answer, book, sign up, read), ``today`` (today and tomorrow),
``news`` (news and photos) or ``more`` (the rest, after the timeline). Only staff see ``more``
(``overview.shows_more``): a block that always goes there returns None for anyone else, without
a query."""

from __future__ import annotations

from dataclasses import dataclass, field

from .providers import module_hooks

SECTIONS = ("action", "today", "news", "more")  # the order of the home timeline


@dataclass
class HomeBlock:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100  # lower comes first
    section: str = "more"  # one of SECTIONS
    html: str = ""  # the block rendered already (``core.blocks.cached_block``)


@dataclass(frozen=True)
class TabCount:
    tab: str  # "news", "messages": the tab of the shell it belongs to
    count: int


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
    blocks = []
    for provider in providers:
        block = provider(request, overview)
        if isinstance(block, HomeBlock):
            blocks.append(block)
        elif block:
            blocks.extend(block)
    return sorted(blocks, key=lambda block: block.order)


def timeline(blocks: list[HomeBlock]) -> list[tuple[str, list[HomeBlock]]]:
    """The blocks by section, in the order of SECTIONS; sections without blocks left out."""
    by_section: dict[str, list[HomeBlock]] = {section: [] for section in SECTIONS}
    for block in blocks:
        by_section.get(block.section, by_section["more"]).append(block)
    return [(section, found) for section, found in by_section.items() if found]


def more_links(request, modules) -> list[Link]:
    links = [link for provider in module_hooks("home", "more_links") for link in provider(request, modules)]
    return sorted(links, key=lambda link: link.order)


def tab_counts(request, modules) -> dict[str, int]:
    """The counts of the shell's tabs (tab -> count), from every module's ``tab_count``."""
    counts: dict[str, int] = {}
    for provider in module_hooks("home", "tab_count"):
        found = provider(request, modules)
        if found is not None:
            counts[found.tab] = counts.get(found.tab, 0) + found.count
    return counts


def header_links() -> tuple[str, ...]:
    """The templates of the top bar's links, in the order of INSTALLED_APPS."""
    return module_hooks("home", "HEADER_LINK")
