"""The board generator of bench/ keeps working: a tiny board, written with COPY, that the access
layer reads like any other data. Needs PostgreSQL (COPY); skipped on SQLite. Times nothing."""

import pytest
from bench.generate import generate
from django.db import connection

from schoolpoort.accounts.models import User
from schoolpoort.albums.models import Photo
from schoolpoort.calendar.models import Event
from schoolpoort.core.models import Guardianship, School
from schoolpoort.messaging.models import Message
from schoolpoort.news.models import Post

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]


@pytest.fixture
def board(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the generator writes with PostgreSQL's COPY")
    return generate(scale=0.002, media_root=tmp_path, out=open("/dev/null", "w"))


def test_it_writes_every_kind_of_row(board, tmp_path):
    assert School.objects.filter(board_id=board.board_id).count() == 20
    assert Guardianship.objects.filter(user_id__in=board.guardian_ids).count() >= len(board.student_ids) * 2
    assert Post.objects.count() == 100
    assert Message.objects.count() == 400
    assert Event.objects.count() == 40
    assert Photo.objects.count() == 800
    first = Photo.objects.order_by("pk").first()
    assert (tmp_path / first.thumb.name).stat().st_size > 0


def test_its_parent_sees_news_and_new_rows_get_fresh_ids(board):
    parent = User.objects.get(pk=board.three_children_guardian_id)
    assert Guardianship.objects.filter(user=parent).count() == 3
    assert Post.objects.visible_to(parent).exists()
    # The sequences were moved past the copied ids: the ORM can insert again.
    assert User.objects.create_user("nieuw@bench.example").pk > max(board.guardian_ids)
