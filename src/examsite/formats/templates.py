"""The platform's Excel templates as data: one registry used to write blank templates and to
read filled ones.

A ``TemplateDef`` says what the sheet looks like (title row, instructions row, header row)
and what each column is: the field it fills, whether it is required (the platform's "*"),
the other headers that mean the same column, the closed list of values (written as a
drop-down) and whether the column must be text so that Excel keeps every digit. Reading a
sheet "close to" a template finds the header row by scoring the first rows against the
headers and their aliases, then maps the columns by name, in any order.

Later templates (registration, rooms, invigilators) are more entries of ``TEMPLATES``.
This module is pure (no openpyxl, no database) so header matching is unit-tested alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Final

# The ID types as the platform's drop-down lists them. "身份证" is what the platform (and
# the ``Candidate.id_type`` default) calls the resident ID card (domain: 居民身份证).
ID_TYPE_CHOICES: Final[tuple[str, ...]] = (
    "身份证",
    "港澳台居民居住证",
    "护照",
    "港澳居民来往内地通行证",
    "台湾居民来往大陆通行证",
)
GENDER_CHOICES: Final[tuple[str, ...]] = ("男", "女")
# 003 shows 专科 and 本科; 004 lists 中职 schools among the pilot schools.
EDUCATION_LEVEL_CHOICES: Final[tuple[str, ...]] = ("中职", "专科", "本科")
EXTRA_PREFIX: Final[str] = "extra."  # fields kept in ``Candidate.extra``
# The column an error report adds; a report imported again ignores it without a notice.
REPORT_HEADER: Final[str] = "错误说明"


def column_title(header: str) -> str:
    """A column's header as a message names it: without the "*" a template puts before a
    required column (the sheet's own header may carry it)."""
    return header.lstrip("*＊ ").strip() or header


@dataclass(frozen=True)
class Column:
    """One column of a template.

    ``field`` is the key the reader fills (``extra.<key>`` for values kept in
    ``Candidate.extra``); ``header`` is the platform's header without the star;
    ``derivable`` marks a required column the program can fill itself (pinyin from the
    name, gender from the ID number, ID type defaulting to 身份证), so a sheet without it is
    read anyway.
    """

    field: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    text: bool = False
    width: float = 14.0
    rule: str = ""
    example: str = ""
    derivable: bool = False

    @property
    def title(self) -> str:
        """The header as written into a blank template ("*学生姓名")."""
        return f"*{self.header}" if self.required else self.header


@dataclass(frozen=True)
class TemplateDef:
    """A sheet layout: title row, instructions row, header row, then one record per row."""

    key: str
    title: str
    instructions: str
    columns: tuple[Column, ...]
    sheet_name: str = "Sheet1"
    help_sheet: str = "填写说明"
    data_rows: int = 2000  # rows prepared with drop-downs and text format

    @cached_property
    def by_field(self) -> Mapping[str, Column]:
        return MappingProxyType({c.field: c for c in self.columns})

    @cached_property
    def alias_index(self) -> Mapping[str, str]:
        """Normalised header or alias → field."""
        index: dict[str, str] = {}
        for column in self.columns:
            for name in (column.header, *column.aliases):
                key = normalize_header(name)
                if index.setdefault(key, column.field) != column.field:
                    raise ValueError(f"{self.key}: header {name!r} names two columns")
        return MappingProxyType(index)

    @property
    def required_fields(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.columns if c.required)


@dataclass(frozen=True)
class HeaderMatch:
    """Where the header row is and what each column means.

    ``row`` is the 0-based index of the header row in the rows given; ``fields`` maps a
    0-based column index to its field; ``headers`` the field to the header as written;
    ``ignored`` lists the columns that mean nothing here (index, header as written), a
    second column for the same field included; ``missing`` the required fields without a
    column that the program cannot fill; ``derived`` those it will fill itself.
    """

    row: int
    fields: Mapping[int, str]
    headers: Mapping[str, str]
    ignored: tuple[tuple[int, str], ...] = ()
    missing: tuple[str, ...] = ()
    derived: tuple[str, ...] = ()
    duplicates: tuple[tuple[int, str], ...] = ()

    @property
    def score(self) -> int:
        return len(self.headers)

    def column_of(self, field_name: str) -> int | None:
        """The 0-based column index of ``field_name``, or None when the sheet lacks it."""
        for index, name in self.fields.items():
            if name == field_name:
                return index
        return None


# Brackets and what they hold ("证件号码（必填）", "入学年份(如2020)") say nothing about
# which column it is; stars and marks before the name are the "required" sign.
_BRACKETS: Final[re.Pattern[str]] = re.compile(r"[(\[【<《][^)\]】>》]*[)\]】>》]?")
_DROPPED: Final[re.Pattern[str]] = re.compile(r"[\s*※★☆#:：'\"“”‘’]+")


def normalize_header(value: object) -> str:
    """A header cell reduced to what identifies the column: NFKC (full-width to
    half-width), brackets and their content, stars, colons and every space removed,
    Latin letters lower-cased. ``"＊ 证件 号码（必填）"`` → ``"证件号码"``."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = _BRACKETS.sub("", text)
    return _DROPPED.sub("", text).lower()


def match_header(template: TemplateDef, cells: Sequence[object], row: int = 0) -> HeaderMatch:
    """Map the cells of one row to the template's fields."""
    index = template.alias_index
    fields: dict[int, str] = {}
    headers: dict[str, str] = {}
    ignored: list[tuple[int, str]] = []
    duplicates: list[tuple[int, str]] = []
    for col, cell in enumerate(cells):
        written = _cell_text(cell)
        if not written:
            continue
        name = index.get(normalize_header(written))
        if name is None:
            if written != REPORT_HEADER:
                ignored.append((col, written))
        elif name in headers:
            duplicates.append((col, written))
        else:
            fields[col] = name
            headers[name] = written
    absent = [c for c in template.columns if c.required and c.field not in headers]
    return HeaderMatch(
        row=row,
        fields=MappingProxyType(fields),
        headers=MappingProxyType(headers),
        ignored=tuple(ignored),
        missing=tuple(c.field for c in absent if not c.derivable),
        derived=tuple(c.field for c in absent if c.derivable),
        duplicates=tuple(duplicates),
    )


MIN_HEADER_SCORE: Final[int] = 2  # a name and an ID number at least
HEADER_SEARCH_ROWS: Final[int] = 20


def find_header(
    template: TemplateDef, rows: Iterable[Sequence[object]], search_rows: int = HEADER_SEARCH_ROWS
) -> HeaderMatch | None:
    """The best header row among the first ``search_rows`` rows: the one naming the most
    fields (the first of equals), provided it names at least two. Title and instruction
    rows above it name none and are skipped."""
    best: HeaderMatch | None = None
    for number, cells in enumerate(rows):
        if number >= search_rows:
            break
        match = match_header(template, cells, number)
        if match.score >= MIN_HEADER_SCORE and (best is None or match.score > best.score):
            best = match
    return best


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    return " ".join(str(cell).split())


# --- the candidate templates -------------------------------------------------------------

_NAME = Column(
    "name",
    "学生姓名",
    required=True,
    aliases=("姓名", "考生姓名", "学员姓名", "名字"),
    width=12,
    rule="与身份证件上的姓名一致；少数民族姓名中的点用“·”。",
    example="王玉霞",
)
_PINYIN = Column(
    "pinyin",
    "姓名拼音",
    required=True,
    aliases=("拼音", "拼音姓名", "姓名全拼", "姓名拼音全拼"),
    width=16,
    rule="姓与名之间空一格，首字母大写，如“Wang Yuxia”；留空时程序按姓名自动生成。",
    example="Wang Yuxia",
    derivable=True,
)
_GENDER = Column(
    "gender",
    "性别",
    required=True,
    choices=GENDER_CHOICES,
    width=8,
    rule="从下拉列表选择“男”或“女”；留空时程序按身份证号自动填写。",
    example="女",
    derivable=True,
)
_ID_TYPE = Column(
    "id_type",
    "证件类型",
    required=True,
    aliases=("证件种类", "证件名称"),
    choices=ID_TYPE_CHOICES,
    width=14,
    rule="从下拉列表选择；留空按“身份证”处理。",
    example="身份证",
    derivable=True,
)
_ID_NUMBER = Column(
    "id_number",
    "证件号码",
    required=True,
    aliases=(
        "证件号",
        "证件编号",
        "身份证号",
        "身份证号码",
        "身份证",
        "身份证件号",
        "身份证件号码",
        "公民身份号码",
    ),
    text=True,
    width=22,
    rule="18 位身份证号，最后一位可以是 X。本列已设为文本格式，请勿改成数字格式，否则后几位会变成 0。",
    example="110105200201010021",
)
_PHONE = Column(
    "phone",
    "手机号码",
    required=True,
    aliases=("手机", "手机号", "联系电话", "电话", "电话号码", "联系方式", "移动电话"),
    text=True,
    width=14,
    rule="11 位手机号，不要加“-”或空格。",
    example="13800138000",
)


def _candidate_template(key: str, title: str, columns: tuple[Column, ...]) -> TemplateDef:
    derived = "、".join(c.header for c in columns if c.required and c.derivable)
    instructions = (
        f"填写说明：1. 带 * 的列是平台的必填项，其中{derived}留空时由考点助手自动填写，"
        "其余带 * 的列必须填写；请从第 4 行开始每行填写一名考生，不要修改前三行；"
        "2. 证件号码、手机号码、专业代码列已设为文本格式，请直接输入或“粘贴为数值”，"
        "不要改成数字格式，否则身份证号后几位会变成 0；"
        "3. 性别、证件类型、专业层次请从下拉列表选择；"
        "4. 考生照片另行上传：照片命名为“证件号码.jpg”，红底小一寸，295×413 像素，5M 以内；"
        "5. 每列的详细要求见“填写说明”工作表。"
    )
    return TemplateDef(key=key, title=title, instructions=instructions, columns=columns)


CANDIDATE_SCHOOL: Final[TemplateDef] = _candidate_template(
    "candidates.school",
    "本校学生导入模板",
    (
        _NAME,
        _PINYIN,
        _GENDER,
        _ID_TYPE,
        _ID_NUMBER,
        _PHONE,
        Column(
            "enrollment_year",
            "入学年份",
            required=True,
            aliases=("年级", "入学时间", "入学年度", "入学年月", "入学日期"),
            width=10,
            rule="四位年份，如 2020；写成“2020年9月”或日期也可以识别。",
            example="2020",
        ),
        Column(
            "education_level",
            "专业层次",
            required=True,
            aliases=("层次", "学历层次", "培养层次", "办学层次"),
            choices=EDUCATION_LEVEL_CHOICES,
            width=10,
            rule="从下拉列表选择：中职、专科或本科。",
            example="专科",
        ),
        Column(
            "major",
            "就读专业",
            required=True,
            aliases=("专业", "所学专业", "专业名称", "所在专业"),
            width=20,
            rule="专业全称，与学籍一致，如“市场营销”。",
            example="市场营销",
        ),
        Column(
            "major_code",
            "专业代码",
            required=True,
            aliases=("专业编码", "专业代号"),
            text=True,
            width=10,
            rule="专业目录中的代码，如 530605；本列为文本格式，开头的 0 会保留。",
            example="530605",
        ),
    ),
)

CANDIDATE_SOCIAL: Final[TemplateDef] = _candidate_template(
    "candidates.social",
    "社会考生导入模板",
    (
        _NAME,
        _PINYIN,
        _GENDER,
        _ID_TYPE,
        _ID_NUMBER,
        _PHONE,
        Column(
            "extra.employer",
            "工作单位",
            aliases=("单位", "单位名称", "所在单位", "工作单位名称"),
            width=24,
            rule="选填：现工作单位全称。",
            example="某某电子商务有限公司",
        ),
        Column(
            "extra.education",
            "学历",
            aliases=("最高学历", "文化程度", "学历层次"),
            width=10,
            rule="选填：最高学历，如 高中、中专、大专、本科。",
            example="大专",
        ),
        Column(
            "extra.major",
            "所学专业",
            aliases=("专业", "就读专业", "专业名称"),
            width=20,
            rule="选填：最高学历所学专业。",
            example="电子商务",
        ),
    ),
)
"""The social-candidate template. The documents show only the school template (003); for
社会考生 we keep the six identity columns the platform needs for every candidate, all
required, and add three optional columns a training organisation usually collects:
工作单位, 学历 and 所学专业. They are kept in ``Candidate.extra`` (``employer``,
``education``, ``major``), since the platform's school fields (入学年份, 专业层次, 专业代码)
do not apply to people who are not students."""


def _registry() -> Mapping[str, TemplateDef]:
    # Imported here: those modules build their definitions from this one's classes.
    from examsite.formats.arrangement_templates import ARRANGEMENT_DETAIL
    from examsite.formats.platform_templates import PLATFORM_TEMPLATES
    from examsite.formats.registration_templates import REGISTRATION_TEMPLATES
    from examsite.formats.room_templates import ROOM_SHEET
    from examsite.formats.staff_templates import INVIGILATOR_SHEET

    return MappingProxyType(
        {
            t.key: t
            for t in (
                CANDIDATE_SCHOOL,
                CANDIDATE_SOCIAL,
                *REGISTRATION_TEMPLATES,
                ROOM_SHEET,
                INVIGILATOR_SHEET,
                ARRANGEMENT_DETAIL,
                *PLATFORM_TEMPLATES,
            )
        }
    )


TEMPLATES: Final[Mapping[str, TemplateDef]] = _registry()


def get_template(key: str) -> TemplateDef:
    """The template named ``key`` (e.g. ``"candidates.school"``)."""
    try:
        return TEMPLATES[key]
    except KeyError:
        raise KeyError(f"no template {key!r}; known: {sorted(TEMPLATES)}") from None


def candidate_template(kind: str) -> TemplateDef:
    """The candidate template of a kind: ``"school"`` or ``"social"``."""
    return get_template(f"candidates.{kind}")
