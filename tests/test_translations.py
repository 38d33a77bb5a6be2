"""Dutch is the default language and English is complete: every string in the catalogues is
translated, nothing is fuzzy, the compiled catalogues are up to date, and (where GNU gettext is
installed) no translatable string in the code is missing from the catalogues."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "schoolpoort"
LOCALE = PACKAGE / "locale"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_catalogue_is_complete_and_compiled(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    if language == "nl":
        assert po.untranslated_entries() == [], [e.msgid for e in po.untranslated_entries()][:20]
    assert [e.msgid for e in po.fuzzy_entries()] == []
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo}
    for entry in po.translated_entries():
        assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, f"recompile: {entry.msgid!r}"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext is not installed")
def test_every_translatable_string_is_in_the_dutch_catalogue(tmp_path):
    copy = tmp_path / "schoolpoort"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "nl", "--no-obsolete", "--no-location"],
        cwd=copy, check=True, capture_output=True, env={"PATH": "/usr/bin:/bin"},
    )
    fresh = polib.pofile(str(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(LOCALE / "nl" / "LC_MESSAGES" / "django.po"))}
    missing = [e.msgid for e in fresh if (e.msgctxt, e.msgid) not in committed]
    assert missing == [], "run `make messages` and translate: " + repr(missing[:20])
