"""The import page: upload → dry run → confirm; history; the command."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from schoolpoort.core import staging
from schoolpoort.core.models import AuditEntry, StagedUpload, Student
from schoolpoort.imports.models import ImportRun
from tests.world import build_world

from .samples import SAMPLES, edexml, guardians_csv, oneroster_files, this_year
from .test_import import many_pupils


@pytest.fixture
def world(db):
    world = build_world()
    for user in world.users.values():
        if getattr(user, "pk", None):
            user.language = "en"
            user.save(update_fields=["language"])
    return world


@pytest.fixture
def office(client, world):
    client.force_login(world.users["administration"])
    return client


def upload(client, world, *files):
    return client.post(
        reverse("imports:index", args=[world.school.pk]),
        {"files": [SimpleUploadedFile(name, data) for name, data in files]},
    )


def test_upload_shows_the_dry_run_and_confirm_applies_it(office, world):
    response = upload(office, world, ("EDEX.XML", edexml()))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:run", args=[world.school.pk, run.pk])
    page = office.get(response.url)
    body = page.content.decode()
    assert 'id="deel-added"' in body and "Sem van den Berg" in body and 'id="deel-archived"' in body
    assert 'id="confirm"' in body
    assert not Student.objects.filter(sis_id="5001").exists()  # nothing yet

    response = office.post(response.url, {"digest": page.context["digest"]})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == "applied" and run.summary["added"] == 3
    assert Student.objects.filter(school=world.school, sis_id="5001").exists()
    assert AuditEntry.objects.filter(action="imports.applied", school=world.school).exists()
    page = office.get(response.url)
    assert 'id="applied"' in page.content.decode()

    # The same file again: nothing to change, nothing to confirm.
    upload(office, world, ("EDEX.XML", edexml()))
    page = office.get(reverse("imports:run", args=[world.school.pk, ImportRun.objects.first().pk]))
    assert 'id="nothing"' in page.content.decode() and 'id="confirm"' not in page.content.decode()


def test_bad_rows_are_listed_with_line_numbers_and_there_is_nothing_to_confirm(office, world):
    upload(office, world, ("ouders.csv", guardians_csv()))  # no pupils imported yet: every pupil unknown
    run = ImportRun.objects.get()
    assert run.status == "failed"
    page = office.get(reverse("imports:run", args=[world.school.pk, run.pk]))
    body = page.content.decode()
    assert 'id="deel-errors"' in body and '">2</td>' in body and '">6</td>' in body  # cells carry data-label
    assert 'id="confirm"' not in body
    office.post(reverse("imports:run", args=[world.school.pk, run.pk]), {"digest": page.context["digest"]})
    assert not Student.objects.filter(sis_id="5001").exists()


def test_a_changed_preview_is_shown_again_instead_of_applied(office, world):
    upload(office, world, ("EDEX.XML", edexml()))
    run = ImportRun.objects.get()
    response = office.post(reverse("imports:run", args=[world.school.pk, run.pk]), {"digest": "outdated"})
    assert response.status_code == 302
    assert ImportRun.objects.get().status == "previewed"
    assert not Student.objects.filter(sis_id="5001").exists()


def test_oneroster_files_can_be_uploaded_together(office, world):
    upload(office, world, *oneroster_files().items())
    run = ImportRun.objects.get()
    assert run.format == "oneroster" and run.summary["added"] == 3 and run.summary["errors"] == 0


def test_an_empty_upload_says_why(office, world):
    response = office.post(reverse("imports:index", args=[world.school.pk]), {})
    assert response.status_code == 200 and response.context["form"].errors["files"]


def test_the_dry_run_page_takes_the_same_queries_for_few_and_many_pupils(office, world):
    counts = []
    for n in (2, 60):
        upload(office, world, ("EDEX.XML", many_pupils(n)))
        run = ImportRun.objects.first()
        office.get(reverse("imports:run", args=[world.school.pk, run.pk]))  # warm: the reach is cached
        with CaptureQueriesContext(connection) as queries:
            assert office.get(reverse("imports:run", args=[world.school.pk, run.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_history_page_takes_the_same_queries_for_one_and_many_runs(office, world):
    counts = []
    for n in (1, 12):
        while ImportRun.objects.count() < n:
            upload(office, world, ("ouders.csv", guardians_csv()))
        office.get(reverse("imports:index", args=[world.school.pk]))  # warm: the reach is cached
        with CaptureQueriesContext(connection) as queries:
            office.get(reverse("imports:index", args=[world.school.pk]))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_command_makes_a_dry_run_by_default_and_applies_with_apply(world):
    out = io.StringIO()
    path = SAMPLES.parent / "_edex_now.xml"
    path.write_bytes(edexml())
    try:
        call_command("import_sis", str(path), stdout=out)
        assert "added: 3" in out.getvalue() and "Dry run" in out.getvalue()
        assert not Student.objects.filter(sis_id="5001").exists()
        call_command("import_sis", str(path), "--apply", stdout=out)
        assert Student.objects.filter(
            school=world.school, sis_id="5001", groups__school_year__name=this_year()
        ).exists()
        out = io.StringIO()
        call_command("import_sis", str(path), "--apply", stdout=out)
        assert "no changes" in out.getvalue()
    finally:
        path.unlink()


def test_the_command_refuses_bad_rows(world, tmp_path):
    path = tmp_path / "ouders.csv"
    path.write_bytes(guardians_csv())
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_sis", str(path), "--school", "11AA", "--apply", stdout=io.StringIO(), stderr=io.StringIO())


# --- Parked in core staging --------------------------------------------------------------------


def zeros_bomb(megabytes: int) -> bytes:
    """A OneRoster ZIP whose users.csv is zeros: about 1000 : 1."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("users.csv", "w", force_zip64=True) as member:
            for _n in range(megabytes):
                member.write(b"\0" * (1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize("megabytes, says", [(400, "larger than 64.0 MB unpacked"), (30, "compressed more than 100")])
def test_a_zip_bomb_uploaded_as_oneroster_is_refused_unpacked(office, world, monkeypatch, megabytes, says):
    bomb = zeros_bomb(megabytes)
    unpacked = []
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda *args, **kwargs: unpacked.append(args) or b"")
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *args, **kwargs: unpacked.append(args))
    upload(office, world, ("oneroster.zip", bomb))
    run = ImportRun.objects.get()
    assert run.format == "oneroster" and run.status == "failed"
    page = office.get(reverse("imports:run", args=[world.school.pk, run.pk]))
    body = page.content.decode()
    assert 'id="deel-errors"' in body and "“users.csv” in the ZIP file is" in body and says in body
    assert 'id="confirm"' not in body
    assert unpacked == []  # refused from the directory: not a byte was decompressed


