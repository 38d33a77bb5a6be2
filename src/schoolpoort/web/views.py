from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from schoolpoort.accounts.session import remember_language
from schoolpoort.lib.home import home_blocks, more_links, timeline
from schoolpoort.web.overview import home_overview
from schoolpoort.web.shell import shell_modules


@login_required
def home(request):
    overview = home_overview(request.user, shell_modules(request))
    blocks = home_blocks(request, overview)
    return render(request, "web/home.html", {"overview": overview, "blocks": blocks, "timeline": timeline(blocks)})


@login_required
def more(request):
    """Every module the user can reach, the staff's tools per school, and the account: the "More"
    tab of the shell, so that everything is within two taps."""
    overview = home_overview(request.user, shell_modules(request))
    context = {"overview": overview, "links": more_links(request, overview.modules)}
    return render(request, "web/more.html", context)


def offline(request):
    return render(request, "web/offline.html")


@require_POST
def switch_language(request):
    """The language switch in the header: kept in a cookie, and in the account when signed in."""
    language = request.POST.get("language")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = redirect(next_url)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated and request.user.language != language:
            request.user.language = language
            request.user.save(update_fields=["language"])
        remember_language(response, language)
    return response
