"""Chinese text for ``sessions.*``: exam sessions (场次) and their times."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("sessions.",)

MESSAGES: Final[dict[str, str]] = {
    "sessions.not_found": "没有编号为 {uid} 的场次。请用“sessions list”查看场次编号。",
    "sessions.bad_time": "“{value}”不是有效的时间。请写成 2027-01-10T08:30 的形式。",
    "sessions.end_not_after_start": "场次的结束时间 {end} 不晚于开始时间 {start}。请把结束时间改到开始时间之后。",
    "sessions.outside_exam_window": "场次时间 {start} ~ {end} 不在考试计划“{plan}”的考试时间 {window_start} ~ {window_end} 之内。请改到考试时间之内。",
    "sessions.start_taken": "考试计划“{plan}”的 {subject} 已有一个 {start} 开始的场次。请换一个开始时间。",
}