def test_the_kept_file_holds_no_plaintext_and_downloads_as_uploaded(office, world, settings):
    upload(office, world, ("EDEX.XML", edexml()))
    run = ImportRun.objects.get()
    stored = (settings.MEDIA_ROOT / run.upload.file.name).read_bytes()
    assert b"EDEX" not in stored and b"leerling" not in stored
    response = office.get(reverse("imports:file", args=[world.school.pk, run.pk]))
    assert response.status_code == 200 and response.content == edexml()
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("role", ["teacher", "guardian", "board_admin_other_board"])
def test_the_kept_file_is_hidden_from_others(client, world, role):
    client.force_login(world.users["administration"])
    upload(client, world, ("EDEX.XML", edexml()))
    run = ImportRun.objects.get()
    client.force_login(world.users[role])
    assert client.get(reverse("imports:file", args=[world.school.pk, run.pk])).status_code == 404
    assert client.get(reverse("imports:run", args=[world.school.pk, run.pk])).status_code == 404


def test_two_confirmations_apply_once(office, world):
    upload(office, world, ("EDEX.XML", edexml()))
    run = ImportRun.objects.get()
    url = reverse("imports:run", args=[world.school.pk, run.pk])
    digest = office.get(url).context["digest"]
    ImportRun.objects.filter(pk=run.pk).update(status="previewed")  # as if the page still showed the preview
    office.post(url, {"digest": digest})
    ImportRun.objects.filter(pk=run.pk).update(status="previewed")
    office.post(url, {"digest": digest})
    assert AuditEntry.objects.filter(action="imports.applied").count() == 1
    assert Student.objects.filter(school=world.school, sis_id="5001").count() == 1


def test_an_unconfirmed_preview_expires_and_is_swept(office, world):
    upload(office, world, ("EDEX.XML", edexml()))
    run = ImportRun.objects.get()
    url = reverse("imports:run", args=[world.school.pk, run.pk])
    digest = office.get(url).context["digest"]
    StagedUpload.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    page = office.get(url)
    assert 'id="expired"' in page.content.decode() and 'id="confirm"' not in page.content.decode()
    response = office.post(url, {"digest": digest}, follow=True)
    assert "This preview has expired" in response.content.decode()
    assert not Student.objects.filter(sis_id="5001").exists()
    call_command("sweep_staging", verbosity=0)
    run.refresh_from_db()
    assert run.upload is None and not StagedUpload.objects.exists()
    assert 'id="expired"' in office.get(url).content.decode()


@pytest.mark.django_db(transaction=True)  # the worker runs in this process and closes the connection
def test_a_large_file_is_read_by_the_worker_while_the_page_says_so(office, world, monkeypatch):
    monkeypatch.setattr(staging, "INLINE_MAX", 1000)  # EDEX.XML of the samples is larger than this
    response = upload(office, world, ("EDEX.XML", edexml()))
    run = ImportRun.objects.get()
    assert run.status == "reading" and run.upload.status == "reading"
    page = office.get(response.url)
    body = page.content.decode()
    assert 'id="reading"' in body and 'http-equiv="refresh"' in body and 'id="confirm"' not in body
    assert office.post(response.url, {"digest": "x"}).status_code == 302  # nothing to confirm yet
    assert not Student.objects.filter(sis_id="5001").exists()

    with scope():  # as in the worker process: no scope until a task declares its own
        call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)
    run.refresh_from_db()
    assert run.status == "previewed" and run.summary["added"] == 3
    with monkeypatch.context() as patched:  # the page shows what the worker read: it parses nothing
        patched.setattr("schoolpoort.imports.formats.parse", lambda *args, **kwargs: pytest.fail("parsed"))
        page = office.get(response.url)
    body = page.content.decode()
    assert 'id="reading"' not in body and 'http-equiv="refresh"' not in body and 'id="confirm"' in body
    office.post(response.url, {"digest": page.context["digest"]})
    assert Student.objects.filter(school=world.school, sis_id="5001").exists()
