"""Files for upload tests, shared by every module's tests: the decompression bomb and real photos."""

from __future__ import annotations

import functools
import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

BOMB_SIDE = 13_000


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


@functools.lru_cache
def png_bomb(width: int = BOMB_SIDE, height: int = BOMB_SIDE) -> bytes:
    """A valid RGB PNG of ``width`` × ``height`` black pixels: rows of zeros, written with zlib.
    13,000 × 13,000 is about 0.5 MB on disk and about 500 MB once decoded.

    The deflate stream is one compressed block of 100 rows, repeated: after a full flush deflate
    forgets its history, so each copy decodes on its own (and the build takes milliseconds)."""
    row = b"\x00" * (1 + 3 * width)  # filter byte "none" + black pixels
    rows_per_block = 100
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(row * rows_per_block) + deflate.flush(zlib.Z_FULL_FLUSH)
    blocks, rest = divmod(height, rows_per_block)
    tail = deflate.compress(row * rest) + deflate.flush(zlib.Z_FINISH)
    length = len(row) * height
    adler = ((length % 65521) << 16) | 1  # adler-32 of only zeros: A stays 1, B adds 1 per byte
    stream = b"\x78\xda" + block * blocks + tail + struct.pack(">I", adler)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", stream) + _chunk(b"IEND", b"")


def bomb_upload(name: str = "bom.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bomb(), "image/png")


def jpeg(size=(60, 40), colour="#0f5c58", *, exif: Image.Exif | None = None, quality: int = 85) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=quality, **({"exif": exif} if exif else {}))
    return buffer.getvalue()


def gps_exif(maker: str = "Camera merk", orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = maker
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 3.0)}  # GPS
    return exif


def xmp_jpeg(size=(60, 40)) -> bytes:
    """A JPEG with an XMP packet (APP1) that names a place."""
    buffer = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description photoshop:City="Utrecht"/></x:xmpmeta>'
    Image.new("RGB", size, "#a0b0c0").save(buffer, "JPEG", xmp=xmp)
    return buffer.getvalue()
