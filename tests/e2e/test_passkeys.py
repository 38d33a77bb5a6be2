"""Passkeys in a real Chromium with its virtual authenticator (the DevTools WebAuthn domain, as a
phone's fingerprint sensor would answer): a teacher adds a passkey on Mijn account, signs out, and
signs in with the password and the passkey instead of a code, and lands on the staff page asked for."""

import re

from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from schoolpoort.accounts.models import User
from tests.accounts.accounts_helpers import totp_code
from tests.e2e.test_foundation_flows import PASSWORD, SUBMIT, page_width

TEACHER = "leerkracht.groep3@regenboog.example"


def virtual_authenticator(page):
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    session.send(
        "WebAuthn.addVirtualAuthenticator",
        {"options": {"protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
                     "hasUserVerification": True, "isUserVerified": True}},
    )
    return session


def test_a_teacher_adds_a_passkey_and_signs_in_with_it(demo, phone, live_server, settings):
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    assert live_server.url.startswith("http://localhost:")
    virtual_authenticator(phone)
    teacher = User.objects.get(email=TEACHER)

    phone.goto(f"{live_server.url}/inloggen/")
    phone.fill("input[name=username]", TEACHER)
    phone.fill("input[name=password]", PASSWORD)
    phone.click(SUBMIT)
    expect(phone).to_have_url(re.compile(r"/inloggen/tweede-factor/"))
    # No passkey yet: the code step offers none.
    expect(phone.locator("button[data-passkey]")).to_have_count(0)
    phone.fill("input[name=code]", totp_code(teacher))
    phone.keyboard.press("Enter")
    expect(phone).to_have_url(f"{live_server.url}/")

    phone.goto(f"{live_server.url}/mijn-account/")
    add = phone.locator("button[data-passkey=register]")
    expect(add).to_be_visible()
    add.click()
    expect(phone.locator("ul.passkeys li")).to_have_count(1)
    assert page_width(phone) <= 360  # the teacher's long e-mail address wraps in its card
    assert WebAuthnCredential.objects.filter(user=teacher, confirmed=True).count() == 1

    phone.click("header button:has-text('Uitloggen')")
    expect(phone).to_have_url(re.compile(r"/inloggen/"))

    # Signed out, the teacher opens the staff page of today's attendance of group 3.
    daan, group3 = demo.students["Daan Smit"], demo.groups["99AA", "3"]
    staff_page = f"{live_server.url}/absenties/groep/{group3.pk}/"
    phone.goto(staff_page)
    expect(phone).to_have_url(re.compile(r"/inloggen/\?next="))
    phone.fill("input[name=username]", TEACHER)
    phone.fill("input[name=password]", PASSWORD)
    phone.click(SUBMIT)
    expect(phone).to_have_url(re.compile(r"/inloggen/tweede-factor/\?next="))
    use = phone.locator("button[data-passkey=sign-in]")
    expect(use).to_be_visible()
    assert page_width(phone) <= 360
    use.focus()
    phone.keyboard.press("Enter")
    expect(phone).to_have_url(staff_page)
    expect(phone.locator(f"#pupil-{daan.pk}")).to_have_attribute("data-status", "present")
    assert WebAuthnCredential.objects.get(user=teacher).last_used_at is not None
