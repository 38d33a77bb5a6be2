"""The modules a school switches on in phases. Each module declares itself in its own AppConfig
(``module_info = ModuleInfo(...)``), so core names none of them: the registry below is read from the
installed apps, in the order the modules give."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class ModuleInfo:
    code: str  # stored in ModuleSwitch, ModuleClosure and notification rows: the app's label
    label: str
    description: str
    icon: str  # id of an SVG symbol in web/_icons.html
    url_name: str  # the module's start page
    order: int = 100  # place among the tiles of the home page
    # What parents lose when the school switches the module off or closes it for a period, and what
    # is kept: one short sentence, shown on the confirmation before it happens.
    off_consequence: str = ""

    def __reduce_ex__(self, protocol):
        # In a cached value (the reach cache's module states) a registered module is pickled by its
        # code and unpickled as the registry's own object: pickled whole, each of its lazy
        # translations built a new proxy class when read back (5 ms a page for a board's schools).
        if MODULES.get(self.code) is self:
            return (registered_module, (self.code,))
        return super().__reduce_ex__(protocol)


def registered_module(code: str) -> ModuleInfo:
    return MODULES[code]


class _Registry(Mapping):
    """code → ModuleInfo of every installed module, read once the apps are ready."""

    _modules: dict[str, ModuleInfo] | None = None

    def _load(self) -> dict[str, ModuleInfo]:
        if self._modules is None:
            configs = apps.get_app_configs()
            found = [config.module_info for config in configs if isinstance(getattr(config, "module_info", None),
                                                                           ModuleInfo)]
            self._modules = {info.code: info for info in sorted(found, key=lambda info: info.order)}
        return self._modules

    def __getitem__(self, code: str) -> ModuleInfo:
        return self._load()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


MODULES: Mapping[str, ModuleInfo] = _Registry()


def module_choices() -> list[tuple[str, str]]:
    """Choices of the ``module`` fields: a callable, so a new module needs no migration."""
    return [(code, info.label) for code, info in MODULES.items()]
