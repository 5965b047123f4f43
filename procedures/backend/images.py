"""Avatar pictures checked for real with Pillow: format, integrity, size in pixels.

The file's name and declared type prove nothing, so the bytes are opened, verified, then
decoded in full (verify alone does not notice a truncated JPEG). Only a small record is
kept: format, pixel size and a hash, never the picture itself.
"""

from __future__ import annotations

import hashlib
import io
import warnings

from PIL import Image, UnidentifiedImageError

from procedures.backend.errors import InvalidInput
from procedures.backend.records import AvatarRecord

FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
MAX_BYTES = 5 * 1024 * 1024
MIN_SIDE = 210
"""The guide recommends at least 210 pixels on each side."""
MAX_PIXELS = 40_000_000
"""More than this is refused before decoding: a small file can unpack into gigabytes."""


def _size(size: int) -> str:
    """"6.2 MB", or the exact count of bytes when that would read like the limit itself."""
    rounded = f"{size / (1024 * 1024):.1f} MB"
    return f"{size:,} bytes" if rounded == f"{MAX_BYTES / (1024 * 1024):.1f} MB" else rounded


def inspect_avatar(data: object) -> AvatarRecord:
    """The record of a valid avatar, or InvalidInput (field "image") saying what is wrong."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise InvalidInput("image", "send the picture's content (bytes), "
                                    f"not {type(data).__name__}")
    content = bytes(data)
    if not content:
        raise InvalidInput("image", "the file is empty")
    if len(content) > MAX_BYTES:
        raise InvalidInput("image", f"the file is {_size(len(content))}; "
                                    f"it must be at most {MAX_BYTES // (1024 * 1024)} MB")
    try:
        with warnings.catch_warnings():
            # Pillow only warns about very large images; here that is a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=FORMATS) as image:
                fmt, (width, height) = image.format or "", image.size
                if width * height > MAX_PIXELS:
                    raise InvalidInput("image", f"the image is {width}×{height} pixels, too "
                                                "large to use as a profile picture")
                image.verify()
            with Image.open(io.BytesIO(content), formats=FORMATS) as image:
                image.load()
    except InvalidInput:
        raise
    except UnidentifiedImageError:
        raise InvalidInput("image", "the file is not a PNG, JPEG, GIF or WebP picture"
                           ) from None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise InvalidInput("image", "the image has far too many pixels to use as a profile "
                                    "picture; scale it down") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise InvalidInput("image", f"the picture is damaged or incomplete ({error}); "
                                    "export it again and retry") from None
    if width < MIN_SIDE or height < MIN_SIDE:
        raise InvalidInput("image", f"the image is {width}×{height} pixels; it must be at "
                                    f"least {MIN_SIDE} pixels on each side")
    return AvatarRecord(format=fmt, width=width, height=height, size_bytes=len(content),
                        sha256=hashlib.sha256(content).hexdigest())
