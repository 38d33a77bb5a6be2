"""Moving the image consent model from albums to core keeps its table and every answer."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("albums", "0002_hide_unstripped_videos"), ("core", "0002_audit_object_index")]
AFTER = [("albums", "0003_consent_moved_to_core"), ("core", "0005_image_consent_and_image_tags")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_answers_given_in_the_albums_are_still_there_in_core():
    old = migrate(BEFORE)
    Board, School, Student = (old.get_model("core", name) for name in ("Board", "School", "Student"))
    SchoolYear, Consent = old.get_model("core", "SchoolYear"), old.get_model("albums", "Consent")
    school = School.objects.create(board=Board.objects.create(name="B"), name="S", brin="33AA")
    student = Student.objects.create(school=school, first_name="Daan", last_name="Smit")
    year = SchoolYear.objects.create(name="2026-2027", starts_on="2026-08-01", ends_on="2027-07-31")
    Consent.objects.create(student=student, school_year=year, use="portal", given=False)
    Consent.objects.create(student=student, school_year=year, use="website", given=True)

    new = migrate(AFTER)
    moved = new.get_model("core", "Consent")
    assert moved._meta.db_table == "albums_consent"
    assert sorted(moved.objects.values_list("use", "given")) == [("portal", False), ("website", True)]
    assert new.get_model("core", "ImageTag").objects.count() == 0


@pytest.fixture(autouse=True)
def _newest_state_afterwards():
    """Other tests of this process need every migration applied again, also after a failure."""
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
