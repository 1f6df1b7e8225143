"""The platform's photo rules and the background colour rule, without any image library."""

from __future__ import annotations

import string

import pytest

from examsite.domain import photo_spec
from examsite.domain.photo_spec import (
    BACKGROUND_REJECTIONS,
    FIXABLE,
    Background,
    PhotoCode,
    Tone,
    aspect_matches,
    classify_background,
    classify_colour,
    hue_band,
    saturation_band,
    tone,
    tone_of_bands,
    value_band,
)
from examsite.messages.photos import BACKGROUND_TITLES, MESSAGES

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
HAIR = (25, 20, 18)
BROWN_HAIR = (110, 75, 50)


def test_platform_rules_are_the_documented_ones():
    assert (photo_spec.WIDTH, photo_spec.HEIGHT) == (295, 413)
    assert photo_spec.MAX_FILE_BYTES == 5 * 1024 * 1024
    assert set(photo_spec.ACCEPTED_FORMATS) == {"JPEG", "PNG"}
    assert set(photo_spec.ACCEPTED_EXTENSIONS) == {".jpg", ".jpeg", ".png"}


@pytest.mark.parametrize(
    ("rgb", "expected"),
    [
        (RED, Tone.RED),
        (STUDIO_RED, Tone.RED),
        (DARK_RED, Tone.REDDISH),  # value 0.55 just short: a dark red is for a person
        (ORANGE_RED, Tone.RED),
        ((255, 0, 60), Tone.RED),  # hue ~346°, a crimson
        (PINK, Tone.REDDISH),
        ((80, 10, 12), Tone.REDDISH),  # too dark to be a background red (value < 0.55)
        ((255, 140, 0), Tone.REDDISH),  # orange (hue 33°) is not red, but near it
        ((255, 20, 147), Tone.REDDISH),  # a hot pink (hue 328°)
        (GREY, Tone.GREY),
        ((200, 200, 200), Tone.GREY),  # light grey is not white
        (SKIN, Tone.BEIGE),
        (BLUE, Tone.BLUE),
        (LIGHT_BLUE, Tone.BLUE),
        ((173, 216, 230), Tone.BLUE),  # a pale blue
        ((0, 191, 243), Tone.BLUE),  # sky blue
        ((40, 160, 60), Tone.GREEN),
        ((230, 210, 40), Tone.YELLOW),
        ((130, 40, 200), Tone.PURPLE),
        (WHITE, Tone.WHITE),
        ((255, 255, 255), Tone.WHITE),
        ((20, 15, 15), Tone.DARK),  # black hair
        ((60, 40, 30), Tone.DARK),  # dark brown hair
        ((30, 30, 60), Tone.DARK),  # a navy jacket
        ((110, 75, 50), Tone.DARK),  # brown hair
        ((240, 220, 190), Tone.BEIGE),  # cream
    ],
)
def test_classify_colour(rgb, expected):
    assert classify_colour(rgb) == expected


@pytest.mark.parametrize(
    ("colour", "expected"),
    [
        (RED, Background.RED),
        (DARK_RED, Background.UNCLEAR),  # reddish but off: a person looks (需复核)
        (ORANGE_RED, Background.RED),
        (PINK, Background.UNCLEAR),
        ((80, 10, 12), Background.UNCLEAR),
        ((255, 140, 0), Background.UNCLEAR),
        (BLUE, Background.BLUE),
        (LIGHT_BLUE, Background.BLUE),
        (WHITE, Background.WHITE),
        (GREY, Background.GREY),
        ((15, 15, 15), Background.DARK),
        ((40, 160, 60), Background.GREEN),
        ((230, 210, 40), Background.YELLOW),
        ((130, 40, 200), Background.PURPLE),
        (SKIN, Background.OTHER),  # a face filling the border: no background to see
    ],
)
def test_uniform_backgrounds(colour, expected):
    assert classify_background([colour] * 84) == expected


