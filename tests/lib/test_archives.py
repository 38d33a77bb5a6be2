"""The archive limits: every ZIP that comes in is opened by ``lib.archives`` and refused, with a
message that names the limit, before a bomb is unpacked."""

import io
import json
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.utils import translation

from schoolpoort.lib.archives import ArchiveRefused, Limits, open_zip

MB = 1024 * 1024


def make_zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zeros_bomb(megabytes: int, name: str = "users.csv") -> bytes:
    """One member of zeros: about 1000 : 1, written in chunks so the test itself stays small."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open(name, "w", force_zip64=True) as member:
            block = b"\0" * MB
            for _n in range(megabytes):
                member.write(block)
    return buffer.getvalue()


def refusal(data: bytes, limits: Limits | None = None) -> ArchiveRefused:
    with translation.override("en"), pytest.raises(ArchiveRefused) as caught:
        archive = open_zip(data, limits) if limits else open_zip(data)
        archive.read_all()
    return caught.value


def test_an_ordinary_export_is_read_member_by_member():
    data = make_zip({"oneroster/users.csv": b"sourcedId,role\n1,student\n", "orgs.csv": b"sourcedId\n1\n"})
    files = open_zip(data).read_all(suffixes=(".csv",))
    assert files == {"users.csv": b"sourcedId,role\n1,student\n", "orgs.csv": b"sourcedId\n1\n"}


def test_a_bomb_is_refused_from_its_directory_before_anything_is_unpacked():
    bomb = zeros_bomb(400)
    assert len(bomb) < 500_000
    refused = refusal(bomb)
    assert refused.limit == "max_member_size"
    assert str(refused) == (
        "“users.csv” in the ZIP file is larger than 64.0 MB unpacked; one file in the ZIP may be at most 64.0 MB."
    )


def test_a_member_compressed_a_thousand_times_is_refused_even_when_it_is_small_enough():
    refused = refusal(zeros_bomb(20))
    assert refused.limit == "max_ratio" and "compressed more than 100 times" in str(refused)


def test_a_header_that_lies_about_the_size_gains_nothing():
    # The central directory says 1 KB; the member inflates to 20 MB of zeros.
    bomb = bytearray(zeros_bomb(20))
    directory = bomb.rindex(b"PK\x01\x02")
    struct.pack_into("<I", bomb, directory + 24, 1024)  # uncompressed size in the central directory
    local = bomb.index(b"PK\x03\x04")
    struct.pack_into("<I", bomb, local + 22, 1024)
    refused = refusal(bytes(bomb))
    assert refused.limit == "damaged"  # unpacking stops at the size claimed, and the checksum fails


def test_counting_while_unpacking_stops_at_the_limit_whatever_the_directory_said():
    # Open with the directory checks passed, then read under tighter limits: only the count stops it.
    archive = open_zip(zeros_bomb(8), Limits(max_ratio=10_000))
    archive.limits = Limits(max_member_size=3 * MB, max_ratio=10_000)
    with pytest.raises(ArchiveRefused) as caught:
        archive.read_all()
    assert caught.value.limit == "max_member_size"

    archive = open_zip(make_zip({"a.csv": b"x" * (2 * MB), "b.csv": b"y" * (2 * MB)}, zipfile.ZIP_STORED))
    archive.limits = Limits(max_total_size=3 * MB)
    with pytest.raises(ArchiveRefused) as caught:
        archive.read_all()
    assert caught.value.limit == "max_total_size"

    archive = open_zip(zeros_bomb(8), Limits(max_ratio=10_000))
    archive.limits = Limits()
    with pytest.raises(ArchiveRefused) as caught:
        archive.read_all()
    assert caught.value.limit == "max_ratio"


def test_too_many_members_are_refused_with_the_number_allowed():
    refused = refusal(make_zip({f"{n}.csv": b"a" for n in range(101)}))
    assert refused.limit == "max_members" and str(refused) == "The ZIP file holds 101 files; at most 100 are allowed."


@pytest.mark.parametrize("name", ["inner.zip", "deep/archive.tar.gz", "x.7z"])
def test_a_nested_archive_is_refused_by_its_name(name):
    refused = refusal(make_zip({name: b"whatever"}))
    assert refused.limit == "nested" and "holds another archive" in str(refused)


def test_a_nested_archive_is_refused_by_its_first_bytes():
    inner = make_zip({"users.csv": b"a"})
    refused = refusal(make_zip({"users.csv": inner}))
    assert refused.limit == "nested"


@pytest.mark.parametrize("name", ["../users.csv", "/etc/passwd", "a/../../b.csv", "C:/x.csv", "..\\x.csv", "a\x01.csv"])
def test_names_that_climb_out_or_are_absolute_are_refused(name):
    refused = refusal(make_zip({name: b"a"}))
    assert refused.limit == "names" and "name that is not allowed" in str(refused)


def test_a_damaged_file_says_so():
    assert refusal(b"PK\x03\x04 not really a zip").limit == "damaged"


MEASURE = """
import json, resource, sys
import django
django.setup()
from schoolpoort.lib.archives import ArchiveRefused, open_zip

bomb = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    open_zip(bomb).read_all()
    refused = ""
except ArchiveRefused as error:
    refused = error.limit
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"bomb": len(bomb), "refused": refused, "before_kb": before, "after_kb": after}))
"""


def test_refusing_a_400_mb_bomb_takes_no_memory_worth_measuring(tmp_path):
    """In its own process, so the peak (ru_maxrss) is the refusal's and not the test run's."""
    path = tmp_path / "bomb.zip"
    path.write_bytes(zeros_bomb(400))
    src = Path(__file__).resolve().parents[2] / "src"
    env = {"PYTHONPATH": str(src), "DJANGO_SETTINGS_MODULE": "schoolpoort.settings", "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-c", MEASURE, str(path)]
    out = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    print(figures)
    assert figures["refused"] == "max_member_size"
    assert figures["after_kb"] - figures["before_kb"] < 5 * 1024  # under 5 MB more than before the refusal
