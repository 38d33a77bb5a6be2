from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _

from .api import api


def not_found(request, *args, **kwargs):
    """Under /api/ an address that is nothing answers JSON too, not the HTML page of the site."""
    return JsonResponse({"detail": _("Not found.")}, status=404)


urlpatterns = [
    path("v1/", not_found),  # before ninja's own root, which answers the site's HTML 404
    path("v1/", api.urls),
    re_path(r"", not_found),
]
