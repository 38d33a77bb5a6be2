"""Every free-text field survives the PDFs: a registration letter for a guardian and a school
with any name renders (WeasyPrint), and its text can be read back."""

import io
import re
from types import SimpleNamespace

from hypothesis import example, given, settings
from pypdf import PdfReader

from schoolpoort.lib.text import plain_line
from schoolpoort.onboarding.letters import qr_data_uri, render_pdf
from tests.free_text.strategies import bounded, free_text


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{3,}", plain_line(text))


@settings(bounded, max_examples=6)  # WeasyPrint takes a second or two per letter
@given(guardian=free_text, child=free_text, group=free_text, school_name=free_text)
# A character no font has (here an unassigned one) once broke the ligature "fi" in the text map
@example(guardian="\r", child="Afi", group="\r", school_name="\u058b")
@example(guardian="Sofie", child="Effie", group="groep 3", school_name="李小龍")
def test_a_letter_with_any_names_renders_and_reads_back(world, guardian, child, group, school_name):
    school = world.school
    school.name = school_name[:100]
    student = SimpleNamespace(first_name=child[:60])
    slot = SimpleNamespace(first_name=guardian[:60], last_name="Jansen", student=student)
    letter = {"slot": slot, "group": SimpleNamespace(name=group[:60]), "code": "BCDFGHJK",
              "url": "https://ouders.example/registreren/?code=BCDFGHJK", "deadline": "1 maart 2027"}
    letter["qr"] = qr_data_uri(letter["url"])

    pdf, pages = render_pdf(school, [letter], "nl")

    assert pages == 1
    (page,) = PdfReader(io.BytesIO(pdf)).pages
    # (pypdf reads some pages of WeasyPrint's as UTF-16 and leaves the zero bytes in)
    text = " ".join(page.extract_text().replace("\x00", "").split())
    assert "Jansen" in text and "BCDFGHJK" in text
    for word in words(guardian[:60]) + words(child[:60]):
        assert word in text.replace(" ", "") or word in text
