"""Shared drawing helpers for the documents: a canvas that writes atomically and the same
bytes for the same data, text in the CJK font with per-character fallback, text shrunk
or wrapped to fit a box, QR codes, photos, boxes and cut marks.

Units are reportlab points (1 mm = ``mm``); the origin is the page's lower left corner.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from examsite.formats.atomic import atomic_path
from examsite.formats.pdf.fonts import Fonts, load_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm


@contextmanager
def pdf_canvas(path: Path, *, title: str, pagesize: tuple[float, float] = A4) -> Iterator[Canvas]:
    """A canvas writing ``path``: drawn into a temporary file beside it and moved into
    place when the block ends without an error (a cancelled or failed run leaves nothing
    under the real name). ``invariant``: the same drawing gives the same bytes."""
    fonts = load_fonts()
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path, suffix=".pdf") as temporary:
        canvas = Canvas(
            str(temporary),
            pagesize=pagesize,
            invariant=1,
            initialFontName=fonts.main,
            pageCompression=1,
        )
        canvas.setTitle(title)
        canvas.setAuthor("考点助手 ExamSite")
        canvas.setCreator("考点助手 ExamSite")
        canvas.setProducer("考点助手 ExamSite")
        yield canvas
        canvas.save()


def draw_text(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    align: str = "left",
    fonts: Fonts | None = None,
) -> float:
    """Draw one line at baseline ``y``; ``align`` left, centre or right of ``x``. Each run
    of characters in the font that has them. Returns the line's width."""
    fonts = fonts or load_fonts()
    width = fonts.width(text, size)
    if align == "centre":
        x -= width / 2
    elif align == "right":
        x -= width
    for font, piece in fonts.runs(text):
        canvas.setFont(font, size)
        canvas.drawString(x, y, piece)
        x += canvas.stringWidth(piece, font, size)
    return width


def fitted_size(text: str, max_width: float, size: float, minimum: float = 5.0) -> float:
    """The largest size from ``size`` down to ``minimum`` at which ``text`` fits
    ``max_width`` (``minimum`` when even that does not: then wrap instead)."""
    fonts = load_fonts()
    width = fonts.width(text, size)
    if width <= max_width or width == 0:
        return size
    return max(minimum, size * max_width / width)


def wrap(text: str, max_width: float, size: float) -> list[str]:
    """``text`` broken into lines no wider than ``max_width`` (Chinese breaks between any
    two characters; an explicit newline always breaks)."""
    fonts = load_fonts()
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for char in paragraph:
            if line and fonts.width(line + char, size) > max_width:
                lines.append(line)
                line = char.lstrip()
            else:
                line += char
        lines.append(line)
    return lines


def draw_wrapped(
    canvas: Canvas,
    x: float,
    top: float,
    text: str,
    size: float,
    max_width: float,
    *,
    leading: float | None = None,
) -> float:
    """Draw ``text`` wrapped to ``max_width`` from ``top`` (the first line's top) down;
    returns the y below the last line."""
    leading = leading or size * 1.45
    y = top - size
    for line in wrap(text, max_width, size):
        draw_text(canvas, x, y, line, size)
        y -= leading
    return y + leading - size * 0.45


def draw_fitted(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    max_width: float,
    *,
    align: str = "left",
    minimum: float = 5.0,
) -> None:
    """One line shrunk (never below ``minimum``) to fit ``max_width``."""
    draw_text(canvas, x, y, text, fitted_size(text, max_width, size, minimum), align=align)


@lru_cache(maxsize=4096)
def _qr_modules(data: str) -> tuple[tuple[bool, ...], ...]:
    # A fixed mask pattern: qrcode otherwise tries all eight (7× slower, DEPENDENCIES.md).
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=2)
    code.add_data(data)
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


QR_QUIET = 4  # modules of white around a code


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """A QR code of ``data`` as vector squares, ``size`` points wide, lower left at
    (x, y), with its quiet zone of 4 modules inside ``size``.

    Written as raw PDF operators in a coordinate system of one unit per module (integers,
    y downwards from the code's top left): about ten times cheaper than reportlab's path
    calls, which format every float in Python — it matters for 10,000 tickets.
    """
    modules = _qr_modules(data)
    cell = size / (len(modules) + 2 * QR_QUIET)
    ops = [
        "q 1 g",
        f"{_number(x)} {_number(y)} {_number(size)} {_number(size)} re f 0 g",
        f"{_number(cell)} 0 0 {_number(-cell)} {_number(x + QR_QUIET * cell)} "
        f"{_number(y + size - QR_QUIET * cell)} cm",
    ]
    for row_index, row in enumerate(modules):
        start = -1
        for column, dark in enumerate((*row, False)):
            if dark and start < 0:
                start = column
            elif not dark and start >= 0:
                ops.append(f"{start} {row_index} {column - start} 1 re")
                start = -1
    ops.append("f Q")
    canvas.addLiteral("\n".join(ops))


def draw_photo(
    canvas: Canvas, image: bytes | None, x: float, y: float, width: float, height: float
) -> None:
    """A candidate's photo fitted in the box (lower left x, y); a framed "无照片" box
    when there is none."""
    canvas.saveState()
    canvas.setLineWidth(0.5)
    canvas.rect(x, y, width, height)
    if image:
        canvas.drawImage(
            ImageReader(io.BytesIO(image)),
            x,
            y,
            width,
            height,
            preserveAspectRatio=True,
            anchor="c",
        )
    else:
        draw_text(canvas, x + width / 2, y + height / 2 - 4, "无照片", 8, align="centre")
    canvas.restoreState()


def cut_marks(canvas: Canvas, x: float, y: float, width: float, height: float) -> None:
    """Short corner marks outside a label's box, for cutting a sheet of labels."""
    length, gap = 3 * mm, 1 * mm
    canvas.saveState()
    canvas.setLineWidth(0.3)
    for cx, dx in ((x, -1), (x + width, 1)):
        for cy, dy in ((y, -1), (y + height, 1)):
            canvas.line(cx + dx * gap, cy, cx + dx * (gap + length), cy)
            canvas.line(cx, cy + dy * gap, cx, cy + dy * (gap + length))
    canvas.restoreState()


def page_footer(canvas: Canvas, text: str) -> None:
    """A small centred line at the foot of the page (document, page number)."""
    draw_text(
        canvas, PAGE_WIDTH / 2, 8 * mm, f"{text}　第 {canvas.getPageNumber()} 页", 7, align="centre"
    )
