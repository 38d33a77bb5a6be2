"""The main flows of the foundation in a real Chromium, on a 360 px phone, against the demo school."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

PASSWORD = "Demo-wachtwoord-2026"
SUBMIT = "main form.card button[type=submit]"


def log_in(page, base_url, email, password=PASSWORD):
    """Sign in with the password and, when the page asks for it (staff), the code of the user's
    authenticator app, computed as a phone would from the demo's TOTP secret (DEMO.md)."""
    page.goto(f"{base_url}/inloggen/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click(SUBMIT)
    page.wait_for_load_state()
    if "/inloggen/tweede-factor/" in page.url and "/instellen/" not in page.url:
        from schoolpoort.accounts.models import User
        from tests.accounts.accounts_helpers import totp_code

        page.fill("input[name=code]", totp_code(User.objects.get(email__iexact=email)))
        page.click(SUBMIT)
        page.wait_for_load_state()


def signed_in_phone(browser, live_server, email):
    """A fresh 360 px phone with its own cookies, logged in as ``email``, on the home page."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL")
    page = context.new_page()
    log_in(page, live_server.url, email)
    expect(page).to_have_url(f"{live_server.url}/")
    return page


def page_width(page) -> int:
    """The page's scroll width once it has loaded; a click just before may still be navigating,
    so a document replaced under the measurement is measured again."""
    for attempt in range(3):
        page.wait_for_load_state()
        try:
            return page.evaluate("document.documentElement.scrollWidth")
        except PlaywrightError:
            if attempt == 2:
                raise


def assert_fits_the_phone(page):
    width = page_width(page)
    assert width <= 360, f"the page is {width} px wide on a 360 px phone"


@pytest.mark.parametrize(
    "email, expected",
    [
        ("jansen@ouders.example", ["Noor Jansen", "Sem Jansen", "Groep 3", "Groep 6", "OBS De Regenboog"]),
        ("elmoussaoui@ouders.example", ["Yasmina El Moussaoui", "Adam El Moussaoui", "KBS De Ark"]),
        ("leerkracht.groep3@regenboog.example", ["OBS De Regenboog", "Groep 3"]),
        ("directie@regenboog.example", ["OBS De Regenboog", "Nog niet geregistreerd"]),
    ],
)
def test_each_role_logs_in_and_lands_on_its_own_home(demo, phone, live_server, email, expected):
    log_in(phone, live_server.url, email)
    expect(phone).to_have_url(f"{live_server.url}/")
    main = phone.locator("main")
    for text in expected:
        expect(main).to_contain_text(text)
    assert_fits_the_phone(phone)


def test_a_parent_sees_only_their_own_children(demo, phone, live_server):
    log_in(phone, live_server.url, "devries@ouders.example")
    main = phone.locator("main")
    expect(main).to_contain_text("Lotte de Vries")
    expect(main).not_to_contain_text("Noor Jansen")
    expect(main).not_to_contain_text("Finn Visser")


def test_the_director_switches_a_module_off_and_parents_no_longer_see_it(demo, browser, live_server):
    director = browser.new_page()
    log_in(director, live_server.url, "directie@regenboog.example")
    director.get_by_role("link", name="Onderdelen").first.click()
    director.locator("#module-albums .module-list__switch").click()
    director.locator("button[name=confirm]").click()  # after reading what parents lose
    expect(director.locator("#module-albums .state--off")).to_be_visible()

    parent = browser.new_page()
    log_in(parent, live_server.url, "jansen@ouders.example")
    parent.goto(f"{live_server.url}/meer/")  # every module the parent can open, one tap under Meer
    expect(parent.locator("main")).to_contain_text("Kalender")
    expect(parent.locator("main")).not_to_contain_text("Fotoalbums")


def test_login_works_with_the_keyboard_alone(demo, phone, live_server):
    phone.goto(f"{live_server.url}/inloggen/")
    expect(phone.locator("input[name=username]")).to_be_focused()
    phone.keyboard.type("Jansen@Ouders.example")  # the e-mail field has focus; capitals do not matter
    phone.keyboard.press("Tab")
    phone.keyboard.type(PASSWORD)
    phone.keyboard.press("Enter")
    expect(phone.locator("main")).to_contain_text("Noor Jansen")


def test_a_wrong_password_keeps_the_email_and_says_why(demo, phone, live_server):
    log_in(phone, live_server.url, "jansen@ouders.example", "niet-het-wachtwoord")
    expect(phone.locator("main .errorlist")).to_be_visible()
    expect(phone.locator("input[name=username]")).to_have_value("jansen@ouders.example")


def test_a_new_parent_registers_with_the_code_from_the_letter(demo, phone, live_server):
    phone.goto(f"{live_server.url}/registreren/?code={demo.registration_code}")
    expect(phone.locator("input[name=code]")).to_have_value(demo.registration_code)
    phone.fill("input[name=first_name]", "Anna")
    phone.fill("input[name=last_name]", "Visser")
    phone.fill("input[name=email]", "anna.visser@ouders.example")
    phone.fill("input[name=password1]", "Een-lang-wachtwoord-42")
    phone.fill("input[name=password2]", "Een-lang-wachtwoord-42")
    phone.click(SUBMIT)
    expect(phone).to_have_url(f"{live_server.url}/")
    expect(phone.locator("main")).to_contain_text("Finn Visser")
    assert_fits_the_phone(phone)

    # the code was single use
    phone.click("header button:has-text('Uitloggen')")
    phone.goto(f"{live_server.url}/registreren/?code={demo.registration_code}")
    phone.fill("input[name=first_name]", "Iemand")
    phone.fill("input[name=last_name]", "Anders")
    phone.fill("input[name=email]", "iemand@ouders.example")
    phone.fill("input[name=password1]", "Een-lang-wachtwoord-42")
    phone.fill("input[name=password2]", "Een-lang-wachtwoord-42")
    phone.click(SUBMIT)
    expect(phone.locator("main .errorlist")).to_be_visible()
    expect(phone.locator("input[name=email]")).to_have_value("iemand@ouders.example")


def test_a_forgotten_password_is_reset_through_the_emailed_link(demo, phone, live_server, settings):
    settings.SITE_URL = live_server.url
    phone.goto(f"{live_server.url}/inloggen/")
    phone.get_by_role("link", name="Wachtwoord vergeten?").click()
    phone.fill("input[name=email]", "smit@ouders.example")
    phone.click(SUBMIT)
    expect(phone.locator("main h1")).to_contain_text("Kijk in je e-mail")

    (message,) = mail.outbox
    assert message.to == ["smit@ouders.example"]
    path = re.search(r"https?://[^/\s]+(/wachtwoord-vergeten/[^\s]+/)", message.body).group(1)
    phone.goto(live_server.url + path)
    phone.fill("input[name=new_password1]", "Nieuw-wachtwoord-2027")
    phone.fill("input[name=new_password2]", "Nieuw-wachtwoord-2027")
    phone.click(SUBMIT)

    log_in(phone, live_server.url, "smit@ouders.example", "Nieuw-wachtwoord-2027")
    expect(phone.locator("main")).to_contain_text("Daan Smit")
