"""The user guide (resources/guide/): a section for every step, links that resolve, no
placeholders, plain UTF-8 HTML that a QTextBrowser shows (no scripts, no web engine)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from examsite.domain.workflow import STEPS
from examsite.resources import resource_root

GUIDE = Path(str(resource_root())) / "guide"
INDEX = "index.html"
ACCOUNTS = "accounts.html"
PLACEHOLDERS = re.compile(r"TODO|FIXME|XXX|TBD|lorem|ipsum|待补充|待完善|占位|此处填写", re.I)


class Links(HTMLParser):
    """The ``href`` of every link, the ``id``/``name`` anchors and the ``<h1>`` text."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.anchors: set[str] = set()
        self.tags: set[str] = set()
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.hrefs.append(str(found["href"]))
        for key in ("id", "name"):
            if found.get(key):
                self.anchors.add(str(found[key]))
        self._in_h1 = tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1.append(data)


def parsed(name: str) -> Links:
    parser = Links()
    parser.feed((GUIDE / name).read_text("utf-8"))
    return parser


def guide_files() -> list[str]:
    return sorted(path.name for path in GUIDE.glob("*.html"))


def test_every_step_has_a_section_and_nothing_else_is_there():
    expected = {f"{step.value}.html" for step in STEPS} | {INDEX, ACCOUNTS}
    assert set(guide_files()) == expected


def test_the_index_links_to_every_step_in_the_round_s_order_and_to_accounts():
    hrefs = parsed(INDEX).hrefs
    steps = [href for href in hrefs if href != ACCOUNTS]
    assert steps == [f"{step.value}.html" for step in STEPS]
    assert ACCOUNTS in hrefs


@pytest.mark.parametrize("name", guide_files())
def test_every_internal_link_resolves(name: str):
    for href in parsed(name).hrefs:
        parts = urlsplit(href)
        assert not parts.scheme and not parts.netloc, f"{name}: {href} leaves the guide"
        target = parts.path or name
        assert (GUIDE / target).is_file(), f"{name}: {href} has no file"
        if parts.fragment:
            assert parts.fragment in parsed(target).anchors, f"{name}: {href} has no anchor"


@pytest.mark.parametrize("name", guide_files())
def test_a_section_is_utf8_chinese_html_without_placeholders(name: str):
    raw = (GUIDE / name).read_bytes()
    text = raw.decode("utf-8")  # fails on anything else
    assert not raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    assert '<meta charset="utf-8">' in text
    assert not PLACEHOLDERS.search(text), PLACEHOLDERS.search(text)
    page = parsed(name)
    assert page.tags.isdisjoint({"script", "iframe", "img", "object"})  # none this time
    assert len(page.h1) == 1 and re.search(r"[\u4e00-\u9fff]", page.h1[0])
    chinese = len(re.findall(r"[\u4e00-\u9fff]", text))
    assert chinese > 150, f"{name} says too little ({chinese} characters)"


@pytest.mark.parametrize("name", [n for n in guide_files() if n != INDEX])
def test_every_section_links_back_to_the_index(name: str):
    assert INDEX in parsed(name).hrefs


def test_a_step_section_says_what_to_do_and_what_goes_wrong():
    for step in STEPS:
        text = (GUIDE / f"{step.value}.html").read_text("utf-8")
        for heading in ("按顺序做", "本页检查什么", "常见提示与处理"):
            assert f"<h2>{heading}</h2>" in text, f"{step.value}: no {heading}"
