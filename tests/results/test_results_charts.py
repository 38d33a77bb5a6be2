"""The charts: SVG images with a title and description, and tables with the same numbers."""

import datetime
import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from schoolpoort.records.results import charts


def test_growth_chart_table_holds_the_numbers_of_the_line():
    series = charts.Series(
        "CITO Rekenen",
        [charts.Point("E3", Decimal("52.5"), "II", "2024-2025"), charts.Point("M3", Decimal("41"), "III", "2024-2025")],
    )
    with translation.override("en"):
        chart = charts.growth_chart([series], {"M3": [("III", Decimal(40)), ("II", Decimal(45))]})
    assert chart.columns == ["Moment", "School year", "Ability score", "Level"]
    assert chart.rows == [["M3", "2024-2025", "41", "III"], ["E3", "2024-2025", "52.5", "II"]]
    svg = str(chart.svg)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert svg.count('class="band"') == 2  # two levels known at M3
    assert "<polyline" in svg


def test_growth_chart_with_several_tests_has_a_column_per_test():
    a = charts.Series("A", [charts.Point("M3", Decimal(10)), charts.Point("M4", Decimal(20))])
    b = charts.Series("B", [charts.Point("M4", Decimal(30), "I")])
    with translation.override("en"):
        chart = charts.growth_chart([a, b])
    assert chart.columns[2:] == ["A", "B"]
    assert chart.rows == [["M3", "", "10", "–"], ["M4", "", "20", "30 (I)"]]


def test_an_empty_chart_says_so():
    with translation.override("en"):
        chart = charts.growth_chart([])
    assert chart.rows == [] and "No results yet." in str(chart.svg)


def test_labels_are_escaped():
    series = charts.Series("<script>", [charts.Point("M3", Decimal(1))])
    assert "<script>" not in str(charts.growth_chart([series]).svg)


def test_scores_chart_marks_bars_below_the_norm():
    day = datetime.date(2026, 10, 1)
    bars = [
        charts.Bar("Blok 1", day, Decimal(85), Decimal(70), "Pluspunt"),
        charts.Bar("Blok 2", day + datetime.timedelta(days=28), Decimal(62), Decimal(70), "Pluspunt"),
    ]
    with translation.override("en"):
        chart = charts.scores_chart(bars)
    assert [row[2:] for row in chart.rows] == [["Blok 1", "85", "70"], ["Blok 2", "62", "70"]]
    svg = str(chart.svg)
    assert svg.count('class="bar"') == 2 and svg.count('class="norm"') == 2
    assert svg.count("-below)") == 1


def table_cells(html: str, figure_id: str) -> list[list[str]]:
    figure = html.split(f'id="{figure_id}"', 1)[1].split("</figure>", 1)[0]
    body = figure.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_the_page_shows_the_chart_and_the_table_of_the_child(client, world, results):
    world.users["guardian"].language = "en"
    world.users["guardian"].save()
    client.force_login(world.users["guardian"])
    html = client.get(reverse("results:standardised_tests", args=[world.child.pk])).content.decode()
    assert html.count('role="img"') == 1
    rows = table_cells(html, "chart-test-1")
    assert [(row[0], row[2], row[3]) for row in rows] == [("M3", "41", "III"), ("E3", "52.5", "II"), ("M4", "60", "II")]


def test_the_method_test_page_shows_a_table_per_subject(client, world, results):
    world.users["guardian"].language = "en"
    world.users["guardian"].save()
    client.force_login(world.users["guardian"])
    html = client.get(reverse("results:method_tests", args=[world.child.pk])).content.decode()
    rows = table_cells(html, "chart-rekenen")
    assert [(row[2], row[3], row[4]) for row in rows] == [("Blok 1", "85", "70"), ("Blok 2", "62", "70")]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_result_pages_take_the_same_number_of_queries_for_one_and_for_many_results(client, world, results):
    from tests.results.conftest import add_more_results

    client.force_login(world.users["guardian"])
    urls = [
        reverse(name, args=[world.child.pk])
        for name in ("results:report_cards", "results:method_tests", "results:standardised_tests")
    ]
    [count_queries(client, url) for url in urls]  # the first request of a session makes a few rows
    before = [count_queries(client, url) for url in urls]
    add_more_results(world.child)
    assert [count_queries(client, url) for url in urls] == before
