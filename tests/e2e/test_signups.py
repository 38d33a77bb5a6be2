"""Sign-ups in a real Chromium on a 360 px phone, against the demo school: a parent signs up for the
last place of a volunteer slot, another parent then finds that slot full, and the first parent
withdraws again, which frees the place. Checked by structure and ids (the Dutch texts come later)."""

from playwright.sync_api import expect

from schoolpoort.signups.models import Form, Option, Response
from tests.e2e.test_foundation_flows import assert_fits_the_phone, signed_in_phone

TITLE = "Rijden naar de kinderboerderij"



def test_a_parent_signs_up_for_a_volunteer_slot_and_withdraws(demo, browser, live_server):
    form = Form.objects.get(title=TITLE)
    there = Option.objects.filter(question__form=form).order_by("question__position", "position").first()
    assert (there.taken, there.capacity) == (3, 4)  # one place left
    parent = signed_in_phone(browser, live_server, "jansen@ouders.example")

    parent.goto(f"{live_server.url}/intekenen/")
    expect(parent.locator("#open-forms")).to_contain_text(TITLE)
    assert_fits_the_phone(parent)
    parent.locator("#open-forms").get_by_role("link", name=TITLE).click()
    expect(parent).to_have_url(f"{live_server.url}{form.get_absolute_url()}")
    section = parent.locator("#family")
    section.locator(f'[data-option="{there.pk}"] input').check()
    section.locator("button[name=save]").click()

    expect(parent.locator(".messages .message--success")).to_be_visible()
    expect(parent.locator("#family .su-status.status-ok")).to_be_visible()
    expect(parent.locator("#family .su-answers")).to_contain_text(there.label)
    assert_fits_the_phone(parent)
    there.refresh_from_db()
    assert there.taken == 4
    response = Response.objects.get(form=form, family_user__email="jansen@ouders.example")

    other = signed_in_phone(browser, live_server, "smit@ouders.example")  # Daan, also groep 3
    other.goto(f"{live_server.url}{form.get_absolute_url()}")
    expect(other.locator(f'#family [data-option="{there.pk}"] input')).to_be_disabled()

    parent.locator("#family button[name=withdraw]").click()
    expect(parent.locator(".messages .message--success")).to_be_visible()
    expect(parent.locator("#family .su-status.status-ok")).to_have_count(0)
    expect(parent.locator("#family button[name=withdraw]")).to_have_count(0)
    assert not Response.objects.filter(pk=response.pk).exists()
    there.refresh_from_db()
    assert there.taken == 3

    other.reload()
    expect(other.locator(f'#family [data-option="{there.pk}"] input')).to_be_enabled()
