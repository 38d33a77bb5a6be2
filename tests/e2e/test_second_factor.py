"""The second factor in a real Chromium on a 360 px phone: a teacher without an app sets one up
at sign-in (the code computed from the key shown on the page, as an authenticator app would),
saves the recovery codes, and signs in with the app the next time."""

import re

import pyotp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from schoolpoort.accounts.models import User
from tests.accounts.accounts_helpers import totp_code
from tests.e2e.test_foundation_flows import PASSWORD, SUBMIT, page_width
from tests.e2e.waiting import wait_until

TEACHER = "leerkracht.groep3@regenboog.example"


def test_a_teacher_enrols_an_app_and_signs_in_with_it(demo, phone, live_server):
    teacher = User.objects.get(email=TEACHER)
    TOTPDevice.objects.filter(user=teacher).delete()  # a teacher who never set up an app

    phone.goto(f"{live_server.url}/inloggen/")
    phone.fill("input[name=username]", TEACHER)
    phone.fill("input[name=password]", PASSWORD)
    phone.click(SUBMIT)
    expect(phone).to_have_url(re.compile(r"/inloggen/tweede-factor/instellen/"))
    # The QR code loads as an image of the page's own origin.
    qr = phone.locator("img.qr-code")
    expect(qr).to_be_visible()
    # Loaded, not only laid out (visible comes before the image has arrived).
    wait_until(phone, "document.querySelector('img.qr-code').complete")
    assert phone.evaluate("document.querySelector('img.qr-code').naturalWidth") > 0
    assert page_width(phone) <= 360

    # Any other page answers with this page until the app is set up.
    phone.goto(f"{live_server.url}/")
    expect(phone).to_have_url(re.compile(r"/inloggen/tweede-factor/instellen/"))

    secret = phone.locator(".secret-key").inner_text().replace(" ", "")
    phone.fill("input[name=code]", pyotp.TOTP(secret).now())
    phone.locator("main form.card button[type=submit]").click()
    expect(phone.locator(".recovery-codes li")).to_have_count(10)
    phone.click("main a.button")
    expect(phone).to_have_url(f"{live_server.url}/")
    expect(phone.locator("main")).to_contain_text("Groep 3")

    phone.click("header button:has-text('Uitloggen')")
    expect(phone).to_have_url(re.compile(r"/inloggen/"))

    # Next time: password, then the code of the app just set up.
    phone.fill("input[name=username]", TEACHER)
    phone.fill("input[name=password]", PASSWORD)
    phone.click(SUBMIT)
    expect(phone).to_have_url(re.compile(r"/inloggen/tweede-factor/\?next="))
    phone.fill("input[name=code]", "000000")
    phone.click(SUBMIT)
    expect(phone.locator(".field--error")).to_be_visible()
    phone.fill("input[name=code]", totp_code(teacher))
    phone.keyboard.press("Enter")
    expect(phone).to_have_url(f"{live_server.url}/")
    expect(phone.locator("main")).to_contain_text("Groep 3")
