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
- Surnames come from a table (``SURNAMES``) where pypinyin's everyday reading is wrong for a
  surname (单 Shan, 曾 Zeng, 解 Xie …), compound surnames matched first, and only when the
  name has at least three characters: a two-character name is always surname + given name
  (钟离 is 钟 Zhong + 离 Li). Double surnames (郑李, 欧阳陈) are not recognised.
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

from functools import lru_cache
from typing import Final

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT

from examsite.domain.normalize import MIDDLE_DOT, is_han, tidy_name
from examsite.domain.problems import Problem, warning

# Surname readings, written as in the result (lower case, ü already as yu/u). Compound
# surnames are listed too when pypinyin reads them right, so that they are split right.
SURNAMES: Final[dict[str, str]] = {
    # compound surnames
    "欧阳": "ouyang",
    "尉迟": "yuchi",
    "万俟": "moqi",
    "长孙": "zhangsun",
    "单于": "chanyu",
    "澹台": "tantai",
    "令狐": "linghu",
    "宇文": "yuwen",
    "司马": "sima",
    "司徒": "situ",
    "司空": "sikong",
    "司寇": "sikou",
    "诸葛": "zhuge",
    "皇甫": "huangfu",
    "上官": "shangguan",
    "东方": "dongfang",
    "东郭": "dongguo",
    "夏侯": "xiahou",
    "公孙": "gongsun",
    "公羊": "gongyang",
    "公冶": "gongye",
    "慕容": "murong",
    "钟离": "zhongli",
    "闻人": "wenren",
    "轩辕": "xuanyuan",
    "太叔": "taishu",
    "申屠": "shentu",
    "呼延": "huyan",
    "端木": "duanmu",
    "百里": "baili",
    "南宫": "nangong",
    "西门": "ximen",
    "第五": "diwu",
    "拓跋": "tuoba",
    "独孤": "dugu",
    "赫连": "helian",
    "羊舌": "yangshe",
    "濮阳": "puyang",
    "淳于": "chunyu",
    "完颜": "wanyan",
    "鲜于": "xianyu",
    "闾丘": "lyuqiu",
    "漆雕": "qidiao",
    "壤驷": "rangsi",
    "谷梁": "guliang",
    "巫马": "wuma",
    "左丘": "zuoqiu",
    "颛孙": "zhuansun",
    "夹谷": "jiagu",
    "亓官": "qiguan",
    # single surnames whose everyday reading differs (pypinyin's reading in the comment)
    "单": "shan",  # dan
    "曾": "zeng",  # ceng
    "解": "xie",  # jie
    "区": "ou",  # qu
    "仇": "qiu",  # chou
    "朴": "piao",  # pu
    "覃": "qin",  # tan
    "翟": "zhai",  # di
    "查": "zha",  # cha
    "盖": "ge",  # gai
    "乐": "yue",  # le
    "缪": "miao",  # mou
    "秘": "bi",  # mi
    "黑": "he",  # hei
    "折": "she",  # zhe
    "召": "shao",  # zhao
    "阚": "kan",  # han
    "员": "yun",  # yuan
    "句": "gou",  # ju
    "能": "nai",  # neng
    "种": "chong",  # zhong
    "隗": "wei",  # kui
    "繁": "po",  # fan
    "薄": "bo",  # bao
    "卜": "bu",  # bo
    "藏": "zang",  # cang
    "都": "du",  # dou
    "蕃": "pi",  # fan
    "祭": "zhai",  # ji
    "洗": "xian",  # xi
    "蔚": "yu",  # wei
    "长": "chang",  # zhang
    "便": "pian",  # bian
    "佴": "nai",  # er
    "乜": "nie",  # mie
    "粘": "nian",  # zhan
    "炅": "gui",  # jiong
    "角": "jue",  # jiao
    # read right by pypinyin today; pinned because they are often asked about
    "任": "ren",
    "尚": "shang",
    "沈": "shen",
    "过": "guo",
    "宓": "mi",
    "眭": "sui",
    "柏": "bai",
    "重": "chong",
    "尉": "wei",
    "吕": "lyu",
}
_COMPOUND: Final[frozenset[str]] = frozenset(s for s in SURNAMES if len(s) == 2)

# The four pinyin syllables with ü after l or n, as pypinyin writes them and as we do.
_U_SPELLING: Final[dict[str, str]] = {"lv": "lyu", "nv": "nyu", "lve": "lue", "nve": "nue"}


def split_surname(name: str) -> tuple[str, str]:
    """(surname, given name) of a Chinese name; ("", name) when the name has no surname to
    split off (a dotted name, a Latin name, a blank)."""
    return _split(tidy_name(name))


def _split(name: str) -> tuple[str, str]:
    if not name or MIDDLE_DOT in name or not is_han(name[0]):
        return "", name
    if len(name) >= 3 and name[:2] in _COMPOUND:
        return name[:2], name[2:]
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
    if len(run) == 1 or (len(run) == 2 and run not in PHRASES_DICT):
        singles = [_han_run(char) for char in run] if len(run) == 2 else [_read(run)]
        return (
            tuple(s for syllables, _ in singles for s in syllables),
            "".join(unread for _, unread in singles),
        )
    return _read(run)


def _read(run: str) -> tuple[tuple[str, ...], str]:
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
