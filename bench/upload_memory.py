"""Peak memory and time of the kernel's upload check (``schoolpoort.lib.uploads``), each case in a
fresh Python process (peak RSS is per process):

- bomb: a 13,000 × 13,000 PNG of 0.5 MB (169 megapixels, about 500 MB decoded) sent to the news
  policy; refused from its header.
- photo: a 12-megapixel JPEG (4000 × 3000) from a phone, re-encoded by the news policy (at most
  2560 pixels, no metadata).
- baseline: the same process importing Django and the kernel, checking nothing.

Run from the repository root:  PYTHONPATH=src python bench/upload_memory.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schoolpoort.settings")
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from schoolpoort.lib import uploads
from tests.files import png_bomb

case, path = sys.argv[1], sys.argv[2]
policy = uploads.Policy(kinds=uploads.PHOTOS | {"pdf"}, max_size=10 * 1024 * 1024)
if case == "bomb":
    data, name = png_bomb(), "bom.png"
else:
    with open(path, "rb") as handle:
        data, name = handle.read(), "IMG_0001.jpg"
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
outcome = "nothing checked"
if case != "baseline":
    try:
        checked = uploads.check(SimpleUploadedFile(name, data), policy)
        outcome = f"stored {checked.width}x{checked.height} {checked.size} bytes"
    except ValidationError as error:
        outcome = f"refused ({error.code})"
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"case": case, "peak_mb": round(peak / 1024, 1), "before_mb": round(before / 1024, 1),
                  "seconds": round(seconds, 3), "outcome": outcome}))
"""


def phone_photo(path: str, size=(4000, 3000)) -> None:
    """A 12-megapixel JPEG with texture (noise over a gradient), as a camera makes them."""
    from PIL import Image

    noise = Image.effect_noise(size, 40)
    gradient = Image.linear_gradient("L").resize(size)
    Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5))).save(path, "JPEG", quality=85)


# Linux carries the peak RSS of the process that starts a program into it (fork copies the
# memory map, exec keeps its high-water mark): a shell in between, which forks from its own small
# process, gives the child a clean count.
FRESH = ["/bin/sh", "-c", '"$@"; exit $?', "sh"]


def measure(case: str, path: str = "") -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    result = subprocess.run([*FRESH, sys.executable, "-c", CHILD, case, path], env=env, cwd=ROOT,
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        photo = os.path.join(folder, "photo.jpg")
        phone_photo(photo)
        print(f"12-megapixel JPEG: {os.path.getsize(photo) / 1e6:.1f} MB")
        for case in ("baseline", "bomb", "photo"):
            figures = measure(case, photo)
            print(f"{case:9} peak {figures['peak_mb']:7.1f} MB (before the check {figures['before_mb']:.1f} MB)"
                  f"  {figures['seconds']:6.3f} s  {figures['outcome']}")


if __name__ == "__main__":
    main()
