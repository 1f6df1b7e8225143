"""Draw the application icon and the installer artwork into resources/ (run by hand).

    uv run python installer/make_artwork.py

The mark is a rounded square in the window's accent blue with 考 in white, drawn in the
bundled font so the result does not depend on the machine. Each icon size is drawn on its
own at four times the size and scaled down, so 16 px stays sharp; the files it writes are
committed, and running it again gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1] / "resources"
FONT = ROOT / "fonts" / "wqy-microhei.ttc"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
SUPERSAMPLE = 4

ACCENT = (31, 111, 235)  # #1f6feb, the style sheet's accent
ACCENT_DARK = (9, 64, 160)
WHITE = (255, 255, 255)
TEXT = (31, 35, 40)  # #1f2328
MUTED = (101, 109, 118)  # #656d76


def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size, index=0)  # face 0: WenQuanYi Micro Hei


def draw_centred(
    draw: ImageDraw.ImageDraw,
    box: tuple[int, int, int, int],
    text: str,
    size: int,
    fill: tuple[int, int, int],
) -> None:
    """``text`` centred on its ink (not on the font's line box) inside ``box``."""
    face = font(size)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=face)
    x = box[0] + (box[2] - box[0] - (right - left)) / 2 - left
    y = box[1] + (box[3] - box[1] - (bottom - top)) / 2 - top
    draw.text((x, y), text, font=face, fill=fill)


def mark(size: int) -> Image.Image:
    """The icon at ``size`` px: small sizes get less margin and a bolder glyph."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    margin = 0 if size <= 24 else round(big * 0.04)
    radius = round(big * 0.22)
    box = (margin, margin, big - 1 - margin, big - 1 - margin)
    draw.rounded_rectangle(box, radius=radius, fill=ACCENT)
    glyph = round(big * (0.78 if size <= 24 else 0.64))
    draw_centred(draw, box, "考", glyph, WHITE)
    if size <= 32:
        # The font has one weight: at small sizes a second pass one sample over thickens
        # the strokes so they survive the scaling.
        shifted = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw_centred(ImageDraw.Draw(shifted), (box[0] + 2, *box[1:]), "考", glyph, WHITE)
        image.alpha_composite(shifted)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def write_icons() -> None:
    icons = ROOT / "icons"
    icons.mkdir(exist_ok=True)
    images = [mark(size) for size in ICON_SIZES]
    largest = images[-1]
    largest.save(icons / "examsite.ico", sizes=[i.size for i in images], append_images=images)
    largest.save(icons / "examsite.png", optimize=True)


def wizard_image() -> Image.Image:
    """Inno Setup's WizardImageFile: 164×314, the left panel of the first and last pages."""
    width, height = 164, 314
    image = Image.new("RGB", (width, height), ACCENT)
    draw = ImageDraw.Draw(image)
    for y in range(height):  # a quiet vertical gradient, accent to dark
        t = y / (height - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(ACCENT, ACCENT_DARK, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    white_mark = Image.new("RGBA", (96, 96), (0, 0, 0, 0))
    md = ImageDraw.Draw(white_mark)
    md.rounded_rectangle((0, 0, 95, 95), radius=21, fill=WHITE)
    draw_centred(md, (0, 0, 95, 95), "考", 62, ACCENT)
    image.paste(white_mark, ((width - 96) // 2, 64), white_mark)
    draw_centred(draw, (0, 180, width, 214), "考点助手", 26, WHITE)
    draw_centred(draw, (0, 218, width, 238), "ExamSite", 15, (214, 228, 255))
    return image


def wizard_small_image() -> Image.Image:
    """Inno Setup's WizardSmallImageFile: 55×55, top right of the inner pages (white)."""
    image = Image.new("RGB", (55, 55), WHITE)
    icon = mark(48)
    image.paste(icon, (4, 4), icon)
    return image


def main() -> None:
    write_icons()
    installer = ROOT / "installer"
    installer.mkdir(exist_ok=True)
    wizard_image().save(installer / "wizard.bmp")
    wizard_small_image().save(installer / "wizard-small.bmp")
    print(f"wrote the icons and the installer artwork under {ROOT}")


if __name__ == "__main__":
    main()
