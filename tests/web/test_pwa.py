"""The installable app: manifest, icons, service worker and the hooks in every page."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from schoolpoort.web import pwa
from tests.factories import UserFactory

MANIFEST = reverse("web:manifest")
SERVICE_WORKER = reverse("web:service_worker")


def static_file(url: str) -> str:
    assert url.startswith(settings.STATIC_URL), url
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    assert path, f"{url} is not a static file"
    return path


def png_size(url: str) -> tuple[int, int]:
    with Image.open(static_file(url)) as image:
        assert image.format == "PNG", url
        return image.size


def page_config(html: str) -> dict:
    match = re.search(r'<script id="pwa-config" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the page has no pwa-config"
    return json.loads(match.group(1))


def test_the_routes_are_at_the_root_so_the_worker_controls_the_whole_site():
    assert SERVICE_WORKER == "/sw.js"
    assert MANIFEST == "/manifest.webmanifest"


def test_the_manifest_describes_an_installable_app(client, db):
    response = client.get(MANIFEST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Schoolpoort"
    assert manifest["short_name"]
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0f5c58" and manifest["background_color"] == "#f6f5f1"
    assert manifest["lang"] == "nl"
    css = open(static_file("/static/web/schoolpoort.css")).read()
    assert "--brand: #0f5c58" in css and "--bg: #f6f5f1" in css  # the colours match the pages


def test_the_manifest_icons_exist_as_pngs_of_their_stated_size(client, db):
    icons = json.loads(client.get(MANIFEST).content)["icons"]
    for icon in icons:
        width, height = (int(n) for n in icon["sizes"].split("x"))
        assert icon["type"] == "image/png"
        assert png_size(icon["src"]) == (width, height), icon
    by_purpose = {(icon["sizes"], icon.get("purpose", "any")) for icon in icons}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= by_purpose


def test_the_maskable_icon_fills_its_square_and_the_apple_icon_has_no_transparency():
    with Image.open(static_file("/static/web/icons/icon-maskable-512.png")) as image:
        corner = image.convert("RGBA").getpixel((0, 0))
        assert corner[3] == 255, "a maskable icon is full bleed"
    assert png_size("/static/web/icons/apple-touch-icon.png") == (180, 180)
    with Image.open(static_file("/static/web/icons/apple-touch-icon.png")) as image:
        assert image.mode == "RGB"  # iOS shows transparency as black


def test_the_service_worker_is_javascript_that_is_never_cached(client, db):
    response = client.get(SERVICE_WORKER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    source = response.content.decode()
    for handler in ("install", "activate", "fetch", "push", "notificationclick"):
        assert f'addEventListener("{handler}"' in source, handler
    assert "showNotification(" in source and "openWindow(" in source


def test_the_service_worker_configuration_names_files_that_exist(client, db):
    source = client.get(SERVICE_WORKER).content.decode()
    config = json.loads(re.match(r"const CONFIG = (\{.*?\});\n", source).group(1))
    assert reverse("web:offline") in config["precache"]
    assert "/static/web/schoolpoort.css" in config["precache"]
    for url in config["precache"]:
        if url.startswith(settings.STATIC_URL):
            static_file(url)
    assert config["offlineReadable"] == ["/", "/nieuws/"]
    assert png_size(config["icon"]) == (192, 192)
    assert png_size(config["badge"]) == (96, 96)
    assert reverse("accounts:logout") in config["accountPaths"]
    assert client.get(SERVICE_WORKER).content.decode() == source  # same bytes: no needless update


def test_the_worker_version_changes_with_any_static_file(settings, tmp_path):
    (tmp_path / "extra.css").write_text("a { color: red; }")
    settings.STATICFILES_DIRS = [tmp_path]
    before = pwa._static_version()
    assert pwa._static_version() == before
    (tmp_path / "extra.css").write_text("a { color: blue; }")
    assert pwa._static_version() != before


def test_manifest_and_worker_answer_only_reads(client, db):
    assert client.post(MANIFEST).status_code == 405
    assert client.post(SERVICE_WORKER).status_code == 405


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_links_the_manifest_and_registers_the_worker(client, db, signed_in):
    if signed_in:
        client.force_login(UserFactory())
        url = reverse("web:home")
    else:
        url = reverse("accounts:login")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<link rel="manifest" href="{MANIFEST}">' in html
    assert 'rel="apple-touch-icon" sizes="180x180" href="/static/web/icons/apple-touch-icon.png"' in html
    assert '<meta name="apple-mobile-web-app-capable" content="yes">' in html
    assert '<script src="/static/web/pwa.js" defer></script>' in html
    assert '<script src="/static/web/push.js" defer></script>' in html
    config = page_config(html)
    assert config["serviceWorker"] == SERVICE_WORKER
    assert config["isOfflinePage"] is False
    assert all(config["text"].values())
    # The install hint: hidden until the script decides, a labelled region with a labelled close button.
    assert re.search(r'<div class="install-hint" id="install-hint" role="region" '
                     r'aria-labelledby="install-hint-title" hidden>', html)
    assert re.search(r'data-install="dismiss" aria-label="[^"]+"', html)


def test_the_offline_page_says_it_is_the_offline_page(client, db):
    config = page_config(client.get(reverse("web:offline")).content.decode())
    assert config["isOfflinePage"] is True


def test_push_endpoints_that_do_not_exist_yet_are_null_not_a_crash():
    assert pwa.url_or_none("notify:no_such_route") is None
    assert pwa.url_or_none("web:offline") == reverse("web:offline")
    assert pwa.url_or_none("/nieuws/") == "/nieuws/"


def test_the_page_names_the_push_endpoints_of_notify(client, db):
    config = page_config(client.get(reverse("accounts:login")).content.decode())
    for key, name in [("vapidKey", "notify:vapid_key"), ("subscribe", "notify:push_subscribe"),
                      ("unsubscribe", "notify:push_unsubscribe")]:
        assert config["push"][key] == pwa.url_or_none(name)
