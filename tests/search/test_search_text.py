"""The text match and the snippet of ``lib.search``: the PostgreSQL path (the suite runs on
PostgreSQL), the icontains fallback of SQLite called directly, escaping, pages, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from schoolpoort.lib.search import (
    fallback_match,
    full_text_match,
    highlight,
    parse_query,
    text_match,
    uses_full_text,
)
from schoolpoort.news.models import Post
from schoolpoort.news.search import FIELDS
from tests.news.news_helpers import make_post
from tests.search.helpers import search_url


def test_the_query_keeps_words_of_two_letters_or_more_without_tsquery_syntax():
    query = parse_query("  Schoolreis & | ! 'naar' a  de:* Schoolreis ")
    assert query.terms == ("schoolreis", "naar", "de")
    assert not parse_query("a") and not parse_query("") and not parse_query(None)
    assert len(parse_query("x" * 500).text) == 100


def test_the_suite_takes_the_full_text_path_on_postgresql():
    assert uses_full_text(connection) == (connection.vendor == "postgresql")


@pytest.fixture
def posts(world):
    teacher = world.users["teacher"]
    return [
        make_post(teacher, groups=[world.group3], title="Schoolreisjes", body="Naar de dierentuin."),
        make_post(teacher, groups=[world.group3], title="Luizencontrole", body="Na de vakantie kammen we."),
        make_post(teacher, groups=[world.group3], title="Sportdag", body="Neem je gymschoenen mee."),
    ]


def test_the_fallback_finds_rows_holding_every_word_anywhere_in_the_fields(posts):
    everything = Post.objects.all()
    titles = {p.title for p in fallback_match(everything, ("title", "body"), parse_query("SCHOOLREIS dierentuin"))}
    assert titles == {"Schoolreisjes"}
    assert not fallback_match(everything, ("title", "body"), parse_query("schoolreis sportdag")).exists()
    assert {p.title for p in fallback_match(everything, ("title",), parse_query("contro"))} == {"Luizencontrole"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_full_text_stems_dutch_words_and_takes_every_word_as_a_prefix(posts):
    everything = Post.objects.all()

    def titles(text):
        return {p.title for p in full_text_match(everything, ("title", "body"), parse_query(text))}

    assert titles("schoolreisje") == {"Schoolreisjes"}  # stemmed: the plural is found
    assert titles("gymschoen") == {"Sportdag"}  # a prefix
    assert titles("luizen kammen") == {"Luizencontrole"}  # every word, title and body
    assert titles("luizen dierentuin") == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_the_news_search_uses_the_gin_index(posts):
    with connection.cursor() as cursor:
        # Only a bitmap scan is left (a GIN index has no other): it is found only if the query's
        # expression is the index's. Without this, a few rows ordered by -pk read the primary key.
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        sql, params = text_match(Post.objects.all(), FIELDS, parse_query("sportdag"),
                                 newest=("-pk",)).only("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_indexscan")
    assert "news_post_search" in plan


def test_the_snippet_is_escaped_and_marks_the_words():
    snippet = highlight('Kom <script>alert("x")</script> naar de Schoolreis & neem <b>eten</b> mee',
                        parse_query("schoolreis eten"))
    assert "<script>" not in snippet and "<b>" not in snippet
    assert "&lt;script&gt;" in snippet and "&amp;" in snippet
    assert "<mark>Schoolreis</mark>" in snippet and "<mark>eten</mark>" in snippet


def test_a_long_text_is_cut_around_the_first_word():
    text = "woord " * 100 + "Schoolreis" + " woord" * 100
    snippet = highlight(text, parse_query("schoolreis"), width=80)
    assert snippet.startswith("… ") and snippet.endswith(" …") and "<mark>Schoolreis</mark>" in snippet
    assert len(snippet) < 140


def test_a_title_with_html_is_escaped_on_the_page(client, world):
    make_post(world.users["teacher"], groups=[world.group3], title="<img src=x onerror=alert(1)> Schoolreis",
              body="De <em>schoolreis</em> & meer")
    client.force_login(world.users["guardian"])
    page = client.get(search_url("schoolreis")).content.decode()
    assert "<img src=x" not in page and escape("<img src=x onerror=alert(1)>") in page
    assert "<mark>schoolreis</mark>" in page  # the body's Markdown rendered, stripped, escaped, marked


def _queries(client, text, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(search_url(text, **params)).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["guardian", "teacher", "director"])
def test_a_search_costs_the_same_number_of_queries_for_one_hit_and_for_many(client, world, role):
    from tests.albums.helpers import make_album
    from tests.documents.helpers import add_document, make_shelf

    teacher, director = world.users["teacher"], world.users["director"]
    make_post(teacher, groups=[world.group3], title="Schoolreis 0")
    make_album(teacher, groups=[world.group3], title="Schoolreis album 0")
    shelf = make_shelf(world.school, director)
    add_document(shelf, director, title="Schoolreis brief 0")
    client.force_login(world.users[role])
    _queries(client, "schoolreis")  # warm the session and the caches
    few = _queries(client, "schoolreis")
    for number in range(1, 8):
        make_post(teacher, groups=[world.group3], title=f"Schoolreis {number}")
        make_album(teacher, groups=[world.group3], title=f"Schoolreis album {number}")
        add_document(shelf, director, title=f"Schoolreis brief {number}")
    assert _queries(client, "schoolreis") == few
    assert few <= 23  # with the app shell (schools, module states, counts)


def test_one_module_is_paged_through_with_newer_and_older_links(client, world):
    teacher = world.users["teacher"]
    for number in range(23):
        make_post(teacher, groups=[world.group3], title=f"Schoolreis nummer {number}")
    client.force_login(world.users["guardian"])
    overview = client.get(search_url("schoolreis")).content.decode()
    assert overview.count('class="card search-hit"') == 5 and "in=news" in overview
    first = client.get(search_url("schoolreis", **{"in": "news"})).content.decode()
    second = client.get(search_url("schoolreis", **{"in": "news", "pagina": "2"})).content.decode()
    assert first.count('class="card search-hit"') == 20 and "pagina=2" in first
    assert second.count('class="card search-hit"') == 3 and "pagina=1" in second and "pagina=3" not in second
    assert client.get(search_url("schoolreis", **{"in": "nothing", "pagina": "x"})).status_code == 200


def test_one_letter_finds_nothing_and_says_so(client, world):
    client.force_login(world.users["guardian"])
    page = client.get(search_url("a")).content.decode()
    assert 'id="search-too-short"' in page


def test_the_search_matches_the_text_as_read_never_the_markup(client, world):
    make_post(world.users["teacher"], groups=[world.group3], title="Vrijdag",
              body='Neem <strong>gymschoenen</strong> mee, zie <a href="https://example.org/bijlagen">de lijst</a>.')
    client.force_login(world.users["guardian"])
    for markup in ("strong", "bijlagen", "href"):
        assert "Vrijdag" not in client.get(search_url(markup)).content.decode(), markup
    assert "<mark>gymschoenen</mark>" in client.get(search_url("gymschoenen")).content.decode()
