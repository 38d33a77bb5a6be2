"""The 13,000 × 13,000 PNG (0.5 MB; about 500 MB once decoded) is refused with a clear message on
every upload form, through the real pages and logged in as someone who may use the form, and
nothing is stored: no row, no file in the media folder. (The CSV imports of imports/, records and
results read text only; their limits belong to the staging rules.)"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from schoolpoort.absences.models import LeaveRequest
from schoolpoort.albums.models import Photo
from schoolpoort.documents.models import Document, DocumentVersion
from schoolpoort.messaging.models import Message, MessageAttachment
from schoolpoort.news.models import Post, PostAttachment
from schoolpoort.records.results.models import ReportCard
from schoolpoort.staff.models import StaffProfile
from tests.albums.helpers import make_album, upload_url
from tests.documents.helpers import add_document, make_shelf
from tests.files import bomb_upload, jpeg
from tests.messaging.helpers import teacher_thread
from tests.results.conftest import add_results
from tests.world import build_world

REFUSED = "“bom.png” has too many pixels to be processed safely. Photos may have at most 64 megapixels."


@pytest.fixture
def world(db):
    return build_world()


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def media_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@dataclass
class Form:
    """One upload form: who may use it, where it posts, and what it would have stored."""

    role: str
    url: object  # world -> url
    data: object  # (world, file) -> POST data
    stored: object  # () -> number of rows the upload would have added


def _leave_data(world, upload):
    from tests.absences.helpers import holiday_week

    first, last = holiday_week(world.school)
    return {"student": world.child.pk, "kind": "holiday", "circumstance": "", "starts_on": first.isoformat(),
            "ends_on": last.isoformat(), "reason": "Seizoenswerk", "statement": upload}


def _report_card_url(world):
    period = add_results(world.child)["released"]
    return reverse("results:report_card_form", args=[world.child.pk, period.pk])


FORMS = {
    "news post": Form(
        "teacher", lambda world: reverse("news:create"),
        lambda world, upload: {"title": "Schoolreisje", "body": "Foto's!", "publish": "now", "save": "1",
                               "audience_targets": [f"group:{world.group3.pk}"], "attachments": [upload]},
        lambda: Post.objects.count() + PostAttachment.objects.count(),
    ),
    "new message": Form(
        "guardian", lambda world: reverse("messaging:compose"),
        lambda world, upload: {"recipient": f"teacher:{world.users['teacher'].pk}:{world.child.pk}",
                               "subject": "Bijlage", "body": "Zie de foto", "attachments": [upload]},
        lambda: Message.objects.count() + MessageAttachment.objects.count(),
    ),
    "reply in a conversation": Form(
        "guardian", lambda world: teacher_thread(world).get_absolute_url(),
        lambda world, upload: {"body": "Nog een foto", "attachments": [upload]},
        lambda: Message.objects.count() - 1 + MessageAttachment.objects.count(),  # the thread's first message
    ),
    "leave request statement": Form(
        "guardian", lambda world: reverse("absences:leave_create"), _leave_data,
        lambda: LeaveRequest.objects.count(),
    ),
    "document shelf upload": Form(
        "director", lambda world: reverse("documents:upload", args=[make_shelf(world.school).pk]),
        lambda world, upload: {"title": "Plattegrond", "file": upload},
        lambda: Document.objects.count() + DocumentVersion.objects.count(),
    ),
    "new version of a document": Form(
        "director", lambda world: reverse("documents:replace", args=[add_document(make_shelf(world.school)).pk]),
        lambda world, upload: {"note": "Nieuwe plattegrond", "file": upload},
        lambda: DocumentVersion.objects.count() - 1,  # the document's first version
    ),
    "staff photo": Form(
        "teacher", lambda world: reverse("staff:edit", args=[world.school.pk]),
        lambda world, upload: {"display_name": "juf Judith", "new_photo": upload},
        lambda: StaffProfile.objects.exclude(photo="").count(),
    ),
    "album upload": Form(
        "teacher", lambda world: upload_url(make_album(world.users["teacher"], groups=[world.group3])),
        lambda world, upload: {"files": [upload]},
        lambda: Photo.objects.count(),
    ),
    "report card": Form(
        "teacher", _report_card_url,
        lambda world, upload: {"remark": "Goed gedaan", "lines-TOTAL_FORMS": "0", "lines-INITIAL_FORMS": "0",
                               "upload": upload},
        lambda: ReportCard.objects.exclude(file="").count(),
    ),
}


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_the_bomb_is_refused_with_a_clear_message_and_nothing_is_stored(client, world, form):
    url = form.url(world)
    files_before, rows_before = media_files(), form.stored()
    client.force_login(english(world.users[form.role]))
    response = client.post(url, form.data(world, bomb_upload()))
    assert response.status_code == 200
    page = response.content.decode()
    if form is FORMS["report card"]:
        assert "“bom.png” is not a PDF." in page  # a PDF-only form never opens an image
    else:
        assert REFUSED in page
    assert form.stored() == rows_before and media_files() == files_before


@pytest.mark.parametrize("form", [f for name, f in FORMS.items() if name != "report card"],
                         ids=[name for name in FORMS if name != "report card"])
def test_a_normal_photo_goes_in_through_the_same_forms(client, world, form):
    """The other side of the test above: the same post with a real photo is stored."""
    url = form.url(world)
    rows_before = form.stored()
    client.force_login(world.users[form.role])
    response = client.post(url, form.data(world, SimpleUploadedFile("foto.jpg", jpeg((640, 480)))))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert form.stored() > rows_before


def test_the_bomb_is_refused_in_dutch_for_a_dutch_user(client, world):
    client.force_login(world.users["guardian"])
    response = client.post(reverse("messaging:compose"), FORMS["new message"].data(world, bomb_upload()))
    assert "“bom.png” heeft te veel pixels" in response.content.decode()


def test_the_album_worker_opens_originals_through_the_same_check(world, tmp_path):
    """A bomb that got into storage some other way (an older version, a restore) fails in the worker
    with the same reason, without being decoded."""
    from django.core.files.base import ContentFile

    from schoolpoort.albums.processing import process_photo
    from tests.files import png_bomb

    album = make_album(world.users["teacher"], groups=[world.group3])
    photo = Photo(album=album, kind="image", status=Photo.Status.PROCESSING, original_name="bom.png",
                  content_type="image/png", size=len(png_bomb()), uploaded_by=world.users["teacher"])
    photo.original.save("upload.png", ContentFile(png_bomb()), save=False)
    photo.save()
    assert process_photo(photo.pk) == Photo.Status.FAILED
    photo.refresh_from_db()
    assert "too many pixels" in photo.error or "te veel pixels" in photo.error
    assert Image.MAX_IMAGE_PIXELS  # Pillow's own limit is left as it is
