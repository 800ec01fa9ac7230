"""Unit assessment (单位考评): each responsible unit's figures over a period, and its records.

A period picker (this year, last year, this month, last month, or dates of
one's own), the units' table (`services.accountability`: most serious first;
sortable by any column, the 序号 column restoring that order; units with 挂牌督办,
通报 or 约谈 shaded), and under it the selected unit's supervision records,
returns and missed joint mediations. "Export PDF…" previews the printed table
(A4 landscape) to print or save. Every read and the PDF run on the task runner;
a double-click on a record asks for its case (`case_requested`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QDate,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPageLayout, QShowEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.services import accountability
from desk_app.services.accountability import UnitFigures, UnitRecord
from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError, ValidationError
from desk_app.services.numbering import SHANGHAI
from desk_app.services.roles import Actor
from desk_app.views.print_preview import PrintPreviewDialog
from desk_app.views.sync_status import RED
from desk_app.views.widgets.form import ERROR_STYLE
from desk_app.views.widgets.table import RowsTableModel
from desk_app.workers.tasks import TaskRunner

#: The sort key of a cell (numbers as numbers; "no average" before every average).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The background of a unit with 挂牌督办, 通报 or 约谈 in the period.
SERIOUS_BACKGROUND = "#fdecea"
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _day(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d")


class FiguresModel(RowsTableModel[UnitFigures]):
    """The units' table: one row per unit, in the service's order (most serious first)."""

    RANK, UNIT, DISPATCHED, OPEN, OVERDUE, RETURNED, LATE, HANDLED, AVG = range(9)
    URGE, SUPERVISE, LISTED, NOTICE, INTERVIEW, ABSENT = range(9, 15)
    HEADERS = (
        QT_TRANSLATE_NOOP("FiguresModel", "No."),
        QT_TRANSLATE_NOOP("FiguresModel", "Unit"),
        QT_TRANSLATE_NOOP("FiguresModel", "Dispatched"),
        QT_TRANSLATE_NOOP("FiguresModel", "Open now"),
        QT_TRANSLATE_NOOP("FiguresModel", "Overdue now"),
        QT_TRANSLATE_NOOP("FiguresModel", "Returned"),
        QT_TRANSLATE_NOOP("FiguresModel", "Signed late"),
        QT_TRANSLATE_NOOP("FiguresModel", "Fed back"),
        QT_TRANSLATE_NOOP("FiguresModel", "Avg. days"),
        QT_TRANSLATE_NOOP("FiguresModel", "Urged"),
        QT_TRANSLATE_NOOP("FiguresModel", "Supervised"),
        QT_TRANSLATE_NOOP("FiguresModel", "Listed"),
        QT_TRANSLATE_NOOP("FiguresModel", "Notified"),
        QT_TRANSLATE_NOOP("FiguresModel", "Interviewed"),
        QT_TRANSLATE_NOOP("FiguresModel", "Missed meetings"),
    )
    #: The supervision rung of each ladder column.
    LEVEL_OF: ClassVar[dict[int, str]] = {
        URGE: "urge",
        SUPERVISE: "supervise",
        LISTED: "listed",
        NOTICE: "notice",
        INTERVIEW: "interview",
    }

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bold = QFont()
        self._bold.setBold(True)
        self._rank: dict[str, int] = {}

    def set_rows(self, rows: Any) -> None:
        rows = list(rows)
        self._rank = {f.unit_code: i for i, f in enumerate(rows, start=1)}
        super().set_rows(rows)

    def value(self, f: UnitFigures, column: int) -> int | float | None:
        """The number in a column (None: no average, nothing fed back)."""
        if column in self.LEVEL_OF:
            return f.supervision(self.LEVEL_OF[column])
        return {
            self.RANK: self._rank.get(f.unit_code, 0),
            self.DISPATCHED: f.dispatched,
            self.OPEN: f.open_now,
            self.OVERDUE: f.overdue_now,
            self.RETURNED: f.returned,
            self.LATE: f.signed_late,
            self.HANDLED: f.handled,
            self.AVG: f.avg_handling_days,
            self.ABSENT: f.absent,
        }.get(column)

    def cell(self, f: UnitFigures, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.UNIT:
                return f.unit_name
            value = self.value(f, column)
            if column == self.AVG:
                return "—" if value is None else f"{value:.1f}"
            return str(value)
        if role == SORT_ROLE:
            if column == self.UNIT:
                return f.unit_name
            value = self.value(f, column)
            return -1.0 if value is None else float(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column not in (self.UNIT, self.RANK):
            return _RIGHT
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.RANK:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.BackgroundRole and f.serious:
            return QBrush(QColor(SERIOUS_BACKGROUND))
        if role == Qt.ItemDataRole.ForegroundRole and self._alarming(f, column):
            return QBrush(QColor(RED))
        if role == Qt.ItemDataRole.FontRole and (
            self._alarming(f, column) or (column == self.UNIT and f.serious)
        ):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(f, column)
        if role == Qt.ItemDataRole.UserRole:
            return f.unit_code
        return None

    def _alarming(self, f: UnitFigures, column: int) -> bool:
        """Overdue cases and the serious rungs are shown in red when there are any."""
        if column == self.OVERDUE:
            return f.overdue_now > 0
        if column in (self.LISTED, self.NOTICE, self.INTERVIEW):
            return f.supervision(self.LEVEL_OF[column]) > 0
        return False

    def _tip(self, f: UnitFigures, column: int) -> str | None:
        if column == self.UNIT:
            lines = [f.unit_name]
            if f.serious:
                lines.append(
                    self.tr("Listed supervision, public notice or interview in the period")
                )
            return "\n".join(lines)
        if column in (self.OPEN, self.OVERDUE):
            return self.tr("Counted now, not over the period")
        if column == self.AVG:
            return self.tr("Calendar days from dispatch to feedback, of the feedback in the period")
        if column == self.ABSENT:
            return (
                self.tr("Summoned to %1 joint mediation(s), missed %2")
                .replace("%1", str(f.summoned))
                .replace("%2", str(f.absent))
            )
        return None


class RecordsModel(RowsTableModel[UnitRecord]):
    """The selected unit's records in the period, oldest first."""

    DATE, KIND, CASE_NO, BY, MESSAGE, RESPONSE = range(6)
    HEADERS = (
        QT_TRANSLATE_NOOP("RecordsModel", "Date"),
        QT_TRANSLATE_NOOP("RecordsModel", "Record"),
        QT_TRANSLATE_NOOP("RecordsModel", "Case number"),
        QT_TRANSLATE_NOOP("RecordsModel", "By"),
        QT_TRANSLATE_NOOP("RecordsModel", "Content or reason"),
        QT_TRANSLATE_NOOP("RecordsModel", "Unit's response"),
    )

    def cell(self, r: UnitRecord, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._display(r, column)
        serious = r.kind in accountability.SERIOUS_LEVELS
        if role == Qt.ItemDataRole.ForegroundRole and column == self.KIND and serious:
            return QBrush(QColor(RED))
        if role == Qt.ItemDataRole.UserRole:
            return r.case_id
        return None

    def _display(self, r: UnitRecord, column: int) -> str | None:
        if column == self.DATE:
            return r.at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        if column == self.KIND:
            return r.label
        if column == self.CASE_NO:
            return r.case_no
        if column == self.BY:
            return r.by
        if column == self.MESSAGE:
            return r.message
        if column == self.RESPONSE:
            if r.kind not in accountability.SUPERVISION_LEVELS:
                return ""
            if not r.response:
                return self.tr("(no response yet)")
            when = f"（{_day(r.responded_at)}）" if r.responded_at is not None else ""
            return r.response + when
        return None


class LandscapePreview(PrintPreviewDialog):
    """The print preview of a landscape document: the printer is set up landscape too (the
    pages go to it as images scaled to the paper, so a portrait sheet would shrink them)."""

    def make_printer(self) -> QPrinter:
        printer = super().make_printer()
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        return printer


@dataclass(frozen=True)
class Period:
    """The chosen period: Shanghai dates, both included."""

    first: date
    last: date


class AccountabilityPage(QWidget):
    """The 单位考评 area."""

    #: A record was opened (double-click or Enter): its case's id.
    case_requested = Signal(object)
    #: The units' figures of a period arrived and are shown: how many units.
    loaded = Signal(int)
    #: The selected unit's records arrived and are shown: how many.
    records_loaded = Signal(int)
    #: The PDF preview was opened (the dialog).
    preview_opened = Signal(object)

    #: The period choices: a service preset, or "custom".
    CHOICES = (
        ("this_year", QT_TRANSLATE_NOOP("AccountabilityPage", "This year")),
        ("last_year", QT_TRANSLATE_NOOP("AccountabilityPage", "Last year")),
        ("this_month", QT_TRANSLATE_NOOP("AccountabilityPage", "This month")),
        ("last_month", QT_TRANSLATE_NOOP("AccountabilityPage", "Last month")),
        ("custom", QT_TRANSLATE_NOOP("AccountabilityPage", "Dates of my own")),
    )

    def __init__(
        self,
        desk: Desk,
        actor: Actor,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.actor = actor
        self.runner = runner
        self.clock = clock
        self.report: accountability.Report | None = None
        self.preview: QDialog | None = None
        self._request = 0
        self._records_request = 0
        self._loaded_once = False

        self.choice = QComboBox()
        self.choice.setObjectName("period_choice")
        for key, label in self.CHOICES:
            self.choice.addItem(self.tr(str(label)), key)
        self.first_edit = self._date_edit("period_first")
        self.last_edit = self._date_edit("period_last")
        self.period_error = QLabel()
        self.period_error.setObjectName("period_error")
        self.period_error.setStyleSheet(ERROR_STYLE)
        self.updated_label = QLabel()
        self.updated_label.setObjectName("accountability_updated")
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.setObjectName("accountability_refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton(self.tr("&Export PDF…"))
        self.export_button.setObjectName("accountability_export")
        self.export_button.setToolTip(
            self.tr("The assessment table of the period (A4 landscape), to print or save")
        )
        self.export_button.clicked.connect(self.export_pdf)
        for button in (self.refresh_button, self.export_button):
            button.setAutoDefault(False)
        self.export_button.setEnabled(False)  # until the figures of the period are shown

        period_label = QLabel(self.tr("&Period:"))
        period_label.setBuddy(self.choice)
        top = QHBoxLayout()
        top.addWidget(period_label)
        top.addWidget(self.choice)
        top.addWidget(self.first_edit)
        top.addWidget(QLabel("—"))
        top.addWidget(self.last_edit)
        top.addWidget(self.period_error)
        top.addStretch(1)
        top.addWidget(self.updated_label)
        top.addWidget(self.refresh_button)
        top.addWidget(self.export_button)

        self.model = FiguresModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = self._table("accountability_table", self.proxy)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FiguresModel.UNIT, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._unit_selected)

        self.records_title = QLabel()
        self.records_title.setObjectName("records_title")
        self.records = RecordsModel(self)
        self.records_table = self._table("records_table", self.records)
        records_header = self.records_table.horizontalHeader()
        records_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (RecordsModel.MESSAGE, RecordsModel.RESPONSE):
            records_header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.records_table.activated.connect(self._open_record)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.records_title)
        lower_layout.addWidget(self.records_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([3000, 2000])  # in that ratio, whatever the widgets' size hints

        self.summary = QLabel()
        self.summary.setObjectName("accountability_summary")
        self.summary.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.summary)

        # Typing a date fires on each field: read once the typing stops.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(400)
        self._refresh_timer.timeout.connect(self.refresh)
        self.choice.currentIndexChanged.connect(self._choice_changed)
        self._choice_changed()
        self._show_records_title(None)

    # --- building ---------------------------------------------------------------------------

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setDateRange(QDate(2000, 1, 1), QDate(2099, 12, 31))
        edit.dateChanged.connect(self._date_changed)
        return edit

    def _table(self, name: str, model: Any) -> QTableView:
        table = QTableView()
        table.setObjectName(name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        rows = table.verticalHeader()
        rows.hide()
        # A few hundred units: rows a line high (the style's default leaves much space).
        rows.setDefaultSectionSize(round(table.fontMetrics().height() * 1.5))
        table.horizontalHeader().setHighlightSections(False)
        return table

    # --- the period ---------------------------------------------------------------------------

    def today(self) -> date:
        return self.clock().astimezone(SHANGHAI).date()

    def period(self) -> Period:
        first: date = self.first_edit.date().toPython()  # type: ignore[assignment]
        last: date = self.last_edit.date().toPython()  # type: ignore[assignment]
        return Period(first, last)

    def set_choice(self, key: str) -> None:
        """Choose a preset period ("this_year" …) or "custom" dates."""
        self.choice.setCurrentIndex(self.choice.findData(key))

    def set_period(self, first: date, last: date) -> None:
        """Custom dates (both included), read at once."""
        self.choice.blockSignals(True)
        self.set_choice("custom")
        self.choice.blockSignals(False)
        self._set_dates(first, last, editable=True)
        self.refresh()

    def _set_dates(self, first: date, last: date, *, editable: bool) -> None:
        for edit, day in ((self.first_edit, first), (self.last_edit, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.setEnabled(editable)
            edit.blockSignals(False)

    def _choice_changed(self) -> None:
        key = self.choice.currentData()
        if key == "custom":
            self._set_dates(*self._dates(), editable=True)
        else:
            self._set_dates(*accountability.preset(key, self.today()), editable=False)
        if self._loaded_once:
            self.refresh()

    def _dates(self) -> tuple[date, date]:
        p = self.period()
        return p.first, p.last

    def _date_changed(self) -> None:
        self._refresh_timer.start()

    # --- reading ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded_once:
            self._loaded_once = True
            self.refresh()

    def refresh(self) -> None:
        """Read the figures of the chosen period again (in the background; newest wins)."""
        self._refresh_timer.stop()
        self._loaded_once = True
        if self.choice.currentData() != "custom":  # the day may have turned since
            self._set_dates(*accountability.preset(self.choice.currentData(), self.today()),
                            editable=False)  # fmt: skip
        period = self.period()
        try:
            since, until = accountability.bounds(period.first, period.last)
        except ValidationError as exc:
            self._request += 1  # an answer still on its way is for another period
            self.period_error.setText(exc.message)
            self.export_button.setEnabled(False)
            return
        self.period_error.clear()
        self.export_button.setEnabled(False)
        self._request += 1
        request = self._request
        desk, actor, now = self.desk, self.actor, self.clock()
        self.summary.setStyleSheet("")
        self.summary.setText(self.tr("Counting…"))
        self.runner.run(
            lambda: accountability.load_report(desk, actor, since, until, now),
            lambda report: self._loaded(request, report),
            lambda exc: self._failed(request, exc),
        )

    def _loaded(self, request: int, report: accountability.Report) -> None:
        if request != self._request:
            return  # overtaken by a newer period
        keep = self.selected_unit()
        self.report = report
        self.model.set_rows(report.figures)
        self.export_button.setEnabled(True)
        self.updated_label.setText(
            self.tr("Counted %1").replace("%1", report.now.astimezone(SHANGHAI).strftime("%H:%M"))
        )
        self._show_summary(report)
        self.loaded.emit(len(report.figures))
        row = next((i for i, f in enumerate(report.figures) if f.unit_code == keep), -1)
        if row >= 0:
            self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        else:
            self.records.set_rows([])
            self._show_records_title(None)

    def _failed(self, request: int, exc: DeskError) -> None:
        if request != self._request:
            return
        self.summary.setStyleSheet(ERROR_STYLE)
        self.summary.setText(exc.message)

    def _show_summary(self, report: accountability.Report) -> None:
        self.summary.setStyleSheet("")
        if not report.figures:
            self.summary.setText(
                self.tr(
                    "No unit had a dispatch, supervision or joint mediation in the period, "
                    "and none holds open cases."
                )
            )
            return
        total = report.total
        serious = sum(1 for f in report.figures if f.serious)
        self.summary.setText(
            self.tr(
                "%1: %n unit(s), %2 of them with listed supervision, public notices or "
                "interviews (shaded); %3 overdue case(s) now. Select a unit to see its records.",
                "",
                len(report.figures),
            )
            .replace("%1", report.period)
            .replace("%2", str(serious))
            .replace("%3", str(total.overdue_now))
        )

    # --- the selected unit ----------------------------------------------------------------------

    def selected_unit(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        code: str = self.proxy.data(index, Qt.ItemDataRole.UserRole)
        return code

    def select_unit(self, unit_code: str) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, FiguresModel.UNIT)
            if self.proxy.data(index, Qt.ItemDataRole.UserRole) == unit_code:
                self.table.selectRow(row)
                return
        raise KeyError(unit_code)

    def _unit_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        report = self.report
        if not current.isValid() or report is None:
            return
        source = self.proxy.mapToSource(current)
        figures = self.model.row_at(source.row())
        self._show_records_title(figures)
        self._records_request += 1
        request = self._records_request
        desk, actor, code = self.desk, self.actor, figures.unit_code
        since, until = report.since, report.until
        self.runner.run(
            lambda: accountability.load_records(desk, actor, code, since, until),
            lambda rows: self._records_arrived(request, rows),
            lambda exc: self._records_failed(request, exc),
        )

    def _records_arrived(self, request: int, rows: list[UnitRecord]) -> None:
        if request != self._records_request:
            return
        self.records.set_rows(rows)
        self.records_loaded.emit(len(rows))

    def _records_failed(self, request: int, exc: DeskError) -> None:
        if request != self._records_request:
            return
        self.records.set_rows([])
        self.records_title.setStyleSheet(ERROR_STYLE)
        self.records_title.setText(exc.message)

    def _show_records_title(self, figures: UnitFigures | None) -> None:
        self.records_title.setStyleSheet("")
        if figures is None:
            self.records_title.setText(
                self.tr("Select a unit to see its supervision records, returns and missed "
                        "joint mediations in the period.")
            )  # fmt: skip
            return
        self.records_title.setText(
            self.tr(
                "Supervision records, returns and missed joint mediations of %1 in the period"
            ).replace("%1", figures.unit_name)
        )

    def _open_record(self, index: QModelIndex) -> None:
        if index.isValid():
            case_id: uuid.UUID = self.records.row_at(index.row()).case_id
            self.case_requested.emit(case_id)

    # --- the PDF ----------------------------------------------------------------------------------

    def export_pdf(self) -> QDialog | None:
        """Preview the assessment table of the period shown, to print or save."""
        report = self.report
        if report is None:
            return None
        desk, actor = self.desk, self.actor
        since, until, now = report.since, report.until, report.now
        first, last = accountability.dates_of(since, until)

        def build() -> bytes:
            # Imported on the runner when first used: ReportLab is slow to import.
            from desk_app.services.printing.accountability import accountability_pdf

            return accountability_pdf(desk, actor, since, until, now)

        dialog = LandscapePreview(
            self.runner,
            build,
            self.tr("Unit assessment %1").replace("%1", report.period),
            f"责任单位考评情况统计表_{first:%Y%m%d}-{last:%Y%m%d}",
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.resize(1000, 720)
        self.preview = dialog
        dialog.open()
        self.preview_opened.emit(dialog)
        return dialog
