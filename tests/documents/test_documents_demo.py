"""The documents of the demo school (DEMO.md): the school guide and protocols of De Regenboog, a
groep 6 shelf, and a letter for the Jansen family; nothing at De Ark, where documents is off."""

import re

from django.urls import reverse

from schoolpoort.documents.demo import simple_pdf
from schoolpoort.documents.models import Document, Shelf
from schoolpoort.documents.uploads import prepare_upload
from schoolpoort.lib.demo import ARK, REGENBOOG
from tests.documents.helpers import body, upload


def titles(user) -> set[str]:
    return set(Document.objects.visible_to(user).values_list("title", flat=True))


def test_the_demo_has_the_school_guide_the_group_shelf_and_one_family_letter(demo):
    school = demo.schools[REGENBOOG]
    year = demo.school_year.name
    assert set(Shelf.objects.filter(school=school).values_list("title", "audience")) == {
        ("Schoolgids en protocollen", "school"), ("Groep 6", "groups"), ("Brieven over Noor Jansen", "guardians"),
    }
    assert not Shelf.objects.filter(school=demo.schools[ARK]).exists()
    guide = Document.objects.get(title=f"Schoolgids {year}")
    assert guide.versions.count() == 2
    assert set(Document.objects.filter(folder__title="Protocollen").values_list("title", flat=True)) == {
        "Pestprotocol", "Protocol hoofdluis",
    }
    school_titles = {f"Schoolgids {year}", "Pestprotocol", "Protocol hoofdluis"}
    group6 = {"Lesrooster groep 6", "Informatieavond groep 6"}
    letter = "Brief over extra ondersteuning Noor"
    users = demo.users
    assert titles(users["jansen@ouders.example"]) == school_titles | group6 | {letter}  # Sem is in groep 6
    assert titles(users["devries@ouders.example"]) == school_titles | group6
    assert titles(users["bakker@ouders.example"]) == school_titles | group6
    assert titles(users["smit@ouders.example"]) == school_titles
    assert titles(users["leerkracht.groep6@regenboog.example"]) == school_titles | group6
    assert titles(users["leerkracht.groep3@regenboog.example"]) == school_titles  # no letter for Noor's teacher
    assert titles(users["administratie@regenboog.example"]) == school_titles | group6 | {letter}
    assert titles(users["leerkracht.groep5@deark.example"]) == set()
    # Peter Jansen, the other guardian of Noor, has the letter too.
    letters = Shelf.objects.get(audience="guardians")
    assert {slot.user.first_name for slot in letters.guardianships.all()} == {"Eva", "Peter"}


def test_the_demo_files_are_real_pdfs_that_open_in_the_browser(client, demo):
    client.force_login(demo.users["jansen@ouders.example"])
    document = Document.objects.get(title="Brief over extra ondersteuning Noor")
    response = client.get(document.file_url)
    data = body(response)
    assert response["Content-Disposition"].startswith("inline") and data.startswith(b"%PDF-1.4")
    assert b"Aan de ouders van Noor Jansen" in data
    # The cross-reference table points at every object.
    xref = int(re.search(rb"startxref\n(\d+)", data).group(1))
    assert data[xref:].startswith(b"xref")
    for number, offset in enumerate(re.findall(rb"(\d{10}) 00000 n", data), start=1):
        assert data[int(offset):].startswith(f"{number} 0 obj".encode())
    client.force_login(demo.users["devries@ouders.example"])
    assert client.get(document.file_url).status_code == 404
    assert client.get(reverse("documents:list")).status_code == 200


def test_the_hand_made_pdf_passes_the_upload_check():
    data = simple_pdf("Pestprotocol (versie 2) – één", ["Een regel met (haakjes) en een \\ schuine streep."])
    assert prepare_upload(upload("Pestprotocol.pdf", data)).content_type == "application/pdf"


def test_a_teacher_at_de_ark_finds_no_documents(client, demo):
    client.force_login(demo.users["leerkracht.groep5@deark.example"])
    assert client.get(reverse("documents:list")).status_code == 404
