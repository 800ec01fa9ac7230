"""The first-start dialog: the center, this desk's code and the first administrator.

Like the login dialog it is handed the service call, `initialise(fields) ->
Actor`, which runs on a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desk_app.services.errors import DeskError, ValidationError
from desk_app.views.widgets.form import ERROR_STYLE, FieldErrors
from desk_app.workers.tasks import TaskRunner


class FirstRunDialog(QDialog):
    initialised = Signal(object)  # Actor: the new administrator, logged in

    def __init__(
        self,
        runner: TaskRunner,
        initialise: Callable[[dict[str, str]], Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self._initialise = initialise
        self.setWindowTitle(self.tr("Front Desk: first start"))
        self.setMinimumWidth(520)

        intro = QLabel(
            self.tr(
                "Set up this desk once. The desk code is given by the center's "
                "administrator; it is part of every case number printed here."
            )
        )
        intro.setWordWrap(True)
        self.center = QLineEdit()
        self.center.setPlaceholderText(self.tr("e.g. 景洪市综治中心"))
        self.short_name = QLineEdit()
        self.short_name.setPlaceholderText(self.tr("e.g. 景综 (left empty: derived from the name)"))
        self.desk_code = QLineEdit()
        self.desk_code.setPlaceholderText(self.tr("e.g. D03"))
        self.username = QLineEdit()
        self.username.setPlaceholderText(self.tr("e.g. admin"))
        self.full_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)

        form = QFormLayout()
        self.errors = FieldErrors(form)
        self.errors.add_row("center_name", self.tr("Center &name"), self.center)
        self.errors.add_row("short_name", self.tr("&Short name"), self.short_name)
        self.errors.add_row("desk_code", self.tr("&Desk code"), self.desk_code)
        self.errors.add_row("username", self.tr("Administrator &user name"), self.username)
        self.errors.add_row("full_name", self.tr("Administrator's &full name"), self.full_name)
        self.errors.add_row("password", self.tr("&Password"), self.password)
        self.errors.add_row("confirm", self.tr("&Confirm password"), self.confirm)

        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Finish setup"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Quit"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def data(self) -> dict[str, str]:
        return {
            "center_name": self.center.text(),
            "short_name": self.short_name.text(),
            "desk_code": self.desk_code.text(),
            "admin_username": self.username.text(),
            "admin_full_name": self.full_name.text(),
            "admin_password": self.password.text(),
        }

    def submit(self) -> None:
        self.message.clear()
        if self.password.text() != self.confirm.text():
            self.errors.show(
                {"confirm": self.tr("The two passwords differ: type the same one twice")}
            )
            return
        self.errors.clear()
        self.buttons.setEnabled(False)
        data = self.data()
        self.runner.run(lambda: self._initialise(data), self._done, self._failed)

    def _done(self, actor: Any) -> None:
        self.initialised.emit(actor)
        self.accept()

    def _failed(self, exc: DeskError) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.message.setText("\n".join(self.errors.show(exc.fields)))
        else:
            self.message.setText(exc.message)
