from django.conf import settings
from django.utils import translation

from schoolpoort.core.access import roles_of


class UserLanguageMiddleware:
    """A signed-in user reads the site in the language of their account."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


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
