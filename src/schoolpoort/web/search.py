"""The search page (/zoeken/): every module's hits for the words, grouped per module, each hit
from the module's own provider (``lib.search``), so the page knows no access rule of its own.
Without ``in`` it shows the first hits of every module; ``?in=<module>&pagina=N`` pages through
one module's hits ("newer"/"older" links, no count: a fixed number of queries per page)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from schoolpoort.lib.search import parse_query, search_providers, search_sections

FIRST_HITS = 5  # per module on the overview
PER_PAGE = 20  # on one module's pages


def _page_number(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


@login_required
@require_GET
def search(request):
    query = parse_query(request.GET.get("q"))
    codes = {provider.code for provider in search_providers()}
    only = request.GET.get("in") if request.GET.get("in") in codes else None
    number = _page_number(request.GET.get("pagina")) if only else 1
    if only:
        sections = search_sections(request.user, query, offset=(number - 1) * PER_PAGE, limit=PER_PAGE, only=only)
    else:
        sections = search_sections(request.user, query, limit=FIRST_HITS)
    return render(request, "web/search.html", {
        "query": query,
        "sections": sections,
        "only": only,
        "number": number,
        "previous": number - 1 if only and number > 1 else None,
        "next": number + 1 if only and sections and sections[0].has_more else None,
    })
