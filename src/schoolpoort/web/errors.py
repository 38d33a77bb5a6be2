"""The product's own error pages (400, 403, 404, 500 and a failed CSRF check), in the user's
language and inside the app shell, each with a way back.

The access rule answers 404 for everything a user may not see, so parents meet the 404 page through
old links, e-mail links and modules the school switched off: for the last, the page says the school
has closed that part (which the user can see on the home page anyway, so it reveals nothing)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.csrf import requires_csrf_token

from schoolpoort.core import access
from schoolpoort.core.models import ModuleClosure
from schoolpoort.core.modules import MODULES, ModuleInfo


@dataclass(frozen=True)
class WayBack:
    url: str
    label: str  # the module's name, or empty for the home page


@dataclass(frozen=True)
class ModuleGone:
    """A module that is not open to this user at any of their schools."""

    info: ModuleInfo
    closure: object | None  # the ModuleClosure in force, when the module is closed for a period


def module_of_path(path: str) -> ModuleInfo | None:
    """The module whose pages live under ``path``, judged by its start page's address."""
    best, best_length = None, 0
    for info in MODULES.values():
        try:
            start = reverse(info.url_name)
        except NoReverseMatch:
            continue
        if start != "/" and path.startswith(start) and len(start) > best_length:
            best, best_length = info, len(start)
    return best


def module_gone(user, info: ModuleInfo, today: datetime.date | None = None) -> ModuleGone | None:
    """``info`` as a signed-in user meets it when it is usable at none of their schools."""
    if not user.is_authenticated or access.usable_module_school_ids(user, info.code, today).exists():
        return None
    today = today or timezone.localdate()
    closure = (
        ModuleClosure.objects.filter(module=info.code, school_id__in=access.guardian_school_ids(user),
                                    starts_on__lte=today, ends_on__gte=today)
        .order_by("ends_on")
        .first()
    )
    return ModuleGone(info, closure)


def page_not_found(request, exception=None):
    info = module_of_path(request.path)
    gone = module_gone(request.user, info) if info and hasattr(request, "user") else None
    back = WayBack(reverse(info.url_name), info.label) if info and not gone else WayBack(reverse("web:home"), "")
    return render(request, "errors/404.html", {"gone": gone, "back": back}, status=404)


@requires_csrf_token
def bad_request(request, exception=None):
    return render(request, "errors/400.html", {"back": WayBack(reverse("web:home"), "")}, status=400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "errors/403.html", {"back": WayBack(reverse("web:home"), "")}, status=403)


def csrf_failure(request, reason=""):
    """A form sent from a page that was open too long, or without cookies: say so, and how to go on."""
    return render(request, "errors/csrf.html", {"back": WayBack(reverse("web:home"), "")}, status=403)


def server_error(request):
    """Rendered without the request's context: the database may be what failed."""
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render({"back": WayBack(reverse("web:home"), "")}))
