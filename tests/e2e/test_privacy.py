"""Privacy in a real Chromium: the director changes a retention term and records an erasure
request; the board admin, a second admin of the school, confirms it. The parents' statement is
one click from Mijn account, on a phone."""

from playwright.sync_api import expect

from tests.e2e.test_foundation_flows import log_in


def test_a_term_is_changed_and_an_erasure_is_confirmed_by_a_second_admin(browser, live_server, demo):
    director = browser.new_context(locale="nl-NL").new_page()
    log_in(director, live_server.url, "directie@regenboog.example")
    school = demo.schools["99AA"].pk
    director.locator(f"a[href$='/privacy/school/{school}/']").first.click()
    row = director.locator("[id='term-albums.photos']")
    row.locator("input[name='albums.photos-amount']").fill("6")
    row.locator("button[type=submit]").first.click()
    expect(director.locator("[id='term-albums.photos']")).to_contain_text("6")
    expect(director.locator("[id='term-albums.photos'] .badge")).to_be_visible()

    lotte = director.locator("select[name=student] option", has_text="Lotte de Vries").get_attribute("value")
    director.select_option("select[name=student]", value=lotte)
    director.fill("textarea[name=reason]", "Per brief van beide ouders")
    director.locator("form[action$='/wissen/'] button[type=submit]").click()
    expect(director.locator(".notice")).to_be_visible()  # a second admin must confirm
    expect(director.locator("button[value=confirm]")).to_have_count(0)
    request_url = director.url

    board = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL").new_page()
    log_in(board, live_server.url, "bestuur@stichting.example")
    board.goto(request_url)
    board.click("button[value=confirm]")
    expect(board.locator(".message--success")).to_be_visible()
    expect(board.locator("button[value=confirm]")).to_have_count(0)


def test_a_parent_opens_the_privacy_statement_from_my_account(phone, live_server, demo):
    log_in(phone, live_server.url, "jansen@ouders.example")
    phone.goto(f"{live_server.url}/mijn-account/")
    phone.locator("main a[href='/privacy/']").click()
    expect(phone).to_have_url(f"{live_server.url}/privacy/99AA/")
    expect(phone.locator("h1")).to_contain_text("OBS De Regenboog")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
