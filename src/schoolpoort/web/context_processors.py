from django.conf import settings

from schoolpoort.core.access import roles_of
from schoolpoort.lib.home import header_links


def site(request):
    user = getattr(request, "user", None)
    return {
        "site_url": settings.SITE_URL,
        "roles": roles_of(user) if user is not None and user.is_authenticated else None,
        "header_links": header_links(),
    }
