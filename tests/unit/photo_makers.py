"""Drawn ID photos for the photo tests: backgrounds of every kind the check must name
(flat, vertical and radial gradients as ID-photo generators make them), a head, hair
that may reach the top edge, and a shirt or jacket at the bottom."""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw

Colour = tuple[int, int, int]

RED = (220, 0, 0)
GENERATOR_RED = (255, 0, 0)
STUDIO_RED = (200, 30, 40)
DARK_RED = (140, 20, 25)  # too dark a red: for a person to judge (the issue overrules DEPENDENCIES)
MAROON = (80, 10, 12)  # too dark to call red: held for review
ORANGE_RED = (230, 60, 20)
ORANGE = (255, 140, 0)
PINK = (255, 180, 190)
LIGHT_BLUE = (173, 216, 230)
ID_BLUE = (67, 142, 219)  # the usual 证件照 blue
SKY_BLUE = (0, 191, 243)
NEAR_WHITE = (245, 248, 252)
WHITE = (250, 250, 250)
GREY = (128, 128, 128)
LIGHT_GREY = (200, 200, 200)
BLACK = (15, 15, 15)
GREEN = (40, 160, 60)

SKIN = (232, 196, 170)
HAIR = (25, 20, 18)
BROWN_HAIR = (115, 78, 52)  # dyed, under studio light
DARK_SUIT = (30, 30, 40)
WHITE_SHIRT = (245, 245, 245)

SIZE = (295, 413)


def vertical(
    top: Colour, bottom: Colour, size: Sequence[int] = SIZE, until: float = 1.0
) -> Image.Image:
    """A background fading from ``top`` to ``bottom``, reached at ``until`` of the height."""
    width, height = size
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = min(1.0, y / max(1, until * height - 1))
        column.putpixel(
            (0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    return column.resize((width, height), Image.Resampling.NEAREST)


def radial(outer: Colour, centre: Colour, size: Sequence[int] = SIZE) -> Image.Image:
    """``centre`` behind the head fading to ``outer`` at the corners."""
    width, height = size
    mask = Image.radial_gradient("L").resize((width, height))  # 0 in the middle, 255 out
    return Image.composite(
        Image.new("RGB", (width, height), outer), Image.new("RGB", (width, height), centre), mask
    )


def flat(colour: Colour, size: Sequence[int] = SIZE) -> Image.Image:
    return Image.new("RGB", tuple(size), colour)


def person(
    background: Image.Image,
    *,
    hair_to_top: bool = False,
    clothes: Colour = DARK_SUIT,
    big_head: bool = False,
    hair: Colour = HAIR,
) -> Image.Image:
    """A head and shoulders drawn over ``background`` (a copy)."""
    image = background.copy()
    width, height = image.size
    draw = ImageDraw.Draw(image)
    cx = width / 2
    head_w = 0.30 if big_head else 0.22
    draw.ellipse((cx - 0.42 * width, 0.70 * height, cx + 0.42 * width, 1.35 * height), fill=clothes)
    draw.rectangle((cx - 0.08 * width, 0.55 * height, cx + 0.08 * width, 0.75 * height), fill=SKIN)
    hair_top = -0.05 * height if hair_to_top else 0.12 * height
    draw.ellipse(
        (cx - (head_w + 0.05) * width, hair_top, cx + (head_w + 0.05) * width, 0.45 * height),
        fill=hair,
    )
    draw.ellipse(
        (cx - head_w * width, 0.18 * height, cx + head_w * width, 0.62 * height), fill=SKIN
    )
    return image


def jpeg(image: Image.Image, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=params.pop("quality", 92), **params)
    return out.getvalue()


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
