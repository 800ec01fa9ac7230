"""The warnings list (预警): open cases whose step is overdue, late with feedback or near due.

Most urgent first (`services.warnings.listing`), filtered by kind in SQL so a
rare kind is never cut off by the row limit. Read on the task runner when the
page is shown, every minute while it is, and on `refresh()`. Double-click or
Enter on a row asks for the case (`case_requested`); the main window opens it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.models.db import Database
from desk_app.services import search, warnings
from desk_app.services.cases import STATUSES
from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError
from desk_app.services.numbering import SHANGHAI
from desk_app.services.roles import Actor
from desk_app.services.warnings import KINDS, WarningRow
from desk_app.services.workflow import STEPS
from desk_app.views.sync_status import AMBER, RED
from desk_app.views.widgets.form import ERROR_STYLE
from desk_app.views.widgets.table import RowsTableModel
from desk_app.workers.tasks import TaskRunner

INTERVAL_MS = 60_000
LIMIT = 2000
#: The colour of each kind: red when a deadline has passed, amber when it is near.
COLOURS = {"no_feedback": RED, "overdue": RED, "near_due": AMBER}


@dataclass(frozen=True)
class Loaded:
    now: datetime
    counts: dict[str, int]
    rows: list[WarningRow]
    names: dict[str, str] | None


def load(
    db: Database, now: datetime, kinds: tuple[str, ...], with_names: bool, limit: int = LIMIT
) -> Loaded:
    """The counts and the listing at `now` (and the unit names when asked), in one read."""
    with db.read() as s:
        counts = warnings.counts(s, now)
        rows = warnings.listing(s, now, kinds, limit)
        names = search.unit_names(s) if with_names else None
    return Loaded(now, counts, rows, names)


def deadline_of(row: WarningRow) -> datetime | None:
    """The deadline the warning is about: feedback for 逾期未反馈, else the step's."""
    return row.feedback_due_at if row.kind == "no_feedback" else row.due_at


