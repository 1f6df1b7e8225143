"""The platform's photo rules and the background colour rule, without any image library."""

from __future__ import annotations

import string

import pytest

from examsite.domain import photo_spec
from examsite.domain.photo_spec import (
    FIXABLE,
    Background,
    PhotoCode,
    aspect_matches,
    classify_background,
    classify_colour,
)
from examsite.messages.photos import MESSAGES

RED = (220, 0, 0)
STUDIO_RED = (200, 30, 40)
DARK_RED = (140, 20, 25)
ORANGE_RED = (230, 60, 20)
PINK = (255, 180, 190)
GREY = (128, 128, 128)
BLUE = (30, 100, 220)
LIGHT_BLUE = (67, 142, 219)  # the usual 证件照 blue
WHITE = (250, 250, 250)
SKIN = (230, 190, 160)


def test_platform_rules_are_the_documented_ones():
    assert (photo_spec.WIDTH, photo_spec.HEIGHT) == (295, 413)
    assert photo_spec.MAX_FILE_BYTES == 5 * 1024 * 1024
    assert set(photo_spec.ACCEPTED_FORMATS) == {"JPEG", "PNG"}
    assert set(photo_spec.ACCEPTED_EXTENSIONS) == {".jpg", ".jpeg", ".png"}


@pytest.mark.parametrize(
    ("rgb", "expected"),
    [
        (RED, Background.RED),
        (STUDIO_RED, Background.RED),
        (DARK_RED, Background.RED),
        (ORANGE_RED, Background.RED),
        ((255, 0, 60), Background.RED),  # hue ~346°, a crimson
        (PINK, None),
        (GREY, None),
        (SKIN, None),
        ((60, 10, 10), None),  # too dark to be a background red (value < 0.35)
        ((255, 120, 0), None),  # orange (hue 28°) is not red
        (BLUE, Background.BLUE),
        (LIGHT_BLUE, Background.BLUE),
        ((40, 160, 60), None),  # green
        (WHITE, Background.WHITE),
        ((255, 255, 255), Background.WHITE),
    ],
)
def test_classify_colour(rgb, expected):
    assert classify_colour(rgb) == expected


@pytest.mark.parametrize(
    ("colour", "expected"),
    [
        (RED, Background.RED),
        (DARK_RED, Background.RED),
        (ORANGE_RED, Background.RED),
        (BLUE, Background.BLUE),
        (WHITE, Background.WHITE),
        (PINK, Background.UNCLEAR),
        (GREY, Background.UNCLEAR),
    ],
)
def test_uniform_backgrounds(colour, expected):
    assert classify_background([colour] * 84) == expected


def test_majority_needs_eighty_percent():
    assert classify_background([RED] * 80 + [SKIN] * 20) is Background.RED
    assert classify_background([RED] * 79 + [SKIN] * 21) is Background.UNCLEAR
    # a mix of two background colours decides nothing
    assert classify_background([RED] * 50 + [BLUE] * 50) is Background.UNCLEAR
    # the majority of "no colour" is not a colour
    assert classify_background([SKIN] * 100) is Background.UNCLEAR


def test_no_samples_is_unclear():
    assert classify_background([]) is Background.UNCLEAR
    assert classify_background(iter([])) is Background.UNCLEAR


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [
        (295, 413, True),
        (590, 826, True),
        (2950, 4130, True),
        (300, 417, True),  # 0.7 % off
        (358, 500, True),  # 0.2 % off
        (295, 400, False),  # 3 % too wide
        (3000, 4000, False),  # a phone's 3:4 is 5 % off
        (413, 295, False),
        (400, 400, False),
        (0, 413, False),
        (295, 0, False),
    ],
)
def test_aspect_matches(width, height, expected):
    assert aspect_matches(width, height) is expected


def test_aspect_tolerance_boundary():
    target = 295 / 413
    assert aspect_matches(round(10_000 * target * 1.019), 10_000)
    assert not aspect_matches(round(10_000 * target * 1.021), 10_000)
    assert aspect_matches(round(10_000 * target * 0.981), 10_000)
    assert not aspect_matches(round(10_000 * target * 0.979), 10_000)


def test_every_fixable_error_has_a_fixed_notice():
    assert set(FIXABLE) == {
        PhotoCode.EXIF_ROTATED,
        PhotoCode.CMYK,
        PhotoCode.TRANSPARENT,
        PhotoCode.WRONG_PIXELS,
        PhotoCode.TOO_LARGE,
    }
    assert all(notice.value.startswith("photo.fixed_") for notice in FIXABLE.values())


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_code_has_a_message_that_formats():
    params = {
        "actual": "HEIC",
        "max_megapixels": 50,
        "max_mb": 5,
        "size_mb": 6.2,
        "new_kb": 40,
        "width": 590,
        "height": 826,
        "orientation": 6,
    }
    for code in PhotoCode:
        template = MESSAGES[code.value]
        assert _fields(template) <= set(params), code
        text = template.format(**params)
        assert "{" not in text and text.strip(), code


def test_fixable_messages_offer_the_automatic_fix_and_others_do_not():
    for code in PhotoCode:
        text = MESSAGES[code.value]
        is_error = not (
            code.value.startswith("photo.fixed_") or code is PhotoCode.BACKGROUND_UNCLEAR
        )
        if code in FIXABLE:
            assert "可用“自动修复”处理" in text, code
        elif is_error:
            assert "自动修复" not in text, code


def test_background_and_shape_messages_say_to_retake_on_red():
    for code in (
        PhotoCode.BACKGROUND_BLUE,
        PhotoCode.BACKGROUND_WHITE,
        PhotoCode.LANDSCAPE,
        PhotoCode.WRONG_SHAPE,
    ):
        assert "红色背景前" in MESSAGES[code.value]
