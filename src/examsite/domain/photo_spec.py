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
from enum import IntEnum, StrEnum
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


class Verdict(StrEnum):
    """The outcome of checking one photo."""

    PASS = "pass"  # meets every rule as it is
    FIXED = "fixed"  # met the rules after an automatic fix (only when fixing was asked)
    REVIEW = "review"  # usable once a person has looked (需复核): a reddish but off background
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
    # a background that is not red (``BACKGROUND_REJECTIONS``), named by its colour
    BACKGROUND_BLUE = "photo.background_blue"
    BACKGROUND_BLUE_WHITE = "photo.background_blue_white"
    BACKGROUND_WHITE = "photo.background_white"
    BACKGROUND_GREY = "photo.background_grey"
    BACKGROUND_DARK = "photo.background_dark"
    BACKGROUND_YELLOW = "photo.background_yellow"
    BACKGROUND_GREEN = "photo.background_green"
    BACKGROUND_PURPLE = "photo.background_purple"
    BACKGROUND_NOT_RED = "photo.background_not_red"
    # errors an automatic fix mends (they carry ``fixable=True``)
    EXIF_ROTATED = "photo.exif_rotated"
    CMYK = "photo.cmyk"
    TRANSPARENT = "photo.transparent"
    WRONG_PIXELS = "photo.wrong_pixels"
    TOO_LARGE = "photo.too_large"
    # a warning: usable only once a person has looked at it (需复核)
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


def aspect_matches(width: int, height: int) -> bool:
    """True when ``width × height`` has the 295 × 413 shape within ``ASPECT_TOLERANCE``."""
    if width <= 0 or height <= 0:
        return False
    ratio = (width / height) / (WIDTH / HEIGHT)
    return abs(ratio - 1.0) <= ASPECT_TOLERANCE


# --- the background colour -------------------------------------------------------------
#
# The border is sampled as small averaged cells (the top strip and the upper sides, see
# ``photo_check``); each cell gets a ``Tone`` from its hue, saturation and value, and the
# counts of the tones decide the ``Background``:
#
# - cells of the person are left out: dark ones (hair reaching the top edge, a dark
#   jacket, brown hair) and skin (a face or an ear reaching the side);
# - red needs ``RED_MAJORITY`` of the background cells left;
# - a border that is reddish but off (pink, a too dark red, orange; or red mixed with
#   other colours) is ``UNCLEAR``: the photo is held for a person to look at (需复核);
# - anything else has no red to speak of and is rejected, named by its colour: blue, a
#   blue fading to white (what ID-photo generators make), white, grey, black, …
#
# The thresholds are those of DEPENDENCIES.md ("Photos"): red is hue ≤ 15° or ≥ 340° with
# saturation ≥ 0.45 and value ≥ 0.35, so dark red (140, 20, 25) and orange-red
# (230, 60, 20) count as red; white is saturation ≤ 0.15 with value ≥ 0.85.


class Background(StrEnum):
    """The background colour of a photo, as far as the border samples tell."""

    RED = "red"
    UNCLEAR = "unclear"  # reddish but off (pink, dark red, orange), or red mixed: 需复核
    BLUE = "blue"
    BLUE_WHITE = "blue_white"  # blue fading to white: a gradient, vertical or radial
    WHITE = "white"
    GREY = "grey"
    DARK = "dark"  # black, or so dark that no colour shows
    YELLOW = "yellow"
    GREEN = "green"
    PURPLE = "purple"
    OTHER = "other"  # no red and no one colour: mixed, or the person fills the border


#: The rejection each background that is not red gets (red passes, unclear is a warning).
BACKGROUND_REJECTIONS: Mapping[Background, PhotoCode] = MappingProxyType(
    {
        Background.BLUE: PhotoCode.BACKGROUND_BLUE,
        Background.BLUE_WHITE: PhotoCode.BACKGROUND_BLUE_WHITE,
        Background.WHITE: PhotoCode.BACKGROUND_WHITE,
        Background.GREY: PhotoCode.BACKGROUND_GREY,
        Background.DARK: PhotoCode.BACKGROUND_DARK,
        Background.YELLOW: PhotoCode.BACKGROUND_YELLOW,
        Background.GREEN: PhotoCode.BACKGROUND_GREEN,
        Background.PURPLE: PhotoCode.BACKGROUND_PURPLE,
        Background.OTHER: PhotoCode.BACKGROUND_NOT_RED,
    }
)


