"""A device as a person recognises it ("Chrome on Android") from a User-Agent header: shown beside
push subscriptions (notify) and phones signed in by QR code (accounts)."""

from __future__ import annotations

from django.utils.translation import gettext as _

BROWSERS = [  # order matters: Edge and Opera and Samsung say "Chrome" too, Chrome says "Safari"
    ("Edg", "Edge"), ("OPR", "Opera"), ("SamsungBrowser", "Samsung Internet"), ("Firefox", "Firefox"),
    ("FxiOS", "Firefox"), ("CriOS", "Chrome"), ("Chrome", "Chrome"), ("Safari", "Safari"),
]
SYSTEMS = [
    ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
    ("CrOS", "ChromeOS"), ("Mac OS X", "macOS"), ("Macintosh", "macOS"), ("Linux", "Linux"),
]


def device_label(user_agent: str) -> str:
    """"Chrome on Android" (translated: "Chrome op Android") from a User-Agent header."""
    browser = next((name for token, name in BROWSERS if token in user_agent), "")
    system = next((name for token, name in SYSTEMS if token in user_agent), "")
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Unknown device")
