"""案件查询: find a case by number, ID number, phone or name, and read it whole.

One line to type in (Enter searches, Esc clears), the results newest first
(`CaseResultsModel`), and the open case below them (`CaseDetailView`). A single
result opens at once. The page re-emits the detail's `correct_requested` and
`void_requested`; after a correction or a void, call `refresh()`.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.services import search, workflow
from desk_app.services.cases import STATUSES
from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError
from desk_app.services.roles import Actor
from desk_app.services.search import CaseRow
from desk_app.views.case_detail import CaseDetailView, dimmed_brush, local_time
from desk_app.views.widgets.form import ERROR_STYLE
from desk_app.views.widgets.table import RowsTableModel
from desk_app.workers.tasks import TaskRunner

# At most this many results are shown (the newest); the status line says when there are more.
RESULT_LIMIT = 200


def kind_labels() -> dict[str, str]:
    """What a query was read as (`search.classify`), in the UI language."""
    return {
        "verify_code": QCoreApplication.translate("SearchPage", "verification code"),
        "case_no": QCoreApplication.translate("SearchPage", "case number"),
        "id_number": QCoreApplication.translate("SearchPage", "ID number"),
        "phone": QCoreApplication.translate("SearchPage", "phone"),
        "name": QCoreApplication.translate("SearchPage", "name"),
    }


class CaseResultsModel(RowsTableModel[CaseRow]):
    """Cases found, newest first; voided ones greyed and marked."""

    CASE_NO, RECEIVED, TITLE, APPLICANT, TYPE, PLACE, STATUS, MATCHED = range(8)
    HEADERS = (
        QT_TRANSLATE_NOOP("CaseResultsModel", "Case number"),
        QT_TRANSLATE_NOOP("CaseResultsModel", "Received at"),
        QT_TRANSLATE_NOOP("CaseResultsModel", "Matter"),
        QT_TRANSLATE_NOOP("CaseResultsModel", "Applicant"),
        QT_TRANSLATE_NOOP("CaseResultsModel", "Dispute type"),
        QT_TRANSLATE_NOOP("CaseResultsModel", "Place"),
        QT_TRANSLATE_NOOP("CaseResultsModel", "Status"),
        QT_TRANSLATE_NOOP("CaseResultsModel", "Matched"),
    )

    def row_of(self, case_id: uuid.UUID) -> int:
        """The row showing `case_id`, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.id == case_id), -1)

    def cell(self, r: CaseRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.TITLE, self.PLACE):
            return self._display(r, column)
        if role == Qt.ItemDataRole.ForegroundRole and r.voided:
            return dimmed_brush()
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        return None

    def _display(self, r: CaseRow, column: int) -> str | None:
        if column == self.CASE_NO:
            return r.case_no
        if column == self.RECEIVED:
            return local_time(r.received_at)
        if column == self.TITLE:
            return r.title
        if column == self.APPLICANT:
            return r.first_applicant
        if column == self.TYPE:
            return r.dispute_type
        if column == self.PLACE:
            return r.place
        if column == self.STATUS:
            return r.status_label + (self.tr(" (voided)") if r.voided else "")
        if column == self.MATCHED:
            return r.matched
        return None


