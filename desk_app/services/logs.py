"""Logging into the data folder's logs/ (rotated), for the GUI and the command line."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FILE = "desk.log"
FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"


def configure_logging(logs_dir: Path, *, level: int = logging.INFO) -> Path | None:
    """Send log records to logs/desk.log (5 x 2 MB). Returns the file, or None if unwritable."""
    root = logging.getLogger()
    if any(getattr(h, "_desk_app", False) for h in root.handlers):
        return Path(logs_dir) / LOG_FILE
    try:
        logs_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            logs_dir / LOG_FILE, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler._desk_app = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    return logs_dir / LOG_FILE
