from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from schoolpoort.core.access import roles_of

from . import second_factor


class LanguageMiddleware:
    """Dutch unless the user chose otherwise: the account's language when signed in, else the
    language cookie set by the switch in the header. The browser's Accept-Language is ignored on
    purpose: many Dutch parents have a phone set to English and expect their school in Dutch."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        supported = {code for code, _name in settings.LANGUAGES}
        if user is not None and user.is_authenticated and user.language in supported:
            language = user.language
        else:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            if language not in supported:
                language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class StaffIdleTimeoutMiddleware:
    """Staff are signed out after STAFF_IDLE_MINUTES without a request; every request of theirs
    moves the deadline. Parents keep the session they chose at login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and (roles_of(user).is_staff or user.is_staff):
            request.session.set_expiry(settings.STAFF_IDLE_MINUTES * 60)
        return self.get_response(request)


class SecondFactorMiddleware:
    """Until the second factor is proved, a session that needs one reaches only the second-factor
    pages and logout: every other request (pages, files, htmx fragments) answers a redirect to
    them, never the data. Also gives ``request.user.is_verified()`` (django-otp's admin site asks
    it). A verified request costs no query: the answer is in the session."""

    ALLOWED = ("accounts:second_factor", "accounts:second_factor_enrol", "accounts:second_factor_qr",
               "accounts:passkey_sign_in_begin", "accounts:passkey_sign_in", "accounts:logout")

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed_paths = None

    def allowed_paths(self) -> frozenset[str]:
        if self._allowed_paths is None:
            self._allowed_paths = frozenset(reverse(name) for name in self.ALLOWED)
        return self._allowed_paths

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        verified = second_factor.is_verified(request)
        user.is_verified = lambda: verified
        if not hasattr(user, "otp_device"):
            user.otp_device = None
        if verified or request.path_info in self.allowed_paths() or not second_factor.must_verify(request):
            return self.get_response(request)
        if request.path_info.startswith("/api/"):  # the JSON API answers JSON, never a page to go to
            return JsonResponse({"detail": _("Prove your second factor on the site first.")}, status=401)
        name = "accounts:second_factor" if second_factor.has_any_factor(user) else "accounts:second_factor_enrol"
        target = reverse(name)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
