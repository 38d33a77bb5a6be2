"""The product's URLs plus the reference rows of the benchmarks: a bare view that passes the
full middleware stack and answers a response of a given size from memory."""

from django.http import HttpResponse
from django.urls import include, path

_BODIES: dict[int, bytes] = {}


def bare(request, size: int):
    """The ceiling of the stack: no database beyond the session, no template."""
    body = _BODIES.get(size)
    if body is None:
        body = _BODIES.setdefault(size, (b"<!doctype html><title>bare</title>" + b"x" * size)[:size])
    return HttpResponse(body, content_type="text/html; charset=utf-8")


urlpatterns = [
    path("bench/bare/<int:size>/", bare, name="bench_bare"),
    path("", include("schoolpoort.urls")),
]
