from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from schoolpoort.core.access import roles_of


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
