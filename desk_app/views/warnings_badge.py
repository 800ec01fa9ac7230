"""The 预警 badge in the status bar: how many open cases carry a warning, at a glance.

Counted off the GUI thread (`services.warnings.counts`) when the badge is made,
every minute, and whenever the window asks (`refresh`, after a commit). Red when
a case is overdue or its feedback is late, amber for 临期 only, grey at nought.
Clicking it opens the warnings list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QToolButton, QWidget

from desk_app.models.db import Database
from desk_app.services import warnings
from desk_app.services.errors import DeskError
from desk_app.services.warnings import KINDS
from desk_app.views.sync_status import AMBER, GREY, RED
from desk_app.workers.tasks import TaskRunner

INTERVAL_MS = 60_000
#: The kinds that turn the badge red (the others only amber).
URGENT = ("no_feedback", "overdue")


def count_now(db: Database) -> dict[str, int]:
    """The warning counts at this moment (runs on a worker thread)."""
    with db.read() as s:
        return warnings.counts(s, datetime.now(UTC))


class WarningsBadge(QToolButton):
    """ "预警 N" with the three counts in its tooltip; `clicked` opens the list."""

    #: New counts arrived and are shown.
    counts_changed = Signal(object)  # dict[str, int]

    def __init__(
        self,
        runner: TaskRunner,
        count: Callable[[], dict[str, int]],
        parent: QWidget | None = None,
        *,
        interval_ms: int = INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("warnings_badge")
        self.setAutoRaise(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.runner = runner
        self._count = count
        self._request = 0
        self.counts: dict[str, int] = {k: 0 for k in warnings.ORDER}
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.show_counts(self.counts)
        self.refresh()

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def stop(self) -> None:
        """No more counting (the window is closing)."""
        self._timer.stop()

    def refresh(self) -> None:
        """Count again in the background (the newest answer wins)."""
        self._request += 1
        request = self._request
        self.runner.run(
            self._count,
            lambda counts: self._counted(request, counts),
            lambda exc: self._failed(request, exc),
        )

    def _counted(self, request: int, counts: dict[str, int]) -> None:
        if request != self._request:
            return
        self.show_counts(counts)
        self.counts_changed.emit(counts)

    def _failed(self, request: int, exc: DeskError) -> None:
        if request != self._request:
            return
        self.setToolTip(self.tr("Warnings could not be counted: %1").replace("%1", exc.message))

    def show_counts(self, counts: dict[str, int]) -> None:
        self.counts = {k: int(counts.get(k, 0)) for k in warnings.ORDER}
        total = self.total
        self.setText(self.tr("Warnings %1").replace("%1", str(total)))
        if total == 0:
            style = f"color: {GREY}; padding: 0 6px;"
        else:
            background = RED if any(self.counts[k] for k in URGENT) else AMBER
            style = (
                f"color: white; background: {background}; border: none; "
                "border-radius: 7px; padding: 0 6px; font-weight: bold;"
            )
        self.setStyleSheet(f"QToolButton#warnings_badge {{ {style} }}")
        lines = [
            self.tr("%1: %n case(s)", "", self.counts[k]).replace("%1", KINDS[k])
            for k in warnings.ORDER
        ]
        lines.append(self.tr("Click to open the warnings list."))
        self.setToolTip("\n".join(lines))