class Tone(StrEnum):
    """What one border sample looks like."""

    RED = "red"
    REDDISH = "reddish"  # near red but off: pink, rose, a too dark red, orange, brown
    BLUE = "blue"  # any visibly bluish colour, sky blue and pale blue included
    WHITE = "white"
    GREY = "grey"
    YELLOW = "yellow"
    GREEN = "green"
    PURPLE = "purple"
    BEIGE = "beige"  # skin, light brown: a face or an ear reaching the border
    DARK = "dark"  # black or dark dull colours, brown: hair, a jacket, a shadow


class HueBand(IntEnum):
    """Hue ranges in degrees (the upper bound included unless said otherwise)."""

    RED = 0  # 0–15 and 340–360
    ORANGE = 1  # 15–40
    YELLOW = 2  # 40–75
    GREEN = 3  # 75–180 (180 excluded)
    BLUE = 4  # 180–260
    PURPLE = 5  # 260–320 (320 excluded)
    ROSE = 6  # 320–340 (340 excluded)


#: Saturation bands: 0 neutral (≤ 0.15), 1 tinted, 2 coloured (≥ 0.45), 3 strong (≥ 0.6).
SATURATION_BOUNDS = (0.15, 0.45, 0.6)
#: Value bands: 0 black (< 0.15), 1 dark (< 0.35), 2 dim (< 0.55), 3 mid, 4 light (≥ 0.85).
#: A background red needs "mid" or lighter: a dim red (maroon, dark red) is held for review.
VALUE_BOUNDS = (0.15, 0.35, 0.55, 0.85)

#: The tones of the person, not of the background: left out of the decision.
PERSON_TONES = frozenset({Tone.DARK, Tone.BEIGE})
#: Share of the background cells (those not of the person) that must be red.
RED_MAJORITY = 0.8
#: Share of red and reddish cells above which a not-quite-red border is held for review
#: instead of rejected.
REDDISH_SHARE = 0.35
#: Share of all cells that must show background to judge its colour at all.
MIN_VISIBLE = 0.25
#: Share each of blue and white needs for a blue-to-white gradient.
GRADIENT_PART = 0.15
#: Share one colour needs to name a rejected background after it (else ``OTHER``).
COLOUR_MAJORITY = 0.5


def hue_band(degrees: float) -> HueBand:
    """The ``HueBand`` of a hue given in degrees (0–360)."""
    degrees %= 360
    if degrees <= 15 or degrees >= 340:
        return HueBand.RED
    if degrees <= 40:
        return HueBand.ORANGE
    if degrees <= 75:
        return HueBand.YELLOW
    if degrees < 180:
        return HueBand.GREEN
    if degrees <= 260:
        return HueBand.BLUE
    if degrees < 320:
        return HueBand.PURPLE
    return HueBand.ROSE


def saturation_band(saturation: float) -> int:
    """0–3 for a saturation of 0–1 (``SATURATION_BOUNDS``; ≤ 0.15 is still neutral)."""
    low, coloured, strong = SATURATION_BOUNDS
    if saturation <= low:
        return 0
    if saturation < coloured:
        return 1
    return 2 if saturation < strong else 3


def value_band(value: float) -> int:
    """0–4 for a value (brightness) of 0–1 (``VALUE_BOUNDS``)."""
    return sum(1 for bound in VALUE_BOUNDS if value >= bound)


