"""The class list in a real Chromium, on a phone: smit@ shares nothing, then switches on sharing her
e-mail address with groep 3 on the privacy page, and jansen@ sees it on the groep 3 class list."""

from playwright.sync_api import expect

from schoolpoort.lib.demo import REGENBOOG
from tests.e2e.test_foundation_flows import assert_fits_the_phone, signed_in_phone

SMIT_EMAIL = "smit@ouders.example"



def test_smit_shares_her_email_and_jansen_then_sees_it_on_the_groep_3_class_list(demo, browser, live_server):
    group = demo.groups[REGENBOOG, "3"]
    daan = demo.students["Daan Smit"]
    class_list = f"{live_server.url}/groepen/{group.pk}/"

    jansen = signed_in_phone(browser, live_server, "jansen@ouders.example")
    jansen.goto(class_list)
    daan_card = jansen.locator(f"#child-{daan.pk}")
    expect(daan_card).to_contain_text("Daan Smit")
    expect(daan_card.locator(".classlist-contact")).to_have_count(0)  # the Smits share nothing
    expect(jansen.locator("main")).not_to_contain_text(SMIT_EMAIL)

    smit = signed_in_phone(browser, live_server, SMIT_EMAIL)
    smit.goto(f"{live_server.url}/groepen/wat-ik-deel/")
    switches = smit.locator(f"#sharing-{group.pk} input[type=checkbox]")
    expect(switches).to_have_count(4)
    for n in range(4):
        expect(switches.nth(n)).not_to_be_checked()  # the default: nothing
    assert_fits_the_phone(smit)
    smit.check(f"input[name='group-{group.pk}-email']")
    smit.click("#sharing-form button[name=save]")
    expect(smit.locator(".messages")).to_be_visible()
    expect(smit.locator(f"input[name='group-{group.pk}-email']")).to_be_checked()
    expect(smit.locator(f"input[name='group-{group.pk}-name']")).not_to_be_checked()

    jansen.goto(class_list)
    email = jansen.locator(f"#child-{daan.pk} .contact-email")
    expect(email).to_have_text(SMIT_EMAIL)
    expect(email.locator("a")).to_have_attribute("href", f"mailto:{SMIT_EMAIL}")
    expect(jansen.locator(f"#child-{daan.pk}")).not_to_contain_text("Linda")  # her name stays hers
    assert_fits_the_phone(jansen)
