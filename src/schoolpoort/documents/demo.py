"""Documents of the demo school (DEMO.md): at OBS De Regenboog a school shelf "Schoolgids en
protocollen" (the school guide in two versions, and a folder of protocols), a shelf for groep 6,
and a letter for one family: the two guardians of Noor Jansen. Documents is off at KBS De Ark,
so nothing there. The files are small real PDFs, written here by hand.

The demo sends no notifications; a few documents are recent, so the home page block shows them."""

from __future__ import annotations

import datetime
import textwrap
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from schoolpoort.core.models import Guardianship
from schoolpoort.core.scopes import scopes_disabled
from schoolpoort.lib.demo import DOMAINS, REGENBOOG, DemoWorld

from .actions import _notify
from .models import Document, DocumentVersion, Folder, Shelf

DIRECTOR = "directie@regenboog.example"
ADMINISTRATION = "administratie@regenboog.example"
TEACHER_6 = "leerkracht.groep6@regenboog.example"


def simple_pdf(title: str, lines: list[str]) -> bytes:
    """A valid one-page A4 PDF with a bold title and wrapped lines of text (Helvetica, WinAnsi)."""

    def text(value: str) -> bytes:
        raw = value.encode("cp1252", "replace")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    wrapped = [part for line in lines for part in (textwrap.wrap(line, 88) or [""])]
    content = b"BT /F2 20 Tf 72 770 Td (" + text(title) + b") Tj ET\n"
    content += b"BT /F1 11 Tf 16 TL 72 730 Td\n"
    content += b"".join(b"(" + text(line) + b") Tj T*\n" for line in wrapped[:42])
    content += b"ET\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title (" + text(title) + b") /Producer (Schoolpoort demo) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


@dataclass(frozen=True)
class DemoFile:
    days_ago: int
    by: str
    lines: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class DemoDocument:
    title: str
    versions: tuple[DemoFile, ...]  # oldest first
    description: str = ""
    folder: str | None = None


def _guide(year: str, holiday: str) -> tuple[str, ...]:
    return (
        f"Schoolgids OBS De Regenboog, schooljaar {year}",
        "",
        "In deze schoolgids leest u hoe wij werken, wat u van de school mag verwachten en wat wij van u vragen.",
        "",
        "1. Onze school: een openbare basisschool in Utrecht voor ongeveer 180 kinderen in acht groepen.",
        "2. Schooltijden: maandag tot en met vrijdag van 8:30 tot 14:15 uur; de deuren gaan om 8:20 uur open.",
        f"3. Vakanties: herfstvakantie, kerstvakantie, voorjaarsvakantie ({holiday}), meivakantie en zomervakantie.",
        "4. Ziekmelden: meld uw kind voor 8:15 uur ziek in Schoolpoort of bel de school.",
        "5. Contact: de leerkracht van uw kind is uw eerste aanspreekpunt. Voor een gesprek kunt u altijd een "
        "afspraak maken.",
        "6. Ouderbijdrage: de vrijwillige ouderbijdrage is 45 euro per kind per jaar.",
        "",
        "Regenbooglaan 12, 3526 KT Utrecht - 030 288 41 70 - info@regenboog.example",
    )


SHELF_DOCUMENTS = [
    DemoDocument(
        "Schoolgids {year}",
        (
            DemoFile(45, DIRECTOR, _guide("{year}", "week 8")),
            DemoFile(9, DIRECTOR, _guide("{year}", "week 9"),
                     note="Voorjaarsvakantie verschoven naar week 9; nieuwe data van de studiedagen."),
        ),
        description="Alles over de school: schooltijden, vakanties, ziekmelden, contact en de ouderbijdrage.",
    ),
    DemoDocument(
        "Pestprotocol",
        (DemoFile(60, DIRECTOR, (
            "Pestprotocol OBS De Regenboog",
            "",
            "Op De Regenboog willen we dat ieder kind zich veilig voelt. Pesten accepteren we niet.",
            "Wat doen we? We praten met het kind dat gepest wordt, met de kinderen die pesten en met de groep.",
            "We informeren de ouders van alle betrokken kinderen dezelfde dag.",
            "Ziet of hoort u iets? Neem contact op met de leerkracht of met de vertrouwenspersoon, juf Ingrid.",
        )),),
        folder="Protocollen",
    ),
    DemoDocument(
        "Protocol hoofdluis",
        (DemoFile(5, DIRECTOR, (
            "Protocol hoofdluis",
            "",
            "Na elke vakantie controleren de luizenouders alle kinderen op hoofdluis.",
            "Vinden we luizen of neten, dan bellen we u dezelfde dag. Behandel uw kind dan voor de volgende schooldag.",
            "Meer informatie vindt u op de site van het RIVM.",
        )),),
        folder="Protocollen",
    ),
]

