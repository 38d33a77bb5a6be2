"""Sign in on the phone by QR code, in a real Chromium against the demo school: Jansen is signed in
on the computer (1280 px), shows the QR code on Mijn account; the phone (360 px, its own cookies)
opens the address read from the QR image itself, shows the matching code; the computer's page
shows the same code without a reload (htmx polling), she confirms, and the phone lands signed in on
the app's start page. Both pages pass axe-core."""

import io
import re

import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from schoolpoort.lib.demo import PASSWORD
from tests.e2e.test_data_export import assert_no_axe_violations
from tests.e2e.test_foundation_flows import assert_fits_the_phone, log_in

ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Mobile Safari/537.36"
)


def test_jansen_signs_in_on_her_phone_by_scanning_the_code(demo, browser, live_server):
    computer = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL").new_page()
    log_in(computer, live_server.url, "jansen@ouders.example")
    computer.goto(f"{live_server.url}/mijn-account/")
    computer.locator("#phone-link-password").fill(PASSWORD)  # asked again: a computer left open hands out nothing
    computer.locator("#phone-link-start").click()
    qr = computer.locator("#phone-link-qr")
    expect(qr).to_be_visible()
    assert_no_axe_violations(computer)

    # What the phone's camera sees: the QR image as drawn on the screen.
    decoded = [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))]
    assert decoded == [qr.get_attribute("data-url")]
    assert decoded[0].startswith(f"{live_server.url}/inloggen/telefoon/")

    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL", user_agent=ANDROID).new_page()
    phone.goto(decoded[0])
    expect(phone).to_have_url(f"{live_server.url}/inloggen/telefoon/")  # the token left the address bar
    code = phone.locator("#phone-link-match-code")
    expect(code).to_have_text(re.compile(r"^\d{3}$"))
    assert_fits_the_phone(phone)
    assert_no_axe_violations(phone)

    # The computer's page polls and asks, with the same code and the phone's description.
    status = computer.locator("#phone-link-status")
    expect(status.locator("#phone-link-match-code")).to_have_text(code.inner_text(), timeout=10_000)
    expect(status).to_contain_text("Android")
    assert_no_axe_violations(computer)
    computer.locator("#phone-link-confirm").click()
    expect(computer.locator("#phone-link-status")).to_have_attribute("data-status", re.compile("confirmed|signed_in"))

    # The phone polls, says whose account it would log in to, and is signed in at its own tap.
    sign_in = phone.locator("#phone-link-sign-in")
    expect(sign_in).to_be_visible(timeout=10_000)
    expect(phone.locator("main")).to_contain_text("Jansen")
    assert_no_axe_violations(phone)
    sign_in.click()
    expect(phone).to_have_url(f"{live_server.url}/", timeout=10_000)
    phone.goto(f"{live_server.url}/mijn-account/")
    expect(phone).to_have_url(f"{live_server.url}/mijn-account/")
    expect(phone.locator("main")).to_contain_text("jansen@ouders.example")

    # Mijn account on the computer lists the phone; logging it out there ends its session.
    computer.goto(f"{live_server.url}/mijn-account/")
    phones = computer.locator(".linked-phones li")
    expect(phones).to_have_count(1)
    phones.first.get_by_role("button").click()
    expect(computer.locator(".linked-phones li")).to_have_count(0)
    phone.goto(f"{live_server.url}/mijn-account/")
    expect(phone).to_have_url(f"{live_server.url}/inloggen/?next=/mijn-account/")
