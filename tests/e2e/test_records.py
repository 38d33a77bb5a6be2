"""A parent proposes a new phone number on the student card; the administration processes it; the
card shows the new number. The office imports invoices with a dry run and closes invoices for a
week. On a 360 px phone, for everyone."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from schoolpoort.records.models import CorrectionRequest
from tests.e2e.test_foundation_flows import assert_fits_the_phone, signed_in_phone

NEW_PHONE = "030 765 43 21"


def test_a_parent_corrects_the_phone_number_and_the_administration_processes_it(demo, browser, live_server):
    noor = demo.students["Noor Jansen"]
    parent = signed_in_phone(browser, live_server, "jansen@ouders.example")
    parent.goto(f"{live_server.url}/leerling/{noor.pk}/")
    assert_fits_the_phone(parent)
    parent.click("#propose-card")
    parent.fill("input[name=phone]", NEW_PHONE)
    parent.fill("textarea[name=comment]", "We zijn overgestapt")
    parent.click("form.card button[type=submit]")
    expect(parent).to_have_url(f"{live_server.url}/leerling/{noor.pk}/correcties/")
    expect(parent.locator("#corrections [data-status=received]").first).to_be_visible()
    assert_fits_the_phone(parent)
    expect(parent.locator("#card-phone")).to_have_count(0)
    request = CorrectionRequest.objects.filter(student=noor).latest("pk")

    office = signed_in_phone(browser, live_server, "administratie@regenboog.example")
    office.goto(f"{live_server.url}/leerling/correcties/")
    office.click(f"#request-{request.pk} a")
    expect(office.locator("#changes")).to_contain_text(NEW_PHONE)
    assert_fits_the_phone(office)
    office.click("#apply")
    expect(office).to_have_url(f"{live_server.url}/leerling/correcties/")
    expect(office.locator(f"#request-{request.pk}")).to_have_count(0)

    parent.goto(f"{live_server.url}/leerling/{noor.pk}/")
    expect(parent.locator("#card-phone")).to_have_text(NEW_PHONE)
    parent.goto(f"{live_server.url}/leerling/{noor.pk}/correcties/")
    expect(parent.locator(f"#correction-{request.pk} [data-status=processed]")).to_be_visible()


INVOICES_CSV = (
    "leerlingnummer;factuurnummer;omschrijving;bedrag;vervaldatum\n{n};2026-077;Kamp groep 3;€ 85,00;01-03-2027\n"
)


def test_the_office_imports_invoices_with_a_dry_run_and_closes_them_for_a_week(demo, browser, live_server, tmp_path):
    """On a phone: settings → import → preview → confirm; the parent sees the invoice; then the
    office closes invoices for a week and the parent's invoices tab is gone."""
    noor = demo.students["Noor Jansen"]
    school = noor.school
    path = tmp_path / "facturen.csv"
    path.write_text(INVOICES_CSV.format(n=noor.sis_id), encoding="utf-8")

    office = signed_in_phone(browser, live_server, "administratie@regenboog.example")
    office.goto(f"{live_server.url}/leerling/school/{school.pk}/instellingen/")
    office.click("#link-import")
    office.check("input[name=kind][value=invoices]")
    office.set_input_files("input[name=file]", str(path))
    office.click("#import-form button[type=submit]")
    expect(office.locator("#count-added")).to_have_text("1")
    expect(office.locator("#import-changed, #import-added").first).to_contain_text("Kamp groep 3")
    assert_fits_the_phone(office)
    office.click("#import-apply button")
    expect(office.locator("#import-plan")).to_have_count(0)
    expect(office.locator("#import-history")).to_be_visible()
    assert_fits_the_phone(office)

    parent = signed_in_phone(browser, live_server, "jansen@ouders.example")
    parent.goto(f"{live_server.url}/leerling/{noor.pk}/facturen/")
    expect(parent.locator("#invoices")).to_contain_text("Kamp groep 3")

    office.goto(f"{live_server.url}/leerling/school/{school.pk}/instellingen/")
    office.click("#link-closed-periods")
    office.fill("input[name=message]", "De facturen worden bijgewerkt")
    office.fill("input[name=starts_on]", "2000-01-02")
    office.fill("input[name=ends_on]", "2000-01-01")
    for value in ["card", "family", "medical", "plans", "report_cards", "method_tests", "standardised_tests", "notes"]:
        office.uncheck(f"input[name=parts][value={value}]")
    office.click("#period-form button[type=submit]")
    expect(office.locator("#period-form .errorlist")).to_be_visible()  # the end lies before the start
    expect(office.locator("input[name=message]")).to_have_value("De facturen worden bijgewerkt")
    assert_fits_the_phone(office)
    today = timezone.localdate()
    office.fill("input[name=starts_on]", today.isoformat())
    office.fill("input[name=ends_on]", (today + datetime.timedelta(days=7)).isoformat())
    office.keyboard.press("Enter")  # the form is sent with the keyboard alone
    expect(office.locator("#periods li")).to_have_count(1)

    parent.goto(f"{live_server.url}/leerling/{noor.pk}/")
    expect(parent.locator("[data-part=card]").first).to_be_visible()
    expect(parent.locator("a[data-part=invoices]")).to_have_count(0)


def test_the_office_opens_the_medical_form_and_the_parent_sees_it_under_who_viewed(demo, browser, live_server):
    """``core.audit``: a staff read of an edit form is on the guardian's "who at school viewed"."""
    lotte = demo.students["Lotte de Vries"]
    office = signed_in_phone(browser, live_server, "administratie@regenboog.example")
    office.goto(f"{live_server.url}/leerling/{lotte.pk}/medisch/bewerken/")
    expect(office.locator("form textarea").first).to_be_visible()

    parent = signed_in_phone(browser, live_server, "devries@ouders.example")
    parent.goto(f"{live_server.url}/leerling/{lotte.pk}/ingezien/")
    entry = parent.locator("#viewed li").first
    expect(entry).to_contain_text(demo.users["administratie@regenboog.example"].full_name)
    expect(entry).to_contain_text("Medisch")
    assert_fits_the_phone(parent)
