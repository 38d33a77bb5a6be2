"""Upgrading: the files runs kept in plaintext move into core staging, encrypted, and stay
downloadable from the history."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from schoolpoort.core import staging
from schoolpoort.imports.models import ImportRun
from tests.world import build_world

BEFORE = [("imports", "0001_initial"), ("core", "0002_audit_object_index")]
AFTER = [("imports", "0002_park_files_in_core_staging")]


@pytest.mark.django_db(transaction=True)
def test_kept_files_move_into_staging_encrypted(settings):
    world = build_world()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("imports", "ImportRun")
    run = old(school_id=world.school.pk, format="edexml", filename="EDEX.XML", status="applied")
    run.file.save("EDEX.XML", ContentFile(b"<EDEX>geheim</EDEX>"), save=False)
    run.save()
    plaintext = settings.MEDIA_ROOT / run.file.name
    assert plaintext.exists()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    moved = ImportRun.objects.select_related("upload").get(pk=run.pk)
    assert moved.upload.keep and moved.upload.status == "applied" and moved.upload.school_id == world.school.pk
    assert staging.read(moved.upload) == b"<EDEX>geheim</EDEX>"
    assert b"geheim" not in (settings.MEDIA_ROOT / moved.upload.file.name).read_bytes()
    assert not plaintext.exists()


@pytest.fixture(autouse=True)
def _newest_state_afterwards():
    """Other tests of this process need every migration applied again."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
