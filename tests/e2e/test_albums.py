"""Photo albums in a real Chromium, against the demo school: the groep 3 teacher uploads several
photos at once (with progress per file) and tags Noor Jansen; the worker makes the versions; her
mother browses the album on her phone, swipes to the next photo and downloads one."""

import io
import re

from django.core.management import call_command
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from schoolpoort.accounts.models import User
from schoolpoort.albums.models import Album, Photo, PhotoTag
from tests.e2e.test_foundation_flows import assert_fits_the_phone, log_in
from tests.e2e.waiting import wait_until

ALBUM = "Schoolreisje naar Artis"
COLOURS = ["#e4572e", "#3f88c5", "#90be6d"]


def run_worker():
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


def english_phone(browser, live_server, email):
    """A phone signed in as ``email``, in English (the account's language decides once signed in)."""
    User.objects.filter(email=email).update(language="en")
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL", has_touch=True)
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    log_in(page, live_server.url, email)
    expect(page).to_have_url(f"{live_server.url}/")
    return page


def camera_photos(folder) -> list:
    paths = []
    for n, colour in enumerate(COLOURS, 1):
        exif = Image.Exif()
        exif.get_ifd(0x8825)[2] = (52.0, 5.0, 31.0)  # a GPS latitude, to be stripped
        path = folder / f"IMG_{7000 + n}.jpg"
        Image.new("RGB", (1200, 800), colour).save(path, "JPEG", exif=exif)
        paths.append(path)
    return paths


def swipe(page, direction: str):
    """A quick horizontal touch stroke over the photo (left: to the next one), once the viewer's
    script listens (under load the new page can be shown before its script has run)."""
    page.wait_for_selector("#viewer[data-gestures=ready]", state="attached")
    page.evaluate(
        """(direction) => {
            const viewer = document.getElementById("viewer");
            const box = viewer.getBoundingClientRect();
            const y = box.top + box.height / 2;
            const [from, to] = direction === "left" ? [box.right - 40, box.left + 40] : [box.left + 40, box.right - 40];
            const touch = (x) => new Touch({identifier: 1, target: viewer, clientX: x, clientY: y});
            viewer.dispatchEvent(new TouchEvent("touchstart", {touches: [touch(from)], changedTouches: [touch(from)],
                                                               bubbles: true}));
            viewer.dispatchEvent(new TouchEvent("touchend", {touches: [], changedTouches: [touch(to)], bubbles: true}));
        }""",
        direction,
    )


def test_a_teacher_uploads_and_tags_then_a_parent_browses_swipes_and_downloads(demo, browser, live_server, tmp_path):
    album = Album.objects.get(title=ALBUM)
    before = set(Photo.objects.filter(album=album).values_list("pk", flat=True))

    # The teacher uploads three photos at once, from her phone's camera roll.
    teacher = english_phone(browser, live_server, "leerkracht.groep3@regenboog.example")
    teacher.goto(f"{live_server.url}{album.get_absolute_url()}")
    teacher.get_by_role("link", name="Add photos").click()
    teacher.set_input_files("input[name=files]", camera_photos(tmp_path))
    teacher.click("#upload-button")
    expect(teacher.locator("#upload-summary")).to_have_text("3 of 3 files added.")
    expect(teacher.locator(".upload-item--ok")).to_have_count(3)
    assert_fits_the_phone(teacher)

    new = list(Photo.objects.filter(album=album).exclude(pk__in=before).order_by("pk"))
    assert sorted(photo.original_name for photo in new) == ["IMG_7001.jpg", "IMG_7002.jpg", "IMG_7003.jpg"]
    run_worker()  # the thumbnails and web versions
    assert {photo.status for photo in Photo.objects.filter(pk__in=[p.pk for p in new])} == {"ready"}

    # ... and tags Noor Jansen in the second one.
    teacher.get_by_role("link", name="Go to the album").click()
    expect(teacher.locator(f'[data-photo="{new[1].pk}"] img')).to_be_visible()
    teacher.locator(f'[data-photo="{new[1].pk}"] a').click()
    teacher.get_by_role("link", name="Tag children").click()
    teacher.get_by_label("Noor Jansen", exact=True).check()
    teacher.get_by_role("button", name="Save").click()
    expect(teacher.locator(".viewer-tags")).to_contain_text("Noor Jansen")
    assert list(PhotoTag.objects.filter(photo=new[1]).values_list("student__first_name", flat=True)) == ["Noor"]

    # Noor's mother browses the album on her phone.
    parent = english_phone(browser, live_server, "jansen@ouders.example")
    parent.goto(f"{live_server.url}{reverse('albums:list')}")
    parent.locator(".album-card", has_text=ALBUM).get_by_role("link").click()
    grid = parent.locator("#photos")
    for photo in new:
        expect(grid.locator(f'[data-photo="{photo.pk}"] img')).to_be_visible()
    for photo in Photo.objects.filter(album=album, tags__student=demo.students["Daan Smit"]):
        expect(grid.locator(f'[data-photo="{photo.pk}"]')).to_have_count(0)  # no image consent for Daan
    assert_fits_the_phone(parent)

    parent.locator(f'[data-photo="{new[0].pk}"] a').click()
    expect(parent).to_have_url(re.compile(rf"/foto/{new[0].pk}/$"))
    swipe(parent, "left")
    expect(parent).to_have_url(re.compile(rf"/foto/{new[1].pk}/$"))
    expect(parent.locator(".viewer-tags")).to_contain_text("Noor Jansen")
    swipe(parent, "right")
    expect(parent).to_have_url(re.compile(rf"/foto/{new[0].pk}/$"))
    parent.keyboard.press("ArrowRight")
    expect(parent).to_have_url(re.compile(rf"/foto/{new[1].pk}/$"))
    parent.get_by_role("link", name="Next photo").click()
    expect(parent).to_have_url(re.compile(rf"/foto/{new[2].pk}/$"))
    assert_fits_the_phone(parent)

    # ... and downloads that photo: a clean JPEG, without the GPS position it was taken with.
    with parent.expect_download() as download_info:
        parent.locator("#download").click()
    download = download_info.value
    assert download.suggested_filename == new[2].original_name
    data = open(download.path(), "rb").read()
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (1200, 800) and len(image.getexif()) == 0
    assert b"Exif" not in data


