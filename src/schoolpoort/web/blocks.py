"""Blocks that modules add to the home page ("the next events", "latest news"), without web or
core importing the modules: an app with a ``home.py`` that defines ``home_block(request, overview)``
returns a HomeBlock or None. Each block must cost a fixed number of queries."""

import importlib
import importlib.util
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps


@dataclass
class HomeBlock:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100  # lower comes first


@cache
def _providers():
    providers = []
    for config in apps.get_app_configs():
        if not config.name.startswith("schoolpoort."):
            continue
        name = f"{config.name}.home"
        if importlib.util.find_spec(name) is not None:
            module = importlib.import_module(name)
            if hasattr(module, "home_block"):
                providers.append(module.home_block)
    return providers


def home_blocks(request, overview) -> list[HomeBlock]:
    blocks = [block for provider in _providers() if (block := provider(request, overview)) is not None]
    return sorted(blocks, key=lambda block: block.order)
