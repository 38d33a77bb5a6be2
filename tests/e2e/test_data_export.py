"""The family's data, downloadable, in a real Chromium on a 360 px phone against the demo school:
Jansen asks on Mijn account, the worker builds it (the task, run here), her page shows the link
without a reload (htmx polling), she downloads the ZIP and it holds Noor's and Sem's data. The page
passes axe-core."""

import json
import zipfile

from playwright.sync_api import expect

from schoolpoort.accounts.models import DataExport
from schoolpoort.accounts.tasks import build_data_export
from tests.e2e.a11y import assert_no_axe_violations
from tests.e2e.test_foundation_flows import assert_fits_the_phone, signed_in_phone


def test_jansen_downloads_her_familys_data(demo, browser, live_server, tmp_path):
    parent = signed_in_phone(browser, live_server, "jansen@ouders.example")
    parent.goto(f"{live_server.url}/mijn-account/")
    parent.locator("#data-export-link").click()
    expect(parent).to_have_url(f"{live_server.url}/mijn-account/gegevens/")
    assert_fits_the_phone(parent)
    assert_no_axe_violations(parent)

    parent.locator("#ask-export").click()
    expect(parent.locator(".messages .message--success")).to_be_visible()
    expect(parent.locator("#ask-export")).to_be_disabled()  # one at a time
    expect(parent.locator('#exports [data-status="pending"]')).to_have_count(1)
    export = DataExport.objects.get(user=demo.users["jansen@ouders.example"])

    build_data_export.call(export.pk)  # what the worker does

    link = parent.locator("#exports a[download]")
    expect(link).to_be_visible(timeout=15_000)  # the page polls and shows it without a reload
    assert_fits_the_phone(parent)
    assert_no_axe_violations(parent)
    with parent.expect_download() as info:
        link.click()
    path = tmp_path / "export.zip"
    info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        children = json.loads(archive.read("children.json"))["children"]
        assert sorted(child["name"] for child in children) == ["Noor Jansen", "Sem Jansen"]
        assert any(name.startswith("results/report_cards/") for name in archive.namelist())