def test_red_needs_eighty_percent_of_what_is_not_the_person():
    assert classify_background([RED] * 80 + [WHITE] * 20) is Background.RED
    # less red is held for review, not passed and not rejected
    assert classify_background([RED] * 79 + [WHITE] * 21) is Background.UNCLEAR
    assert classify_background([RED] * 50 + [BLUE] * 50) is Background.UNCLEAR
    # hair reaching the top edge (black or brown), a dark jacket and skin are left out
    assert classify_background([RED] * 50 + [HAIR] * 34) is Background.RED
    assert classify_background([RED] * 50 + [BROWN_HAIR] * 34) is Background.RED
    assert classify_background([RED] * 50 + [SKIN] * 34) is Background.RED
    assert classify_background([PINK] * 50 + [HAIR] * 34) is Background.UNCLEAR


def test_a_border_without_red_is_never_red_nor_unclear():
    for others in ([BLUE], [WHITE], [GREY], [BLUE, WHITE], [WHITE, GREY], [SKIN, BLUE]):
        samples = [others[i % len(others)] for i in range(84)]
        assert classify_background(samples) in BACKGROUND_REJECTIONS, others
        # a little red here and there (a lip, a ribbon) changes nothing
        assert classify_background(samples[:-5] + [RED] * 5) in BACKGROUND_REJECTIONS


def test_blue_fading_to_white_is_named_a_gradient():
    gradient = [BLUE] * 30 + [LIGHT_BLUE] * 24 + [WHITE] * 30
    assert classify_background(gradient) is Background.BLUE_WHITE
    assert classify_background(gradient + [HAIR] * 20) is Background.BLUE_WHITE
    # mostly blue with a light corner is blue
    assert classify_background([BLUE] * 80 + [WHITE] * 4) is Background.BLUE


def test_white_and_grey_are_told_apart():
    assert classify_background([WHITE] * 60 + [GREY] * 24) is Background.WHITE
    assert classify_background([GREY] * 60 + [WHITE] * 24) is Background.GREY


def test_a_border_of_the_person_only():
    assert classify_background([HAIR] * 84) is Background.DARK
    assert classify_background([HAIR] * 70 + [RED] * 14) is Background.UNCLEAR
    assert classify_background([HAIR] * 70 + [BLUE] * 14) is Background.DARK
    assert classify_background([SKIN] * 60 + [HAIR] * 24) is Background.OTHER


def test_no_samples_is_unclear():
    assert classify_background([]) is Background.UNCLEAR
    assert classify_background(iter([])) is Background.UNCLEAR


def test_bands_give_the_same_tone_as_the_numbers():
    for degrees in range(0, 360, 3):
        for saturation in (0.0, 0.1, 0.15, 0.2, 0.45, 0.5, 0.6, 0.9):
            for value in (0.1, 0.2, 0.35, 0.5, 0.85, 1.0):
                expected = tone(degrees, saturation, value)
                bands = (hue_band(degrees), saturation_band(saturation), value_band(value))
                assert tone_of_bands(*bands) is expected


def test_every_background_but_red_and_unclear_is_rejected_with_its_own_code():
    assert set(BACKGROUND_REJECTIONS) == set(Background) - {Background.RED, Background.UNCLEAR}
    codes = list(BACKGROUND_REJECTIONS.values())
    assert len(set(codes)) == len(codes)


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
    for code in (*BACKGROUND_REJECTIONS.values(), PhotoCode.LANDSCAPE, PhotoCode.WRONG_SHAPE):
        assert "红色背景前" in MESSAGES[code.value], code


def test_each_rejected_background_is_named_by_its_colour():
    named = {
        Background.BLUE: "蓝底",
        Background.BLUE_WHITE: "蓝色渐变到白色",
        Background.WHITE: "白底",
        Background.GREY: "灰底",
        Background.DARK: "黑色",
        Background.YELLOW: "黄色",
        Background.GREEN: "绿色",
        Background.PURPLE: "紫色",
        Background.OTHER: "看不到红色背景",
    }
    assert set(named) == set(BACKGROUND_REJECTIONS)
    for background, words in named.items():
        assert words in MESSAGES[BACKGROUND_REJECTIONS[background].value]
    assert "白" not in MESSAGES[PhotoCode.BACKGROUND_GREY.value]
    assert set(BACKGROUND_TITLES) == {b.value for b in Background}


def test_the_review_warning_does_not_say_the_photo_was_accepted():
    text = MESSAGES[PhotoCode.BACKGROUND_UNCLEAR.value]
    assert "已接受" not in text and "复核" in text
