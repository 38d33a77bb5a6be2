"""CSV import of the records: dry run writes nothing, apply writes all or nothing, the same file
twice changes nothing, bad rows are named by line, encrypted columns stay encrypted, and medical
text never reaches the preview, the errors or the command's output."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schoolpoort.core.models import AuditEntry
from schoolpoort.records import csvimport
from schoolpoort.records.models import Contact, Invoice, MedicalInfo, Note, NoteCategory, StudentCard
from tests.factories import enrolled_student

CARD_CSV = (
    "Leerlingnummer;Straat;Postcode;Plaats;Telefoon;Mobiel;E-mail;"
    "Noodcontact 1 naam;Noodcontact 1 relatie;Noodcontact 1 telefoon;Noodcontact 2 naam;Noodcontact 2 telefoon\n"
    "{n};Lindelaan 4;3526kt;Utrecht;030 123 45 67;06 11111111;thuis@example.org;"
    "Oma Jansen;oma;06 22222222;Buurvrouw;06 3\n"
)
MEDICAL_CSV = (
    "leerlingnummer,allergieën,medicijnen,dieet,huisarts,tandarts\n"
    "{n},Pinda-allergie,EpiPen,Glutenvrij,Huisarts Kok,Tandarts Bosch\n"
)
INVOICE_CSV = (
    "leerlingnummer;factuurnummer;omschrijving;bedrag;status;vervaldatum;betaald op;kenmerk\n"
    "{n};2026-001;Schoolreis;32,50;open;01-12-2026;;SR-1\n"
    "{n};2026-002;Ouderbijdrage;€ 45,00;betaald;;15-10-2026;OB-1\n"
)
NOTES_CSV = "leerlingnummer;categorie;datum;tekst\n{n};ouderavond;01-10-2026;Gesprekspunt: lezen thuis\n"
SECRETS = ["Pinda", "EpiPen", "Glutenvrij", "Huisarts Kok", "Tandarts Bosch", "Gesprekspunt"]


def csv(template, world):
    return template.format(n=world.child.sis_id).encode()


@pytest.fixture
def category(world):
    return NoteCategory.objects.create(school=world.school, name="Ouderavond", open_to_guardians=True)


def raw(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        return repr(cursor.fetchall())


# --- Each kind: dry run, apply, re-apply ---------------------------------------------------------


def test_card_dry_run_writes_nothing_and_apply_writes_card_and_emergency_contacts(world):
    data = csv(CARD_CSV, world)
    plan = csvimport.make_plan(world.school, "card", data)
    assert plan.errors == [] and len(plan.added) == 1
    changes = {label: (old, new) for label, old, new, _hidden in plan.added[0].changes}
    assert changes["postal code"] == ("", "3526 KT")
    assert "Oma Jansen oma 06 22222222; Buurvrouw 06 3" == changes["emergency contacts"][1]
    assert not StudentCard.objects.exists() and not Contact.objects.exists()

    csvimport.apply(world.school, "card", data, world.users["administration"])
    card = StudentCard.objects.get(student=world.child)
    assert (card.street, card.postal_code, card.email) == ("Lindelaan 4", "3526 KT", "thuis@example.org")
    contacts = list(
        Contact.objects.filter(student=world.child).values_list("name", "relation", "phone", "is_emergency")
    )
    assert contacts == [("Oma Jansen", "oma", "06 22222222", True), ("Buurvrouw", "", "06 3", True)]
    entry = AuditEntry.objects.get(action="records.import")
    assert entry.detail == {"kind": "card", "added": 1, "changed": 0} and entry.school == world.school


def test_card_reapply_changes_nothing_and_a_change_shows_old_and_new(world):
    data = csv(CARD_CSV, world)
    csvimport.apply(world.school, "card", data)
    again = csvimport.apply(world.school, "card", data)
    assert again.is_empty and again.unchanged == 1
    assert Contact.objects.count() == 2
    moved = csvimport.apply(world.school, "card", csv(CARD_CSV.replace("Lindelaan 4", "Dorpsstraat 1"), world))
    assert [(label, old, new) for label, old, new, _h in moved.changed[0].changes] == [
        ("street and number", "Lindelaan 4", "Dorpsstraat 1")
    ]
    assert StudentCard.objects.get().street == "Dorpsstraat 1"


def test_card_import_leaves_absent_columns_and_family_members_alone(world):
    StudentCard.objects.create(student=world.child, street="Oud 1", city="Zeist")
    Contact.objects.create(student=world.child, name="Opa", is_emergency=False)
    Contact.objects.create(student=world.child, name="Oude noodcontact", is_emergency=True)
    data = f"leerlingnummer;plaats;noodcontact1naam;noodcontact1telefoon\n{world.child.sis_id};Utrecht;Tante Els;06 9\n"
    csvimport.apply(world.school, "card", data.encode())
    card = StudentCard.objects.get()
    assert (card.street, card.city) == ("Oud 1", "Utrecht")
    assert sorted(Contact.objects.values_list("name", flat=True)) == ["Opa", "Tante Els"]


def test_medical_import_is_encrypted_and_never_shows_the_text(world):
    data = csv(MEDICAL_CSV, world)
    plan = csvimport.make_plan(world.school, "medical", data)
    assert plan.errors == [] and len(plan.added) == 1
    assert all(hidden and old == new == "" for _label, old, new, hidden in plan.added[0].changes)
    csvimport.apply(world.school, "medical", data)
    info = MedicalInfo.objects.get(student=world.child)
    assert (info.allergies, info.dentist) == ("Pinda-allergie", "Tandarts Bosch")
    stored = raw("records_medicalinfo")
    assert "fernet:" in stored and not any(secret in stored for secret in SECRETS)
    assert csvimport.apply(world.school, "medical", data).is_empty


def test_medical_update_is_encrypted_too(world):
    MedicalInfo.objects.create(student=world.child, allergies="Oud", diet="Halal")
    csvimport.apply(world.school, "medical", csv(MEDICAL_CSV, world))
    info = MedicalInfo.objects.get()
    assert (info.allergies, info.diet, info.notes) == ("Pinda-allergie", "Glutenvrij", "")
    stored = raw("records_medicalinfo")
    assert not any(secret in stored for secret in SECRETS + ["Halal"])


def test_invoices_are_keyed_on_the_invoice_number(world):
    data = csv(INVOICE_CSV, world)
    plan = csvimport.apply(world.school, "invoices", data)
    assert len(plan.added) == 2
    trip, fee = Invoice.objects.order_by("external_key")
    assert (trip.amount, trip.status, trip.due_on, trip.reference) == (
        Decimal("32.50"),
        "open",
        datetime.date(2026, 12, 1),
        "SR-1",
    )
    assert (fee.amount_paid, fee.status, fee.paid_on) == (Decimal("45.00"), "paid", datetime.date(2026, 10, 15))
    assert csvimport.apply(world.school, "invoices", data).is_empty

    paid = csv(INVOICE_CSV.replace("32,50;open;01-12-2026;;", "32,50;betaald;01-12-2026;20-11-2026;"), world)
    plan = csvimport.apply(world.school, "invoices", paid)
    assert len(plan.changed) == 1 and plan.added == []
    assert Invoice.objects.count() == 2
    trip.refresh_from_db()
    assert (trip.status, trip.amount_paid, trip.paid_on) == ("paid", Decimal("32.50"), datetime.date(2026, 11, 20))


def test_notes_are_added_once_with_category_by_name(world, category):
    data = csv(NOTES_CSV, world)
    plan = csvimport.apply(world.school, "notes", data, world.users["administration"])
    assert len(plan.added) == 1
    note = Note.objects.get()
    assert (note.category, note.date, note.text) == (category, datetime.date(2026, 10, 1), "Gesprekspunt: lezen thuis")
    assert "Gesprekspunt" not in raw("records_note")
    again = csvimport.apply(world.school, "notes", data)
    assert again.is_empty and again.unchanged == 1 and Note.objects.count() == 1


# --- Bad rows -------------------------------------------------------------------------------------


def test_bad_rows_are_named_by_line_and_nothing_is_applied(world, category):
    other = world.other_school_child.sis_id
    data = csv(
        INVOICE_CSV
        + f"{other};2026-003;Schoolreis;10;;;;\n"  # a pupil of another school
        + "{n};2026-004;Kamp;tien euro;;;;\n"
        + "{n};2026-001;Dubbel;1;;;;\n"
        + "{n};2026-005;Boek;5;onbekend;;;\n"
        + "{n};2026-006;Boek;5;open;31-02-2026;;\n",
        world,
    )
    plan = csvimport.apply(world.school, "invoices", data)
    assert [error.line for error in plan.errors] == [4, 5, 6, 7, 8]
    assert "No current pupil with number" in str(plan.errors[0])
    assert str(plan.errors[0]).startswith("line 4:")
    assert "same invoice number as on line 2" in plan.errors[2].message
    assert not Invoice.objects.exists()


def test_an_invoice_number_of_another_pupil_is_refused(world):
    csvimport.apply(world.school, "invoices", csv(INVOICE_CSV, world))
    classmate = world.classmate_of_other_group.sis_id
    plan = csvimport.apply(
        world.school,
        "invoices",
        f"leerlingnummer;factuurnummer;omschrijving;bedrag\n{classmate};2026-001;X;1\n".encode(),
    )
    assert [error.line for error in plan.errors] == [2] and "another pupil" in plan.errors[0].message


def test_bad_card_and_note_rows(world, category):
    card = f"leerlingnummer;postcode;email;noodcontact1telefoon\n{world.child.sis_id};12345;geen-adres;06 1\n"
    plan = csvimport.make_plan(world.school, "card", card.encode())
    assert [error.line for error in plan.errors] == [2]
    notes = csv(NOTES_CSV + "{n};Onbekend;01-10-2026;Tekst\n{n};Ouderavond;01-10-2026;\n", world)
    plan = csvimport.apply(world.school, "notes", notes)
    assert [error.line for error in plan.errors] == [3, 4]
    assert "Ouderavond" in plan.errors[0].message  # names the categories that exist
    assert not Note.objects.exists()


def test_a_missing_column_or_a_file_without_data_columns_is_one_error_on_line_1(world):
    plan = csvimport.make_plan(world.school, "notes", b"leerlingnummer;datum\n1;01-01-2026\n")
    assert [error.line for error in plan.errors] == [1]
    plan = csvimport.make_plan(world.school, "medical", b"leerlingnummer;iets\n1;x\n")
    assert [error.line for error in plan.errors] == [1]


def test_a_medical_error_does_not_echo_the_text(world):
    data = f"leerlingnummer;allergieen\n{world.child.sis_id};{'Pinda' * 500}\n".encode()
    plan = csvimport.make_plan(world.school, "medical", data)
    assert len(plan.errors) == 1 and "Pinda" not in str(plan.errors[0])


def test_the_dry_run_costs_the_same_queries_for_one_and_many_rows(world):
    def queries(rows):
        data = "leerlingnummer;straat;noodcontact1naam\n" + "".join(
            f"{s.sis_id};Laan {i};Oma\n" for i, s in enumerate(rows)
        )
        with CaptureQueriesContext(connection) as context:
            csvimport.make_plan(world.school, "card", data.encode())
        return len(context)

    one = queries([world.child])
    many = queries([world.child] + [enrolled_student(world.group3) for _ in range(5)])
    assert one == many


# --- The command ------------------------------------------------------------------------------------


def test_the_command_is_a_dry_run_unless_applied_and_prints_no_medical_text(world, tmp_path):
    path = tmp_path / "medisch.csv"
    path.write_bytes(csv(MEDICAL_CSV, world))
    out = io.StringIO()
    call_command("import_records", str(path), school=world.school.brin, kind="medical", stdout=out)
    assert "1 new" in out.getvalue() and not MedicalInfo.objects.exists()
    call_command("import_records", str(path), school=world.school.brin, kind="medical", apply=True, stdout=out)
    assert MedicalInfo.objects.count() == 1
    assert not any(secret in out.getvalue() for secret in SECRETS)
    assert "changed (not shown)" in out.getvalue()


def test_the_command_fails_on_bad_rows(world, tmp_path):
    path = tmp_path / "facturen.csv"
    path.write_bytes(b"leerlingnummer;factuurnummer;omschrijving;bedrag\n999;1;X;1\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_records",
            str(path),
            school=world.school.brin,
            kind="invoices",
            apply=True,
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "line 2" in err.getvalue() and not Invoice.objects.exists()


# --- The page -------------------------------------------------------------------------------------


def upload_file(client, world, kind, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("records:import", args=[world.school.pk])
    return client.post(url, {"kind": kind, "file": SimpleUploadedFile("bestand.csv", data, "text/csv")})


@pytest.mark.parametrize("role", ["administration", "director", "board_admin"])
def test_the_office_previews_then_confirms(client, world, role):
    client.force_login(world.users[role])
    response = upload_file(client, world, "medical", csv(MEDICAL_CSV, world))
    html = response.content.decode()
    assert response.status_code == 200 and 'id="count-added">1<' in html
    assert not any(secret in html for secret in SECRETS)
    assert not MedicalInfo.objects.exists()
    token = response.context["token"]
    response = client.post(reverse("records:import", args=[world.school.pk]), {"token": token})
    assert response.status_code == 302 and MedicalInfo.objects.count() == 1
    # the parked file is gone and held no plaintext while it was there
    assert client.post(reverse("records:import", args=[world.school.pk]), {"token": token}).status_code == 302
    assert MedicalInfo.objects.count() == 1


def test_the_parked_file_is_encrypted(client, world, settings):
    from schoolpoort.core.models import StagedUpload

    client.force_login(world.users["administration"])
    upload_file(client, world, "medical", csv(MEDICAL_CSV, world))
    parked = StagedUpload.objects.get()
    assert parked.kind == "records.medical" and parked.school == world.school
    stored = (settings.MEDIA_ROOT / parked.file.name).read_bytes()
    assert b"Pinda" not in stored and b"leerlingnummer" not in stored


def test_a_bad_file_shows_the_lines_and_keeps_the_choice(client, world):
    client.force_login(world.users["administration"])
    data = csv(INVOICE_CSV + "{n};2026-009;Kamp;tien;;;;\n", world)
    response = upload_file(client, world, "invoices", data)
    html = response.content.decode()
    assert 'id="import-errors"' in html and 'data-line="4"' in html
    assert response.context["token"] == "" and 'id="import-apply"' not in html
    assert response.context["form"]["kind"].value() == "invoices"
    assert not Invoice.objects.exists()


def test_a_form_without_a_file_says_why(client, world):
    client.force_login(world.users["administration"])
    response = client.post(reverse("records:import", args=[world.school.pk]), {"kind": "card"})
    assert response.status_code == 200 and response.context["form"].errors["file"]


@pytest.mark.parametrize("role", ["guardian", "teacher", "board_admin_other_board", "guardian_other_school"])
def test_it_hides_the_import_from_others(client, world, role):
    client.force_login(world.users[role])
    assert client.get(reverse("records:import", args=[world.school.pk])).status_code == 404
    assert upload_file(client, world, "card", csv(CARD_CSV, world)).status_code == 404
    assert not StudentCard.objects.exists()


def test_the_office_of_one_school_cannot_import_into_another(client, world):
    client.force_login(world.users["administration"])
    assert client.get(reverse("records:import", args=[world.other_school.pk])).status_code == 404
    assert client.get(reverse("records:import", args=[world.sister_school.pk])).status_code == 404


def test_a_token_of_another_school_is_refused(client, world):
    client.force_login(world.users["board_admin"])
    response = upload_file(client, world, "card", csv(CARD_CSV, world))
    response = client.post(
        reverse("records:import", args=[world.sister_school.pk]), {"token": response.context["token"]}
    )
    assert response.status_code == 302 and not StudentCard.objects.exists()


def test_a_confirmation_of_a_preview_the_data_outran_shows_the_new_one_and_writes_nothing(client, world):
    client.force_login(world.users["administration"])
    response = upload_file(client, world, "card", csv(CARD_CSV, world))
    shown = response.context["token"]
    StudentCard.objects.create(student=world.child, city="Amersfoort")  # someone changed it meanwhile
    response = client.post(reverse("records:import", args=[world.school.pk]), {"token": shown})
    html = response.content.decode()
    assert response.status_code == 200 and "The data changed since this preview" in html
    assert response.context["token"] not in ("", shown) and 'id="import-apply"' in html
    assert "Amersfoort" in html  # the new preview: old → new
    assert StudentCard.objects.get(student=world.child).city == "Amersfoort" and not Contact.objects.exists()
    response = client.post(reverse("records:import", args=[world.school.pk]), {"token": response.context["token"]})
    assert response.status_code == 302 and StudentCard.objects.get(student=world.child).city == "Utrecht"


def test_a_preview_confirmed_after_its_hour_is_refused(client, world):
    from django.utils import timezone

    from schoolpoort.core.models import StagedUpload

    client.force_login(world.users["administration"])
    token = upload_file(client, world, "card", csv(CARD_CSV, world)).context["token"]
    StagedUpload.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.post(reverse("records:import", args=[world.school.pk]), {"token": token}, follow=True)
    assert "This preview has expired" in response.content.decode() and not StudentCard.objects.exists()
