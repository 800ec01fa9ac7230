"""The lock screen (Ctrl+L): hides the work without closing or losing any of it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desk_app.services.errors import DeskError
from desk_app.views.widgets.form import ERROR_STYLE
from desk_app.workers.tasks import TaskRunner


class LockPage(QWidget):
    unlocked = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        display_name: str,
        check_password: Callable[[str], Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self._check = check_password
        title = QLabel(self.tr("Screen locked"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        who = QLabel(
            self.tr("In use by %1. Enter the password to go on.").replace("%1", display_name)
        )
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaximumWidth(280)
        self.password.returnPressed.connect(self.submit)
        self.button = QPushButton(self.tr("&Unlock"))
        self.button.clicked.connect(self.submit)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (title, who, self.password, self.button, self.message):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def reset(self) -> None:
        self.password.clear()
        self.message.clear()
        self.button.setEnabled(True)
        self.password.setFocus()

    def submit(self) -> None:
        password = self.password.text()
        if not password:
            return
        self.button.setEnabled(False)
        self.runner.run(lambda: self._check(password), self._done, self._failed)

    def _done(self, _result: object) -> None:
        self.reset()
        self.unlocked.emit()

    def _failed(self, exc: DeskError) -> None:
        self.button.setEnabled(True)
        self.password.clear()
        self.message.setText(exc.message)
