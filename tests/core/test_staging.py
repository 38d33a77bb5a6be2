"""Core staging: a parked upload is encrypted at rest, confirmed only as shown, applied once, and
swept when nobody confirmed it in time."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from schoolpoort.core import staging
from schoolpoort.core.models import AuditEntry, StagedUpload
from schoolpoort.core.tasks import sweep_staged_uploads
from tests.world import build_world

SECRET = b"leerlingnummer;allergieen\n1001;Pinda's en noten\n"


@pytest.fixture
def world(db):
    return build_world()


def park(world, data=SECRET, **kwargs):
    kwargs.setdefault("owner", world.users["administration"])
    return staging.park(kind="test.kind", data=data, filename="f.csv", school=world.school, **kwargs)


class Recorder:
    """A module's three callables: the plan is the file's text; writing records an audit entry."""

    def __init__(self, world):
        self.world = world
        self.writes = 0

    def make_plan(self, data: bytes) -> str:
        return data.decode()

    def digest_of(self, plan: str) -> str:
        return staging.plan_digest(plan, AuditEntry.objects.filter(action="test.state").count())

    def write(self, plan: str) -> bool:
        self.writes += 1
        AuditEntry.record(None, "test.written", school=self.world.school)
        return True

    def confirm(self, upload, digest):
        return staging.confirm(
            upload, digest=digest, make_plan=self.make_plan, digest_of=self.digest_of, write=self.write
        )

    def shown(self, upload) -> str:
        return upload.digest_for(self.digest_of(self.make_plan(staging.read(upload))))


def test_the_parked_file_holds_no_plaintext_on_disk(world, settings):
    upload = park(world)
    stored = (settings.MEDIA_ROOT / upload.file.name).read_bytes()
    assert b"Pinda" not in stored and b"leerlingnummer" not in stored
    assert upload.file.name.startswith("staging/") and "f.csv" not in upload.file.name
    assert staging.read(upload) == SECRET and upload.size == len(SECRET)


def test_a_file_changed_on_disk_is_not_read(world, settings):
    upload = park(world)
    path = settings.MEDIA_ROOT / upload.file.name
    path.write_bytes(path.read_bytes()[:-3] + b"abc")
    with pytest.raises(staging.Expired):
        staging.read(upload)


def test_confirming_writes_once_and_a_second_confirmation_finds_it_done(world, django_capture_on_commit_callbacks):
    upload, module = park(world), Recorder(world)
    digest = module.shown(upload)
    with django_capture_on_commit_callbacks(execute=True):
        assert module.confirm(upload, digest).outcome == "applied"
    assert module.confirm(upload, digest).outcome == "already"
    assert module.writes == 1 and AuditEntry.objects.filter(action="test.written").count() == 1
    upload.refresh_from_db()
    assert upload.status == StagedUpload.Status.APPLIED and not upload.file  # not kept: the file is gone


def test_a_digest_that_no_longer_matches_replans_and_writes_nothing(world):
    upload, module = park(world), Recorder(world)
    digest = module.shown(upload)
    AuditEntry.record(None, "test.state")  # the data changed after the preview was shown
    done = module.confirm(upload, digest)
    assert done.outcome == "changed" and done.plan == SECRET.decode() and module.writes == 0
    assert module.confirm(upload, module.shown(upload)).outcome == "applied"  # the new preview confirmed


def test_the_digest_covers_the_file_too(world):
    one, other = park(world), park(world, data=SECRET + b"1002;\n")
    module = Recorder(world)
    assert module.confirm(other, module.shown(one)).outcome == "changed"


def test_an_expired_upload_cannot_be_confirmed(world):
    upload, module = park(world), Recorder(world)
    digest = module.shown(upload)
    StagedUpload.objects.filter(pk=upload.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(staging.Expired):
        module.confirm(upload, digest)
    assert module.writes == 0


def test_the_sweep_deletes_expired_uploads_with_their_files_and_keeps_the_rest(world, settings):
    past = timezone.now() - datetime.timedelta(minutes=1)
    expired = park(world)
    current = park(world)
    kept = park(world, keep=True)
    Recorder(world).confirm(kept, Recorder(world).shown(kept))
    StagedUpload.objects.filter(pk__in=[expired.pk, kept.pk]).update(expires_at=past)
    expired_path = settings.MEDIA_ROOT / expired.file.name

    assert staging.sweep() == 1
    assert set(StagedUpload.objects.values_list("pk", flat=True)) == {current.pk, kept.pk}
    assert not expired_path.exists()
    assert staging.read(StagedUpload.objects.get(pk=kept.pk)) == SECRET  # the import history keeps it


def test_the_sweep_runs_as_a_command_a_task_and_on_every_upload(world):
    past = timezone.now() - datetime.timedelta(minutes=1)
    StagedUpload.objects.filter(pk=park(world).pk).update(expires_at=past)
    call_command("sweep_staging", verbosity=0)
    assert not StagedUpload.objects.exists()
    StagedUpload.objects.filter(pk=park(world).pk).update(expires_at=past)
    assert sweep_staged_uploads.call() == 1
    StagedUpload.objects.filter(pk=park(world).pk).update(expires_at=past)
    park(world)
    assert StagedUpload.objects.count() == 1  # the new one; the expired one went when it came in


@pytest.mark.parametrize(
    "role", ["teacher", "guardian", "board_admin_other_board", "guardian_other_school", "anonymous"]
)
def test_only_the_office_of_the_school_can_name_an_upload(world, role):
    upload = park(world)
    token = staging.token_for(upload, "x")
    with pytest.raises(staging.Expired):
        staging.from_token(world.users[role], token, school=world.school, kind_prefix="test.")
    assert staging.from_token(world.users["director"], token, school=world.school, kind_prefix="test.")[0] == upload
    assert staging.from_token(world.users["board_admin"], token, school=world.school, kind_prefix="test.")[0] == upload


def test_a_token_for_another_school_or_kind_or_a_forged_one_names_nothing(world):
    upload = park(world)
    user = world.users["board_admin"]  # manages both schools of the board
    token = staging.token_for(upload, "x")
    for school, prefix, value in [
        (world.sister_school, "test.", token),
        (world.school, "records.", token),
        (world.school, "test.", "forged"),
        (world.school, "test.", f"{upload.pk}."),
    ]:
        with pytest.raises(staging.Expired):
            staging.from_token(user, value, school=school, kind_prefix=prefix)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's single writer hides races")
def test_two_confirmations_at_the_same_instant_apply_once():
    world = build_world()
    for _round in range(5):
        upload, module = park(world), Recorder(world)
        digest = module.shown(upload)
        barrier = threading.Barrier(4)
        outcomes = []

        def confirm(upload=upload, module=module, digest=digest, barrier=barrier, outcomes=outcomes):
            try:
                barrier.wait()
                outcomes.append(module.confirm(upload, digest).outcome)
            finally:
                connection.close()

        threads = [threading.Thread(target=confirm) for _n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcomes) == ["already", "already", "already", "applied"]
        assert module.writes == 1
    assert AuditEntry.objects.filter(action="test.written").count() == 5
