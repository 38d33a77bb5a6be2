"""The register itself: every module declares its entries in one place, each entry is complete,
and every entry's functions run against a real database (what they find, they erase)."""

import datetime

from django.utils import timezone

from schoolpoort.lib.personal_data import Anchor, Basis, Term
from schoolpoort.privacy import register, retention

from .helpers import leave


def test_every_entry_is_complete_and_declared_once():
    entries = register.entries()
    keys = [entry.key for entry in entries]
    assert len(keys) == len(set(keys))
    for entry in entries:
        assert entry.basis in Basis.LABELS and entry.anchor in Anchor.LABELS, entry.key
        assert isinstance(entry.term, Term) and entry.term.amount > 0, entry.key
        assert str(entry.label) and str(entry.purpose) and str(entry.who) and str(entry.source), entry.key
        assert (entry.expired is None) == (entry.erase is None), entry.key
    # What issue 14 names: photos, messages, absences, notes, plans, audit entries, accounts without
    # children, import files and letters each have a term that is applied.
    applied = {entry.key for entry in entries if entry.expired}
    assert {"albums.photos", "messaging.messages", "absences.absences", "records.notes", "records.plans",
            "core.audit", "accounts.accounts", "imports.files", "onboarding.letters"} <= applied


def test_terms_count_whole_months_and_days():
    now = datetime.datetime(2027, 3, 31, 12, tzinfo=datetime.UTC)
    assert Term(1).cutoff(now) == datetime.datetime(2027, 2, 28, 12, tzinfo=datetime.UTC)
    assert Term(24).cutoff(now) == datetime.datetime(2025, 3, 31, 12, tzinfo=datetime.UTC)
    assert Term(30, "days").cutoff(now) == datetime.datetime(2027, 3, 1, 12, tzinfo=datetime.UTC)


def test_every_entry_runs_and_a_second_run_finds_nothing_left(world):
    leave(world.classmate_of_other_group, timezone.now())
    far = timezone.now() + datetime.timedelta(days=20 * 366)
    for school in (world.school, world.other_school):
        retention.run(school, far)
        again = retention.run(school, far, dry_run=True)
        left = {o.entry.key: o.items for o in again if o.count}
        assert all(o.count == len(o.items) for o in again)  # few enough to be listed in full
        # Only the run's own audit entry ("privacy.retention", made now) waits for its own term.
        assert {item.action for item in left.pop("core.audit", [])} <= {"privacy.retention"}
        assert left == {}
    world.classmate_of_other_group.refresh_from_db()
    assert world.classmate_of_other_group.first_name == "-"  # the pupil administration, anonymised


def test_a_backlog_is_erased_in_batches_and_the_dry_run_names_only_the_first(world, monkeypatch):
    from schoolpoort.core.models import AuditEntry

    monkeypatch.setattr(retention, "BATCH", 2)
    monkeypatch.setattr(retention, "LISTED", 3)
    for number in range(5):
        AuditEntry.record(None, "records.read", school=world.school, number=number)
    later = timezone.now() + datetime.timedelta(days=3 * 366)

    (dry,) = [o for o in retention.run(world.school, later, dry_run=True) if o.entry.key == "core.audit"]
    assert (dry.count, len(dry.items)) == (5, 3)
    (done,) = [o for o in retention.run(world.school, later) if o.entry.key == "core.audit"]
    assert done.erased == 5
    assert list(AuditEntry.objects.filter(school=world.school).values_list("action", flat=True)) == [
        "privacy.retention"]
