"""Blocks that modules add to the home page ("the next events", "latest news"): an app with a
``home.py`` that defines ``home_block(request, overview)`` returns a HomeBlock or None. Each
block must cost a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from .providers import module_hooks


@dataclass
class HomeBlock:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100  # lower comes first


def home_blocks(request, overview) -> list[HomeBlock]:
    providers = module_hooks("home", "home_block")
    blocks = [block for provider in providers if (block := provider(request, overview)) is not None]
    return sorted(blocks, key=lambda block: block.order)
