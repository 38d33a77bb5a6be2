"""The register of personal data, read from every module's ``personal_data.py`` (one place per
module), and a school's terms: its own where it set one, the register's default otherwise."""

from __future__ import annotations

from schoolpoort.lib.personal_data import Entry, Term
from schoolpoort.lib.providers import module_hooks

from .models import RetentionTerm


def entries() -> list[Entry]:
    """Every entry of every module, in the order of INSTALLED_APPS."""
    found: list[Entry] = []
    for register in module_hooks("personal_data", "register"):
        found.extend(register())
    keys = [entry.key for entry in found]
    duplicates = {key for key in keys if keys.count(key) > 1}
    if duplicates:
        raise ValueError(f"Register keys declared twice: {sorted(duplicates)}")
    return found


def entry(key: str) -> Entry:
    for candidate in entries():
        if candidate.key == key:
            return candidate
    raise KeyError(key)


def school_terms(school) -> dict[str, Term]:
    """The school's own terms by register key (one query)."""
    return {row.key: row.term for row in RetentionTerm.objects.filter(school=school)}


def term_for(school, item: Entry, own: dict[str, Term] | None = None) -> Term:
    own = school_terms(school) if own is None else own
    return own.get(item.key, item.term)
