"""The news editor in a real Chromium, under the strict CSP: the teacher of groep 6 writes a list
and puts a photo in the text, attaches a photo, asks how many families get it (the photo is kept),
publishes, and the post shows the list as a list and both photos."""

import io
import os

import pytest
from playwright.sync_api import expect

from tests.e2e.test_foundation_flows import assert_fits_the_phone, log_in
from tests.e2e.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Knutselen met schoteltjes"

# Every CSP refusal on the page, from its first script on (Playwright's init script is not page script).
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


def _photo(colour: str) -> dict:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), colour).save(buffer, "JPEG")
    return {"name": f"{colour}.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def _natural_width(locator) -> int:
    locator.scroll_into_view_if_needed()
    expect(locator).to_be_visible()
    assert wait_until(locator.page, "(img) => img.complete", locator.element_handle())
    return locator.evaluate("(img) => img.naturalWidth")


def test_the_teacher_posts_a_list_and_a_photo_through_the_editor(demo, page, live_server):
    page.add_init_script(WATCH_CSP)
    log_in(page, live_server.url, "leerkracht.groep6@regenboog.example")
    page.goto(f"{live_server.url}/nieuws/nieuw/")
    page.fill("input[name=title]", TITLE)

    editor = page.locator(".tiptap.ProseMirror")
    expect(editor).to_be_visible()
    expect(page.locator("textarea[name=body]")).to_be_hidden()
    expect(page.get_by_role("textbox", name="Bericht")).to_be_visible()  # labelled for screen readers
    # The toolbar's buttons are named in the page's language (English until the Dutch words are in).
    expect(page.locator(".prose-menubar button[aria-label='Genummerde lijst']")).to_have_count(1)
    editor.click()
    page.keyboard.type("Neem mee:")
    page.keyboard.press("Enter")
    page.keyboard.type("- een schoteltje")  # "- " starts a list, as in any word processor
    page.keyboard.press("Enter")
    page.keyboard.type("een lepel")
    expect(editor.locator("ul > li")).to_have_count(2)
    page.keyboard.press("Control+b")  # bold by keyboard, as the toolbar's button
    page.keyboard.type(" en een vork")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # out of the list

    # A photo in the text: uploaded at once, placed where the cursor is.
    page.set_input_files("#id_body_image", files=[_photo("green")])
    expect(editor.locator("img")).to_have_count(1)
    assert _natural_width(editor.locator("img")) == 320

    page.set_input_files("input[name=attachments]", files=[_photo("blue")])
    page.click("button[name=preview]")
    expect(page.locator(".news-preview")).to_be_visible()
    # The count did not drop the photo: it is kept, with a remove button; the text is as written.
    expect(page.locator(".kept-files")).to_contain_text("blue.jpg")
    expect(page.locator(".kept-files [data-kept-remove]")).to_be_visible()
    expect(page.locator(".tiptap.ProseMirror ul > li")).to_have_count(2)
    expect(page.locator(".tiptap.ProseMirror img")).to_have_count(1)

    page.click("button[name=save]")
    body = page.locator(".news-body")
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(body.locator("ul > li")).to_have_text(["een schoteltje", "een lepel en een vork"])
    expect(body.locator("ul > li strong")).to_have_text("en een vork")
    assert _natural_width(body.locator("img")) == 320
    gallery = page.locator(".news-images img")
    expect(gallery).to_have_count(2)  # the attached photo, and (for its writer, to tag) the one in the text
    assert _natural_width(gallery.first) == 320

    assert page.evaluate("window.__cspViolations") == []


def test_the_editor_fits_a_phone(demo, phone, live_server):
    phone.add_init_script(WATCH_CSP)
    log_in(phone, live_server.url, "leerkracht.groep6@regenboog.example")
    phone.goto(f"{live_server.url}/nieuws/nieuw/")
    expect(phone.locator(".tiptap.ProseMirror")).to_be_visible()
    # The editor's toolbar is built by its script and laid out by its stylesheet: on a busy
    # machine the first frame can come before the stylesheet applies. Wait for the layout.
    wait_until(phone, "document.documentElement.scrollWidth <= 360")  # the assertion below says how wide it stayed
    assert_fits_the_phone(phone)
    if os.environ.get("EDITOR_PHONE_SHOT"):
        phone.screenshot(path=os.environ["EDITOR_PHONE_SHOT"])
    assert phone.evaluate("window.__cspViolations") == []
