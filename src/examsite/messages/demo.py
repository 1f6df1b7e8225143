"""Messages of the demo site's helpers (``demo.*``)."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("demo.",)

MESSAGES: Final[dict[str, str]] = {
    "demo.not_a_demo": "这不是演示考点的数据库：成绩表只为演示考点生成（其中的成绩是编造的）。真实考点的成绩请从平台“科目成绩”导出。",
    "demo.nothing_seated": "考试计划 {plan} 还没有排考，生成不了成绩表。请先完成报考、考场、监考和排考（或运行 arrange run --plan {plan}）。",
}
