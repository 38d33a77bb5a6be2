"""The installable app (PWA): the web app manifest and the service worker.

The service worker is served from the site root (/sw.js) so that its scope is the whole site. Its
code is the static file web/sw.js; this view puts a small configuration in front of it (the URLs
it needs and a version). The version is a hash of the worker and of every static file, so a
deploy that changes any of them installs a new worker, which drops the caches of the old one.
"""

import hashlib
import json
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

THEME_COLOUR = "#0f5c58"  # --brand in schoolpoort.css
BACKGROUND_COLOUR = "#f6f5f1"  # --bg
SERVICE_WORKER = "web/sw.js"
# Pages whose last good copy is kept on the device, so they can be read offline: the home page
# and the news feed (the news app serves it at /nieuws/).
OFFLINE_READABLE = ["web:home", "/nieuws/"]
# Files the worker stores when it is installed, so the offline page has its look and icons.
PRECACHE_STATIC = [
    "web/schoolpoort.css", "web/pwa.css", "web/pwa.js", "web/push.js", "web/icon.svg",
    "web/icons/icon-192.png", "web/icons/badge-96.png",
]
ICONS = [
    {"src": "web/icons/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
    {"src": "web/icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
    {"src": "web/icons/icon-maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
]


def url_or_none(name: str, *args) -> str | None:
    """reverse() for routes another app may not have yet (the push endpoints of notify)."""
    if name.startswith("/"):
        return name
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@require_safe
def manifest(request):
    home = reverse("web:home")
    data = {
        "id": home,
        "name": "Schoolpoort",
        "short_name": "Schoolpoort",
        "description": gettext("News, messages and appointments from your child's school."),
        "lang": "nl",
        "dir": "ltr",
        "start_url": home,
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "categories": ["education"],
        "icons": [{**icon, "src": static(icon["src"])} for icon in ICONS],
    }
    response = JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, max_age=60 * 60)
    return response


def _read_static(path: str) -> bytes:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    with open(found, "rb") as handle:
        return handle.read()


def _static_version() -> str:
    """A short hash of every static file (path and content): the same on every server."""
    digest = hashlib.sha256()
    seen = set()
    for finder in finders.get_finders():
        for path, storage in sorted(finder.list([]), key=lambda item: item[0]):
            if path in seen:
                continue  # the first finder wins, as in findstatic
            seen.add(path)
            digest.update(path.encode())
            with storage.open(path) as handle:
                digest.update(hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()[:12]


@cache
def _cached_static_version() -> str:
    return _static_version()


def service_worker_source() -> str:
    offline = reverse("web:offline")
    config = {
        "version": _static_version() if settings.DEBUG else _cached_static_version(),
        "staticPrefix": settings.STATIC_URL,
        "offlineUrl": offline,
        "precache": [offline] + [static(path) for path in PRECACHE_STATIC],
        "offlineReadable": [url for url in map(url_or_none, OFFLINE_READABLE) if url],
        # A sign-in or sign-out on this device forgets the pages kept for the previous person.
        "accountPaths": [url for url in map(url_or_none, ["accounts:login", "accounts:logout"]) if url],
        "logoutPath": url_or_none("accounts:logout"),
        "icon": static("web/icons/icon-192.png"),
        "badge": static("web/icons/badge-96.png"),
        "defaultTitle": "Schoolpoort",
    }
    return f"const CONFIG = {json.dumps(config)};\n\n" + _read_static(SERVICE_WORKER).decode()


@require_safe
def service_worker(request):
    response = HttpResponse(service_worker_source(), content_type="text/javascript; charset=utf-8")
    # The browser checks for a new worker on every visit; no-cache makes it ask the server.
    patch_cache_control(response, no_cache=True)
    return response
