"""Dialogs on a registered case: correct it (the intake form in correction mode), or void it."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.services import cases
from desk_app.services.cases import CaseRef
from desk_app.services.desk import Desk
from desk_app.services.roles import Actor
from desk_app.views.intake.form import IntakeForm
from desk_app.views.widgets.form import ServiceDialog
from desk_app.workers.tasks import TaskRunner


class CorrectionDialog(QDialog):
    """Correct a registered case: its form, a required reason, Save correction.

    Sized for a 1366x768 screen; closes when the correction is saved. `case_no`, when
    the caller knows it, goes into the window title.
    """

    case_corrected = Signal(object)  # CaseRef

    def __init__(
        self,
        desk: Desk,
        actor: Actor,
        runner: TaskRunner,
        case_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        case_no: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            self.tr("Correct case %1").replace("%1", case_no)
            if case_no
            else self.tr("Correct a registered case")
        )
        self.form = IntakeForm(desk, actor, runner)
        self.form.case_corrected.connect(self._corrected)
        self.form.cancel_requested.connect(self.reject)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.form.button_row.insertWidget(1, self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        screen = self.screen() or QApplication.primaryScreen()
        available = screen.availableGeometry()
        self.resize(min(1300, available.width() - 40), min(720, available.height() - 40))
        self.form.load_for_correction(case_id)

    def _corrected(self, ref: CaseRef) -> None:
        self.case_corrected.emit(ref)
        self.accept()

    def reject(self) -> None:
        if self.form.composing or self.form.busy:  # Esc belongs to the input method then
            return
        if self.form.is_dirty():
            answer = QMessageBox.question(
                self,
                self.tr("Discard the correction"),
                self.tr("Close without saving your changes to this case?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()


class VoidDialog(ServiceDialog):
    """Void a case registered by mistake (作废): a required reason, kept with the case.

    Emits `case_voided(case_id)` and closes when the case is voided.
    """

    case_voided = Signal(object)  # the case id

    def __init__(
        self,
        desk: Desk,
        actor: Actor,
        runner: TaskRunner,
        case_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        case_no: str = "",
    ) -> None:
        super().__init__(
            runner, lambda reason: cases.void_case(desk, actor, case_id, reason), parent
        )
        self.case_id = case_id
        self.setWindowTitle(
            self.tr("Void case %1").replace("%1", case_no) if case_no else self.tr("Void case")
        )
        self.intro(
            self.tr(
                "A voided case is never deleted: it stays on record with the reason, "
                "and can no longer be changed."
            ),
            "note",
        )
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.reason.fontMetrics().lineSpacing() * 4 + 12)
        self.errors.add_row("reason", self.tr("&Reason for voiding"), self.reason)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("&Void case"))
        self.resize(520, self.sizeHint().height())

    def collect(self) -> str:
        return self.reason.toPlainText()

    def _done(self, result: Any) -> None:
        self.case_voided.emit(self.case_id)
        super()._done(result)
