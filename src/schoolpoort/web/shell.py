"""The app shell around every page: the tab bar of the phone (Start, News, Agenda, Messages, More),
the same items in the desktop navigation, and the "More" page with every module the user can
reach. What a user may use is read once per request (``shell_modules``: three queries, shared with
the home page) and the counts come from the modules' ``tab_count`` hooks (lib/home.py), so a page
costs the same number of queries whatever the user's schools, children or messages."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import pgettext_lazy

from schoolpoort.core.access import SchoolModules, request_modules
from schoolpoort.core.models import School
from schoolpoort.lib.home import tab_counts

HOME, MORE = "home", "more"


@dataclass(frozen=True)
class TabSpec:
    key: str
    label: str
    icon: str  # an id of web/_icons.html
    module: str = ""  # the module that must be usable somewhere for the tab to show
    url_name: str = ""


TABS = (
    TabSpec(HOME, pgettext_lazy("tab", "Home"), "icon-home", url_name="web:home"),
    TabSpec("news", pgettext_lazy("tab", "News"), "icon-news", module="news"),
    TabSpec("agenda", pgettext_lazy("tab", "Agenda"), "icon-calendar", module="calendar"),
    TabSpec("messages", pgettext_lazy("tab", "Messages"), "icon-messages", module="messaging"),
    TabSpec(MORE, pgettext_lazy("tab", "More"), "icon-more", url_name="web:more"),
)


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    icon: str
    url: str
    count: int
    current: bool


def shell_modules(request) -> tuple[list[School], list[SchoolModules]]:
    """The user's schools and their module states, read once per request (three queries) and kept
    across requests in the reach cache (none then): ``core.access.request_modules``."""
    return request_modules(request)


def usable_modules(modules: list[SchoolModules]) -> list:
    """Every module (ModuleInfo) usable for the user at one of their schools, once, in module order."""
    seen: dict[str, object] = {}
    for school_modules in modules:
        for state in school_modules.usable:
            if state.info.url_name:
                seen.setdefault(state.info.code, state.info)
    return sorted(seen.values(), key=lambda info: info.order)


class Shell:
    """What base.html needs of the shell; nothing is read until a template asks."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def modules(self) -> list[SchoolModules]:
        return shell_modules(self.request)[1]

    @cached_property
    def usable(self) -> list:
        return usable_modules(self.modules)

    @cached_property
    def school_name(self) -> str:
        """The school's name when the user belongs to one school; else the product's."""
        schools = shell_modules(self.request)[0]
        return schools[0].name if len(schools) == 1 else "Schoolpoort"

    @cached_property
    def current(self) -> str:
        """The tab of the page shown: a module's own tab, or "More" for a module reached there."""
        match = getattr(self.request, "resolver_match", None)
        if match is None:
            return ""
        if match.app_name == "web":
            return {"home": HOME, "more": MORE}.get(match.url_name, "")
        by_namespace = {info.url_name.split(":")[0]: info.code for info in self.usable}
        code = by_namespace.get(match.app_name)
        if code is None:
            return ""
        return next((spec.key for spec in TABS if spec.module == code), MORE)

    @cached_property
    def tabs(self) -> list[Tab]:
        usable = {info.code: info for info in self.usable}
        counts = tab_counts(self.request, self.modules)
        tabs = []
        for spec in TABS:
            if spec.module:
                info = usable.get(spec.module)
                if info is None:
                    continue
                url = reverse(info.url_name)
            else:
                url = reverse(spec.url_name)
            count = counts.get(spec.key, 0)
            tabs.append(Tab(spec.key, str(spec.label), spec.icon, url, count, spec.key == self.current))
        return tabs
