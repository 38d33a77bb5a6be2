"""The rounds a user finds, for the pages and the JSON API alike: every round through
``Round.objects.visible_to``, at the schools where the module can be used."""

from __future__ import annotations

from django.http import Http404

from schoolpoort.core.access import get_in_reach_or_404, get_visible_or_404, modules_for_schools
from schoolpoort.core.models import School

from .access import MODULE, round_q
from .models import Round


def usable_schools_or_404(user) -> list[School]:
    schools = School.objects.visible_to(user).select_related("board").order_by("name")
    usable = [
        state.school
        for state in modules_for_schools(user, schools)
        if any(module.info.code == MODULE for module in state.usable)
    ]
    if not usable:
        raise Http404
    return usable


def visible_rounds(user) -> list[Round]:
    """The user's rounds, the latest closing first; 404 where the module is of no use to them."""
    return list(
        Round.objects.visible_to(user)
        .filter(school__in=usable_schools_or_404(user))
        .select_related("school")
        .prefetch_related("groups")
        .order_by("-booking_closes_at", "-pk")
    )


def _round_page_rows():
    return Round.objects.select_related("school", "created_by").prefetch_related("groups")


def round_or_404(user, pk: int) -> Round:
    return get_visible_or_404(_round_page_rows(), user, pk=pk)


def request_round_or_404(request, pk: int) -> Round:
    """``round_or_404`` for the round's own pages, which every family opens at the round's opening:
    the same rule (``access.round_q``) read with the request's id lists."""
    return get_in_reach_or_404(request, _round_page_rows(), round_q, pk=pk)
