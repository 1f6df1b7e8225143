"""The platform's rules for candidate photos, and how a background colour is judged.

The platform (职业技能等级证书信息管理服务平台) wants a standard small one-inch photo:
jpg or png, at most 5 MB, exactly 295 × 413 pixels (pixels decide, not print size), a red
background. This module holds those rules as values and the colour rule as a pure
function; reading images is ``examsite.formats.photo_check``'s job.
"""

from __future__ import annotations

import colorsys
from collections import Counter
from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType

#: Formats the platform accepts (Pillow's names), and the file extensions that go with them.
ACCEPTED_FORMATS: tuple[str, ...] = ("JPEG", "PNG")
ACCEPTED_EXTENSIONS: frozenset[str] = frozenset({".jpg", ".jpeg", ".png"})

#: "5M 以内": the platform's limit, read as mebibytes (the stricter reading of "5M").
MAX_FILE_BYTES = 5 * 1024 * 1024

#: Exact pixel size of a standard small one-inch photo (宽 × 高).
WIDTH = 295
HEIGHT = 413

#: How far a photo's width/height ratio may stray from 295/413 and still count as the
#: right shape: ±2 % covers rounding in studio exports (e.g. 300 × 417, 358 × 500) but not
#: a phone's 3:4 (5 % off), which would need cropping, i.e. a guess.
ASPECT_TOLERANCE = 0.02

#: Share of background samples one colour needs to decide the verdict.
BACKGROUND_MAJORITY = 0.8


class Verdict(StrEnum):
    """The outcome of checking one photo."""

    PASS = "pass"  # meets every rule as it is
    FIXED = "fixed"  # met the rules after an automatic fix (only when fixing was asked)
    REVIEW = "review"  # usable, but a warning (an unclear background) needs a person's look
    REJECTED = "rejected"  # cannot be used; the problems say why and whether a fix exists


class PhotoCode(StrEnum):
    """Problem codes of the photo check (the Chinese text is in ``photo_messages``).

    Errors reject the photo; those in ``FIXABLE`` go away with an automatic fix, which then
    reports the matching ``FIXED_*`` notice instead.
    """

    # errors that no fix can mend
    EMPTY = "photo.empty"
    NOT_IMAGE = "photo.not_image"
    WRONG_FORMAT = "photo.wrong_format"
    DAMAGED = "photo.damaged"
    TOO_MANY_PIXELS = "photo.too_many_pixels"
    TOO_LARGE_TO_PROCESS = "photo.too_large_to_process"
    GRAYSCALE = "photo.grayscale"
    LANDSCAPE = "photo.landscape"
    WRONG_SHAPE = "photo.wrong_shape"
    TOO_SMALL = "photo.too_small"
    BACKGROUND_BLUE = "photo.background_blue"
    BACKGROUND_WHITE = "photo.background_white"
    # errors an automatic fix mends (they carry ``fixable=True``)
    EXIF_ROTATED = "photo.exif_rotated"
    CMYK = "photo.cmyk"
    TRANSPARENT = "photo.transparent"
    WRONG_PIXELS = "photo.wrong_pixels"
    TOO_LARGE = "photo.too_large"
    # a warning: accepted, but a person should look at it
    BACKGROUND_UNCLEAR = "photo.background_unclear"
    # notices: what the automatic fix changed
    FIXED_ROTATED = "photo.fixed_rotated"
    FIXED_CMYK = "photo.fixed_cmyk"
    FIXED_TRANSPARENT = "photo.fixed_transparent"
    FIXED_RESIZED = "photo.fixed_resized"
    FIXED_RECOMPRESSED = "photo.fixed_recompressed"


#: Each fixable error and the notice reported once it has been fixed.
FIXABLE: Mapping[PhotoCode, PhotoCode] = MappingProxyType(
    {
        PhotoCode.EXIF_ROTATED: PhotoCode.FIXED_ROTATED,
        PhotoCode.CMYK: PhotoCode.FIXED_CMYK,
        PhotoCode.TRANSPARENT: PhotoCode.FIXED_TRANSPARENT,
        PhotoCode.WRONG_PIXELS: PhotoCode.FIXED_RESIZED,
        PhotoCode.TOO_LARGE: PhotoCode.FIXED_RECOMPRESSED,
    }
)


class Background(StrEnum):
    """The background colour of a photo, as far as the border samples tell."""

    RED = "red"
    BLUE = "blue"
    WHITE = "white"
    UNCLEAR = "unclear"


def aspect_matches(width: int, height: int) -> bool:
    """True when ``width × height`` has the 295 × 413 shape within ``ASPECT_TOLERANCE``."""
    if width <= 0 or height <= 0:
        return False
    ratio = (width / height) / (WIDTH / HEIGHT)
    return abs(ratio - 1.0) <= ASPECT_TOLERANCE


def classify_colour(rgb: tuple[int, int, int]) -> Background | None:
    """The background colour one (r, g, b) sample (0–255) belongs to, or None for none.

    The thresholds are HSV: red is hue ≤ 15° or ≥ 340° with saturation ≥ 0.45 and value
    ≥ 0.35 (so dark red and orange-red count, pink does not); blue is hue 190–255° with
    saturation ≥ 0.31; white is saturation ≤ 0.15 with value ≥ 0.85 (so mid grey does not).
    """
    r, g, b = rgb
    hue, sat, value = colorsys.rgb_to_hsv(r / 255, g / 255, b / 255)
    degrees = hue * 360
    if (degrees <= 15 or degrees >= 340) and sat >= 0.45 and value >= 0.35:
        return Background.RED
    if 190 <= degrees <= 255 and sat >= 0.31:
        return Background.BLUE
    if sat <= 0.15 and value >= 0.85:
        return Background.WHITE
    return None


def classify_background(samples: Iterable[tuple[int, int, int]]) -> Background:
    """Judge a background from (r, g, b) samples taken along the photo's border.

    One colour must hold at least ``BACKGROUND_MAJORITY`` of the samples; anything else
    (mixed colours, pink, grey, no samples) is ``UNCLEAR``.
    """
    counts: Counter[Background | None] = Counter()
    total = 0
    for sample in samples:
        counts[classify_colour(sample)] += 1
        total += 1
    if total == 0:
        return Background.UNCLEAR
    colour, count = counts.most_common(1)[0]
    if colour is not None and count >= BACKGROUND_MAJORITY * total:
        return colour
    return Background.UNCLEAR
