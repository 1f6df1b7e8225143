"""Logging: a rotating file in the data folder; the console only with ``--debug``."""

from __future__ import annotations

import logging
import logging.handlers

from examsite.paths import log_file


def setup_logging(*, debug: bool = False, console: bool = False) -> None:
    root = logging.getLogger()
    if getattr(root, "_examsite_configured", False):
        return
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        path = log_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
        handler.setFormatter(formatter)
        root.addHandler(handler)
    except OSError:
        pass  # a read-only profile must not stop the program
    if console:
        stream = logging.StreamHandler()
        stream.setFormatter(formatter)
        root.addHandler(stream)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    root._examsite_configured = True  # type: ignore[attr-defined]
