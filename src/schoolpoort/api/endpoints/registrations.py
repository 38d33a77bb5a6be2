"""Registration status per guardian for the school's systems (``registrations:read``): every
guardian slot of the school's current pupils in the state the registration dashboard shows it
(``onboarding.dashboard``: registered, invited, e-mail known, no e-mail, e-mail refused), with
whether a letter with a code is out. For those who administer the school; 404 for anyone else."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Router, Schema

from schoolpoort.accounts.guardians import guardian_slots
from schoolpoort.onboarding import dashboard

from .. import cursors
from ..errors import ERRORS
from ..schools import administered_school

router = Router(tags=["registration"])
PAGE_SIZE = 200
MAX_PAGE_SIZE = 1000


class RegistrationOut(Schema):
    id: int
    student_id: int
    student: str
    student_number: str
    group: str
    guardian: str
    relation: str
    email: str
    state: Literal["registered", "invited", "email_known", "no_email", "refused"]
    letter_printed_at: datetime.datetime | None
    letter_expires_at: datetime.datetime | None


class RegistrationPage(Schema):
    items: list[RegistrationOut]
    next_cursor: str | None


def _out(slot) -> dict:
    code = slot.open_codes[0] if slot.open_codes else None  # the newest letter: the one that works
    return {
        "id": slot.pk, "student_id": slot.student_id, "student": slot.student.full_name,
        "student_number": slot.student.sis_id, "group": slot.current_group_name or "",
        "guardian": slot.display_name, "relation": slot.relation, "email": slot.address or "", "state": slot.state,
        "letter_printed_at": code.created_at if code else None, "letter_expires_at": code.expires_at if code else None,
    }


@router.get("/schools/{school_id}/registrations", response={200: RegistrationPage, **ERRORS},
            url_name="school_registrations", summary="Registration status of every guardian at one school")
def school_registrations(request, school_id: int, state: str | None = None, cursor: str | None = None,
                         limit: int = PAGE_SIZE):
    """One row per guardian of a current pupil, as on the registration dashboard; ``state``
    filters on one state. ``letter_printed_at``: when the letter whose code still works was made."""
    caller = request.auth
    caller.require("registrations:read")
    school = administered_school(caller, school_id)
    slots = dashboard.with_state(guardian_slots(school))
    if state:
        slots = slots.filter(state=state)
    page, next_cursor = cursors.pk_page(slots, cursor, limit, MAX_PAGE_SIZE)
    return {"items": [_out(s) for s in page], "next_cursor": next_cursor}