GROUP_DOCUMENTS = [
    DemoDocument(
        "Lesrooster groep 6",
        (DemoFile(20, TEACHER_6, (
            "Lesrooster groep 6 - meester Mark",
            "",
            "Maandag: rekenen, taal, spelling, aardrijkskunde",
            "Dinsdag: rekenen, begrijpend lezen, gym (na de pauze), muziek",
            "Woensdag: rekenen, taal, Engels",
            "Donderdag: rekenen, spelling, gym, natuur en techniek",
            "Vrijdag: rekenen, topografie, geschiedenis, tekenen",
        )),),
    ),
    DemoDocument(
        "Informatieavond groep 6",
        (DemoFile(3, TEACHER_6, (
            "Informatieavond groep 6",
            "",
            "Beste ouders, u bent van harte welkom op de informatieavond van groep 6.",
            "We vertellen over het lesprogramma, de Cito-toetsen, het huiswerk en de excursies van dit jaar.",
            "Aanvang 19:30 uur in het lokaal van groep 6. De koffie staat klaar vanaf 19:15 uur.",
        )),),
        description="Dinsdag over twee weken, 19:30 uur, in het lokaal van groep 6.",
    ),
]

LETTER = DemoDocument(
    "Brief over extra ondersteuning Noor",
    (DemoFile(2, ADMINISTRATION, (
        "Aan de ouders van Noor Jansen",
        "",
        "Beste Eva en Peter,",
        "",
        "Zoals besproken krijgt Noor vanaf volgende week twee keer per week extra ondersteuning bij het "
        "technisch lezen, in een klein groepje met juf Judith.",
        "Na zes weken bespreken we samen met u hoe het gaat. U krijgt daarvoor een uitnodiging.",
        "Heeft u vragen? Neem gerust contact met ons op.",
        "",
        "Met vriendelijke groet,",
        "Ingrid Mulder, administratie OBS De Regenboog",
    )),),
    description="Alleen voor de ouders van Noor.",
)


@scopes_disabled()  # what an earlier run left, in every demo school
def clear_demo() -> None:
    """The files of the demo's versions (the rows go with the demo schools)."""
    brins = list(DOMAINS)
    for version in DocumentVersion.objects.filter(document__shelf__school__brin__in=brins):
        version.file.delete(save=False)


def _ago(days: int, now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(days=days, hours=days % 5, minutes=7 * days % 60)


def _add(shelf: Shelf, spec: DemoDocument, world: DemoWorld, now, folders: dict[str, Folder]) -> Document:
    year = world.school_year.name
    title = spec.title.format(year=year)
    first = spec.versions[0]
    document = Document.objects.create(
        shelf=shelf, folder=folders.get(spec.folder) if spec.folder else None, title=title,
        description=spec.description, created_by=world.users[first.by], created_at=_ago(first.days_ago, now),
    )
    version = None
    for n, item in enumerate(spec.versions, start=1):
        lines = [line.format(year=year) for line in item.lines]
        data = simple_pdf(title, lines)
        name = f"{title}.pdf" if n == 1 else f"{title} (versie {n}).pdf"
        version = DocumentVersion(
            document=document, original_name=name, content_type="application/pdf", size=len(data),
            uploaded_by=world.users[item.by], uploaded_at=_ago(item.days_ago, now), note=item.note,
        )
        version.file.save(name, ContentFile(data), save=False)
        version.save()
    document.current_version = version
    document.updated_at = version.uploaded_at
    document.save(update_fields=["current_version", "updated_at"])
    _notify(document, version, "documents.added")  # as add_document tells the shelf's families
    return document


@scopes_disabled()  # the demo's rows of every demo school, outside any request
def load_demo(world: DemoWorld) -> None:
    now = timezone.now()
    school = world.schools[REGENBOOG]
    users = world.users

    guide = Shelf.objects.create(school=school, title="Schoolgids en protocollen", audience=Shelf.Audience.SCHOOL,
                                 position=0, created_by=users[DIRECTOR], created_at=_ago(60, now))
    folders = {"Protocollen": Folder.objects.create(shelf=guide, title="Protocollen", created_at=_ago(60, now))}
    for spec in SHELF_DOCUMENTS:
        _add(guide, spec, world, now, folders)

    group6 = Shelf.objects.create(school=school, title="Groep 6", audience=Shelf.Audience.GROUPS, position=10,
                                  created_by=users[TEACHER_6], created_at=_ago(20, now))
    group6.groups.set([world.groups[REGENBOOG, "6"]])
    for spec in GROUP_DOCUMENTS:
        _add(group6, spec, world, now, {})

    # A letter for one family: both guardians of Noor Jansen (her brother Sem's links are not named).
    letters = Shelf.objects.create(school=school, title="Brieven over Noor Jansen", audience=Shelf.Audience.GUARDIANS,
                                   position=20, created_by=users[ADMINISTRATION], created_at=_ago(2, now))
    letters.guardianships.set(Guardianship.objects.filter(student=world.students["Noor Jansen"]))
    _add(letters, LETTER, world, now, {})
