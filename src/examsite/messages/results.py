"""Messages of the certificate results (``results.*``)."""

from __future__ import annotations

PREFIXES = ("results",)

MESSAGES: dict[str, str] = {
    "results.passed": "通过",
    "results.below_pass_mark": "总成绩未达到合格线",
    "results.subject_failed": "“{subject}”未达到合格线",
    "results.absent": "“{subject}”缺考",
    "results.void": "“{subject}”成绩作废（违纪）",
    "results.pending": "“{subject}”尚无成绩",
}
