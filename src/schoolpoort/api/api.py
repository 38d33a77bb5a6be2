"""The JSON API, version 1, mounted at /api/v1/: the OpenAPI 3.1 document at openapi.json and a
reference page at docs (Swagger UI served from our own static files, so the strict CSP holds).
Every endpoint calls the same domain functions and ``visible_to`` rules as the pages.

GET answers carry an ETag; a request with a matching If-None-Match gets 304 Not Modified."""

from __future__ import annotations

from django.utils.cache import get_conditional_response, set_response_etag
from ninja import NinjaAPI, Swagger

from . import errors
from .auth import SessionAuth, TokenAuth, in_token_scope
from .endpoints import (
    absences,
    absences_family,
    albums,
    bookings,
    calendar,
    conferences,
    documents,
    imports,
    me,
    messaging,
    news,
    news_reads,
    notifications,
    push,
    records,
    registrations,
    school_signups,
    signups,
)


class SchoolpoortApi(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            set_response_etag(response)
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return response


api = SchoolpoortApi(
    title="Schoolpoort API",
    version="1",
    description="The JSON API of Schoolpoort, for apps and for the systems a school runs. See docs/api.md.",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs=Swagger(),
)
errors.install(api)
api.add_decorator(in_token_scope, mode="operation")
api.add_router("", me.router)
api.add_router("", news.router)
api.add_router("", calendar.router)
api.add_router("", absences.router)
api.add_router("", news_reads.router)
api.add_router("", absences_family.router)
api.add_router("", messaging.router)
api.add_router("", notifications.router)
api.add_router("", push.router)
api.add_router("", conferences.router)
api.add_router("", albums.router)
api.add_router("", documents.router)
api.add_router("", signups.router)
api.add_router("", records.router)
api.add_router("", bookings.router)
api.add_router("", school_signups.router)
api.add_router("", registrations.router)
api.add_router("", imports.router)
