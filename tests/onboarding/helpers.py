"""Helpers of the onboarding tests."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.management import call_command
from django_scopes import scope
from pypdf import PdfReader

CODE_RE = re.compile(r"\b([3479ACDEFHJKMNPQRTWXY]{4}-[3479ACDEFHJKMNPQRTWXY]{4})\b")
PDFTOPPM = shutil.which("pdftoppm")


def run_worker():
    with scope():  # as in the worker process: no scope until a task declares its own
        call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


def english(*users):
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


def pdf_pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def codes_in_pdf(data: bytes) -> list[str]:
    """The registration code of each page, in page order."""
    codes = []
    for text in pdf_pages_text(data):
        found = CODE_RE.findall(text)
        assert found, f"no code on a page: {text!r}"
        codes.append(found[0])
    return codes


def qr_texts(data: bytes, dpi: int = 150) -> list[list[str]]:
    """What the QR codes on each page say: render with pdftoppm, read with zxing-cpp."""
    import zxingcpp
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "letters.pdf"
        pdf.write_bytes(data)
        subprocess.run([PDFTOPPM, "-r", str(dpi), "-png", str(pdf), str(Path(folder) / "page")], check=True)
        pages = sorted(Path(folder).glob("page*.png"))
        return [[result.text for result in zxingcpp.read_barcodes(Image.open(p))] for p in pages]
