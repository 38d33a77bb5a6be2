"""The family's data, downloadable (issue 14, point 6), against the demo school: Jansen's ZIP holds
Noor's and Sem's data and nothing of another family; separated parents each get only their own; a
guardian without parental authority gets no records; the link is the owner's alone and dies after
24 hours; the request and the download are audited; the file is encrypted at rest."""

import datetime
import io
import json
import zipfile

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from schoolpoort.accounts import data_export
from schoolpoort.accounts.models import DataExport
from schoolpoort.accounts.tasks import build_data_export, sweep_data_exports
from schoolpoort.core.models import AuditEntry, Guardianship, Student
from schoolpoort.records.models import MedicalInfo, Note, SupportPlan

PAGE = reverse("accounts:data_export")



def ask(client, user, django_capture_on_commit_callbacks) -> DataExport:
    """Ask on the page as ``user`` and let the worker build it (the task, run here)."""
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE)
    assert response.status_code == 302
    export = DataExport.objects.filter(user=user).latest("requested_at")
    build_data_export.call(export.pk)
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY
    return export


def download(client, export) -> zipfile.ZipFile:
    response = client.get(reverse("accounts:data_export_download", args=[export.token]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def everything(archive: zipfile.ZipFile) -> str:
    """Every member's name and text (files as latin-1, so bytes never fail to decode)."""
    parts = []
    for info in archive.infolist():
        parts.append(info.filename)
        data = archive.read(info)
        parts.append(data.decode("utf-8") if info.filename.endswith((".json", ".txt")) else data.decode("latin-1"))
    return "\n".join(parts)


def other_children(*own: str) -> list[str]:
    return [s.full_name for s in Student.objects.exclude(pk__in=[s.pk for s in Student.objects.filter(
        pk__in=[Student.objects.get(first_name=n.split()[0], last_name=n.split()[-1]).pk for n in own])])]


def test_jansen_gets_noor_and_sem_and_nothing_of_another_family(demo, client, django_capture_on_commit_callbacks):
    jansen = demo.users["jansen@ouders.example"]
    export = ask(client, jansen, django_capture_on_commit_callbacks)
    archive = download(client, export)
    names = archive.namelist()
    assert {"README.txt", "manifest.json", "account.json", "children.json", "records.json"} <= set(names)

    children = json.loads(archive.read("children.json"))["children"]
    assert sorted(child["name"] for child in children) == ["Noor Jansen", "Sem Jansen"]
    records = json.loads(archive.read("records.json"))["children"]
    assert sorted(child["child"] for child in records) == ["Noor Jansen", "Sem Jansen"]
    assert any(child.get("medical") for child in records)
    results = json.loads(archive.read("results.json"))
    assert {card["child"] for card in results["report_cards"]} <= {"Noor Jansen", "Sem Jansen"}
    assert results["method_tests"] and results["standardised_tests"]
    # The files the JSON points at are in the ZIP, and the manifest's checksums are right.
    manifest = {item["name"]: item for item in json.loads(archive.read("manifest.json"))["files"]}
    pdfs = [card["file"] for card in results["report_cards"] if card["file"]]
    assert pdfs and all(name in names and archive.read(name).startswith(b"%PDF") for name in pdfs)
    photos = json.loads(archive.read("photos.json"))["photos"]
    assert photos and all(photo["file"] in names for photo in photos)
    assert all(set(photo["children_tagged"]) <= {"Noor Jansen", "Sem Jansen"} for photo in photos)
    import hashlib

    for name in names:
        if name in manifest:
            assert hashlib.sha256(archive.read(name)).hexdigest() == manifest[name]["sha256"]

    text = everything(archive)
    assert "Noor Jansen" in text and "Sem Jansen" in text
    others = other_children("Noor Jansen", "Sem Jansen")
    assert len(others) > 100
    leaked = [name for name in others if name in text]
    assert leaked == []
    # No other parent's account either.
    for email in ["devries@ouders.example", "bakker@ouders.example", "smit@ouders.example",
                  "elmoussaoui@ouders.example"]:
        assert email not in text


def test_the_file_is_encrypted_at_rest_and_the_mail_says_it_is_ready(
    demo, client, django_capture_on_commit_callbacks, settings
):
    jansen = demo.users["jansen@ouders.example"]
    mail.outbox.clear()
    export = ask(client, jansen, django_capture_on_commit_callbacks)
    stored = (settings.MEDIA_ROOT / export.file.name).read_bytes()  # the bytes on disk, not through the field
    assert not stored.startswith(b"PK")  # a Fernet token, not the ZIP
    assert b"Noor" not in stored
    assert zipfile.is_zipfile(io.BytesIO(data_export.read_zip(export)))
    assert [message.to for message in mail.outbox] == [["jansen@ouders.example"]]
    assert PAGE in mail.outbox[0].body


def test_separated_parents_each_get_only_their_own(demo, client, django_capture_on_commit_callbacks):
    devries, bakker = demo.users["devries@ouders.example"], demo.users["bakker@ouders.example"]
    texts = {}
    for user in (devries, bakker):
        archive = download(client, ask(client, user, django_capture_on_commit_callbacks))
        texts[user.email] = everything(archive)
        children = json.loads(archive.read("children.json"))["children"]
        assert [child["name"] for child in children] == ["Lotte de Vries"]
        # Only the user's own link to Lotte, not the other parent's.
        assert children[0]["you"]["email"] in ("", user.email)
    assert "bakker@ouders.example" not in texts["devries@ouders.example"]
    assert "Sanne" not in texts["devries@ouders.example"]  # she hides her contact details
    assert "devries@ouders.example" not in texts["bakker@ouders.example"]
    for text in texts.values():
        assert [name for name in other_children("Lotte de Vries") if name in text] == []


def test_a_guardian_without_parental_authority_gets_no_records(demo, client, django_capture_on_commit_callbacks):
    bakker = demo.users["bakker@ouders.example"]
    lotte = demo.students["Lotte de Vries"]
    Guardianship.objects.filter(user=bakker, student=lotte).update(has_parental_authority=False)
    assert MedicalInfo.objects.filter(student=lotte).exists() or Note.objects.filter(student=lotte).exists()
    archive = download(client, ask(client, bakker, django_capture_on_commit_callbacks))
    records = json.loads(archive.read("records.json"))["children"] if "records.json" in archive.namelist() else []
    for child in records:
        assert not ({"medical", "notes", "support_plans", "invoices", "contacts"} & set(child))
    text = everything(archive)
    for medical in MedicalInfo.objects.filter(student=lotte):
        for value in (medical.allergies, medical.medication, medical.notes):
            assert not value or value not in text
    for plan in SupportPlan.objects.filter(student=lotte):
        assert plan.title not in text

    # The same guardian with authority does get them (the test above can fail).
    Guardianship.objects.filter(user=bakker, student=lotte).update(has_parental_authority=True)
    DataExport.objects.filter(user=bakker).delete()
    archive = download(client, ask(client, bakker, django_capture_on_commit_callbacks))
    records = json.loads(archive.read("records.json"))["children"]
    assert {"medical", "notes"} & set(records[0])


def test_another_users_link_answers_404(demo, client, django_capture_on_commit_callbacks):
    export = ask(client, demo.users["jansen@ouders.example"], django_capture_on_commit_callbacks)
    url = reverse("accounts:data_export_download", args=[export.token])
    for email in ["devries@ouders.example", "directie@regenboog.example", "bestuur@stichting.example"]:
        client.force_login(demo.users[email])
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_the_link_expires_after_24_hours_and_the_sweep_deletes_the_file(
    demo, client, django_capture_on_commit_callbacks
):
    jansen = demo.users["jansen@ouders.example"]
    export = ask(client, jansen, django_capture_on_commit_callbacks)
    assert export.expires_at - export.ready_at == datetime.timedelta(hours=24)
    url = reverse("accounts:data_export_download", args=[export.token])
    name, storage = export.file.name, export.file.storage
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(url).status_code == 410  # the owner learns it expired
    assert sweep_data_exports.call() == 1
    export.refresh_from_db()
    assert export.status == DataExport.Status.EXPIRED and not export.file
    assert not storage.exists(name)
    assert client.get(url).status_code == 410


def test_one_running_export_at_a_time_and_a_few_a_day(demo, client, django_capture_on_commit_callbacks):
    jansen = demo.users["jansen@ouders.example"]
    client.force_login(jansen)
    client.post(PAGE)
    client.post(PAGE)  # while the first is still waiting for the worker
    assert DataExport.objects.filter(user=jansen).count() == 1
    page = client.get(PAGE).content.decode()
    assert 'hx-trigger="every 3s"' in page  # the page follows it being made
    build_data_export.call(DataExport.objects.get(user=jansen).pk)
    for _ in range(data_export.PER_DAY):
        client.post(PAGE)
        for export in DataExport.objects.filter(user=jansen).running():
            build_data_export.call(export.pk)
    assert DataExport.objects.filter(user=jansen).count() == data_export.PER_DAY


def test_the_request_and_the_download_are_audited(demo, client, django_capture_on_commit_callbacks):
    jansen = demo.users["jansen@ouders.example"]
    export = ask(client, jansen, django_capture_on_commit_callbacks)
    download(client, export)
    entries = AuditEntry.objects.filter(object_type="accounts.dataexport", object_id=str(export.pk))
    assert sorted(entries.values_list("action", flat=True)) == [data_export.DOWNLOADED, data_export.REQUESTED]
    assert set(entries.values_list("actor", flat=True)) == {jansen.pk}


def test_the_export_holds_who_at_school_viewed_the_childrens_records(demo, client, django_capture_on_commit_callbacks):
    noor = demo.students["Noor Jansen"]
    client.force_login(demo.users["administratie@regenboog.example"])
    assert client.get(reverse("records:medical", args=[noor.pk])).status_code == 200
    archive = download(client, ask(client, demo.users["jansen@ouders.example"], django_capture_on_commit_callbacks))
    records = {child["child"]: child for child in json.loads(archive.read("records.json"))["children"]}
    viewed = records["Noor Jansen"]["viewed_by_school"]
    assert viewed and viewed[0]["who"] == demo.users["administratie@regenboog.example"].full_name


def test_an_export_a_stopped_worker_left_running_does_not_block_the_next(demo, client):
    jansen = demo.users["jansen@ouders.example"]
    client.force_login(jansen)
    client.post(PAGE)
    stuck = DataExport.objects.get(user=jansen)
    client.post(PAGE)
    assert DataExport.objects.filter(user=jansen).count() == 1  # still running: refused
    DataExport.objects.filter(pk=stuck.pk).update(requested_at=timezone.now() - datetime.timedelta(hours=7))
    client.post(PAGE)
    stuck.refresh_from_db()
    assert stuck.status == DataExport.Status.FAILED
    assert DataExport.objects.filter(user=jansen).running().count() == 1
