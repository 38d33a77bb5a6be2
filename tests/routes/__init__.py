"""Route tables of the later modules, one file per app (``test_<app>_routes.py``), each with a
``ROUTES`` list of (route name, method, {role: status}) and its own parametrised tests; the check
that every route of the site is in some table (tests/test_routes.py) collects them from here."""

import importlib
import pkgutil


def module_route_names() -> set[str]:
    names: set[str] = set()
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        names |= {name for name, _method, _expected in getattr(module, "ROUTES", [])}
    return names
