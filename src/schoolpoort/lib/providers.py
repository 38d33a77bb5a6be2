"""Modules contribute to pages they do not own (a home-page block, items in the agenda feed)
without anyone importing them: a module that has ``<app>/<hook>.py`` defining ``<function>`` is
found by name. The owner of the page asks ``module_hooks(hook, function)``."""

from __future__ import annotations

import importlib
import importlib.util
from functools import cache

from django.apps import apps


@cache
def module_hooks(hook: str, function: str) -> tuple:
    """``function`` of every installed Schoolpoort app that has a module ``hook``, in the order of
    INSTALLED_APPS."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("schoolpoort.") or config.name == __package__:
            continue  # the kernel asks; it does not answer
        name = f"{config.name}.{hook}"
        if importlib.util.find_spec(name) is not None:
            module = importlib.import_module(name)
            if hasattr(module, function):
                found.append(getattr(module, function))
    return tuple(found)
