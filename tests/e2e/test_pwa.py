"""The installable app in a real Chromium: the service worker, the offline copy, push messages,
the install hint and the push panel's states."""

import json
import re
import time

from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.test_foundation_flows import assert_fits_the_phone, log_in

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Mobile/15E148 Safari/604.1"
)
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "nl-NL"}
PAGES_CACHE = "schoolpoort-pages-v1"
# The preferences page of notify will hold this panel; here it is put into a page by the test.
PUSH_PANEL = """<div data-push-panel><p data-push-status></p>
  <button type="button" data-push="subscribe">Aanzetten</button>
  <button type="button" data-push="unsubscribe" hidden>Uitzetten</button></div>"""
# A P-256 public key as notify:vapid_key serves it (base64url, uncompressed point).
VAPID_PUBLIC_KEY = "BN2xApnehNum9furMiED4Zy--GCRdzGZMFan5l2_q6rGs73icEFCc7qddp_2ZUn3WHnXtqA09arADraXOITSZjQ"


def wait_for_worker(page) -> dict:
    """Waits until the service worker is activated and controls the page. It polls rather than
    waiting for events, which may have fired before a listener was added, and gives up after 15 s
    (``page.evaluate`` itself has no timeout: a promise that never settles would hang the suite)."""
    return page.evaluate(
        """async () => {
            const deadline = Date.now() + 15000;
            const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
            let registration = await navigator.serviceWorker.getRegistration();
            while (!(registration && registration.active) && Date.now() < deadline) {
                await pause();
                registration = await navigator.serviceWorker.getRegistration();
            }
            while (registration && registration.active && (registration.active.state !== "activated"
                   || !navigator.serviceWorker.controller) && Date.now() < deadline) {
                await pause();
            }
            const worker = registration && registration.active;
            if (!worker || !navigator.serviceWorker.controller) {
                throw new Error("the service worker did not take control within 15 s");
            }
            return {scope: registration.scope, state: worker.state, script: worker.scriptURL};
        }"""
    )


def kept_pages(page) -> list[str]:
    return page.evaluate(
        f"""async () => (await (await caches.open("{PAGES_CACHE}")).keys()).map((request) => request.url)"""
    )


def test_the_service_worker_registers_and_controls_the_site(phone, live_server, db):
    phone.goto(f"{live_server.url}{reverse('accounts:login')}")
    assert wait_for_worker(phone) == {
        "scope": f"{live_server.url}/", "state": "activated", "script": f"{live_server.url}/sw.js",
    }
    # Installed with the offline page and the style sheets in its cache.
    cached = phone.evaluate(
        """async () => {
            const found = [];
            for (const url of ["/offline/", "/static/web/schoolpoort.css", "/static/web/pwa.css"]) {
                if (await caches.match(url)) found.push(url);
            }
            return found;
        }"""
    )
    assert cached == ["/offline/", "/static/web/schoolpoort.css", "/static/web/pwa.css"]
    # Not a phone (Playwright's desktop user agent): no install hint.
    expect(phone.locator("#install-hint")).to_be_hidden()


def test_the_last_home_page_stays_readable_offline_until_sign_out(demo, phone, live_server):
    log_in(phone, live_server.url, "jansen@ouders.example")
    expect(phone.locator("main")).to_contain_text("Noor Jansen")
    wait_for_worker(phone)
    phone.reload()  # now through the worker, which keeps this copy
    expect(phone.locator("main")).to_contain_text("Noor Jansen")
    assert kept_pages(phone) == [f"{live_server.url}/"]

    phone.context.set_offline(True)
    phone.reload()
    expect(phone.locator("main")).to_contain_text("Noor Jansen")
    expect(phone.locator(".offline-notice")).to_be_visible()
    # A page that was never kept: the offline page, styled from the cache.
    phone.goto(f"{live_server.url}{reverse('accounts:account')}")
    expect(phone.locator("main h1")).to_have_text("Je bent offline")
    expect(phone.locator(".offline-notice")).to_have_count(0)
    assert phone.evaluate("getComputedStyle(document.querySelector('.topbar')).backgroundColor") == "rgb(15, 92, 88)"
    assert_fits_the_phone(phone)

    # Signing out forgets the kept copy: the next person on this phone does not see it offline.
    phone.context.set_offline(False)
    phone.goto(f"{live_server.url}/")
    phone.locator(f"form[action='{reverse('accounts:logout')}'] button").click()
    expect(phone).to_have_url(f"{live_server.url}{reverse('accounts:login')}")
    deadline = time.monotonic() + 5
    while kept_pages(phone) and time.monotonic() < deadline:
        phone.wait_for_timeout(50)
    assert kept_pages(phone) == []
    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}/")
    expect(phone.locator("main h1")).to_have_text("Je bent offline")
    expect(phone.locator("main")).not_to_contain_text("Noor Jansen")
    phone.context.set_offline(False)


