"""The PDF fonts: the bundled TrueType font first, the Windows fonts only when it is
missing, and a plain message when no usable CJK font exists at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from examsite.errors import ExamsiteError
from examsite.formats.pdf import fonts as pdf_fonts
from examsite.resources import ResourceMissing


def test_the_bundled_font_draws_the_names_and_rare_characters() -> None:
    fonts = pdf_fonts.load_fonts()
    assert fonts.main_path.name == "wqy-microhei.ttc"
    assert fonts.missing("欧阳娜娜 犇燚堃喆 阿卜杜热合曼·买买提 2026") == set()
    # an extension-B character: a fallback font draws it, or the preflight reports it
    fallback = fonts.font_for("𠮷")
    assert fallback != fonts.main
    assert fonts.missing("王𠮷") == (set() if fallback else {"𠮷"})


def _without_the_bundled_font(monkeypatch: pytest.MonkeyPatch, windows: Path) -> None:
    def missing(_name: str) -> Path:
        raise ResourceMissing("gone")

    monkeypatch.setattr(pdf_fonts, "resource_path", missing)
    monkeypatch.setattr(pdf_fonts, "_windows_font_dir", lambda: windows)


def test_the_windows_fonts_stand_in_when_the_bundled_one_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bundled = pdf_fonts.load_fonts().main_path
    (tmp_path / "simhei.ttf").write_bytes(bundled.read_bytes())  # a TrueType font there
    _without_the_bundled_font(monkeypatch, tmp_path)
    fonts = pdf_fonts.load_fonts.__wrapped__()
    assert fonts.main_path == tmp_path / "simhei.ttf"


def test_no_usable_font_is_said_plainly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "msyh.ttc").write_bytes(b"not a font")
    _without_the_bundled_font(monkeypatch, tmp_path)
    with pytest.raises(ExamsiteError) as refused:
        pdf_fonts.load_fonts.__wrapped__()
    assert refused.value.code == "materials.no_font"
    assert "字体" in refused.value.message
