"""Retention: per school, what is past its term is erased or anonymised by the function its
module declared in the register. ``run(school, dry_run=True)`` lists the same items without
touching them (``manage.py apply_retention --dry-run``)."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from schoolpoort.core.models import AuditEntry, School
from schoolpoort.core.scopes import school_scope, scopes_disabled
from schoolpoort.lib.personal_data import Entry, Term

from . import register

logger = logging.getLogger(__name__)
LISTED = 20  # items named per entry in a dry run
BATCH = 500  # items erased per transaction


@dataclass
class Outcome:
    entry: Entry
    term: Term
    cutoff: datetime.datetime
    count: int = 0  # how many items are past their term
    items: list = field(default_factory=list)  # the first of them (LISTED), as the dry run names them
    erased: int = 0

    def names(self, limit: int = LISTED) -> list[str]:
        return [self.entry.describe(item) for item in self.items[:limit]]


def _erase(entry: Entry, found) -> int:
    """Erase what ``expired`` found, in batches of BATCH: a queryset is read again after each batch
    (what was erased or anonymised no longer matches it), so a large backlog never sits in memory."""
    if not isinstance(found, QuerySet):
        with transaction.atomic():
            return entry.erase(list(found))
    erased = 0
    while batch := list(found[:BATCH]):
        with transaction.atomic():
            done = entry.erase(batch)
        erased += done
        if len(batch) < BATCH or not done:
            break
    return erased


def run(school: School, now: datetime.datetime | None = None, *, dry_run: bool = False) -> list[Outcome]:
    """Erase (or, with ``dry_run``, only find) what of ``school`` is past its term at ``now``."""
    now = now or timezone.now()
    outcomes = []
    with school_scope(school):
        own = register.school_terms(school)
        for entry in register.entries():
            if entry.expired is None:
                continue  # kept as long as the school exists, or erased by another entry
            term = register.term_for(school, entry, own)
            outcome = Outcome(entry, term, term.cutoff(now))
            found = entry.expired(school, outcome.cutoff)
            if isinstance(found, QuerySet):
                outcome.count, outcome.items = found.count(), list(found[:LISTED])
            else:
                found = list(found)
                outcome.count, outcome.items = len(found), found[:LISTED]
            if outcome.count and not dry_run:
                outcome.erased = _erase(entry, found)
            outcomes.append(outcome)
        if not dry_run:
            counts = {o.entry.key: o.erased for o in outcomes if o.erased}
            if counts:
                AuditEntry.record(None, "privacy.retention", school=school, counts=counts)
                logger.info("Retention at %s: %s", school.brin, counts)
    return outcomes


def run_all(now: datetime.datetime | None = None, *, dry_run: bool = False, schools=None) -> dict:
    """Every school (or ``schools``), each in its own scope."""
    now = now or timezone.now()
    with scopes_disabled():
        schools = list(School.objects.order_by("pk") if schools is None else schools)
    return {school: run(school, now, dry_run=dry_run) for school in schools}
