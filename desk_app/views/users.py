"""User administration: a table model of accounts and the dialogs to change them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    Qt,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

from desk_app.services.roles import ROLE_LABELS, Role
from desk_app.services.users import UserView
from desk_app.views.widgets.form import ServiceDialog
from desk_app.views.widgets.table import RowsTableModel
from desk_app.workers.tasks import TaskRunner


class UsersModel(RowsTableModel[UserView]):
    HEADERS = (
        QT_TRANSLATE_NOOP("UsersModel", "User name"),
        QT_TRANSLATE_NOOP("UsersModel", "Name"),
        QT_TRANSLATE_NOOP("UsersModel", "Roles"),
        QT_TRANSLATE_NOOP("UsersModel", "Status"),
    )

    def cell(self, user: UserView, column: int, role: int) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            return user.username
        if column == 1:
            return user.full_name
        if column == 2:
            return "、".join(ROLE_LABELS[r] for r in sorted(user.roles))
        return self.tr("Active") if user.active else self.tr("Disabled")


class RolesBox(QWidget):
    """One check box per role."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[Role, QCheckBox] = {}
        for role in Role:
            box = QCheckBox(ROLE_LABELS[role])
            self.boxes[role] = box
            row.addWidget(box)
        row.addStretch(1)

    def roles(self) -> frozenset[Role]:
        return frozenset(r for r, b in self.boxes.items() if b.isChecked())


class UserDialog(ServiceDialog):
    """Add an account: user name, name, roles and a first password."""

    def __init__(
        self, runner: TaskRunner, action: Callable[[Any], Any], parent: QWidget | None = None
    ) -> None:
        super().__init__(runner, action, parent)
        self.setWindowTitle(self.tr("Add user"))
        self.username = QLineEdit()
        self.full_name = QLineEdit()
        self.roles = RolesBox()
        self.roles.boxes[Role.CLERK].setChecked(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.errors.add_row("username", self.tr("&User name"), self.username)
        self.errors.add_row("full_name", self.tr("&Name"), self.full_name)
        self.errors.add_row("roles", self.tr("&Roles"), self.roles)
        self.errors.add_row("password", self.tr("First &password"), self.password)

    def collect(self) -> tuple[str, str, frozenset[Role], str]:
        return (
            self.username.text(),
            self.full_name.text(),
            self.roles.roles(),
            self.password.text(),
        )


class PasswordDialog(ServiceDialog):
    """Set a password: an administrator's reset, or a user's own change (with the old one).

    The action receives (old password, new password).
    """

    def __init__(
        self,
        runner: TaskRunner,
        action: Callable[[Any], Any],
        title: str,
        *,
        ask_old: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, action, parent)
        self.setWindowTitle(title)
        self.old = QLineEdit()
        self.new = QLineEdit()
        self.confirm = QLineEdit()
        for edit in (self.old, self.new, self.confirm):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        if ask_old:
            self.errors.add_row("old_password", self.tr("&Current password"), self.old)
        self.errors.add_row("new_password", self.tr("&New password"), self.new)
        self.errors.add_row("confirm", self.tr("&Confirm"), self.confirm)

    def collect(self) -> tuple[str, str] | None:
        if self.new.text() != self.confirm.text():
            self.errors.show(
                {"confirm": self.tr("The two passwords differ: type the same one twice")}
            )
            return None
        return self.old.text(), self.new.text()
