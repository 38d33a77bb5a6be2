"""Who calls the API: a signed-in browser session (with the CSRF check on every change, for the
installable app) or a token of a school's system (``Authorization: Bearer sp_…``). Either way the
endpoints get a ``Caller``: the account whose access rule applies, and for a token the one school
and the scopes it is limited to. Tokens are throttled per token with the kernel's rate limits."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from schoolpoort.accounts.limits import over_limit
from schoolpoort.core.scopes import school_scope

from . import device_tokens, tokens
from .models import ApiToken, DeviceToken


class Throttled(HttpError):
    def __init__(self):
        super().__init__(429, _("Too many requests with this token. Try again in a minute."))


class MissingScope(HttpError):
    def __init__(self, scope: str):
        super().__init__(403, _("This token may not do this: it needs the scope %(scope)s.") % {"scope": scope})


@dataclass(frozen=True)
class Caller:
    user: object
    token: ApiToken | None = None  # a system's token: one school, its scopes
    device: DeviceToken | None = None  # a person's phone (api/device_tokens.py): as their session

    @property
    def school_id(self) -> int | None:
        """The one school a token is bound to; None for a session (every school of the user)."""
        return self.token.school_id if self.token is not None else None

    def require(self, scope: str) -> None:
        """A token needs ``scope``; a session may do what its user may do on the pages."""
        if self.token is not None and scope not in self.token.scopes:
            raise MissingScope(scope)

    def require_session(self) -> None:
        """For what only a person does (reporting their child sick): a session or a device token
        of the person's own phone; no system token may."""
        if self.token is not None:
            raise HttpError(403, _("This can only be done by a signed-in person, not with a token."))


class SessionAuth(APIKeyCookie):
    """Django's session, with Django's CSRF check on every unsafe method (ninja's ``django_auth``)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):
        if request.user.is_authenticated:
            return Caller(request.user)
        return None


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if token.startswith(device_tokens.PREFIX):
            device = device_tokens.authenticate(token)
            if device is None:
                return None
            if over_limit(request, "api.device_token", settings.API_TOKEN_RATE, key=str(device.pk)):
                raise Throttled()
            request.user = device.user
            translation.activate(device.user.language)
            request.LANGUAGE_CODE = device.user.language
            return Caller(device.user, device=device)
        found = tokens.authenticate(token)
        if found is None:
            return None
        if over_limit(request, "api.token", settings.API_TOKEN_RATE, key=str(found.pk)):
            raise Throttled()
        # The rest of the request is this account's, at this school: its language, its access rule.
        request.user = found.user
        translation.activate(found.user.language)
        request.LANGUAGE_CODE = found.user.language
        return Caller(found.user, found)


def in_token_scope(view):
    """Runs an endpoint called with a token in the scope of the token's one school (core/scopes.py):
    a query there never returns a row of another school, whatever its account may see elsewhere."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        caller = request.auth
        if isinstance(caller, Caller) and caller.token is not None:
            with school_scope([caller.token.school_id]):
                return view(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    return wrapper
