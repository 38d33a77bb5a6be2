"""The family export (``lib.family_export``): whether the user has an agenda link (the secret itself
is kept only as a hash, so it cannot be exported)."""

from __future__ import annotations

from schoolpoort.lib.family_export import Section

from .models import FeedToken


def export_for(user) -> Section | None:
    token = FeedToken.objects.filter(user=user).first()
    if token is None:
        return None
    return Section("calendar", {"agenda_link": {"created_at": token.created_at}})
