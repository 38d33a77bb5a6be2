"""The CSV import: dry run writes nothing, apply writes all or nothing, twice changes nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from schoolpoort.core.models import AuditEntry, StagedUpload
from schoolpoort.records.results import imports
from schoolpoort.records.results.models import LevelBand, MethodTest, Source, StandardisedTest

METHOD_CSV = (
    "Leerlingnummer;Vak;Methode;Blok;Datum;Score;Norm\n"
    "{n};rekenen;Pluspunt;Blok 1;01-10-2026;85;70\n"
    "{n};Spelling;Staal;Blok 1;2026-10-03;72,5;80\n"
)
STANDARDISED_CSV = (
    "leerlingnummer,toets,moment,datum,vaardigheidsscore,niveau\n"
    "{n},CITO Rekenen-Wiskunde,M3,27-01-2026,41,\n"
    "{n},CITO Rekenen-Wiskunde,E3,12-06-2026,52.5,ii\n"
)
BANDS_CSV = "toets;moment;niveau;vanaf\nCITO Rekenen-Wiskunde;M3;V;0\nCITO Rekenen-Wiskunde;M3;III;40\n"


def csv(template, world):
    return template.format(n=world.child.sis_id).encode()


def test_dry_run_writes_nothing_and_apply_writes_everything(world):
    plan = imports.make_plan(world.school, "method", csv(METHOD_CSV, world))
    assert plan.errors == [] and len(plan.added) == 2
    assert MethodTest.objects.count() == 0
    imports.apply(world.school, "method", csv(METHOD_CSV, world), world.users["administration"])
    tests = list(MethodTest.objects.order_by("taken_on"))
    assert [(t.subject, t.score, t.norm, t.source) for t in tests] == [
        ("rekenen", Decimal("85.0"), Decimal("70.0"), Source.IMPORT),
        ("spelling", Decimal("72.5"), Decimal("80.0"), Source.IMPORT),
    ]


def test_importing_the_same_file_twice_changes_nothing(world):
    data = csv(METHOD_CSV, world)
    imports.apply(world.school, "method", data)
    plan = imports.apply(world.school, "method", data)
    assert plan.is_empty and plan.unchanged == 2
    assert MethodTest.objects.count() == 2


def test_a_changed_score_is_updated_not_added(world):
    imports.apply(world.school, "method", csv(METHOD_CSV, world))
    plan = imports.apply(world.school, "method", csv(METHOD_CSV.replace(";85;", ";90;"), world))
    assert len(plan.changed) == 1 and plan.added == []
    assert MethodTest.objects.get(subject="rekenen").score == Decimal("90.0")


def test_one_bad_row_means_nothing_is_written_and_the_line_is_named(world):
    data = csv(METHOD_CSV + "99999;rekenen;Pluspunt;Blok 2;01-11-2026;abc;70\n{n};gym;X;1;01-11-2026;5;\n", world)
    with translation.override("en"):
        plan = imports.apply(world.school, "method", data)
    assert [error.line for error in plan.errors] == [4, 5]
    assert "99999" in plan.errors[0].message
    assert "gym" in plan.errors[1].message
    assert MethodTest.objects.count() == 0


def test_pupils_of_another_school_are_not_found(world):
    data = METHOD_CSV.format(n=world.other_school_child.sis_id).encode()
    plan = imports.make_plan(world.school, "method", data)
    assert len(plan.errors) == 2 and plan.added == []


def test_a_missing_column_is_one_error_on_the_header(world):
    plan = imports.make_plan(world.school, "method", b"leerlingnummer;vak\n1;rekenen\n")
    assert [error.line for error in plan.errors] == [1]


def test_the_same_test_twice_in_one_file_is_an_error(world):
    line = METHOD_CSV.splitlines()[1] + "\n"
    plan = imports.make_plan(world.school, "method", csv(METHOD_CSV + line, world))
    assert [error.line for error in plan.errors] == [4]


def test_standardised_tests_take_the_level_from_the_bands_when_none_is_given(world):
    imports.apply(world.school, "bands", BANDS_CSV.encode())
    assert LevelBand.objects.count() == 2
    plan = imports.apply(world.school, "standardised", csv(STANDARDISED_CSV, world))
    assert plan.errors == []
    results = list(StandardisedTest.objects.order_by("taken_on"))
    assert [(t.moment, t.ability_score, t.level, t.school_year.name) for t in results] == [
        ("M3", Decimal("41.0"), "III", "2025-2026"),
        ("E3", Decimal("52.5"), "II", "2025-2026"),
    ]
    again = imports.apply(world.school, "standardised", csv(STANDARDISED_CSV, world))
    assert again.is_empty and again.unchanged == 2


def test_a_standardised_row_needs_a_score_or_a_level(world):
    data = csv("leerlingnummer;toets;moment;datum\n{n};CITO Spelling;M4;01-02-2026\n", world)
    plan = imports.make_plan(world.school, "standardised", data)
    assert [error.line for error in plan.errors] == [2]
    data = csv("leerlingnummer;toets;moment;datum;niveau\n{n};CITO Spelling;X9;01-02-2026;VI\n", world)
    assert len(imports.make_plan(world.school, "standardised", data).errors) == 1


def upload(client, world, kind, text, role="administration"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.users[role])
    return client.post(
        reverse("results:import", args=[world.school.pk]),
        {"kind": kind, "file": SimpleUploadedFile("toetsen.csv", text.encode())},
    )


def test_the_import_page_previews_then_applies(client, world):
    response = upload(client, world, "method", METHOD_CSV.format(n=world.child.sis_id))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="count-added">2<' in html
    assert MethodTest.objects.count() == 0
    token = response.context["token"]
    response = client.post(reverse("results:import", args=[world.school.pk]), {"token": token})
    assert response.status_code == 302
    assert MethodTest.objects.count() == 2


def test_the_import_page_lists_bad_rows_and_offers_no_import(client, world):
    world.users["administration"].language = "en"
    world.users["administration"].save()
    response = upload(client, world, "method", METHOD_CSV.format(n="424242"))
    html = response.content.decode()
    assert 'data-line="2"' in html and 'data-line="3"' in html
    assert 'id="import-apply"' not in html


def test_a_forged_token_imports_nothing(client, world):
    client.force_login(world.users["administration"])
    response = client.post(reverse("results:import", args=[world.school.pk]), {"token": "forged"})
    assert response.status_code == 302 and MethodTest.objects.count() == 0


@pytest.mark.parametrize("role", ["guardian", "teacher", "board_admin_other_board"])
def test_only_the_office_imports(client, world, role):
    client.force_login(world.users[role])
    assert client.get(reverse("results:import", args=[world.school.pk])).status_code == 404


def test_a_second_confirmation_imports_nothing_more(client, world):
    token = upload(client, world, "method", METHOD_CSV.format(n=world.child.sis_id)).context["token"]
    url = reverse("results:import", args=[world.school.pk])
    assert client.post(url, {"token": token}).status_code == 302
    response = client.post(url, {"token": token}, follow=True)
    assert "Dit bestand is al geïmporteerd." in response.content.decode()
    assert MethodTest.objects.count() == 2 and AuditEntry.objects.filter(action="results.import").count() == 1


def test_a_token_of_another_school_imports_nothing(client, world):
    token = upload(client, world, "method", METHOD_CSV.format(n=world.child.sis_id), role="board_admin").context[
        "token"
    ]
    response = client.post(reverse("results:import", args=[world.sister_school.pk]), {"token": token})
    assert response.status_code in (302, 404) and MethodTest.objects.count() == 0


def test_the_parked_results_file_holds_no_plaintext(client, world, settings):
    upload(client, world, "method", METHOD_CSV.format(n=world.child.sis_id))
    parked = StagedUpload.objects.get()
    assert parked.kind == "results.method"
    stored = (settings.MEDIA_ROOT / parked.file.name).read_bytes()
    assert b"Pluspunt" not in stored and b"Leerlingnummer" not in stored
