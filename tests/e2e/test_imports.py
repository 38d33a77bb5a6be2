"""The administration of the demo school imports a guardian CSV: upload, review the dry run,
apply it — on a 360 px phone, asserting on ids rather than (Dutch) words."""

import pytest
from playwright.sync_api import expect

from schoolpoort.core.models import Guardianship, Student
from tests.e2e.test_foundation_flows import assert_fits_the_phone, signed_in_phone


@pytest.mark.django_db(transaction=True)
def test_the_administration_uploads_guardians_reviews_the_dry_run_and_applies_it(demo, browser, live_server, tmp_path):
    pupil = Student.objects.filter(school__brin="99AA", archived_at__isnull=True).exclude(sis_id="").first()
    csv = tmp_path / "ouders.csv"
    csv.write_text(
        "Leerlingnummer;Relatie;Voornaam;Achternaam;E-mailadres;Ouderlijk gezag\n"
        f"{pupil.sis_id};voogd;Gerda;Import;gerda.import@ouders.example;ja\n",
        encoding="utf-8",
    )
    page = signed_in_phone(browser, live_server, "administratie@regenboog.example")
    page.goto(f"{live_server.url}/import/school/{pupil.school_id}/")
    page.set_input_files("input[type=file]", str(csv))
    page.click("#upload button[type=submit]")

    expect(page.locator("#deel-guardians_added")).to_be_visible()
    expect(page.locator("#deel-guardians_added .count")).to_have_text("1")
    expect(page.locator("#deel-guardians_added")).to_contain_text("Gerda Import")
    assert not Guardianship.objects.filter(email="gerda.import@ouders.example").exists()
    assert_fits_the_phone(page)

    page.click("#confirm button[type=submit]")
    expect(page.locator("#applied")).to_be_visible()
    slot = Guardianship.objects.get(email="gerda.import@ouders.example")
    assert (slot.student_id, slot.relation, slot.user_id) == (pupil.pk, "guardian", None)
    assert_fits_the_phone(page)
