"""The login dialog.

It knows nothing of desks or databases: it is handed `authenticate(username,
password) -> Actor`, which runs on a worker thread. That keeps the dialog's
module light, so it paints before the database layer has even been imported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.services.errors import DeskError
from desk_app.views.widgets.form import ERROR_STYLE
from desk_app.workers.tasks import TaskRunner


class LoginDialog(QDialog):
    logged_in = Signal(object)  # Actor

    def __init__(
        self,
        runner: TaskRunner,
        authenticate: Callable[[str, str], Any],
        last_user: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self._authenticate = authenticate
        self.setWindowTitle(self.tr("Front Desk: log in"))
        self.setMinimumWidth(380)

        self.title = QLabel(self.tr("Front Desk"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("login_subtitle")
        self.username = QLineEdit(last_user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        user_label = QLabel(self.tr("&User name"))
        user_label.setBuddy(self.username)
        password_label = QLabel(self.tr("&Password"))
        password_label.setBuddy(self.password)
        form.addRow(user_label, self.username)
        form.addRow(password_label, self.password)
        self.message = QLabel()
        self.message.setObjectName("login_message")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        # Plain buttons: a QDialogButtonBox loads its icon theme, which costs the first
        # paint ~15 ms.
        self.login_button = QPushButton(self.tr("Log in"))
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self.submit)
        quit_button = QPushButton(self.tr("Quit"))
        quit_button.clicked.connect(self.reject)
        self.buttons = QWidget()
        row = QHBoxLayout(self.buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        row.addWidget(self.login_button)
        row.addWidget(quit_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        (self.password if last_user else self.username).setFocus()

    def show_desk(self, center_name: str, desk_code: str) -> None:
        """Name the center and desk once the database is open."""
        self.subtitle.setText(
            self.tr("%1 · desk %2").replace("%1", center_name).replace("%2", desk_code)
        )

    def submit(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.message.setText(self.tr("Enter your user name and password"))
            return
        self.message.setText(self.tr("Checking…"))
        self.buttons.setEnabled(False)
        self.runner.run(lambda: self._authenticate(username, password), self._done, self._failed)

    def _done(self, actor: Any) -> None:
        self.message.clear()
        self.logged_in.emit(actor)
        self.accept()

    def _failed(self, exc: DeskError) -> None:
        self.buttons.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        self.message.setText(exc.message)
