"""Response headers that hold for every page, in one place (the Content-Security-Policy itself is
django-csp's, configured in settings.CONTENT_SECURITY_POLICY):

- ``Cache-Control: private, no-store`` on every response to a signed-in request: what a family
  or the school reads (messages, absences, class lists, the home page) is never kept in the
  browser's or a proxy's cache. Static files are answered by WhiteNoise before this middleware
  and keep their long caching; private files set the same header themselves (core.files).
- ``Permissions-Policy`` from settings.PERMISSIONS_POLICY: the powerful browser features the app
  does not use are switched off for it and for anything it might embed."""

from django.conf import settings
from django.utils.cache import patch_vary_headers

PRIVATE = "private, no-store"


def permissions_policy(features: dict[str, list[str]]) -> str:
    """``camera=(), fullscreen=(self)`` from ``{"camera": [], "fullscreen": ["self"]}``."""
    return ", ".join(f"{name}=({' '.join(allowed)})" for name, allowed in features.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions = permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = PRIVATE
            response.headers.pop("Expires", None)
            patch_vary_headers(response, ["Cookie"])
        if self.permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions
        return response