def registration_id(page, scope: str):
    """A DevTools protocol session on the page and the worker's registration id (ServiceWorker domain)."""
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not any(r["scopeURL"] == scope for r in registrations) and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    found = next(r["registrationId"] for r in registrations if r["scopeURL"] == scope and not r["isDeleted"])
    return cdp, found


def shown_notifications(page, count: int) -> list[dict]:
    return page.evaluate(
        """async (count) => {
            const registration = await navigator.serviceWorker.ready;
            for (let i = 0; i < 200; i++) {
                const shown = await registration.getNotifications();
                if (shown.length >= count) {
                    return shown.map((n) => ({title: n.title, body: n.body, tag: n.tag, icon: n.icon,
                                              badge: n.badge, data: n.data}));
                }
                await new Promise((resolve) => setTimeout(resolve, 50));
            }
            return [];
        }""",
        count,
    )


def test_a_push_message_shows_a_notification_that_links_to_its_page(phone, live_server, db):
    phone.context.grant_permissions(["notifications"], origin=live_server.url)
    phone.goto(f"{live_server.url}{reverse('accounts:login')}")
    wait_for_worker(phone)
    cdp, registration = registration_id(phone, f"{live_server.url}/")

    def push(payload):
        cdp.send("ServiceWorker.deliverPushMessage",
                 {"origin": live_server.url, "registrationId": registration, "data": json.dumps(payload)})

    push({"title": "Nieuws uit groep 3", "body": "Morgen gym", "url": "/nieuws/7/", "tag": "news.post:7"})
    [notification] = shown_notifications(phone, 1)
    assert notification == {
        "title": "Nieuws uit groep 3", "body": "Morgen gym", "tag": "news.post:7",
        "icon": f"{live_server.url}/static/web/icons/icon-192.png",
        "badge": f"{live_server.url}/static/web/icons/badge-96.png",
        "data": {"url": f"{live_server.url}/nieuws/7/"},
    }
    # A link to another site is never opened from a notification: it opens the home page instead.
    push({"title": "Elders", "body": "", "url": "https://elders.example/phishing", "tag": "other"})
    other = next(n for n in shown_notifications(phone, 2) if n["tag"] == "other")
    assert other["data"] == {"url": f"{live_server.url}/"}


def in_english(context, live_server):
    """These tests read the texts of the English interface (the Dutch ones are the default)."""
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    return context


def iphone_context(browser, live_server, **extra):
    context = browser.new_context(user_agent=IPHONE, device_scale_factor=2, **PHONE, **extra)
    context.set_default_timeout(10_000)
    return in_english(context, live_server)


def test_an_iphone_gets_the_home_screen_steps_until_it_closes_them(browser, live_server, db):
    context = iphone_context(browser, live_server)
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    hint = page.get_by_role("region", name="Put Schoolpoort on your home screen")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("Add to Home Screen")
    expect(hint).to_contain_text("notifications only work in the app on your home screen")
    expect(hint.get_by_role("button", name="Install")).to_be_hidden()  # Safari cannot install by script
    assert_fits_the_phone(page)
    # The hint does not cover the end of the page: scrolled down, the footer is above it.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    footer, box = page.locator("footer").bounding_box(), hint.bounding_box()
    assert footer["y"] + footer["height"] <= box["y"] + 1

    # Keyboard: the close button is reachable and Enter closes; the choice is remembered.
    close = hint.get_by_role("button", name="Close the tip about the home screen")
    close.focus()
    page.keyboard.press("Enter")
    expect(hint).to_be_hidden()
    page.reload()
    expect(page.locator("#install-hint")).to_be_hidden()
    context.close()


