"""Template tags of the installable app: URLs that may not exist yet, and the configuration that
web/pwa.js and web/push.js read from the page (URLs and translated texts)."""

from django import template
from django.utils.translation import gettext

from schoolpoort.web.pwa import url_or_none

register = template.Library()


@register.simple_tag
def pwa_url(name: str) -> str:
    """The URL of a route, or "" while that route does not exist."""
    return url_or_none(name) or ""


@register.simple_tag(takes_context=True)
def pwa_config(context) -> dict:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return {
        "serviceWorker": url_or_none("web:service_worker"),
        "isOfflinePage": bool(match and match.view_name == "web:offline"),
        "push": {
            "vapidKey": url_or_none("notify:vapid_key"),
            "subscribe": url_or_none("notify:push_subscribe"),
            "unsubscribe": url_or_none("notify:push_unsubscribe"),
        },
        "text": {
            "offlineCopy": gettext("You are offline. This is the last copy saved on this device."),
            "unsupported": gettext("This browser cannot receive notifications."),
            "iosHomeScreen": gettext(
                "On iPhone and iPad, notifications only work in the app on your home screen: tap the Share "
                "button, choose “Add to Home Screen” and open Schoolpoort from there."
            ),
            "blocked": gettext(
                "Notifications are blocked for this site. Allow them in your browser settings, then come back here."
            ),
            "on": gettext("Notifications are on for this device."),
            "off": gettext("Notifications are off for this device."),
            "busy": gettext("One moment…"),
            "failed": gettext("That did not work. Check your connection and try again."),
        },
    }
