"""The app shell on a 360 px phone, in a real Chromium against the demo school: every parent flow
starts from the tab bar (report sick, book a conference, write the teacher, open a photo, sign up,
read news); the home page is at most three screens high before its "meer" link, and no page
scrolls sideways.

With SCHOOLPOORT_SCREENSHOTS=1 the last test writes the README's screenshots to docs/screenshots/
(a parent at 360 px, a teacher on a 1280 px laptop), so they show the product as it is."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from schoolpoort.conferences.models import Booking, Round
from schoolpoort.signups.models import Form, Option
from tests.e2e.test_foundation_flows import assert_fits_the_phone, log_in, signed_in_phone
from tests.e2e.waiting import wait_until

JANSEN = "jansen@ouders.example"  # Noor (groep 3) and Sem (groep 6), De Regenboog
SCREEN = 740  # the phone's height
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def tab(page, key: str):
    return page.locator(f".tabbar a[data-tab={key}]")


def open_tab(page, key: str):
    """Tap a tab of the bar at the bottom of the phone; it is then the current one."""
    link = tab(page, key)
    expect(link).to_be_visible()
    link.click()
    expect(tab(page, key)).to_have_attribute("aria-current", "page")
    assert_fits_the_phone(page)


def count_on(page, key: str) -> int:
    badge = tab(page, key).locator(".tabbar__count")
    return int(badge.inner_text()) if badge.count() else 0


def test_the_home_page_is_at_most_three_screens_before_meer_and_nothing_scrolls_sideways(demo, browser, live_server):
    for email in [JANSEN, "devries@ouders.example", "elmoussaoui@ouders.example", "smit@ouders.example"]:
        phone = signed_in_phone(browser, live_server, email)
        more = phone.locator("#home-more")
        expect(more).to_be_visible()
        bottom = phone.evaluate("document.querySelector('#home-more').getBoundingClientRect().bottom + window.scrollY")
        assert bottom <= 3 * SCREEN, f"{email}: the 'meer' link ends at {bottom} px"
        assert_fits_the_phone(phone)
        # The bar stays at the bottom of the screen, one row on top; the top bar is one row.
        assert phone.evaluate("document.querySelector('.topbar').getBoundingClientRect().height") <= 64
        box = phone.locator(".tabbar").bounding_box()
        assert box["y"] + box["height"] == pytest.approx(SCREEN, abs=1)
        for key in ["news", "agenda", "messages", "more"]:
            open_tab(phone, key)
        phone.context.close()


def test_the_tab_bar_works_by_keyboard_alone(demo, browser, live_server):
    phone = signed_in_phone(browser, live_server, JANSEN)
    tab(phone, "more").focus()
    assert phone.evaluate("document.activeElement.dataset.tab") == "more"
    phone.keyboard.press("Enter")
    expect(phone).to_have_url(f"{live_server.url}/meer/")
    expect(tab(phone, "more")).to_have_attribute("aria-current", "page")
    # Every module of the school is one tap away from here.
    for code in ["news", "calendar", "conferences", "messaging", "absences", "albums", "documents", "signups"]:
        expect(phone.locator(f".more-list a[data-module={code}]")).to_have_count(1)


def test_a_parent_reports_a_child_sick_through_meer(demo, browser, live_server):
    sem = demo.students["Sem Jansen"]  # Noor is reported sick already in the demo
    phone = signed_in_phone(browser, live_server, JANSEN)
    open_tab(phone, "more")
    phone.locator(".more-list a[data-module=absences]").click()
    expect(tab(phone, "more")).to_have_attribute("aria-current", "page")
    phone.locator("main a[href='/absenties/melden/']").first.click()
    phone.check(f"input[name=student][value='{sem.pk}']")
    phone.check("input[name=reason][value=sick]")
    phone.fill("textarea[name=note]", "Sem heeft koorts.")
    assert_fits_the_phone(phone)
    phone.click("main form.card button[type=submit]")
    expect(phone).to_have_url(f"{live_server.url}/absenties/")
    expect(phone.locator("#current-absences .absences-item", has_text="Sem")).to_have_count(1)


def test_a_parent_books_a_conference_from_the_home_timeline(demo, browser, live_server):
    round = Round.objects.get()
    phone = signed_in_phone(browser, live_server, "devries@ouders.example")
    open_tab(phone, "more")
    open_tab(phone, "home")
    # Booking is open: it is among what needs the parent, first on the page.
    action = phone.locator("[data-section=action]")
    action.locator(f"section.conf-home a[href='/gesprekken/{round.pk}/']").first.click()
    lotte = phone.locator("section.conf-child", has_text="Lotte")
    lotte.locator("label.conf-slot").first.click()
    lotte.locator("button[data-action=book]").click()
    expect(phone.locator(".message--success")).to_be_visible()
    assert Booking.objects.active().filter(student=demo.students["Lotte de Vries"]).exists()
    assert_fits_the_phone(phone)


def test_a_parent_writes_the_teacher_through_berichten(demo, browser, live_server):
    teacher = demo.users["leerkracht.groep3@regenboog.example"]
    noor = demo.students["Noor Jansen"]
    phone = signed_in_phone(browser, live_server, JANSEN)
    open_tab(phone, "messages")
    phone.locator("main a[href='/berichten/nieuw/']").first.click()
    phone.select_option("#id_recipient", value=f"teacher:{teacher.pk}:{noor.pk}")
    phone.fill("#id_subject", "Gymtas")
    phone.fill("#id_body", "Heeft Noor haar gymtas laten liggen?")
    phone.click("#compose button[name=send]")
    expect(phone).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/berichten/\d+/$"))
    expect(tab(phone, "messages")).to_have_attribute("aria-current", "page")
    assert_fits_the_phone(phone)


def test_a_parent_opens_a_new_photo_from_the_home_page(demo, browser, live_server):
    phone = signed_in_phone(browser, live_server, JANSEN)
    thumbs = phone.locator("#albums-home .albums-home__thumbs img")
    thumbs.first.scroll_into_view_if_needed()
    expect(thumbs.first).to_be_visible()
    # Served by the access-checked photo view, not broken (it loads once it is on the screen).
    loaded = wait_until(phone, "document.querySelector('#albums-home img').naturalWidth > 0")
    assert loaded, "the thumbnail did not load"
    phone.locator("#albums-home .albums-home__thumbs a").first.click()
    expect(phone).to_have_url(re.compile(r"/fotoalbums/\d+/foto/\d+/$"))
    expect(tab(phone, "more")).to_have_attribute("aria-current", "page")
    assert_fits_the_phone(phone)


def test_the_home_page_shows_no_photo_of_a_child_without_image_consent(demo, browser, live_server):
    from schoolpoort.albums.models import Photo

    daan = demo.students["Daan Smit"]
    tagged = Photo.objects.filter(tags__student=daan)
    assert tagged.exists()
    phone = signed_in_phone(browser, live_server, JANSEN)
    html = phone.locator("main").inner_html()
    for photo in tagged:
        assert photo.thumb_url not in html


def test_a_parent_signs_up_through_meer(demo, browser, live_server):
    form = Form.objects.get(title="Rijden naar de kinderboerderij")
    there = Option.objects.filter(question__form=form).order_by("question__position", "position").first()
    phone = signed_in_phone(browser, live_server, JANSEN)
    open_tab(phone, "more")
    phone.locator(".more-list a[data-module=signups]").click()
    phone.locator("#open-forms").get_by_role("link", name=form.title).click()
    phone.locator(f'[data-option="{there.pk}"] input').check()
    phone.locator("button[name=save]").first.click()
    expect(phone.locator(".messages .message--success")).to_be_visible()
    assert_fits_the_phone(phone)


def test_a_parent_reads_news_through_nieuws(demo, browser, live_server):
    phone = signed_in_phone(browser, live_server, JANSEN)
    before = count_on(phone, "news")
    open_tab(phone, "news")
    item = phone.locator(".news-item--new").first
    link = item.locator(".news-item__title a")
    title = link.inner_text()
    link.focus()  # by keyboard: a title over two lines has no single point to tap in a test
    phone.keyboard.press("Enter")
    expect(phone.locator("main")).to_contain_text(title.replace("Ongelezen:", "").replace("Unread:", "").strip())
    expect(tab(phone, "news")).to_have_attribute("aria-current", "page")
    assert count_on(phone, "news") <= before
    assert_fits_the_phone(phone)


@pytest.mark.skipif(not os.environ.get("SCHOOLPOORT_SCREENSHOTS"), reason="set SCHOOLPOORT_SCREENSHOTS=1 to write them")
def test_write_the_readme_screenshots(demo, browser, live_server):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 360, "height": SCREEN}, device_scale_factor=2, locale="nl-NL",
                                  timezone_id="Europe/Amsterdam")
    phone = context.new_page()
    log_in(phone, live_server.url, JANSEN)
    phone.wait_for_load_state("networkidle")
    phone.screenshot(path=str(SCREENSHOTS / "phone-home.png"))
    shots = os.environ.get("SCHOOLPOORT_SHOTS_DIR")  # the full home page, for a before/after comparison
    if shots:
        phone.screenshot(path=str(Path(shots) / "after-parent-home.png"), full_page=True)
    for key, name in [("news", "phone-news.png"), ("agenda", "phone-agenda.png"), ("messages", "phone-messages.png")]:
        open_tab(phone, key)
        phone.wait_for_load_state("networkidle")
        phone.screenshot(path=str(SCREENSHOTS / name))
    context.close()

    laptop_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL",
                                         timezone_id="Europe/Amsterdam")
    laptop = laptop_context.new_page()
    log_in(laptop, live_server.url, "leerkracht.groep3@regenboog.example")
    laptop.goto(f"{live_server.url}/")
    laptop.wait_for_load_state("networkidle")
    laptop.screenshot(path=str(SCREENSHOTS / "teacher-home.png"))
    laptop.goto(f"{live_server.url}/nieuws/nieuw/")
    laptop.wait_for_load_state("networkidle")
    laptop.screenshot(path=str(SCREENSHOTS / "teacher-news-editor.png"))
    laptop_context.close()
    for name in ["phone-home", "phone-news", "phone-agenda", "phone-messages", "teacher-home", "teacher-news-editor"]:
        size = (SCREENSHOTS / f"{name}.png").stat().st_size
        assert size < 400_000, f"{name}.png is {size} bytes"
