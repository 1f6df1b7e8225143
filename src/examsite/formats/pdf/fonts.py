"""The fonts a PDF is drawn with: the bundled WenQuanYi Micro Hei (TrueType outlines,
embedded and subset by reportlab), and per character a fallback from the system for what
it lacks (𠮷 and other CJK extension-B characters: Windows' SimSun-ExtB).

reportlab embeds TrueType outlines only (OpenType/CFF fonts such as Noto Sans CJK are
refused), so the candidates here are .ttf/.ttc files. ``Fonts.missing(text)`` says before
printing which characters no font has, so a name is never printed as an empty box.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from examsite.errors import ExamsiteError
from examsite.resources import UI_FONT, ResourceMissing, resource_path

log = logging.getLogger(__name__)

MAIN_FONT = "ExamSans"  # the name the documents draw with

# System fonts tried when the bundled font is missing (a damaged install), in order.
_WINDOWS_FONTS = ("msyh.ttc", "simhei.ttf", "simsun.ttc")
# Fallbacks per character, for what the main font lacks (extension B first).
_FALLBACK_FILES = (
    "simsunb.ttf",  # Windows: SimSun-ExtB, the CJK extension-B characters
    "simsun.ttc",
    "msyh.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


def _windows_font_dir() -> Path:
    return Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"


def _candidate_paths(names: Iterable[str]) -> Iterator[Path]:
    for name in names:
        path = Path(name)
        yield path if path.is_absolute() else _windows_font_dir() / name


def _register(name: str, path: Path) -> TTFont | None:
    """A TrueType font registered under ``name`` (None when the file is missing or is not
    a TrueType font reportlab can embed)."""
    if not path.is_file():
        return None
    try:
        font = TTFont(name, str(path), subfontIndex=0)
    except (TTFError, OSError, ValueError) as problem:
        log.info("font %s not usable: %s", path, problem)
        return None
    pdfmetrics.registerFont(font)
    return font


@dataclass
class Fonts:
    """The main font and the fallbacks, with the characters each one has."""

    main: str
    main_path: Path
    fallbacks: list[tuple[str, frozenset[int]]] = field(default_factory=list)
    main_chars: frozenset[int] = frozenset()

    def font_for(self, char: str) -> str | None:
        """The font that draws ``char``: the main one when it can, else a fallback, else
        None."""
        code = ord(char)
        if code in self.main_chars or char in " \n\t":
            return self.main
        for name, chars in self.fallbacks:
            if code in chars:
                return name
        return None

    def runs(self, text: str) -> list[tuple[str, str]]:
        """``text`` cut into runs of one font each: ``[(font, piece), …]``; a character no
        font has is drawn with the main font (it shows as a box: ``missing`` says so
        before printing)."""
        runs: list[tuple[str, str]] = []
        for char in text:
            font = self.font_for(char) or self.main
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + char)
            else:
                runs.append((font, char))
        return runs

    def missing(self, text: str) -> set[str]:
        """The characters of ``text`` that no font has."""
        return {c for c in text if not c.isspace() and self.font_for(c) is None}

    def width(self, text: str, size: float) -> float:
        """The width of ``text`` at ``size`` points, each run in its font."""
        return sum(pdfmetrics.stringWidth(piece, font, size) for font, piece in self.runs(text))


def _chars(font: TTFont) -> frozenset[int]:
    return frozenset(font.face.charToGlyph)


@cache
def load_fonts() -> Fonts:
    """Register the fonts once per process. ``ExamsiteError("materials.no_font")`` when no
    usable CJK font exists at all."""
    candidates = []
    try:
        candidates.append(resource_path(UI_FONT))
    except ResourceMissing:
        log.warning("the bundled font %s is missing; trying the system's", UI_FONT)
    candidates += list(_candidate_paths(_WINDOWS_FONTS))
    for path in candidates:
        font = _register(MAIN_FONT, path)
        if font is not None:
            break
    else:
        raise ExamsiteError("materials.no_font")
    fonts = Fonts(MAIN_FONT, path, main_chars=_chars(font))
    for index, fallback in enumerate(_candidate_paths(_FALLBACK_FILES)):
        if fallback == path:
            continue
        extra = _register(f"{MAIN_FONT}-Fallback{index}", fallback)
        if extra is not None:
            fonts.fallbacks.append((extra.fontName, _chars(extra)))
    return fonts
