"""Starting a signed-in session: how long it lasts, and in which language."""

from django.conf import settings
from django.contrib.auth import login

from schoolpoort.core.access import roles_of

EMAIL_BACKEND = "schoolpoort.accounts.backends.EmailBackend"


def set_session_length(request, user, remember: bool) -> None:
    """Parents may stay signed in on their own device; otherwise the session ends with the
    browser. Staff always get the idle timeout (the middleware moves it on every request)."""
    if user.is_staff or roles_of(user).is_staff:
        request.session.set_expiry(settings.STAFF_IDLE_MINUTES * 60)
    elif remember:
        request.session.set_expiry(settings.PARENT_SESSION_DAYS * 24 * 60 * 60)
    else:
        request.session.set_expiry(0)


def sign_in(request, user, remember: bool = False) -> None:
    """Log ``user`` in without a password check (they just proved themselves another way)."""
    login(request, user, backend=EMAIL_BACKEND)
    set_session_length(request, user, remember)


def remember_language(response, language: str):
    """Keep the account's language for pages seen after logging out, too."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