def test_a_parent_plays_a_phone_video_without_its_location_and_sees_its_poster(demo, browser, live_server, tmp_path):
    from tests.albums.helpers import VIDEO_SECRETS, video

    album = Album.objects.get(title=ALBUM)
    clip = tmp_path / "IMG_7100.MP4"
    clip.write_bytes(video("mp4", frames=20))
    assert b"52.0907" in clip.read_bytes()

    teacher = english_phone(browser, live_server, "leerkracht.groep3@regenboog.example")
    teacher.goto(f"{live_server.url}{reverse('albums:upload', args=[album.pk])}")
    teacher.set_input_files("input[name=files]", [clip])
    teacher.click("#upload-button")
    expect(teacher.locator("#upload-summary")).to_have_text("1 of 1 files added.")
    item = Photo.objects.get(album=album, original_name="IMG_7100.MP4")
    teacher.goto(f"{live_server.url}{item.get_absolute_url()}")
    expect(teacher.locator("#processing-status")).to_have_text("This video is being processed…")

    run_worker()  # the remux without metadata and the poster frame
    item.refresh_from_db()
    assert item.status == "ready"

    parent = english_phone(browser, live_server, "jansen@ouders.example")
    parent.goto(f"{live_server.url}{album.get_absolute_url()}")
    tile = parent.locator(f'[data-photo="{item.pk}"]')
    expect(tile.locator("img")).to_be_visible()  # the poster frame, not a placeholder
    expect(tile.locator(".album-tile__badge")).to_have_count(1)
    assert_fits_the_phone(parent)
    tile.locator("a").click()
    player = parent.locator("video.viewer__media")
    expect(player).to_have_attribute("poster", item.thumb_url)
    assert_fits_the_phone(parent)
    playable = parent.evaluate("document.createElement('video').canPlayType('video/mp4; codecs=\"avc1.64000a\"')")
    if playable:  # Chromium builds without H.264 cannot play it, whatever the container
        # The remuxed file plays: its index comes first (faststart), so the metadata loads at once.
        assert wait_until(parent, "document.querySelector('video.viewer__media').readyState >= 1")
        width, duration = player.evaluate("element => [element.videoWidth, element.duration]")
        assert width == 96 and abs(duration - 2.0) < 0.2

    with parent.expect_download() as download_info:
        parent.locator("#download").click()
    data = open(download_info.value.path(), "rb").read()
    assert download_info.value.suggested_filename == "IMG_7100.mp4"
    assert data[4:8] == b"ftyp" and not any(secret in data for secret in VIDEO_SECRETS)
