"""Images, opened safely: the pixel count is checked from the header before anything is decoded,
big JPEGs are decoded at a reduced scale when a smaller result is wanted, and what is saved again
carries the pixels only (no EXIF, GPS, XMP, ICC profile or comments).

``open_image`` is the one way in, for the pages and for the worker alike."""

from __future__ import annotations

import contextlib
import io
import math
import struct
import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

MAX_PIXELS = 64_000_000

try:  # HEIC photos from iPhones
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIC = True
except ImportError:  # pragma: no cover - pillow-heif is a dependency; kept for slim installs
    HEIC = False

# The Pillow formats we decode; any other plugin is never asked (less code reachable by an upload).
# (A JPEG with extra frames, from some cameras, opens through JPEG as "MPO".)
FORMATS = ("JPEG", "PNG", "WEBP") + (("HEIF",) if HEIC else ())
UNREADABLE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error, EOFError)
ORIENTATION = 0x0112
TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SRGB = None


def too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” has too many pixels to be processed safely. Photos may have at most %(max)d megapixels."),
        code="too_many_pixels",
        params={"name": name, "max": MAX_PIXELS // 1_000_000},
    )


def unreadable_image(name: str) -> ValidationError:
    return ValidationError(_("“%(name)s” could not be read as an image."), code="invalid", params={"name": name})


class _KeepOpen:
    """The caller's file as Pillow's: closing the image must not close the upload (it may be stored next)."""

    def __init__(self, file):
        self._file = file

    def __getattr__(self, name):
        return getattr(self._file, name)

    def close(self) -> None:
        pass


def open_image(fp, name: str, formats=FORMATS, unreadable=unreadable_image) -> Image.Image:
    """Open an image lazily (only its header is read) and refuse it, before any decoding, when it
    has more than MAX_PIXELS pixels. Pillow's DecompressionBombWarning is an error here too. The
    caller closes the image; ``fp`` stays open. Raises ValidationError."""
    fp.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(_KeepOpen(fp), formats=list(formats))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels(name) from None
        except UNREADABLE_ERRORS:
            raise unreadable(name) from None
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        image.close()
        raise too_many_pixels(name)
    return image


@contextlib.contextmanager
def strict_decoding():
    """A half-uploaded photo must fail, not be kept with a grey lower half. WeasyPrint switches
    Pillow's global LOAD_TRUNCATED_IMAGES on when it is imported; we switch it off around our
    own decoding."""
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def load(image: Image.Image, wanted: tuple[int, int] | None = None) -> None:
    """Decode the pixels. With ``wanted`` (the size the result is scaled to), a JPEG is decoded
    at 1/2, 1/4 or 1/8 of its size when that still covers it: a quarter or less of the memory."""
    if wanted and image.format in ("JPEG", "MPO"):
        image.draft(None, wanted)
    with strict_decoding():
        image.load()


def fitted_size(size: tuple[int, int], side: int) -> tuple[int, int]:
    """The size of ``size`` scaled to fit in a square of ``side`` (never enlarged)."""
    scale = min(1.0, side / max(size))
    return max(1, math.floor(size[0] * scale)), max(1, math.floor(size[1] * scale))


def covering_size(size: tuple[int, int], side: int) -> tuple[int, int]:
    """The size of ``size`` scaled so that its shorter side is ``side`` (never enlarged)."""
    scale = min(1.0, side / min(size))
    return max(1, math.ceil(size[0] * scale)), max(1, math.ceil(size[1] * scale))


def orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(ORIENTATION) or 1)
    except Exception:  # noqa: BLE001 - broken EXIF is common and never fatal
        return 1


def upright(image: Image.Image, turn: int) -> Image.Image:
    """``image`` turned as its EXIF orientation ``turn`` says (read before decoding or scaling)."""
    method = TRANSPOSE.get(turn)
    return image.transpose(method) if method is not None else image


def _srgb_profile():
    global _SRGB
    if _SRGB is None:
        _SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    return _SRGB


def plain_mode(image: Image.Image) -> Image.Image:
    """8-bit L, RGB or RGBA pixels (CMYK stays for its colour profile)."""
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):  # 16-bit greyscale: scale to 8 bits
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        return image.convert("RGBA")
    if image.mode in ("L", "RGB", "CMYK"):
        return image
    return image.convert("RGB")


def to_srgb(image: Image.Image, icc: bytes | None = None, *, keep_alpha: bool = False) -> Image.Image:
    """The pixels in sRGB, converted with the colour profile ``icc`` (the image's own, by default),
    which is then dropped. Transparency is flattened onto white unless ``keep_alpha``."""
    if icc is None:
        icc = image.info.get("icc_profile")
    image = plain_mode(image)
    alpha = None
    if image.mode == "RGBA":
        alpha = image.getchannel("A")
        if keep_alpha:
            image = image.convert("RGB")
        else:
            flat = Image.new("RGB", image.size, "white")
            flat.paste(image, mask=alpha)
            image, alpha = flat, None
    if icc and image.mode in ("RGB", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            image = ImageCms.profileToProfile(image, source, _srgb_profile(), outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # an unusable profile: the pixels as they are
    if image.mode == "CMYK" or (alpha is not None and image.mode != "RGB"):
        image = image.convert("RGB")
    if alpha is not None:
        image.putalpha(alpha)
    return image


def pixels_only(image: Image.Image) -> Image.Image:
    """Forget everything but the pixels: EXIF, GPS, XMP, ICC, comments (``info`` goes into saves)."""
    image.info = {}
    image.encoderinfo = {}
    return image


def encode(image: Image.Image, image_format: str, quality: int = 85) -> bytes:
    """The pixels of ``image`` saved in ``image_format``, with no metadata at all."""
    image = pixels_only(image)
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    options = {"quality": quality, "optimize": True} if image_format in ("JPEG", "WEBP") else {"optimize": True}
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def _decoded(image: Image.Image, wanted: tuple[int, int]) -> tuple[Image.Image, bytes | None]:
    """The decoded pixels in a plain mode, and the colour profile they are in."""
    load(image, wanted)
    return plain_mode(image), image.info.get("icc_profile")


def shrunk(image: Image.Image, side: int, *, keep_alpha: bool = False) -> Image.Image:
    """Decode ``image`` (opened by ``open_image``) into upright sRGB pixels of at most ``side``."""
    turn = orientation(image)
    target = fitted_size(image.size, side)
    pixels, icc = _decoded(image, target)
    if pixels.size != target:
        pixels = pixels.resize(target, Image.Resampling.LANCZOS)
    return _own(upright(to_srgb(pixels, icc, keep_alpha=keep_alpha), turn), image)


def squared(image: Image.Image, side: int) -> Image.Image:
    """Decode ``image`` into an upright sRGB square of ``side`` (the middle; smaller images keep
    their shorter side)."""
    turn = orientation(image)
    side = min(side, *image.size)
    pixels, icc = _decoded(image, covering_size(image.size, side))
    square = ImageOps.fit(pixels, (side, side), Image.Resampling.LANCZOS)
    return _own(upright(to_srgb(square, icc), turn), image)


def _own(result: Image.Image, source: Image.Image) -> Image.Image:
    """The result, never the source itself (the caller closes the source)."""
    return source.copy() if result is source else result
