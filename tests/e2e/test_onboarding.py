"""Onboarding in a real Chromium on a 360 px phone, against the demo school: the administration
asks for the registration letters of groep 6, the worker makes them, the PDF is downloaded; a new
parent registers with the code read from that letter (the code the demo printed no longer works)."""

import io

from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from schoolpoort.accounts.models import User
from schoolpoort.core.models import Guardianship
from schoolpoort.onboarding.letters import letter_slots
from schoolpoort.onboarding.models import LetterBatch
from tests.e2e.test_foundation_flows import SUBMIT, assert_fits_the_phone, log_in
from tests.onboarding.helpers import CODE_RE, run_worker

PASSWORD = "Een-lang-wachtwoord-42"


def english_phone(browser, live_server, email=None):
    if email:
        User.objects.filter(email=email).update(language="en")
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL", accept_downloads=True)
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    if email:
        log_in(page, live_server.url, email)
        expect(page).to_have_url(f"{live_server.url}/")
    return page


def test_the_office_prints_letters_for_groep_6_and_a_parent_registers_with_one(demo, browser, live_server):
    office = english_phone(browser, live_server, "administratie@regenboog.example")
    school = demo.schools["99AA"]
    # From the home page to the registration dashboard.
    office.locator("#onboarding-home").get_by_role("link", name="Letters, invitations and reminders").click()
    expect(office).to_have_url(f"{live_server.url}{reverse('onboarding:school', args=[school.pk])}")
    assert_fits_the_phone(office)

    letters = office.get_by_role("region", name="Registration letters")
    letters.get_by_label("For").select_option(label="Groep 6")
    letters.get_by_label("Every guardian who has not registered").check()
    letters.get_by_role("button", name="Make letters").click()
    expect(office.locator(".messages")).to_contain_text("The letters are being made")
    expect(office.locator("#batches")).to_contain_text("waiting")

    run_worker()
    # The page asks again every few seconds while letters are being made (htmx).
    expected = len(letter_slots(school, demo.groups["99AA", "6"]))  # Finn's mother and generated parents
    link = office.locator("#batches").get_by_role("link", name=f"Download {expected} letters (PDF)")
    expect(link).to_be_visible(timeout=10_000)
    with office.expect_download() as download_info:
        link.click()
    pdf = download_info.value.path().read_bytes()
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == expected == LetterBatch.objects.get().page_count  # one page per slot
    (text,) = [page.extract_text() for page in pages if "Anouk Meijer" in page.extract_text()]
    assert "Finn" in text and "Groep 6" in text and "OBS De Regenboog" in text
    code = CODE_RE.search(text).group(1)
    assert code.replace("-", "") != demo.registration_code.replace("-", "")

    # A new parent types the code from the letter on the registration page.
    parent = english_phone(browser, live_server)
    parent.goto(f"{live_server.url}{reverse('accounts:register')}")
    parent.fill("input[name=code]", code)
    parent.fill("input[name=first_name]", "Anouk")
    parent.fill("input[name=last_name]", "Meijer")
    parent.fill("input[name=email]", "anouk.meijer@ouders.example")
    parent.fill("input[name=password1]", PASSWORD)
    parent.fill("input[name=password2]", PASSWORD)
    parent.click(SUBMIT)
    expect(parent).to_have_url(f"{live_server.url}/")
    expect(parent.locator("main")).to_contain_text("Finn Visser")
    assert_fits_the_phone(parent)
    slot = Guardianship.objects.get(user__email="anouk.meijer@ouders.example")
    assert slot.student.full_name == "Finn Visser"

    # The code the demo printed earlier belongs to an older letter: it no longer works.
    other = english_phone(browser, live_server)
    other.goto(f"{live_server.url}{reverse('accounts:register')}?code={demo.registration_code}")
    other.fill("input[name=first_name]", "Iemand")
    other.fill("input[name=last_name]", "Anders")
    other.fill("input[name=email]", "iemand@ouders.example")
    other.fill("input[name=password1]", PASSWORD)
    other.fill("input[name=password2]", PASSWORD)
    other.click(SUBMIT)
    expect(other.locator("main .errorlist")).to_be_visible()


def test_a_parent_finds_help_from_the_login_page_on_a_phone(demo, browser, live_server):
    parent = english_phone(browser, live_server)
    parent.goto(f"{live_server.url}{reverse('onboarding:help')}")
    summary = parent.locator("#no-activation-mail summary")
    summary.focus()
    parent.keyboard.press("Enter")  # a <details> opens with the keyboard alone
    expect(parent.locator("#no-activation-mail")).to_contain_text("spam")
    assert_fits_the_phone(parent)
