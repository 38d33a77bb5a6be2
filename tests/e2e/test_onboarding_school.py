"""Issue 8 from end to end, in a real Chromium on a 360 px phone: the administration of the demo
school imports a guardian CSV (upload, review the dry run, apply), makes the registration letters
for the group of that pupil, downloads them, and the new guardian registers with the code from her
own letter. Checked by ids and English texts (the users choose English)."""

from django.urls import reverse
from playwright.sync_api import expect

from schoolpoort.core.models import Guardianship
from schoolpoort.onboarding.models import LetterBatch
from tests.e2e.test_foundation_flows import SUBMIT, assert_fits_the_phone
from tests.e2e.test_onboarding import PASSWORD, english_phone
from tests.onboarding.helpers import CODE_RE, pdf_pages_text, run_worker


def test_import_letters_and_registration_of_a_new_guardian(demo, browser, live_server, tmp_path):
    school = demo.schools["99AA"]
    group = demo.groups["99AA", "3"]
    pupil = group.students.exclude(sis_id="").order_by("last_name").first()
    csv = tmp_path / "ouders.csv"
    csv.write_text(
        "Leerlingnummer;Relatie;Voornaam;Achternaam;E-mailadres;Ouderlijk gezag\n"
        f"{pupil.sis_id};voogd;Gerda;Import;;ja\n",
        encoding="utf-8",
    )
    office = english_phone(browser, live_server, "administratie@regenboog.example")
    office.get_by_role("link", name="Import from the administration").click()
    office.set_input_files("input[type=file]", str(csv))
    office.click("#upload button[type=submit]")
    expect(office.locator("#deel-guardians_added .count")).to_have_text("1")
    assert not Guardianship.objects.filter(first_name="Gerda", last_name="Import").exists()  # a dry run only
    office.click("#confirm button[type=submit]")
    expect(office.locator("#applied")).to_be_visible()
    slot = Guardianship.objects.get(first_name="Gerda", last_name="Import")
    assert (slot.student_id, slot.user_id) == (pupil.pk, None)

    office.goto(f"{live_server.url}{reverse('onboarding:school', args=[school.pk])}")
    letters = office.get_by_role("region", name="Registration letters")
    letters.get_by_label("For").select_option(label=group.name)
    letters.get_by_label("Every guardian who has not registered").check()
    letters.get_by_role("button", name="Make letters").click()
    run_worker()
    batch = LetterBatch.objects.get()
    link = office.locator("#batches").get_by_role("link", name=f"Download {batch.page_count} letters (PDF)")
    expect(link).to_be_visible(timeout=10_000)
    with office.expect_download() as download_info:
        link.click()
    (text,) = [text for text in pdf_pages_text(download_info.value.path().read_bytes()) if "Gerda Import" in text]
    assert pupil.first_name in text
    code = CODE_RE.search(text).group(1)

    parent = english_phone(browser, live_server)
    parent.goto(f"{live_server.url}{reverse('accounts:register')}")
    parent.fill("input[name=code]", code)
    parent.fill("input[name=first_name]", "Gerda")
    parent.fill("input[name=last_name]", "Import")
    parent.fill("input[name=email]", "gerda.import@ouders.example")
    parent.fill("input[name=password1]", PASSWORD)
    parent.fill("input[name=password2]", PASSWORD)
    parent.click(SUBMIT)
    expect(parent).to_have_url(f"{live_server.url}/")
    expect(parent.locator("main")).to_contain_text(pupil.full_name)
    assert_fits_the_phone(parent)
    slot.refresh_from_db()
    assert slot.user.email == "gerda.import@ouders.example"
