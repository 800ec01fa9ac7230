"""The first-start dialog: the center, this desk's code and the first administrator.

Like the login dialog it is handed the service call, `initialise(fields) ->
Actor`, which runs on a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit, QWidget

from desk_app.views.widgets.form import ServiceDialog
from desk_app.workers.tasks import TaskRunner


class FirstRunDialog(ServiceDialog):
    initialised = Signal(object)  # Actor: the new administrator, logged in

    def __init__(
        self,
        runner: TaskRunner,
        initialise: Callable[[dict[str, str]], Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, initialise, parent)
        self.setWindowTitle(self.tr("Front Desk: first start"))
        self.setMinimumWidth(520)

        intro = QLabel(
            self.tr(
                "Set up this desk once. The desk code is given by the center's "
                "administrator; it is part of every case number printed here."
            )
        )
        intro.setWordWrap(True)
        layout = self.layout()
        assert layout is not None
        layout.insertWidget(0, intro)  # type: ignore[attr-defined]
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

        self.errors.add_row("center_name", self.tr("Center &name"), self.center)
        self.errors.add_row("short_name", self.tr("&Short name"), self.short_name)
        self.errors.add_row("desk_code", self.tr("&Desk code"), self.desk_code)
        self.errors.add_row("username", self.tr("Administrator &user name"), self.username)
        self.errors.add_row("full_name", self.tr("Administrator's &full name"), self.full_name)
        self.errors.add_row("password", self.tr("&Password"), self.password)
        self.errors.add_row("confirm", self.tr("&Confirm password"), self.confirm)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Finish setup"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Quit"))

    def collect(self) -> dict[str, str] | None:
        if self.password.text() != self.confirm.text():
            self.errors.show(
                {"confirm": self.tr("The two passwords differ: type the same one twice")}
            )
            return None
        return {
            "center_name": self.center.text(),
            "short_name": self.short_name.text(),
            "desk_code": self.desk_code.text(),
            "admin_username": self.username.text(),
            "admin_full_name": self.full_name.text(),
            "admin_password": self.password.text(),
        }

    def _done(self, actor: object) -> None:
        self.initialised.emit(actor)
        super()._done(actor)
