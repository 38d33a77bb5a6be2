"""Image consent in a real Chromium on a 360 px phone: the demo's group-3 gym photo shows Daan
Smit (no image consent), so Eva Jansen does not see it; the teacher says, with the keyboard only,
that the photo shows Noor instead, and then Jansen sees it."""

from playwright.sync_api import expect

from schoolpoort.news.models import Post
from tests.e2e.test_foundation_flows import assert_fits_the_phone, signed_in_phone


def test_the_teacher_tags_a_news_photo_with_the_keyboard_and_the_group_then_sees_it(demo, browser, live_server):
    post = Post.objects.get(title="Gym voortaan op dinsdag en donderdag")
    photo = post.attachments.get(kind="image")
    post_url = f"{live_server.url}{post.get_absolute_url()}"
    photo_src = photo.get_absolute_url()

    parent = signed_in_phone(browser, live_server, "jansen@ouders.example")
    parent.goto(post_url)
    expect(parent.locator("main h1")).to_have_text(post.title)
    expect(parent.locator(f"img[src='{photo_src}']")).to_have_count(0)
    assert parent.request.get(f"{live_server.url}{photo_src}").status == 404

    teacher = signed_in_phone(browser, live_server, "leerkracht.groep3@regenboog.example")
    teacher.goto(post_url)
    expect(teacher.locator(f"img[src='{photo_src}']")).to_be_visible()
    teacher.locator(f"a[href$='/bijlagen/{photo.pk}/kinderen/']").click()
    daan = teacher.get_by_label("Daan Smit", exact=False)
    expect(daan).to_be_checked()
    assert_fits_the_phone(teacher)

    daan.focus()
    teacher.keyboard.press("Space")  # untick Daan
    noor = teacher.get_by_label("Noor Jansen", exact=False)
    noor.focus()
    teacher.keyboard.press("Space")
    expect(noor).to_be_checked()
    teacher.keyboard.press("Enter")  # submits the form
    expect(teacher).to_have_url(post_url)

    parent.goto(post_url)
    expect(parent.locator(f"img[src='{photo_src}']")).to_be_visible()
