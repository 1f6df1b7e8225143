"""The 姓名拼音 of a candidate: "王玉霞" → "Wang Yuxia", "欧阳娜娜" → "Ouyang Nana".

Spelling follows GB/T 28039-2011 (中国人名汉语拼音字母拼写规则) without tone marks, as the
platform's examples show it: surname and given name separated by one space, each written
together and capitalised (复姓 included: "Ouyang", "Zhuge").

Decisions:

- ü is written the way the Ministry of Public Security prints it on passports and permits
  since 2012 (GB/T 28039-2011 §6.2, "ü 可用 YU 代替"): 吕 lü → "Lyu", 女 nü → "Nyu", and in
  lüe/nüe the ü becomes "u": 略 → "Lue", 虐 → "Nue". Never "v" (a keyboard stand-in, not
  pinyin) and never "ü" (not on every keyboard and not in the platform's examples). After
  j, q, x, y the ü is already written u (徐 Xu, 玉 Yu) and stays so.
- Surnames come from tables (``surname_data``) where pypinyin's everyday reading is wrong for
  a surname (单 Shan, 曾 Zeng, 解 Xie, 贠 Yun, 六 Lu …), and the compound surnames: the 60-odd
  of the 百家姓 (宗政 Zongzheng, 子车 Ziju, 乐正 Yuezheng …), later ones still borne (独孤,
  完颜 …) and a few Manchu clan names (爱新觉罗). A compound is recognised only when at least
  one character is left for the given name: a two-character name is always surname + given
  name (钟离 is 钟 Zhong + 离 Li). Double surnames (郑李, 欧阳陈) are not recognised.
- Compound or single surname + given name? A compound is taken whenever it starts a name of
  three or more characters, with four exceptions (``AMBIGUOUS_COMPOUNDS``: 梁丘, 南门, 东门,
  贺兰) whose first character is a common single surname while the compound has very few
  bearers today, so that 梁 Liang + 丘X is likelier than 梁丘 + X (and 贺 + 兰X, 兰 being
  frequent in given names). These are taken as compounds only in names of four or more
  characters, where a single surname would leave an unusual three-character given name:
  梁丘明 → "Liang Qiuming", 梁丘明月 → "Liangqiu Mingyue". 东方 and 司马 stay compounds
  always: 东 and 司 are rare single surnames, 东方 and 司马 well-known living compounds; so do
  单于, 宗政, 乐正, 段干, 谷梁, 归海, 钟离 … as the 百家姓 lists them.
- A single surname's reading follows its surname entry: 尉 Wei alone but Yuchi in 尉迟, 长
  Chang alone but Zhangsun in 长孙, 蔚 Yu, 覃 Qin, 翟 Zhai, 盖 Ge, 乐 Yue, 朴 Piao.
- Given names use pypinyin's reading in context; it is sometimes wrong for 多音字 (任长霞
  gives "Zhang" for 长), which is why the field stays editable.
- No apostrophe between syllables (GB/T 28039 allows "Xi'an"; passports and the platform's
  examples have none).
- A name with a dot (阿卜杜·热合曼, names of ethnic minorities and foreigners) has no
  surname: each part is written together and capitalised, the parts separated by a space
  ("Abodu Reheman" — the coordinator may prefer the person's own romanisation).
- Latin letters are kept as typed; digits, punctuation and characters pypinyin cannot read
  (rare characters such as 𠮷) are dropped from the result and reported by
  ``pinyin_problem`` so the coordinator types the pinyin by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Final

from examsite.domain.normalize import MIDDLE_DOT, is_han, tidy_name
from examsite.domain.problems import Problem, warning
from examsite.domain.surname_data import (
    AMBIGUOUS_COMPOUNDS,
    COMPOUND_SURNAMES,
    SINGLE_SURNAMES,
)

# Surname readings, written as in the result (lower case, ü already as yu/u): the compounds
# and the single surnames with a reading of their own.
SURNAMES: Final[dict[str, str]] = {**COMPOUND_SURNAMES, **SINGLE_SURNAMES}
# Lengths of the compound surnames, longest first (爱新觉罗 4, 钮祜禄 3, 欧阳 2).
_COMPOUND_SIZES: Final[tuple[int, ...]] = tuple(
    sorted({len(s) for s in COMPOUND_SURNAMES}, reverse=True)
)

# The four pinyin syllables with ü after l or n, as pypinyin writes them and as we do.
_U_SPELLING: Final[dict[str, str]] = {"lv": "lyu", "nv": "nyu", "lve": "lue", "nve": "nue"}


def split_surname(name: str) -> tuple[str, str]:
    """(surname, given name) of a Chinese name; ("", name) when the name has no surname to
    split off (a dotted name, a Latin name, a blank)."""
    return _split(tidy_name(name))


def _split(name: str) -> tuple[str, str]:
    if not name or MIDDLE_DOT in name or not is_han(name[0]):
        return "", name
    length = len(name)
    if length >= 3:
        for size in _COMPOUND_SIZES:
            # at least one character left for the given name, two after an ambiguous compound
            head = name[:size]
            if head in COMPOUND_SURNAMES and length - size >= (
                2 if head in AMBIGUOUS_COMPOUNDS else 1
            ):
                return head, name[size:]
    return name[:1], name[1:]


def name_to_pinyin(name: str) -> str:
    """The 姓名拼音 for a name, "" when nothing in it can be read."""
    return _convert(name)[0]


def unreadable_characters(name: str) -> str:
    """The characters of a name left out of its pinyin (each once, in order)."""
    return _convert(name)[1]


def pinyin_problem(name: str) -> Problem | None:
    """A warning when part of the name could not be turned into pinyin."""
    result, missing = _convert(name)
    if not missing:
        return None
    return warning("pinyin.unreadable", name=tidy_name(name), chars=missing, pinyin=result)


def _convert(name: str) -> tuple[str, str]:
    name = tidy_name(name)
    missing: list[str] = []
    surname, given = _split(name)
    if surname:
        words = [_surname_reading(surname), *_words(given, missing)]
        if not words[0]:
            missing[:0] = surname
    else:
        words = [w for part in name.split(MIDDLE_DOT) for w in _words(part, missing)]
    return " ".join(_capitalise(w) for w in words if w), "".join(dict.fromkeys(missing))


@lru_cache(maxsize=4096)
def _surname_reading(surname: str) -> str:
    """The surname in pinyin, "" when pypinyin cannot read it."""
    known = SURNAMES.get(surname)
    if known is not None:
        return known
    syllables, unread = _han_run(surname)
    return "" if unread else "".join(syllables)


def _words(text: str, missing: list[str]) -> list[str]:
    """Words of one part of a name: Chinese runs become joined syllables, Latin letters stay,
    spaces split words, anything else is dropped into ``missing``."""
    if all(is_han(c) for c in text):  # the usual case: one run of Chinese characters
        syllables, unread = _han_run(text)
        missing.extend(unread)
        return ["".join(syllables)] if syllables else []
    words: list[str] = []
    current: list[str] = []
    run_start = -1
    for index, char in enumerate(text):
        if is_han(char):
            if run_start < 0:
                run_start = index
            continue
        if run_start >= 0:
            syllables, unread = _han_run(text[run_start:index])
            current.extend(syllables)
            missing.extend(unread)
            run_start = -1
        if ("a" <= char <= "z") or ("A" <= char <= "Z"):
            current.append(char)
        elif char == " ":
            words.append("".join(current))
            current = []
        else:
            missing.append(char)
    if run_start >= 0:
        syllables, unread = _han_run(text[run_start:])
        current.extend(syllables)
        missing.extend(unread)
    words.append("".join(current))
    return [w for w in words if w]


@lru_cache(maxsize=65536)
def _han_run(run: str) -> tuple[tuple[str, ...], str]:
    """Syllables of a run of Chinese characters, and the characters pypinyin cannot read.

    pypinyin costs 30-40 µs a call, mostly segmenting and restyling. A run of one or two
    characters that is not one of its phrases is read character by character, which is what
    pypinyin would do, from a cache; longer runs and phrases ("长生") go to pypinyin whole.
    """
    if len(run) == 1 or (len(run) == 2 and run not in _phrases()):
        singles = [_han_run(char) for char in run] if len(run) == 2 else [_read(run)]
        return (
            tuple(s for syllables, _ in singles for s in syllables),
            "".join(unread for _, unread in singles),
        )
    return _read(run)


@lru_cache(maxsize=1)
def _phrases() -> Mapping[str, object]:
    # pypinyin loads its dictionaries on import (about 0.3 s): only when a name is read,
    # not for every command that merely lists candidates.
    from pypinyin.constants import PHRASES_DICT

    return PHRASES_DICT


def _read(run: str) -> tuple[tuple[str, ...], str]:
    from pypinyin import Style, lazy_pinyin

    syllables: list[str] = []
    unread: list[str] = []
    for token in lazy_pinyin(run, style=Style.NORMAL):
        if token.isascii() and token.isalpha():
            syllables.append(_U_SPELLING.get(token, token))
        else:  # pypinyin hands back what it cannot read as it is
            unread.extend(token)
    return tuple(syllables), "".join(unread)


def _capitalise(word: str) -> str:
    return word[:1].upper() + word[1:]
