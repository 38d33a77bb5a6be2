"""Helpers of the documents tests: real files built here (a PDF by hand, a Word file with
zipfile), shelves and documents made through the actions, as the pages make them."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from schoolpoort.documents import actions
from schoolpoort.documents.demo import simple_pdf
from schoolpoort.documents.models import Document, Shelf
from schoolpoort.documents.uploads import prepare_upload

PDF = simple_pdf("Schoolgids", ["Eerste versie van de schoolgids."])
PDF_V2 = simple_pdf("Schoolgids", ["Tweede versie: nieuwe vakantiedata."])
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_bytes(text: str = "Hallo") -> bytes:
    """A minimal but real Word document (Office Open XML)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{DOCX_TYPE}.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def english(*users):
    """Pages in English: the assertions read the English strings (the Dutch catalogue comes later)."""
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


def make_shelf(school, actor=None, *, audience="school", groups=(), guardianships=(), title="Plank") -> Shelf:
    shelf = Shelf(school=school, title=title, audience=audience)
    return actions.save_shelf(shelf, actor, groups=list(groups), guardianships=list(guardianships))


def add_document(shelf, actor=None, *, title="Schoolgids", data=PDF, name=None, folder=None,
                 notify=False) -> Document:
    prepared = prepare_upload(upload(name or f"{title}.pdf", data))
    return actions.add_document(shelf, prepared, actor, title=title, folder=folder, notify=notify)


def replace(document, actor=None, *, data=PDF_V2, name="Schoolgids v2.pdf", note="", notify=False):
    return actions.replace_document(document, prepare_upload(upload(name, data)), actor, note=note, notify=notify)


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
