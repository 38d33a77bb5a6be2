from django.conf import settings

from schoolpoort.accounts.second_factor import must_verify
from schoolpoort.core.access import roles_of
from schoolpoort.lib.home import header_links

from .shell import Shell


def site(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "site_url": settings.SITE_URL,
        "roles": roles_of(user) if signed_in else None,
        "header_links": header_links(),
        # The tab bar and the "More" page (web/shell.py): read only when a template asks. Not before
        # the second factor: a password alone shows no school, tabs or counts.
        "shell": Shell(request) if signed_in and not must_verify(request) else None,
    }
