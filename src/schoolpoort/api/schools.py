"""The school a system endpoint (``/schools/{id}/…``) is about: with a token only the token's one
school exists; with a session, a school the account reaches by the page's own rule. Anything else
answers 404, the same as a school that does not exist."""

from __future__ import annotations

from django.http import Http404

from schoolpoort.core.access import administered_school_or_404, get_visible_or_404
from schoolpoort.core.models import School


def _token_school(caller, school_id: int) -> None:
    if caller.school_id is not None and caller.school_id != school_id:
        raise Http404


def reached_school(caller, school_id: int) -> School:
    """A school the caller sees (as on the pages; the module's own rule then says what of it)."""
    _token_school(caller, school_id)
    return get_visible_or_404(School, caller.user, pk=school_id)


def administered_school(caller, school_id: int) -> School:
    """A school whose pupils and guardians the caller administers (administration, director,
    board admin), as the import and registration pages require."""
    _token_school(caller, school_id)
    return administered_school_or_404(caller.user, school_id)