def test_android_offers_the_browsers_install_dialog(browser, live_server, db):
    context = browser.new_context(user_agent=ANDROID, **PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    hint = page.locator("#install-hint")
    expect(hint).to_be_hidden()  # until the browser says the site can be installed
    page.evaluate(
        """() => {
            const event = new Event("beforeinstallprompt", {cancelable: true});
            event.prompt = () => { window.prompted = true; };
            event.userChoice = Promise.resolve({outcome: "accepted"});
            window.dispatchEvent(event);
        }"""
    )
    expect(hint).to_be_visible()
    expect(hint.get_by_text("Add to Home Screen")).to_be_hidden()
    hint.get_by_role("button", name="Install").click()
    expect(hint).to_be_hidden()
    assert page.evaluate("window.prompted") is True
    context.close()


def test_the_install_hint_stays_away_in_the_installed_app(browser, live_server, db):
    context = iphone_context(browser, live_server)
    context.add_init_script("Object.defineProperty(navigator, 'standalone', {value: true})")
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.wait_for_load_state("load")
    expect(page.locator("#install-hint")).to_be_hidden()
    context.close()


def open_push_panel(page, live_server, *, push_urls=True):
    """The login page with notify's push panel in it, and notify's endpoints played by the test."""
    in_english(page.context, live_server)
    page_url = f"{live_server.url}/test/meldingen/"
    posted = []

    def serve_page(route):
        html = route.fetch(url=f"{live_server.url}{reverse('accounts:login')}").text()
        html = html.replace('<main id="main" class="page" tabindex="-1">',
                            f'<main id="main" class="page" tabindex="-1">{PUSH_PANEL}')
        push = ('{"vapidKey": "/test/key/", "subscribe": "/test/subscribe/", "unsubscribe": "/test/unsubscribe/"}'
                if push_urls else '{"vapidKey": null, "subscribe": null, "unsubscribe": null}')
        html = re.sub(r'"push": \{[^}]*\}', lambda _m: '"push": ' + push, html, count=1)
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    page.route(page_url, serve_page)
    page.route(f"{live_server.url}/test/key/", lambda route: route.fulfill(json={"publicKey": VAPID_PUBLIC_KEY}))

    def subscribe(route):
        posted.append(route.request.post_data_json)
        route.fulfill(status=201, json={})

    page.route(f"{live_server.url}/test/subscribe/", subscribe)
    page.goto(page_url)
    return page.locator("[data-push-panel]"), posted


def test_the_push_panel_offers_to_switch_notifications_on(phone, live_server, db):
    phone.context.grant_permissions(["notifications"], origin=live_server.url)
    panel, posted = open_push_panel(phone, live_server)
    expect(panel.locator("[data-push-status]")).to_have_text("Notifications are off for this device.")
    subscribe = panel.get_by_role("button", name="Aanzetten")
    expect(subscribe).to_be_visible()
    expect(panel.get_by_role("button", name="Uitzetten")).to_be_hidden()
    # Headless Chromium has no push service: subscribing fails, and the panel says so calmly.
    subscribe.click()
    expect(panel.locator("[data-push-status]")).to_have_text("That did not work. Check your connection and try again.")
    expect(subscribe).to_be_enabled()
    assert posted == []


def test_the_push_panel_says_when_the_browser_blocks_notifications(phone, live_server, db):
    cdp = phone.context.new_cdp_session(phone)
    context_id = cdp.send("Target.getTargetInfo")["targetInfo"]["browserContextId"]
    cdp.send("Browser.setPermission", {"permission": {"name": "notifications"}, "setting": "denied",
                                       "origin": live_server.url, "browserContextId": context_id})
    panel, _posted = open_push_panel(phone, live_server)
    expect(panel.locator("[data-push-status]")).to_contain_text("blocked")
    expect(panel.locator("button")).to_have_count(2)
    for button in panel.locator("button").all():
        expect(button).to_be_hidden()


def test_the_push_panel_explains_the_home_screen_on_an_iphone(browser, live_server, db):
    context = iphone_context(browser, live_server)
    page = context.new_page()
    panel, _posted = open_push_panel(page, live_server)
    expect(panel.locator("[data-push-status]")).to_contain_text("Add to Home Screen")
    expect(panel.get_by_role("button", name="Aanzetten")).to_be_hidden()
    context.close()


def test_the_push_panel_without_the_push_endpoints_says_it_is_not_available(phone, live_server, db):
    panel, _posted = open_push_panel(phone, live_server, push_urls=False)
    expect(panel.locator("[data-push-status]")).to_have_text("This browser cannot receive notifications.")
