"""Retention: what is past its term goes (photos with their files, messages, absences, notes,
audit entries, accounts without children), the dry run lists exactly that first, nothing within its
term is touched, and a school's own term wins over the default."""

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from schoolpoort.absences.models import Absence
from schoolpoort.albums.models import Photo
from schoolpoort.core.models import AuditEntry
from schoolpoort.messaging.models import Conversation
from schoolpoort.privacy import retention
from schoolpoort.privacy.models import RetentionTerm
from schoolpoort.privacy.tasks import apply_retention
from schoolpoort.records.models import Note, NoteCategory
from tests.factories import GuardianshipFactory, StudentFactory, UserFactory

from .helpers import conversation, leave, months_ago, photo_of, run_worker


def _outcome(outcomes, key):
    (found,) = [o for o in outcomes if o.entry.key == key]
    return found


@pytest.mark.django_db(transaction=True)  # the real worker commits
def test_the_daily_task_erases_a_leavers_photos_after_the_term_and_the_dry_run_listed_them_first(
    world, enforce_scopes
):
    with scopes_disabled():
        teacher = world.users["teacher"]
        gone = leave(world.child, months_ago(13))  # left 13 months ago: past the default year
        recent = leave(world.classmate_of_other_group, months_ago(6))  # within the year
        staying = StudentFactory(school=world.school, first_name="Sem")
        old = photo_of(gone, teacher)
        old_files = [old.original.name, old.web.name, old.thumb.name]
        kept = [photo_of(recent, teacher), photo_of(staying, teacher)]
        other = StudentFactory(school=world.other_school)
        leave(other, months_ago(13))
        photo_of(other, teacher)  # another school's leaver: its own run
    assert all(default_storage.exists(name) for name in old_files)

    out = io.StringIO()
    call_command("apply_retention", "--dry-run", "--school", world.school.brin, stdout=out)
    listed = out.getvalue()
    assert "albums.photos: would erase 1" in listed
    assert f"albums.photo #{old.pk}" in listed
    assert all(f"albums.photo #{photo.pk}\n" not in listed for photo in kept)
    with scopes_disabled():
        assert Photo.objects.filter(pk=old.pk).exists()  # the dry run changed nothing
        dry = _outcome(retention.run(world.school, dry_run=True), "albums.photos")
    assert [p.pk for p in dry.items] == [old.pk]

    apply_retention.enqueue()
    run_worker()

    with scopes_disabled():
        assert not Photo.objects.filter(pk=old.pk).exists()  # the same item the dry run listed
        assert set(Photo.objects.filter(album__school=world.school).values_list("pk", flat=True)) == {
            p.pk for p in kept
        }
        assert Photo.objects.filter(album__school=world.other_school).count() == 0  # past its term there too
        entry = AuditEntry.objects.get(action="privacy.retention", school=world.school)
    assert not any(default_storage.exists(name) for name in old_files)
    assert entry.detail["counts"]["albums.photos"] == 1


def test_nothing_within_its_term_is_touched_and_everything_past_it_goes(world):
    school, guardian, teacher = world.school, world.users["guardian"], world.users["teacher"]
    leaver = leave(world.classmate_of_other_group, timezone.now())
    former_parent = world.users["guardian_other_group"]
    chat = conversation(school, guardian, teacher, world.child)
    absence = Absence.objects.create(student=world.child, school=school, reason="sick",
                                     starts_on=timezone.localdate(), source=Absence.Source.GUARDIAN)
    note = Note.objects.create(student=leaver, category=NoteCategory.objects.create(school=school, name="Zorg"),
                               date=timezone.localdate(), text="Vertrouwelijk")
    audit = AuditEntry.record(teacher, "records.read", school=school)
    photo = photo_of(leaver, teacher)

    now = timezone.now()
    within = retention.run(school, now + datetime.timedelta(days=27))
    assert not any(o.erased for o in within)
    assert Conversation.objects.filter(pk=chat.pk).exists() and Absence.objects.filter(pk=absence.pk).exists()
    assert Note.objects.filter(pk=note.pk).exists() and Photo.objects.filter(pk=photo.pk).exists()
    former_parent.refresh_from_db()
    assert former_parent.is_active and former_parent.email == "guardian_other_group@example.org"

    # One day before each term ends, it is all still there; one day after, it is gone.
    def alive_at(moment):
        retention.run(school, moment)
        return {
            "account": type(former_parent).objects.get(pk=former_parent.pk).is_active,
            "photo": Photo.objects.filter(pk=photo.pk).exists(),
            "message": Conversation.objects.filter(pk=chat.pk).exists(),
            "note": Note.objects.filter(pk=note.pk).exists(),
            "audit": AuditEntry.objects.filter(pk=audit.pk).exists(),
            "absence": Absence.objects.filter(pk=absence.pk).exists(),
        }

    assert alive_at(now + datetime.timedelta(days=88)) == dict.fromkeys(
        ["account", "photo", "message", "note", "audit", "absence"], True)
    assert alive_at(now + datetime.timedelta(days=93))["account"] is False  # 3 months after the last child left
    assert alive_at(now + datetime.timedelta(days=364))["photo"] is True
    at_13_months = alive_at(now + datetime.timedelta(days=367))
    assert not at_13_months["photo"] and not at_13_months["message"] and at_13_months["note"]
    at_25_months = alive_at(now + datetime.timedelta(days=2 * 366 + 2))
    assert not at_25_months["note"] and not at_25_months["audit"] and at_25_months["absence"]
    assert not alive_at(now + datetime.timedelta(days=5 * 366 + 2))["absence"]
    # The pupil administration of the child who stays is never touched by terms that run from leaving.
    world.child.refresh_from_db()
    assert world.child.first_name == "Noor"
    former_parent.refresh_from_db()
    assert former_parent.email.endswith("@erased.invalid") and not former_parent.first_name


def test_a_schools_own_term_is_honoured(world):
    teacher = world.users["teacher"]
    leaver = leave(world.child, months_ago(2))
    here = photo_of(leaver, teacher)
    elsewhere = StudentFactory(school=world.sister_school)
    leave(elsewhere, months_ago(2))
    there = photo_of(elsewhere, teacher)
    RetentionTerm.objects.create(school=world.school, key="albums.photos", amount=1, unit="months")

    for school in (world.school, world.sister_school):
        retention.run(school)

    assert not Photo.objects.filter(pk=here.pk).exists()  # the school's own month
    assert Photo.objects.filter(pk=there.pk).exists()  # the default year


def test_an_account_with_a_child_still_at_school_is_kept(world):
    parent = UserFactory()
    left = StudentFactory(school=world.school)
    GuardianshipFactory(student=left, user=parent)
    GuardianshipFactory(student=StudentFactory(school=world.sister_school), user=parent)
    leave(left, months_ago(12))

    retention.run(world.school)

    parent.refresh_from_db()
    assert parent.is_active


def test_the_command_applies_and_reports_counts_and_refuses_an_unknown_school(world):
    old = photo_of(leave(world.child, months_ago(13)), world.users["teacher"])
    out = io.StringIO()
    call_command("apply_retention", "--school", world.school.brin, stdout=out)
    assert "albums.photos: erased 1" in out.getvalue()
    assert not Photo.objects.filter(pk=old.pk).exists()
    with pytest.raises(CommandError):
        call_command("apply_retention", "--school", "00XX", stdout=io.StringIO())