class WarningsModel(RowsTableModel[WarningRow]):
    KIND, CASE_NO, TITLE, APPLICANT, STATUS, STEP, UNIT, DUE, LEFT = range(9)
    HEADERS = (
        QT_TRANSLATE_NOOP("WarningsModel", "Warning"),
        QT_TRANSLATE_NOOP("WarningsModel", "Case number"),
        QT_TRANSLATE_NOOP("WarningsModel", "Matter"),
        QT_TRANSLATE_NOOP("WarningsModel", "Applicant"),
        QT_TRANSLATE_NOOP("WarningsModel", "Status"),
        QT_TRANSLATE_NOOP("WarningsModel", "Current step"),
        QT_TRANSLATE_NOOP("WarningsModel", "Responsible unit"),
        QT_TRANSLATE_NOOP("WarningsModel", "Deadline"),
        QT_TRANSLATE_NOOP("WarningsModel", "Overdue / left"),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.now = datetime.now(UTC)
        self.names: dict[str, str] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    def show_rows(self, rows: list[WarningRow], now: datetime, names: dict[str, str]) -> None:
        self.now = now
        self.names = names
        self.set_rows(rows)

    def cell(self, r: WarningRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.DUE:
                return self._deadlines(r)
            return self._display(r, column)
        if role == Qt.ItemDataRole.ForegroundRole and column in (self.KIND, self.LEFT):
            return QBrush(QColor(COLOURS.get(r.kind, RED)))
        if role == Qt.ItemDataRole.FontRole and column == self.KIND:
            return self._bold
        if role == Qt.ItemDataRole.UserRole:
            return r.case_id
        return None

    def _display(self, r: WarningRow, column: int) -> str | None:
        if column == self.KIND:
            return KINDS.get(r.kind, r.kind)
        if column == self.CASE_NO:
            return r.case_no
        if column == self.TITLE:
            return r.title
        if column == self.APPLICANT:
            return r.applicant
        if column == self.STATUS:
            return STATUSES.get(r.status, r.status)
        if column == self.STEP:
            return STEPS.get(r.step, r.step)
        if column == self.UNIT:
            return self.names.get(r.unit_code, r.unit_code) if r.unit_code else "—"
        if column == self.DUE:
            at = deadline_of(r)
            return at.astimezone(SHANGHAI).strftime("%Y-%m-%d") if at is not None else ""
        if column == self.LEFT:
            return self.distance(r)
        return None

    def distance(self, row: WarningRow) -> str:
        """超期 3 天 / 剩余 5 小时: how far past (or before) its deadline the case is."""
        at = deadline_of(row)
        if at is None:
            return ""
        seconds = (self.now - at).total_seconds()
        hours = int(abs(seconds)) // 3600
        days = hours // 24
        if seconds > 0:
            if days:
                return self.tr("%n day(s) overdue", "", days)
            if hours:
                return self.tr("%n hour(s) overdue", "", hours)
            return self.tr("just overdue")
        if days:
            return self.tr("%n day(s) left", "", days)
        if hours:
            return self.tr("%n hour(s) left", "", hours)
        return self.tr("less than an hour left")

    def _deadlines(self, r: WarningRow) -> str:
        lines = []
        if r.due_at is not None:
            lines.append(
                self.tr("Step deadline: %1").replace(
                    "%1", r.due_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
                )
            )
        if r.feedback_due_at is not None:
            lines.append(
                self.tr("Feedback deadline: %1").replace(
                    "%1", r.feedback_due_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
                )
            )
        return "\n".join(lines)


class WarningsPage(QWidget):
    """The 预警 area: filter buttons with counts above the list of warned cases."""

    #: A row was opened (double-click or Enter): the case's id.
    case_requested = Signal(object)
    #: A listing arrived and is shown: how many rows.
    loaded = Signal(int)

    def __init__(
        self,
        desk: Desk,
        actor: Actor,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        interval_ms: int = INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.actor = actor
        self.runner = runner
        self.clock = clock
        self.kinds: tuple[str, ...] = warnings.ORDER
        self.counts: dict[str, int] = {k: 0 for k in warnings.ORDER}
        self._names: dict[str, str] | None = None
        self._request = 0

        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        self.filter_buttons: dict[str, QPushButton] = {}
        filters = QHBoxLayout()
        filters.setSpacing(6)
        for key in ("all", *warnings.ORDER):
            button = QPushButton()
            button.setObjectName(f"filter_{key}")
            button.setCheckable(True)
            button.setAutoDefault(False)
            if key in COLOURS:
                button.setStyleSheet(f"QPushButton {{ color: {COLOURS[key]}; }}")
            self.filter_group.addButton(button)
            self.filter_buttons[key] = button
            filters.addWidget(button)
            button.clicked.connect(lambda _checked=False, k=key: self.set_filter(k))
        self.filter_buttons["all"].setChecked(True)
        filters.addStretch(1)
        self.updated_label = QLabel()
        self.updated_label.setObjectName("warnings_updated")
        filters.addWidget(self.updated_label)
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.setObjectName("warnings_refresh")
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.clicked.connect(self.refresh)
        filters.addWidget(self.refresh_button)

        self.model = WarningsModel(self)
        self.table = QTableView()
        self.table.setObjectName("warnings_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(WarningsModel.TITLE, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._open_row)

        self.summary = QLabel()
        self.summary.setObjectName("warnings_summary")
        self.summary.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)

        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.refresh)
        self._show_counts()

    # --- when to read -----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()  # the status bar's badge keeps counting meanwhile
        super().hideEvent(event)

    def set_filter(self, key: str) -> None:
        """Show one kind ("no_feedback", "overdue", "near_due") or "all"."""
        self.filter_buttons[key].setChecked(True)
        kinds = warnings.ORDER if key == "all" else (key,)
        if kinds != self.kinds:
            self.kinds = kinds
            self.refresh()

    def refresh(self) -> None:
        """Read the counts and the list again (in the background; the newest answer wins)."""
        self._request += 1
        request = self._request
        db, now, kinds, names = self.desk.db, self.clock(), self.kinds, self._names is None
        self.runner.run(
            lambda: load(db, now, kinds, names),
            lambda result: self._loaded(request, result),
            lambda exc: self._failed(request, exc),
        )

    def counts_seen(self, counts: dict[str, int]) -> None:
        """The status bar counted differently (a case moved on): read again if on show."""
        if self.isVisible() and counts != self.counts:
            self.refresh()

    # --- showing ----------------------------------------------------------------------------

    def _loaded(self, request: int, result: Loaded) -> None:
        if request != self._request:
            return  # an older answer overtaken by a newer request
        if result.names is not None:
            self._names = result.names
        current = self.table.currentIndex()
        keep = self.model.row_at(current.row()).case_id if current.isValid() else None
        self.counts = result.counts
        self.model.show_rows(result.rows, result.now, self._names or {})
        self._show_counts()
        self.updated_label.setText(
            self.tr("Updated %1").replace("%1", result.now.astimezone(SHANGHAI).strftime("%H:%M"))
        )
        row = next((i for i, r in enumerate(result.rows) if r.case_id == keep), -1)
        if row >= 0:
            self.table.selectRow(row)
        self._show_summary(len(result.rows))
        self.loaded.emit(len(result.rows))

    def _failed(self, request: int, exc: DeskError) -> None:
        if request != self._request:
            return
        self.summary.setStyleSheet(ERROR_STYLE)
        self.summary.setText(exc.message)

    def _show_counts(self) -> None:
        total = sum(self.counts.values())
        self.filter_buttons["all"].setText(self.tr("All (%1)").replace("%1", str(total)))
        for key in warnings.ORDER:
            self.filter_buttons[key].setText(f"{KINDS[key]}（{self.counts[key]}）")

    def _show_summary(self, shown: int) -> None:
        self.summary.setStyleSheet("")
        in_filter = sum(self.counts[k] for k in self.kinds)
        if in_filter == 0:
            self.summary.setText(
                self.tr("No warnings: every open matter is within its deadline.")
                if self.kinds == warnings.ORDER
                else self.tr("No cases with this warning.")
            )
        elif shown < in_filter:
            self.summary.setText(
                self.tr("The %1 most urgent of %2 cases are shown.")
                .replace("%1", str(shown))
                .replace("%2", str(in_filter))
            )
        else:
            self.summary.setText(
                self.tr(
                    "%n case(s). Double-click a row or press Enter to open the case.", "", shown
                )
            )

    def _open_row(self, index: QModelIndex) -> None:
        if index.isValid():
            case_id: uuid.UUID = self.model.row_at(index.row()).case_id
            self.case_requested.emit(case_id)
