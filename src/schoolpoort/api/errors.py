"""Every error of the API as JSON ``{"detail": …}`` in the caller's language (the account's, or
the language cookie as on the pages): 401 without a valid session or token, 403 for what a token
may not do, 404 for what the caller may not see or what does not exist (the same answer), 422 for
input that breaks a rule, with the message at the field it is about."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError


class Error(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class Invalid(Schema):
    detail: list[FieldError]


# The answers every endpoint may give besides its own, for the OpenAPI document.
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Invalid, 429: Error}


class FormInvalid(Exception):
    """A Django form of a module said no: its messages, each at its field."""

    def __init__(self, form):
        super().__init__("invalid form")
        self.form = form

    def details(self) -> list[dict]:
        return [
            {"loc": ["body"] if field == "__all__" else ["body", f"{field}_id" if field == "student" else field],
             "msg": str(message), "type": "invalid"}
            for field, messages in self.form.errors.items()
            for message in messages
        ]


def install(api) -> None:
    def not_found(request, exc):
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    def unauthenticated(request, exc):
        response = api.create_response(
            request, {"detail": _("Sign in, or send a valid token in the Authorization header.")}, status=401
        )
        response["WWW-Authenticate"] = 'Bearer realm="schoolpoort"'
        return response

    def http_error(request, exc):
        message = str(exc)
        if exc.status_code == 403 and message == "CSRF check Failed":
            message = _("The CSRF check failed: send the X-CSRFToken header with the csrftoken cookie.")
        return api.create_response(request, {"detail": message}, status=exc.status_code)

    def invalid(request, exc):
        return api.create_response(request, {"detail": exc.errors}, status=422)

    def form_invalid(request, exc):
        return api.create_response(request, {"detail": exc.details()}, status=422)

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(FormInvalid, form_invalid)
