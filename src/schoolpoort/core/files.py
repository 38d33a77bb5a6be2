"""Sending stored files to the one who may see them. No file has a public URL: a view checks
access through ``visible_to`` first and then calls ``send_file``.

How the bytes travel is a setting (MEDIA_SENDFILE):
- "" (default, the demo): Django streams the file from the storage (local disk or S3);
- "x-accel": nginx sends it: the response carries ``X-Accel-Redirect: MEDIA_ACCEL_PREFIX/<name>``
  (an ``internal`` location in nginx that aliases MEDIA_ROOT);
- "x-sendfile": Apache (mod_xsendfile) or lighttpd sends it: ``X-Sendfile: <absolute path>``.
With S3 storage, and for every encrypted file (``lib.encryption.encrypted_storage``: the web server
would send the ciphertext), the bytes are always streamed through Django."""

from __future__ import annotations

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

# Served files never run as a page of ours, whatever their type.
SANDBOX = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"
# Safari shows a blank page for a sandboxed PDF; a PDF gets the same policy without the sandbox.
PDF_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'"


def send_file(
    request,
    field_file,
    *,
    filename: str | None = None,
    inline: bool = False,
    content_type: str | None = None,
) -> HttpResponse:
    """The response that delivers ``field_file`` (a FieldFile); 404 when it is gone. Honours a
    single byte range (206), which phones need to play a video. Never kept in a cache: the file is
    someone's private data, and the device may be shared."""
    if not field_file:
        raise Http404
    storage = field_file.storage
    name = field_file.name
    filename = filename or name.rsplit("/", 1)[-1]
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    mode = getattr(settings, "MEDIA_SENDFILE", "")

    if mode and isinstance(storage, FileSystemStorage):
        if not storage.exists(name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        if mode == "x-accel":
            response["X-Accel-Redirect"] = f"{settings.MEDIA_ACCEL_PREFIX.rstrip('/')}/{quote(name)}"
        elif mode == "x-sendfile":
            response["X-Sendfile"] = storage.path(name)
        else:  # pragma: no cover - settings check below refuses other values
            raise ValueError(f"Unknown MEDIA_SENDFILE {mode!r}")
    else:
        try:
            handle = storage.open(name, "rb")
            # An encrypted file (lib.encryption) is decrypted on opening: its size is the plain one.
            size = handle.size if getattr(storage, "encrypted", False) else storage.size(name)
        except (FileNotFoundError, OSError):
            raise Http404 from None
        byte_range = _byte_range(request.META.get("HTTP_RANGE", ""), size)
        if byte_range is None:
            response = FileResponse(handle, content_type=content_type)
            response["Content-Length"] = str(size)
        else:
            start, end = byte_range
            handle.seek(start)
            response = StreamingHttpResponse(_chunks(handle, end - start + 1), status=206, content_type=content_type)
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
            response["Content-Length"] = str(end - start + 1)
        response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = PDF_POLICY if content_type == "application/pdf" else SANDBOX
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(start, end) of a single "bytes=a-b" range within the file, or None for the whole file."""
    if not header.startswith("bytes=") or "," in header or size == 0:
        return None
    first, _, last = header[6:].strip().partition("-")
    try:
        if first == "":  # the last N bytes
            start, end = max(0, size - int(last)), size - 1
        else:
            start, end = int(first), min(int(last), size - 1) if last else size - 1
    except ValueError:
        return None
    if start > end or start >= size:
        return None
    return start, end


def _chunks(handle, length: int, chunk_size: int = 64 * 1024):
    try:
        while length > 0:
            data = handle.read(min(chunk_size, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()
