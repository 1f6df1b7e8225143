"""Shared helpers for the PDF document tests: rendering, pdftotext, pdffonts, zbarimg."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import MaterialsData, PrintSettings, RoomFacts
from examsite.formats.pdf.drawing import pdf_canvas
from examsite.formats.pdf.job import PrintJob

POPPLER = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
ZBAR = pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools missing")

Draw = Callable[[Canvas, PrintJob, RoomFacts | None], int]


def render(
    path: Path,
    draw: Draw,
    data: MaterialsData,
    photos: dict[int, bytes] | None = None,
    settings: PrintSettings | None = None,
    room: RoomFacts | None = None,
) -> int:
    """Draw one document into ``path``; the pages drawn."""
    store = photos or {}
    job = PrintJob(
        data,
        settings or PrintSettings(),
        photos=lambda ids: {i: store[i] for i in ids if i in store},
    )
    with pdf_canvas(path, title="test") as canvas:
        return draw(canvas, job, room)


def text_of(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    line = next(x for x in info.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def fonts_embedded(path: Path) -> list[bool]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    # columns: name type encoding emb sub uni object ID; emb is the 4th from the right
    return [row.split()[-5] == "yes" for row in rows]


def qr_codes(path: Path, page: int, tmp: Path) -> list[str]:
    stem = tmp / f"qr-{page}"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", str(page), "-l", str(page), "-singlefile",
         str(path), str(stem)],
        check=True,
    )  # fmt: skip
    out = subprocess.run(
        ["zbarimg", "-q", "--raw", f"{stem}.png"], capture_output=True, text=True, check=False
    )
    return sorted(out.stdout.split())


def word_boxes(path: Path) -> list[tuple[int, str, float, float, float, float, float, float]]:
    """Every word: (page, text, xmin, ymin, xmax, ymax, page width, page height)."""
    import xml.etree.ElementTree as ET

    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    root = ET.fromstring(out.replace('xmlns="http://www.w3.org/1999/xhtml"', ""))
    words = []
    for number, page in enumerate(root.iter("page"), start=1):
        width, height = float(page.get("width", 0)), float(page.get("height", 0))
        for word in page.iter("word"):
            words.append(
                (number, word.text or "", float(word.get("xMin", 0)), float(word.get("yMin", 0)),
                 float(word.get("xMax", 0)), float(word.get("yMax", 0)), width, height)
            )  # fmt: skip
    return words
