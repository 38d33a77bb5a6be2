"""The architecture's rules, checked as the suite runs (and by `make lint`): modules never import
each other and the layers point one way (import-linter contracts in pyproject.toml), and no block
of 20 lines is copied between two places outside migrations (pylint's duplicate-code)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
BIN = Path(sys.executable).parent


def _makefile_duplicate_code_options() -> list[str]:
    """The same options as `make lint`, read from the Makefile so the two cannot drift apart."""
    text = (ROOT / "Makefile").read_text()
    match = re.search(r"^DUPLICATE_CODE := (.+?)(?<!\\)\n", text, re.M | re.S)
    assert match, "DUPLICATE_CODE missing from the Makefile"
    return match.group(1).replace("\\\n", " ").split()


def test_import_contracts_are_kept():
    result = subprocess.run(
        [str(BIN / "lint-imports"), str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=SRC, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_no_block_of_twenty_lines_is_copied():
    result = subprocess.run(
        [str(BIN / "pylint"), *_makefile_duplicate_code_options(), "schoolpoort"],
        cwd=SRC, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
