"""{% datatable %}: the one wrapper of every data table (lib/templatetags/tables.py)."""

from django.template import Context, Template

TABLE = (
    '<table><thead><tr><th scope="col">Datum</th><th scope="col" colspan="2">Score &amp; norm</th>'
    '<th scope="col"><span class="visually-hidden">Acties</span></th></tr></thead>'
    '<tbody><tr><th scope="row">3-9</th><td>76</td><td>70</td><td data-label="Eigen">x</td></tr></tbody></table>'
)


def render(source: str, **context) -> str:
    return Template("{% load tables %}" + source).render(Context(context))


def test_a_stacked_table_labels_each_cell_with_its_column_header():
    html = render("{% datatable label stack=True %}" + TABLE + "{% enddatatable %}", label="Rekenen")
    assert html.startswith('<div class="table-wrap table-wrap--stack" role="region" tabindex="0" aria-label="Rekenen">')
    assert '<th scope="row" data-label="Datum">3-9</th>' in html
    assert html.count('data-label="Score &amp; norm">') == 2  # the colspan counts twice
    assert '<td data-label="Eigen">x</td>' in html  # a cell's own label stays
    assert '<th scope="col">Datum</th>' in html and "<tbody><tr>" in html  # the rest as it was


def test_a_scrolling_table_is_a_named_focusable_region():
    html = render('{% datatable "Klassenlijst" %}' + TABLE + "{% enddatatable %}")
    assert html.startswith('<div class="table-wrap" role="region" tabindex="0" aria-label="Klassenlijst">')
    assert "<table>" in html
    assert '<td data-label="Score &amp; norm">76</td>' in html


def test_the_label_and_the_content_are_escaped_once():
    html = render("{% datatable label %}<table><tbody><tr><td>{{ name }}</td></tr></tbody></table>{% enddatatable %}",
                  label='"x"', name="van 't Hof <b>")
    assert 'aria-label="&quot;x&quot;"' in html
    assert "van &#x27;t Hof &lt;b&gt;" in html
