"""Text and photo drawing for documents with thousands of pages (admission tickets, sign-in
sheets): the same per-character font switching as ``drawing.draw_text``, but each string's
runs and width are measured once and remembered (the labels, the site's name and the
rules recur on every page), and each photo's ``ImageReader`` is made once.

The memory stays bounded: both caches are emptied when they grow past a limit, so a run
of 10,000 tickets never holds more than a few hundred photos' worth of readers.
"""

from __future__ import annotations

import io

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from examsite.formats.pdf.drawing import wrap
from examsite.formats.pdf.fonts import Fonts, load_fonts

_TEXT_LIMIT = 8192
_PHOTO_LIMIT = 64

# A measured line: its width and its runs as (font, piece, x offset).
Measured = tuple[float, tuple[tuple[str, str, float], ...]]


class TextCache:
    def __init__(self, fonts: Fonts | None = None) -> None:
        self.fonts = fonts or load_fonts()
        self._measured: dict[tuple[str, float], Measured] = {}
        self._wrapped: dict[tuple[str, float, float], tuple[str, ...]] = {}
        self._photos: dict[bytes, ImageReader] = {}

    def measure(self, text: str, size: float) -> Measured:
        key = (text, size)
        found = self._measured.get(key)
        if found is None:
            runs = []
            x = 0.0
            for font, piece in self.fonts.runs(text):
                runs.append((font, piece, x))
                x += pdfmetrics.stringWidth(piece, font, size)
            found = (x, tuple(runs))
            if len(self._measured) >= _TEXT_LIMIT:
                self._measured.clear()
            self._measured[key] = found
        return found

    def width(self, text: str, size: float) -> float:
        return self.measure(text, size)[0]

    def draw(
        self,
        canvas: Canvas,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        align: str = "left",
        spaced: bool = False,
    ) -> float:
        """One line at baseline ``y``, ``align`` left, centre or right of ``x``
        (``spaced``: a title with a gap between its characters). Returns its width."""
        if spaced:
            text = "　".join(text) if len(text) <= 4 else text
        width, runs = self.measure(text, size)
        if align == "centre":
            x -= width / 2
        elif align == "right":
            x -= width
        for font, piece, offset in runs:
            # setFont writes an operator each time: only when it changes.
            if canvas._fontname != font or canvas._fontsize != size:
                canvas.setFont(font, size)
            canvas.drawString(x + offset, y, piece)
        return width

    def draw_fitted(
        self,
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
        """One line shrunk to fit ``max_width``, never below ``minimum``; still too wide
        at ``minimum``, it is squeezed sideways so it never runs past its box."""
        width = self.width(text, size)
        if width <= max_width:
            self.draw(canvas, x, y, text, size, align=align)
            return
        fitted = max(minimum, size * max_width / width * 0.999)
        width = self.width(text, fitted)
        if width <= max_width:
            self.draw(canvas, x, y, text, fitted, align=align)
            return
        scale = max_width / width
        if align == "centre":
            x -= max_width / 2
        elif align == "right":
            x -= max_width
        canvas.saveState()
        canvas.translate(x, y)
        canvas.scale(scale, 1)
        self.draw(canvas, 0, 0, text, fitted)
        canvas.restoreState()

    def fits(self, text: str, size: float, max_width: float) -> bool:
        return self.width(text, size) <= max_width

    def wrap(self, text: str, max_width: float, size: float) -> tuple[str, ...]:
        key = (text, max_width, size)
        found = self._wrapped.get(key)
        if found is None:
            found = tuple(wrap(text, max_width, size))
            if len(self._wrapped) >= _TEXT_LIMIT:
                self._wrapped.clear()
            self._wrapped[key] = found
        return found

    def photo(
        self,
        canvas: Canvas,
        image: bytes | None,
        x: float,
        y: float,
        width: float,
        height: float,
    ) -> None:
        """A photo fitted in the framed box (lower left x, y); "无照片" when none."""
        canvas.setLineWidth(0.5)
        canvas.rect(x, y, width, height)
        if not image:
            self.draw(
                canvas,
                x + width / 2,
                y + height / 2 - 3,
                "无照片",
                min(8, width / 4),
                align="centre",
            )
            return
        reader = self._photos.get(image)
        if reader is None:
            if len(self._photos) >= _PHOTO_LIMIT:
                self._photos.clear()
            reader = self._photos[image] = _PhotoReader(image)
        canvas.drawImage(reader, x, y, width, height, preserveAspectRatio=True, anchor="c")


class _PhotoReader(ImageReader):
    """A photo for ``drawImage``. reportlab names each image by a digest of its decoded
    pixels, so every new photo would be decoded only to be named, then embedded as the
    JPEG it is; a JPEG's own bytes name it as well, without decoding."""

    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data))
        self._bytes = data

    def getRGBData(self) -> bytes:  # reportlab's name
        if self.jpeg_fh() is not None:
            self._dataA = None  # a JPEG has no alpha channel
            return self._bytes
        return super().getRGBData()  # type: ignore[no-any-return]
