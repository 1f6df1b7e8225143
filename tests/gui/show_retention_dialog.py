"""Show 文件 › 清除到期个人信息… over the main window, at a moment after the demo round's
retention date (for a look and the screenshot docs/screenshot-retention.png).

    uv run python tests/gui/show_retention_dialog.py DB [--months-after 1] [--out shot.png]

With ``--out`` the screen is grabbed into a PNG and the program ends (run it on a
1366×768 display: ``Xvfb :64 -screen 0 1366x768x24``, ``QT_QPA_PLATFORM=xcb``).
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from PySide6.QtCore import QTimer
from sqlalchemy import select

from examsite import clock
from examsite.domain.retention import add_months
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.retention import default_months_in
from examsite.storage.db import Database
from examsite.storage.models import ExamPlan
from examsite.ui.app import create_application
from examsite.ui.main_window import MainWindow
from examsite.ui.retention_dialog import RetentionDialog
from examsite.ui.tasks import InlinePool, TaskRunner


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--plan", default=DEMO_PLAN_CODE)
    parser.add_argument("--months-after", type=int, default=1)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--no-dialog", action="store_true", help="only the window (its notice)")
    args = parser.parse_args()
    app = create_application([])
    db = Database.open(args.db)
    with db.read() as session:
        end = session.scalar(select(ExamPlan.publication_end).where(ExamPlan.code == args.plan))
        months = default_months_in(session)
    assert end is not None
    moment = add_months(end, months + args.months_after) + dt.timedelta(hours=9)
    with clock.fixed(moment):
        window = MainWindow(TaskRunner(InlinePool()), db, clock=lambda: moment)
        window.setGeometry(0, 0, 1366, 768)
        window.show()
        dialog = RetentionDialog(window.jobs, db, parent=window)
        dialog.move((1366 - dialog.width()) // 2, (768 - dialog.height()) // 2)

        def grab() -> None:
            if args.out is not None:
                app.primaryScreen().grabWindow(0).save(str(args.out))
                app.quit()

        if not args.no_dialog:
            QTimer.singleShot(800, dialog.open)
        QTimer.singleShot(2500, grab)
        code = app.exec()
    db.close()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
