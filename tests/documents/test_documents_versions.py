"""Replacing a document adds a version and keeps the old ones; PDFs open in the browser, other
files download; files have random names and leave the storage with their document."""

import pytest
from django.urls import reverse

from schoolpoort.documents.models import DocumentVersion
from tests.documents.helpers import (
    DOCX_TYPE,
    PDF,
    PDF_V2,
    add_document,
    body,
    docx_bytes,
    english,
    make_shelf,
    replace,
    upload,
)


@pytest.fixture
def shelf(world):
    return make_shelf(world.school, world.users["director"], title="Schoolgids en protocollen")


def test_replacing_keeps_the_old_version_and_makes_the_new_one_current(world, shelf):
    document = add_document(shelf, world.users["director"], title="Schoolgids", data=PDF)
    old = document.current_version
    new = replace(document, world.users["administration"], note="Nieuwe vakantiedata")
    document.refresh_from_db()
    assert document.current_version == new
    assert list(document.versions.all()) == [new, old]  # newest first
    assert old.file.open("rb").read() == PDF and new.file.open("rb").read() == PDF_V2
    assert new.note == "Nieuwe vakantiedata" and new.uploaded_by == world.users["administration"]
    assert document.updated_at == new.uploaded_at


def test_staff_see_the_history_and_download_an_old_version(client, world, shelf):
    document = add_document(shelf, title="Schoolgids", data=PDF)
    old = document.current_version
    replace(document, note="Nieuwe vakantiedata")
    director = world.users["director"]
    english(director)
    client.force_login(director)
    page = client.get(document.get_absolute_url()).content.decode()
    assert 'id="versions"' in page and "Nieuwe vakantiedata" in page
    assert old.get_absolute_url() in page
    response = client.get(old.get_absolute_url())
    assert response.status_code == 200 and body(response) == PDF


def test_parents_get_the_current_version_only(client, world, shelf):
    document = add_document(shelf, title="Schoolgids", data=PDF)
    old = document.current_version
    new = replace(document, note="Interne notitie")
    client.force_login(world.users["guardian"])
    page = client.get(document.get_absolute_url()).content.decode()
    assert 'id="versions"' not in page and old.get_absolute_url() not in page and "Interne notitie" not in page
    assert body(client.get(document.file_url)) == PDF_V2
    assert client.get(old.get_absolute_url()).status_code == 404
    assert body(client.get(new.get_absolute_url())) == PDF_V2


def test_a_pdf_opens_in_the_browser(client, world, shelf):
    document = add_document(shelf, title="Schoolgids", data=PDF, name="Schoolgids 2026.pdf")
    client.force_login(world.users["guardian"])
    response = client.get(document.file_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert "Schoolgids 2026.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"  # private, and the address serves the next version


def test_a_version_is_never_kept_by_the_browser_either(client, world, shelf):
    document = add_document(shelf, title="Schoolgids", data=PDF)
    client.force_login(world.users["director"])
    response = client.get(document.current_version.get_absolute_url())
    assert response["Cache-Control"] == "private, no-store"


def test_other_files_are_a_download_with_their_own_name_and_type(client, world, shelf):
    data = docx_bytes()  # once: a ZIP made a second later has another time in it
    document = add_document(shelf, title="Brief", data=data, name="Brief aan ouders.docx")
    client.force_login(world.users["guardian"])
    response = client.get(document.file_url)
    assert response["Content-Type"] == DOCX_TYPE
    assert response["Content-Disposition"].startswith("attachment")
    assert "Brief aan ouders.docx" in response["Content-Disposition"]
    assert body(response) == data


def test_a_stored_file_has_a_random_name_and_no_public_url(world, shelf):
    document = add_document(shelf, title="Brief", name="Brief voor Noor Jansen.pdf")
    name = document.current_version.file.name
    assert name.startswith("documents/") and "Noor" not in name and "Brief" not in name
    assert document.file_url == reverse("documents:file", args=[document.pk])


def test_deleting_a_document_removes_every_version_file_after_commit(world, shelf, django_capture_on_commit_callbacks):
    from schoolpoort.documents import actions

    document = add_document(shelf)
    replace(document)
    files = [(v.file.storage, v.file.name) for v in document.versions.all()]
    assert all(storage.exists(name) for storage, name in files)
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_document(document, world.users["director"])
    assert not DocumentVersion.objects.exists()
    assert not any(storage.exists(name) for storage, name in files)


def test_deleting_a_shelf_removes_its_documents_and_their_files(world, shelf, django_capture_on_commit_callbacks):
    from schoolpoort.documents import actions

    document = add_document(shelf)
    storage, name = document.current_version.file.storage, document.current_version.file.name
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_shelf(shelf, world.users["director"])
    assert not storage.exists(name)


def test_the_replace_page_adds_a_version_and_keeps_the_old(client, world, shelf):
    document = add_document(shelf, title="Schoolgids", data=PDF)
    client.force_login(world.users["administration"])
    response = client.post(reverse("documents:replace", args=[document.pk]),
                           {"file": upload("Schoolgids nieuw.pdf", PDF_V2), "note": "Nieuwe data"})
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    document.refresh_from_db()
    assert document.versions.count() == 2
    assert document.current_version.original_name == "Schoolgids nieuw.pdf"
    assert document.current_version.note == "Nieuwe data"


def test_a_failed_store_leaves_no_file_behind(world, shelf, monkeypatch):
    from schoolpoort.documents import actions
    from schoolpoort.documents.uploads import prepare_upload

    stored = []
    original = DocumentVersion.save

    def failing_save(self, *args, **kwargs):
        stored.append((self.file.storage, self.file.name))
        raise RuntimeError("database gone")

    monkeypatch.setattr(DocumentVersion, "save", failing_save)
    with pytest.raises(RuntimeError):
        actions.add_document(shelf, prepare_upload(upload("a.pdf", PDF)), None, title="A")
    monkeypatch.setattr(DocumentVersion, "save", original)
    storage, name = stored[0]
    assert not storage.exists(name)
