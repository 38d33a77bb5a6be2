"""A parent proposes a new phone number on the student card; the administration processes it; the
card shows the new number. On a 360 px phone, for both."""

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
