"""设置: language, backups, the user's own password and (administrators) user accounts and
the central connection."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.services import backup, users
from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError
from desk_app.services.roles import Actor, Role
from desk_app.services.settings import BACKUP_ENABLED, BACKUP_KEEP, LANGUAGE, SYNC_URL
from desk_app.views.users import PasswordDialog, UserDialog, UsersModel
from desk_app.workers.tasks import TaskRunner

LANGUAGE_NAMES = {"zh_CN": "中文（简体）", "en": "English"}


class SettingsPage(QWidget):
    changed = Signal()
    # An administrator enrolled the desk or changed its central connection.
    central_changed = Signal()

    def __init__(
        self, desk: Desk, actor: Actor, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.actor = actor
        self.runner = runner
        layout = QVBoxLayout(self)
        layout.addWidget(self._general_box())
        layout.addWidget(self._backup_box())
        layout.addWidget(self._central_box())
        is_admin = actor.has(Role.ADMIN)
        layout.addWidget(self._users_box(), 1 if is_admin else 0)
        if not is_admin:
            layout.addStretch(1)

    # --- general -------------------------------------------------------------

    def _general_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("General"))
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.language = QComboBox()
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(
            max(0, self.language.findData(self.desk.settings.get(LANGUAGE)))
        )
        self.language.currentIndexChanged.connect(self._language_changed)
        label = QLabel(self.tr("&Language"))
        label.setBuddy(self.language)
        note = QLabel(self.tr("Takes effect at the next start."))
        row = QHBoxLayout()
        row.addWidget(self.language)
        row.addWidget(note, 1)
        form.addRow(label, row)
        info = self.desk.identity
        form.addRow(self.tr("Center"), QLabel(f"{info.center_name}（{info.short_name}）"))
        form.addRow(self.tr("Desk code"), QLabel(info.desk_code))
        form.addRow(self.tr("Data folder"), QLabel(str(self.desk.dirs.root)))
        own = QPushButton(self.tr("Change my &password…"))
        own.clicked.connect(lambda: self.change_own_password())
        own.setEnabled(not self.actor.is_system)
        form.addRow("", own)
        return box

    def _language_changed(self) -> None:
        self.desk.settings.set(LANGUAGE, str(self.language.currentData()))

    def change_own_password(self, reason: str = "") -> None:
        def action(data: tuple[str, str]) -> None:
            with self.desk.uow(self.actor) as uow:
                users.change_own_password(uow, *data)

        dialog = PasswordDialog(
            self.runner, action, self.tr("Change my password"), ask_old=True, parent=self
        )
        dialog.message.setText(reason)
        dialog.exec()

    # --- backups -------------------------------------------------------------

    def _backup_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Backups"))
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.daily = QCheckBox(self.tr("Back up the database every day"))
        self.daily.setChecked(self.desk.settings.get(BACKUP_ENABLED))
        self.daily.toggled.connect(lambda on: self.desk.settings.set(BACKUP_ENABLED, bool(on)))
        self.keep = QSpinBox()
        self.keep.setRange(1, 365)
        self.keep.setValue(self.desk.settings.get(BACKUP_KEEP))
        self.keep.valueChanged.connect(lambda n: self.desk.settings.set(BACKUP_KEEP, int(n)))
        keep_label = QLabel(self.tr("Copies to &keep"))
        keep_label.setBuddy(self.keep)
        self.backup_button = QPushButton(self.tr("&Back up now"))
        self.backup_button.clicked.connect(self._backup_now)
        self.backup_status = QLabel()
        self.backup_status.setWordWrap(True)
        form.addRow("", self.daily)
        form.addRow(keep_label, self.keep)
        row = QHBoxLayout()
        row.addWidget(self.backup_button)
        row.addWidget(self.backup_status, 1)
        form.addRow("", row)
        return box

    def _backup_now(self) -> None:
        self.backup_button.setEnabled(False)
        self.backup_status.setText(self.tr("Backing up…"))

        def done(path: Any) -> None:
            self.backup_button.setEnabled(True)
            self.backup_status.setText(self.tr("Saved to %1").replace("%1", str(path)))

        def failed(exc: DeskError) -> None:
            self.backup_button.setEnabled(True)
            self.backup_status.setText(exc.message)

        self.runner.run(lambda: backup.backup_now(self.desk.dirs), done, failed)

    # --- central connection ----------------------------------------------------

    def _central_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Central connection"))
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.central_address = QLabel()
        self.central_address.setObjectName("central_address")
        self.central_scope = QLabel()
        form.addRow(self.tr("Central database"), self.central_address)
        form.addRow(self.tr("Scope"), self.central_scope)
        if self.actor.has(Role.ADMIN):
            self.central_button: QPushButton | None = QPushButton(self.tr("Connection &settings…"))
            self.central_button.setObjectName("central_settings")
            self.central_button.clicked.connect(self.open_central_dialog)
            form.addRow("", self.central_button)
        else:
            self.central_button = None
            form.addRow(
                "", QLabel(self.tr("Only an administrator can change the central connection."))
            )
        self._show_central()
        return box

    def _show_central(self) -> None:
        # Imported here: it brings the central schema and the keyring, which the main
        # window's first paint does not need.
        from desk_app.services import central_link

        conn = central_link.from_url(self.desk.settings.get(SYNC_URL))
        if not conn.host:
            self.central_address.setText(self.tr("Not connected"))
        else:
            tls = {
                "prefer": self.tr("encrypted when offered"),
                "disable": self.tr("not encrypted"),
                "require": self.tr("encrypted"),
                "verify-full": self.tr("encrypted, certificate verified"),
            }[conn.tls_mode]
            self.central_address.setText(
                f"{conn.user}@{conn.host}:{conn.port}/{conn.database}（{tls}）"
            )
        self.central_scope.setText(central_link.current_scope(self.desk) or "—")

    def open_central_dialog(self) -> QDialog:
        from desk_app import __version__
        from desk_app.views.central_connection import CentralConnectionDialog

        dialog = CentralConnectionDialog(self.desk, self.actor, self.runner, __version__, self)
        dialog.enrolled.connect(self._show_central)
        dialog.enrolled.connect(self.central_changed.emit)
        self.central_dialog = dialog
        dialog.open()
        return dialog

    # --- users ---------------------------------------------------------------

    def _users_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Users"))
        column = QVBoxLayout(box)
        if not self.actor.has(Role.ADMIN):
            column.addWidget(QLabel(self.tr("Only an administrator can manage user accounts.")))
            self.users_view = None
            return box
        self.users_model = UsersModel(self)
        self.users_view = QTableView()
        self.users_view.setModel(self.users_model)
        self.users_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.users_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.users_view.verticalHeader().hide()
        self.users_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        buttons = QHBoxLayout()
        add = QPushButton(self.tr("&Add user…"))
        add.clicked.connect(self._add_user)
        self.toggle_button = QPushButton(self.tr("&Disable or enable"))
        self.toggle_button.clicked.connect(self._toggle_user)
        reset = QPushButton(self.tr("&Reset password…"))
        reset.clicked.connect(self._reset_password)
        for button in (add, self.toggle_button, reset):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column.addWidget(self.users_view)
        column.addLayout(buttons)
        self.reload_users()
        return box

    def reload_users(self) -> None:
        if self.users_view is not None:
            self.runner.run(lambda: users.list_users(self.desk.db), self.users_model.set_rows)

    def _selected(self) -> users.UserView | None:
        assert self.users_view is not None
        rows = self.users_view.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, self.tr("Users"), self.tr("Select a user first."))
            return None
        return self.users_model.row_at(rows[0].row())

    def _add_user(self) -> None:
        def action(data: tuple[str, str, frozenset[Role], str]) -> None:
            username, full_name, roles, password = data
            with self.desk.uow(self.actor) as uow:
                users.add_user(uow, users.UserInput(username, full_name, password, roles))

        if UserDialog(self.runner, action, self).exec():
            self.reload_users()
            self.changed.emit()

    def _toggle_user(self) -> None:
        user = self._selected()
        if user is None:
            return

        def failed(exc: DeskError) -> None:
            QMessageBox.warning(self, self.tr("Users"), exc.message)

        def action() -> None:
            with self.desk.uow(self.actor) as uow:
                users.set_active(uow, user.id, not user.active)

        self.runner.run(action, lambda _r: self.reload_users(), failed)

    def _reset_password(self) -> None:
        user = self._selected()
        if user is None:
            return

        def action(data: tuple[str, str]) -> None:
            with self.desk.uow(self.actor) as uow:
                users.reset_password(uow, user.id, data[1])

        title = self.tr("Reset password of %1").replace("%1", user.full_name)
        if PasswordDialog(self.runner, action, title, ask_old=False, parent=self).exec():
            QMessageBox.information(
                self,
                self.tr("Users"),
                self.tr("Password reset. The user must change it at the next login."),
            )
