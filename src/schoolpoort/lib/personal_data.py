"""The register of personal data (AVG art. 30), declared by each module in one place.

A module that keeps personal data has ``<app>/personal_data.py`` with ``register()`` returning its
``Entry`` objects: what it keeps, why (the legal basis of AVG art. 6), who sees it, how long it is
kept (a default term from the Dutch model privacy regulations for primary schools, which a school
may change) and the functions that find and erase what is past its term. ``schoolpoort.privacy``
asks every module through ``module_hooks("personal_data", "register")``: the daily retention task,
the dry run, the school's register page, the parents' privacy statement and the erasure of one
family all read the same entries. This file holds only the vocabulary (model-free)."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


class Basis:
    """The grounds of AVG art. 6(1) a school relies on."""

    CONSENT = "consent"  # (a) toestemming
    CONTRACT = "contract"  # (b) overeenkomst
    LEGAL_OBLIGATION = "legal_obligation"  # (c) wettelijke plicht
    PUBLIC_TASK = "public_task"  # (e) taak van algemeen belang
    LEGITIMATE_INTEREST = "legitimate_interest"  # (f) gerechtvaardigd belang

    LABELS = {
        CONSENT: _("consent (AVG art. 6(1)(a))"),
        CONTRACT: _("agreement (AVG art. 6(1)(b))"),
        LEGAL_OBLIGATION: _("legal obligation (AVG art. 6(1)(c))"),
        PUBLIC_TASK: _("task in the public interest (AVG art. 6(1)(e))"),
        LEGITIMATE_INTEREST: _("legitimate interest (AVG art. 6(1)(f))"),
    }
    # What the law makes the school keep: an erasure request (art. 17(3)(b)) does not remove it
    # before its term.
    KEPT_ON_REQUEST = frozenset({LEGAL_OBLIGATION, PUBLIC_TASK})


class Anchor:
    """From when a term runs."""

    LEFT = "left"  # the pupil left the school
    FAMILY_LEFT = "family_left"  # the guardian's last child left the school
    CREATED = "created"  # the item was made (or last used, as the entry says)

    LABELS = {
        LEFT: _("after the pupil leaves school"),
        FAMILY_LEFT: _("after the last child of the family leaves school"),
        CREATED: _("after it was made"),
    }


class Unit:
    DAYS = "days"
    MONTHS = "months"
    CHOICES = [(DAYS, _("days")), (MONTHS, _("months"))]


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """``moment`` minus whole calendar months (31 March minus one month is 28/29 February)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class Term:
    amount: int
    unit: str = Unit.MONTHS

    def cutoff(self, now: datetime.datetime) -> datetime.datetime:
        """What started before this moment is past its term at ``now``."""
        if self.unit == Unit.DAYS:
            return now - datetime.timedelta(days=self.amount)
        return months_before(now, self.amount)

    def __str__(self) -> str:
        from django.utils.translation import ngettext

        if self.unit == Unit.DAYS:
            return ngettext("%(count)d day", "%(count)d days", self.amount) % {"count": self.amount}
        if self.amount % 12 == 0:
            years = self.amount // 12
            return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
        return ngettext("%(count)d month", "%(count)d months", self.amount) % {"count": self.amount}


@dataclass(frozen=True)
class Entry:
    """One kind of personal data a module keeps.

    ``expired(school, cutoff)`` returns the items (a queryset or a list) of ``school`` whose term
    started before ``cutoff``; ``erase(items)`` erases or anonymises exactly those and returns
    how many. ``erase_family(school, student_ids, user_ids)`` erases what an erasure request of
    one family removes (None: the entry is kept until its term, and the page says why).
    ``describe(item)`` names an item in the dry run without showing its content."""

    key: str  # "<app>.<what>", also the key of a school's own term
    label: object  # what (lazy text)
    purpose: object  # why the school keeps it
    basis: str  # a Basis value
    who: object  # who sees it
    anchor: str  # an Anchor value
    term: Term  # the default term
    source: object = ""  # where the default term comes from
    expired: Callable[..., Iterable] | None = None
    erase: Callable[[list], int] | None = None
    erase_family: Callable[..., int] | None = None
    describe: Callable[[object], str] = str
    for_parents: bool = True  # shown in the parents' privacy statement

    @property
    def basis_label(self):
        return Basis.LABELS[self.basis]

    @property
    def anchor_label(self):
        return Anchor.LABELS[self.anchor]

    @property
    def kept_on_request(self) -> bool:
        return self.erase_family is None


def delete_files_on_commit(files) -> None:
    """Delete stored files (FieldFiles) once the transaction that erased their rows commits."""
    from django.db import transaction

    pairs = [(f.storage, f.name) for f in files if f]

    def delete():
        for storage, name in pairs:
            storage.delete(name)

    transaction.on_commit(delete)


def delete_items(items, *file_fields: str, related_files: Iterable = ()) -> int:
    """Delete ``items`` (rows of one model) and, after the commit, their files in ``file_fields``
    and ``related_files`` (files of rows the deletion cascades to). Returns how many items."""
    items = list(items)
    if not items:
        return 0
    files = [getattr(item, name) for item in items for name in file_fields]
    delete_files_on_commit([*files, *related_files])
    type(items[0])._base_manager.filter(pk__in=[item.pk for item in items]).delete()
    return len(items)


def label(item) -> str:
    """An item in a dry run: its model and number, never its content ("albums.photo #12")."""
    return f"{item._meta.label_lower} #{item.pk}"
