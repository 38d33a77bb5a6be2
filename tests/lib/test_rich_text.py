"""Rich text in, safe HTML out (lib.text.safe_html), and its plain-text reading (html_text)."""

import re

import pytest

from schoolpoort.lib.forms import RichTextField
from schoolpoort.lib.text import html_text, markdown_html, safe_html

OURS = re.compile(r"/nieuws/\d+/bijlagen/\d+/")


@pytest.mark.parametrize(
    "dirty, clean",
    [
        ("<p>hoi<script>alert(1)</script></p>", "<p>hoi</p>"),
        ('<img src="/nieuws/1/bijlagen/2/" onerror="alert(1)">', '<img src="/nieuws/1/bijlagen/2/">'),
        ('<p><a href="javascript:alert(1)">klik</a></p>',
         '<p><a rel="noopener noreferrer nofollow">klik</a></p>'),
        ('<p style="color:red" class="x" id="y">rood</p>', "<p>rood</p>"),
        ("<style>p{color:red}</style><p>a</p>", "<p>a</p>"),
        ('<iframe src="https://evil.example/"></iframe><p>a</p>', "<p>a</p>"),
        ('<p onclick="alert(1)">a</p>', "<p>a</p>"),
        ('<svg><script>alert(1)</script></svg><p>a</p>', "<p>a</p>"),
        ('<img src="https://evil.example/x.png"><img src="data:image/png;base64,AAAA">', ""),
        ('<img src="/nieuws/1/bijlagen/2/?x=1">', ""),  # only exactly our own access-checked URL
        ("<p></p>", ""),
    ],
)
def test_what_could_run_track_or_restyle_is_stripped(dirty, clean):
    assert safe_html(dirty, image_src=OURS) == clean


def test_lists_headings_and_links_are_kept_and_links_open_safely():
    source = (
        "<h2>Schoolreis</h2><p>Neem <strong>mee</strong>:</p>"
        "<ul><li>een schoteltje</li><li><em>een lepel</em></li></ul>"
        '<ol><li>eerst</li></ol><p><a href="https://artis.nl/">Artis</a></p>'
    )
    html = safe_html(source)
    assert html.startswith("<h2>Schoolreis</h2><p>Neem <strong>mee</strong>:</p><ul><li>een schoteltje</li>")
    assert "<ol><li>eerst</li></ol>" in html
    assert '<a href="https://artis.nl/" rel="noopener noreferrer nofollow">Artis</a>' in html


def test_without_an_image_pattern_no_image_survives():
    assert safe_html('<p>a<img src="/nieuws/1/bijlagen/2/"></p>') == "<p>a</p>"


def test_markdown_of_before_still_renders():
    html = markdown_html("# Kop\n\nWe gaan naar **Artis**.\n\n- een\n- twee")
    assert "<h2>Kop</h2>" in html and "<strong>Artis</strong>" in html and "<ul>\n<li>een</li>" in html


def test_plain_text_reads_well():
    html = (
        "<h2>Schoolreis</h2><p>Neem mee:</p><ul><li>een schoteltje</li><li>een lepel</li></ul>"
        '<ol><li>eerst</li><li>dan</li></ol><p>Zie <a href="https://artis.nl/">de site</a>.<br>Tot dan!</p>'
    )
    assert html_text(html) == (
        "Schoolreis\n\nNeem mee:\n\n- een schoteltje\n- een lepel\n\n1. eerst\n2. dan\n\n"
        "Zie de site (https://artis.nl/).\nTot dan!"
    )


def test_text_typed_without_the_editor_keeps_its_paragraphs():
    field = RichTextField(required=False)
    assert field.clean("Beste ouders,\n\nMorgen vrij.\nTot dan") == (
        "<p>Beste ouders,</p>\n\n<p>Morgen vrij.<br>Tot dan</p>"
    )
    assert field.clean("<p>hoi <b onclick='x()'>jij</b></p>") == "<p>hoi <b>jij</b></p>"