class SearchPage(QWidget):
    """Case lookup: a query line, the results and the open case."""

    correct_requested = Signal(object)  # uuid.UUID of the case
    void_requested = Signal(object)  # uuid.UUID of the case
    receipt_requested = Signal(object)  # CaseRef of the case
    # A search has been answered and its rows are shown (their number).
    results_shown = Signal(int)

    def __init__(
        self, desk: Desk, actor: Actor, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.actor = actor
        self.runner = runner
        self._request = 0
        self._last_query = ""

        self.query = QLineEdit()
        self.query.setObjectName("query")
        self.query.setPlaceholderText(self.tr("Case number, ID number, phone or name"))
        self.query.setClearButtonEnabled(True)
        self.query.returnPressed.connect(lambda: self.search(self.query.text()))
        self.query.textEdited.connect(self._edited)
        self.query.installEventFilter(self)  # Esc clears it
        label = QLabel(self.tr("&Find"))
        label.setBuddy(self.query)
        self.search_button = QPushButton(self.tr("&Search"))
        self.search_button.clicked.connect(lambda: self.search(self.query.text()))
        self.status = QLabel()
        self.status.setObjectName("search_status")

        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.query, 1)
        top.addWidget(self.search_button)

        self.model = CaseResultsModel(self)
        self.results = QTableView()
        self.results.setObjectName("results")
        self.results.setModel(self.model)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setWordWrap(False)
        self.results.verticalHeader().hide()
        header = self.results.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CaseResultsModel.TITLE, QHeaderView.ResizeMode.Stretch)
        self.results.activated.connect(self._open_row)

        self.detail = CaseDetailView(desk, runner, actor)
        self.detail.correct_requested.connect(self.correct_requested)
        self.detail.void_requested.connect(self.void_requested)
        self.detail.receipt_requested.connect(self.receipt_requested)
        self.detail.case_advanced.connect(self._advanced)

        results_box = QWidget()
        column = QVBoxLayout(results_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.results, 1)
        column.addWidget(self.status)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(results_box)
        self.splitter.addWidget(self.detail)
        # The open case needs the room: about six result rows stay visible at 1366x768.
        self.splitter.setSizes([270, 480])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self.setFocusProxy(self.query)

    # --- searching --------------------------------------------------------------------------

    def search(self, text: str) -> None:
        """Look `text` up on the runner; only the latest search's answer is shown."""
        if self.query.text() != text:
            self.query.setText(text)
        text = text.strip()
        self._request += 1
        if not text:
            self.model.set_rows([])
            self.status.clear()
            return
        request = self._request
        self._last_query = text
        kind = search.classify(text)
        self._set_status(self.tr("Searching by %1…").replace("%1", kind_labels()[kind]))
        db = self.desk.db
        self.runner.run(
            lambda: search.lookup(db, text, RESULT_LIMIT),
            lambda rows: self._show(request, kind, rows),
            lambda exc: self._failed(request, exc),
        )

    def refresh(self) -> None:
        """Run the last search again and re-read the open case (after a change)."""
        if self._last_query:
            self.search(self._last_query)
        self.detail.reload()

    def _advanced(self, outcome: workflow.Outcome) -> None:
        """A lifecycle step on the open case: its row shows the new status, in place (the
        list keeps its order and the user's place)."""
        row = self.model.row_of(outcome.case_id)
        if row < 0:
            return
        old = self.model.row_at(row)
        self.model.replace_row(
            row,
            replace(old, status=outcome.status, status_label=STATUSES.get(outcome.status, "")),
        )

    def _edited(self, _text: str) -> None:
        # The user is typing again: an answer still on its way is for an old query.
        self._request += 1
        self.status.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.query
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.query.text()
        ):
            self.query.clear()
            self._edited("")
            return True
        return super().eventFilter(watched, event)

    def _show(self, request: int, kind: str, rows: list[CaseRow]) -> None:
        if request != self._request:
            return
        self.model.set_rows(rows)
        n = len(rows)
        how = kind_labels()[kind]
        if n == 0:
            text = self.tr("No case found by %1.").replace("%1", how)
        elif n >= RESULT_LIMIT:
            text = self.tr(
                "The newest %n cases found by %1: narrow the search to see older ones.", "", n
            )
            text = text.replace("%1", how)
        else:
            text = self.tr("%n case(s) found by %1.", "", n).replace("%1", how)
        self._set_status(text)
        if n:
            self.results.setCurrentIndex(self.model.index(0, 0))
        if n == 1:
            self.open_case(rows[0].id)
        self.results_shown.emit(n)

    def _failed(self, request: int, exc: DeskError) -> None:
        if request != self._request:
            return
        self.model.set_rows([])
        self._set_status(exc.message, error=True)

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else "")

    # --- the open case ----------------------------------------------------------------------

    def _open_row(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_case(self.model.row_at(index.row()).id)

    def open_case(self, case_id: uuid.UUID) -> None:
        """Show the case below the results (read on the runner)."""
        self.detail.show_case(case_id)
