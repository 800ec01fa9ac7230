"""Printed documents: fonts, the walk-in receipt (受理回执) and the codes printed on it.

Plain Python over ReportLab, no Qt: the GUI builds documents through the task
runner and previews them with QtPdf; `desk-app print` writes the same PDFs.
This package module stays light (no ReportLab): the GUI imports it at start.
"""

from __future__ import annotations

from pathlib import Path

from desk_app.services.errors import DeskError


def write_file(path: Path, content: bytes) -> None:
    """Write `content` to `path` through a temporary file beside it (never half-written).

    Raises:
        DeskError: the file cannot be written (folder missing, no permission, disk full).
    """
    part = path.with_name(path.name + ".part")
    try:
        part.write_bytes(content)
        part.replace(path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise DeskError(f"无法写入 {path}：{exc.strerror or exc}") from exc