def tone_of_bands(hue: HueBand, saturation: int, value: int) -> Tone:
    """The ``Tone`` of a sample from its three bands.

    Bands, not numbers, so that the image code can classify whole strips with three
    lookup tables (``photo_check``) and still follow exactly this rule.
    """
    if value == 0 or (value == 1 and saturation < 3):
        return Tone.DARK  # black or dark and dull: hair, a jacket, a shadow
    if saturation == 0:
        return Tone.WHITE if value == 4 else Tone.GREY
    if hue is HueBand.RED:
        # A red dimmer than mid (value < 0.55: maroon, dark red) is reddish, for a person to
        # judge, as the issue asks (DEPENDENCIES.md had dark red read as red).
        return Tone.RED if saturation >= 2 and value >= 3 else Tone.REDDISH
    if hue is HueBand.ROSE:
        return Tone.REDDISH
    if hue is HueBand.ORANGE:
        if value <= 2:
            return Tone.DARK  # brown: hair
        return Tone.REDDISH if saturation >= 2 else Tone.BEIGE
    return _HUE_TONES[hue]


_HUE_TONES = {
    HueBand.YELLOW: Tone.YELLOW,
    HueBand.GREEN: Tone.GREEN,
    HueBand.BLUE: Tone.BLUE,
    HueBand.PURPLE: Tone.PURPLE,
}


def tone(degrees: float, saturation: float, value: float) -> Tone:
    """The ``Tone`` of a sample given as hue in degrees, saturation and value (0–1)."""
    return tone_of_bands(hue_band(degrees), saturation_band(saturation), value_band(value))


def classify_colour(rgb: tuple[int, int, int]) -> Tone:
    """The ``Tone`` of one (r, g, b) sample (0–255)."""
    r, g, b = rgb
    hue, sat, value = colorsys.rgb_to_hsv(r / 255, g / 255, b / 255)
    return tone(hue * 360, sat, value)


def decide_background(counts: Mapping[Tone, int]) -> Background:
    """Judge a background from how many border samples have each ``Tone``."""
    total = sum(counts.values())
    if total == 0:
        return Background.UNCLEAR  # nothing to judge by: a person looks
    visible = total - sum(counts.get(t, 0) for t in PERSON_TONES)
    red = counts.get(Tone.RED, 0)
    reddish = red + counts.get(Tone.REDDISH, 0)
    if visible < MIN_VISIBLE * total:
        # Hardly anything but the person: red peeking out is for a person to judge, a
        # border with no red at all is dark (black background, hair, a jacket) or full
        # of the face.
        if visible and reddish >= 0.5 * visible:
            return Background.UNCLEAR
        if counts.get(Tone.DARK, 0) >= counts.get(Tone.BEIGE, 0):
            return Background.DARK
        return Background.OTHER
    if red >= RED_MAJORITY * visible:
        return Background.RED
    if reddish >= REDDISH_SHARE * visible:
        return Background.UNCLEAR
    return _not_red(counts, visible)


_TONE_BACKGROUNDS = {
    Tone.BLUE: Background.BLUE,
    Tone.WHITE: Background.WHITE,
    Tone.GREY: Background.GREY,
    Tone.YELLOW: Background.YELLOW,
    Tone.GREEN: Background.GREEN,
    Tone.PURPLE: Background.PURPLE,
}


def _not_red(counts: Mapping[Tone, int], visible: int) -> Background:
    """Name a border with (next to) no red by its colour."""
    blue = counts.get(Tone.BLUE, 0)
    white = counts.get(Tone.WHITE, 0)
    grey = counts.get(Tone.GREY, 0)
    if (
        blue >= GRADIENT_PART * visible
        and white >= GRADIENT_PART * visible
        and blue + white + grey >= RED_MAJORITY * visible
    ):
        return Background.BLUE_WHITE
    if white + grey >= RED_MAJORITY * visible:
        # A white wall with a shadow is white, a grey one with a light corner grey.
        return Background.WHITE if white >= grey else Background.GREY
    top, count = max(((t, counts.get(t, 0)) for t in _TONE_BACKGROUNDS), key=lambda pair: pair[1])
    if count >= COLOUR_MAJORITY * visible:
        return _TONE_BACKGROUNDS[top]
    return Background.OTHER


def classify_background(samples: Iterable[tuple[int, int, int]]) -> Background:
    """Judge a background from (r, g, b) samples taken along the photo's border."""
    return decide_background(Counter(classify_colour(sample) for sample in samples))
