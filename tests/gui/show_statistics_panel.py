"""Show the statistics tab on its own, on a database with the demo's chain done (for a
look and a screenshot; the results page that embeds it is built elsewhere).

    uv run python tests/gui/show_statistics_panel.py DB [--seed N] [--size 1300x600]
        [--tab 0..5] [--out shot.png]

Scores and attendance are added (seeded random, ``tests/statistics_data.py``) when the
database holds no score yet. With ``--out`` the panel is grabbed into a PNG and the
program ends; without it the window stays open.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ (statistics_data)

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget
from sqlalchemy import func, select

from examsite.services.demo import DEMO_PLAN_CODE
from examsite.storage.db import Database
from examsite.storage.models import Score
from examsite.ui.app import create_application
from examsite.ui.pages.base import BasePage, PageContext
from examsite.ui.statistics_panel import StatisticsPanel
from examsite.ui.status_watcher import StatusWatcher
from examsite.ui.tasks import InlinePool, TaskRunner
from statistics_data import seed_scores


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("--plan", default=DEMO_PLAN_CODE)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--size", default="1300x600")
    parser.add_argument("--tab", type=int, default=0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    app = create_application([])
    db = Database.open(args.db)
    with db.read() as session:
        held = session.scalar(select(func.count()).select_from(Score)) or 0
    if not held:
        print(seed_scores(db, args.seed))
    runner = TaskRunner(InlinePool())
    context = PageContext(db, runner, StatusWatcher(db, runner), lambda _step: None, print)
    page = BasePage(context)
    layout = QVBoxLayout(page)
    panel = StatisticsPanel(page)
    layout.addWidget(panel)
    width, height = (int(n) for n in args.size.split("x"))
    window = QWidget()
    QVBoxLayout(window).addWidget(page)
    window.resize(width, height)
    window.setWindowTitle("统计")
    window.show()
    panel.set_plan(args.plan)
    panel.tabs.setCurrentIndex(args.tab)
    if args.out is not None:

        def grab() -> None:
            window.grab().save(str(args.out))
            app.quit()

        QTimer.singleShot(300, grab)
    code = app.exec()
    db.close()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
