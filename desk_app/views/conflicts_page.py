"""Conflict review (同步冲突): open conflicts and settling them.

A list of the conflicts the center found in this desk's scope (case, field, the
value at the desk that made the change and the central value, who and when on
each side) and, for the selected one, a choice: keep the desk's value, keep the
central value, or type a merged one. Settling runs in the background
(`services.conflicts.resolve`); the list reloads after it and whenever sync
brings changes (`reload`).
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.services import conflicts
from desk_app.services.conflicts import ConflictView
from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError, ValidationError
from desk_app.services.numbering import SHANGHAI
from desk_app.services.roles import Actor, Role
from desk_app.views.widgets.form import ERROR_STYLE, FieldErrors
from desk_app.views.widgets.table import RowsTableModel
from desk_app.workers.tasks import TaskRunner


def _when(at: Any) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if at is not None else ""


class ConflictsModel(RowsTableModel[ConflictView]):
    CASE_NO, FIELD, DESK, CENTRAL, RAISED = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("ConflictsModel", "Case number"),
        QT_TRANSLATE_NOOP("ConflictsModel", "What"),
        QT_TRANSLATE_NOOP("ConflictsModel", "Value at the desk"),
        QT_TRANSLATE_NOOP("ConflictsModel", "Central value"),
        QT_TRANSLATE_NOOP("ConflictsModel", "Found at"),
    )

    def cell(self, r: ConflictView, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return {
                self.CASE_NO: r.case_no or r.entity,
                self.FIELD: f"{r.field_label}（{r.kind_label}）",
                self.DESK: r.desk_text,
                self.CENTRAL: r.central_text,
                self.RAISED: _when(r.created_at),
            }.get(column)
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        return None


class ConflictsPage(QWidget):
    """The review screen; officers and administrators may settle, others only look."""

    #: Emitted after a conflict was settled here (the status bar's count changes).
    resolved = Signal(object)  # conflict id
    loaded = Signal(int)  # how many are open

    def __init__(
        self, desk: Desk, actor: Actor, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.actor = actor
        self.runner = runner
        self.may_settle = actor.has(Role.ADMIN, Role.OFFICER)

        self.summary = QLabel()
        self.model = ConflictsModel(self)
        self.table = QTableView()
        self.table.setObjectName("conflicts_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ConflictsModel.FIELD, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._show_current)

        self.detail = QGroupBox(self.tr("Settle the selected conflict"))
        form = QFormLayout(self.detail)
        self.case_label = QLabel()
        self.what_label = QLabel()
        self.what_label.setWordWrap(True)
        self.keep_desk = QRadioButton()
        self.keep_desk.setObjectName("keep_desk")
        self.keep_central = QRadioButton()
        self.keep_central.setObjectName("keep_central")
        self.keep_merged = QRadioButton(self.tr("Type a merged value:"))
        self.keep_merged.setObjectName("keep_merged")
        self.choice = QButtonGroup(self)
        for button in (self.keep_desk, self.keep_central, self.keep_merged):
            self.choice.addButton(button)
        self.merged = QPlainTextEdit()
        self.merged.setObjectName("merged")
        self.merged.setFixedHeight(70)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText(self.tr("e.g. confirmed with both parties by phone"))
        form.addRow(self.tr("Case"), self.case_label)
        form.addRow(self.tr("Conflict"), self.what_label)
        form.addRow(self.tr("Keep"), self.keep_desk)
        form.addRow("", self.keep_central)
        form.addRow("", self.keep_merged)
        self.errors = FieldErrors(form)
        self.errors.add_row("merged", "", self.merged)
        form.addRow(self.tr("Reason"), self.note)
        self.message = QLabel()
        self.message.setObjectName("conflict_message")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        form.addRow(self.message)
        self.settle_button = QPushButton(self.tr("&Settle"))
        self.settle_button.setObjectName("settle")
        self.settle_button.clicked.connect(self.settle)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.settle_button)
        form.addRow(buttons)
        self.keep_merged.toggled.connect(self.merged.setEnabled)

        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.summary)
        top_layout.addWidget(self.table)
        split.addWidget(top)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self._show_current()

    # --- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        self.runner.run(lambda: conflicts.open_conflicts(self.desk.db), self._loaded)

    def _loaded(self, rows: list[ConflictView]) -> None:
        current = self._current()
        keep = current.id if current is not None else None
        self.model.set_rows(rows)
        if rows:
            self.summary.setText(self.tr("%n open conflict(s).", "", len(rows)))
        else:
            self.summary.setText(self.tr("No open conflicts: every change reached the center."))
        row = next((i for i, r in enumerate(rows) if r.id == keep), 0 if rows else -1)
        if row >= 0:
            self.table.selectRow(row)
        self._show_current()
        self.loaded.emit(len(rows))

    # --- the selected one ----------------------------------------------------------------

    def _current(self) -> ConflictView | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.row_at(index.row())

    def _show_current(self, *_args: object) -> None:
        current = self._current()
        self.message.clear()
        self.errors.clear()
        self.detail.setEnabled(current is not None and self.may_settle)
        if current is None:
            self.case_label.clear()
            self.what_label.clear()
            self.keep_desk.setText(self.tr("The desk's value"))
            self.keep_central.setText(self.tr("The central value"))
            return
        self.case_label.setText(current.case_no or current.entity)
        self.what_label.setText(f"{current.field_label}：{current.kind_label}")
        self.keep_desk.setText(
            self.tr("Desk %1's value: %2 (%3, %4)")
            .replace("%1", current.desk_code)
            .replace("%2", current.desk_text)
            .replace("%3", current.desk_user)
            .replace("%4", _when(current.desk_at))
        )
        central_who = ", ".join(x for x in (current.central_user, _when(current.central_at)) if x)
        self.keep_central.setText(
            self.tr("Central value: %1 (%2)")
            .replace("%1", current.central_text)
            .replace("%2", central_who or self.tr("unknown"))
        )
        choosable = current.can_choose
        self.keep_desk.setEnabled(choosable)
        merge = choosable and all(
            isinstance(v, str | None) for v in (current.desk_value, current.central_value)
        )
        self.keep_merged.setEnabled(merge)
        self.keep_central.setChecked(True)
        self.merged.setPlainText(current.desk_text if merge else "")
        self.merged.setEnabled(False)
        self.note.clear()
        if not choosable:
            self.keep_central.setText(
                self.tr("Acknowledge: the center keeps its record (%1)").replace(
                    "%1", current.central_text
                )
            )

    # --- settling ------------------------------------------------------------------------

    def settle(self) -> None:
        current = self._current()
        if current is None or not self.may_settle:
            return
        keep = (
            "desk"
            if self.keep_desk.isChecked()
            else "merged"
            if self.keep_merged.isChecked()
            else "central"
        )
        merged = self.merged.toPlainText()
        note = self.note.text()
        self.message.clear()
        self.errors.clear()
        self.settle_button.setEnabled(False)
        conflict_id: uuid.UUID = current.id
        self.runner.run(
            lambda: conflicts.resolve(
                self.desk, self.actor, conflict_id, keep, merged=merged, note=note
            ),
            lambda _result: self._settled(conflict_id),
            self._failed,
        )

    def _settled(self, conflict_id: uuid.UUID) -> None:
        self.settle_button.setEnabled(True)
        self.resolved.emit(conflict_id)
        self.reload()

    def _failed(self, exc: DeskError) -> None:
        self.settle_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.message.setText("\n".join(self.errors.show(exc.fields)))
        else:
            self.message.setText(exc.message)
