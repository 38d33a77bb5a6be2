"""Browser test of the results: a parent opens a child's standardised tests on a 360 px phone and
sees the growth chart (an SVG image) and the table with the same numbers."""

from django.urls import reverse
from playwright.sync_api import expect

from schoolpoort.records.results.models import StandardisedTest
from tests.e2e.test_foundation_flows import assert_fits_the_phone, signed_in_phone


def test_a_parent_sees_the_test_chart_and_the_table_on_a_phone(demo, browser, live_server):
    noor = demo.students["Noor Jansen"]
    page = signed_in_phone(browser, live_server, "jansen@ouders.example")
    page.goto(live_server.url + reverse("records:card", args=[noor.pk]))
    page.click("nav.records-tabs a[data-part=standardised_tests]")
    expect(page).to_have_url(live_server.url + reverse("results:standardised_tests", args=[noor.pk]))

    first = StandardisedTest.objects.filter(student=noor).order_by("test").values_list("test", flat=True).first()
    section = page.locator(f"section.results-test[data-test='{first}']")
    chart = section.locator("svg[role=img]")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] <= 360
    assert chart.locator("title").first.text_content() == first

    # The table beside the chart holds the same numbers as the database.
    rows = section.locator("table.results-table tbody tr")
    expected = [
        (t.moment, f"{t.ability_score}".replace(".", ",").removesuffix(",0"), t.level)
        for t in sorted(StandardisedTest.objects.filter(student=noor, test=first), key=lambda t: t.order)
    ]
    assert rows.count() == len(expected) > 0
    shown = [tuple(rows.nth(i).locator("th, td").all_inner_texts()) for i in range(rows.count())]
    assert [(cells[0], cells[2], cells[3]) for cells in shown] == expected
    assert_fits_the_phone(page)
