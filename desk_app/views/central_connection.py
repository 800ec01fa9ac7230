"""中心连接: the central database's address, TLS and password; a connection test; enrollment.

Administrators only (the settings page offers it to them; the services check again).
The test and the enrollment run on the task runner: they wait on the network.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk_app.services import central_link
from desk_app.services.central_link import Connection
from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError, ValidationError
from desk_app.services.roles import Actor
from desk_app.services.settings import SYNC_URL
from desk_app.services.sync.enroll import Enrolled
from desk_app.views.widgets.form import ERROR_STYLE, FieldErrors
from desk_app.workers.tasks import TaskRunner

OK_STYLE = "color: #2e7d32;"
NOTE_STYLE = "color: #b26a00;"
ENROLL_FIELDS = ("desk_code", "scope")


class CentralConnectionDialog(QDialog):
    # The desk was enrolled (its address, scope or password changed): sync reconnects.
    enrolled = Signal()
    # A connection test or an enrollment ended (for tests and the screenshots).
    finished_work = Signal()

    def __init__(
        self,
        desk: Desk,
        actor: Actor,
        runner: TaskRunner,
        app_version: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.actor = actor
        self.runner = runner
        self.app_version = app_version
        self.setWindowTitle(self.tr("Central connection"))
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "The center's PostgreSQL database, as its administrator gave it to you. "
                "The password is kept in the system's keyring, never in the settings file."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self._server_box())
        layout.addWidget(self._enroll_box())
        self.result_label = QLabel()
        self.result_label.setObjectName("central_result")
        self.result_label.setWordWrap(True)
        self.result_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.result_label.setMargin(6)
        self.result_label.hide()
        layout.addWidget(self.result_label)
        self.test_button = QPushButton(self.tr("&Test connection"))
        self.test_button.setObjectName("test_connection")
        self.test_button.clicked.connect(self.test_connection)
        self.enroll_button = QPushButton(self.tr("Save and en&roll"))
        self.enroll_button.setObjectName("enroll_desk")
        self.enroll_button.clicked.connect(self.enroll_desk)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.enroll_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._align_labels()
        self._load(central_link.from_url(desk.settings.get(SYNC_URL)))

    # --- the form ---------------------------------------------------------------------

    def _server_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Database"))
        form = self._server_form = QFormLayout(box)
        self.errors = FieldErrors(form)
        self.host = QLineEdit()
        self.host.setPlaceholderText(self.tr("e.g. 10.53.1.20 or db.example.gov.cn"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(central_link.DEFAULT_PORT)
        self.database = QLineEdit()
        self.database.setPlaceholderText(self.tr("e.g. central"))
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.tls = QComboBox()
        self.tls.addItem(self.tr("Encrypt when the server offers it (default)"), "prefer")
        self.tls.addItem(self.tr("No encryption"), "disable")
        self.tls.addItem(self.tr("Encrypt"), "require")
        self.tls.addItem(self.tr("Encrypt and verify the certificate"), "verify-full")
        self.tls.currentIndexChanged.connect(self._tls_changed)
        self.ca_file = QLineEdit()
        self.ca_file.setPlaceholderText(self.tr("The center's CA certificate (root.crt)"))
        self.ca_button = QPushButton(self.tr("Bro&wse…"))
        self.ca_button.clicked.connect(self._choose_ca)
        ca_row = QWidget()
        row = QHBoxLayout(ca_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.ca_file, 1)
        row.addWidget(self.ca_button)
        address = QWidget()
        line = QHBoxLayout(address)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.host, 1)
        port_label = QLabel(self.tr("P&ort"))
        port_label.setBuddy(self.port)
        line.addWidget(port_label)
        line.addWidget(self.port)
        self.errors.add_row("host", self.tr("&Host"), address)
        self.errors.add_row("database", self.tr("&Database"), self.database)
        self.errors.add_row("user", self.tr("&User"), self.user)
        self.errors.add_row("password", self.tr("&Password"), self.password)
        self.errors.add_row("tls_mode", self.tr("&Encryption"), self.tls)
        self.errors.add_row("ca_file", self.tr("&CA certificate"), ca_row)
        return box

    def _enroll_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Enrollment"))
        form = self._enroll_form = QFormLayout(box)
        self.enroll_errors = FieldErrors(form)
        code = QLabel(self.desk.identity.desk_code)
        code.setObjectName("desk_code")
        self.scope = QLineEdit(central_link.current_scope(self.desk))
        self.scope.setPlaceholderText(
            self.tr("Division or unit codes, separated by commas, e.g. 532801103")
        )
        self.replace = QCheckBox(
            self.tr("This PC takes over from the retired PC enrolled under this desk code")
        )
        self.enroll_errors.add_row("desk_code", self.tr("Desk code"), code)
        self.enroll_errors.add_row("scope", self.tr("&Scope"), self.scope)
        form.addRow("", self.replace)
        return box

    def _align_labels(self) -> None:
        """One label column for both boxes, so their fields line up."""
        labels: list[QWidget] = []
        for form in (self._server_form, self._enroll_form):
            for row in range(form.rowCount()):
                item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    labels.append(widget)
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(width)

    def _load(self, conn: Connection) -> None:
        self.host.setText(conn.host)
        self.port.setValue(conn.port)
        self.database.setText(conn.database)
        self.user.setText(conn.user)
        self.tls.setCurrentIndex(max(0, self.tls.findData(conn.tls_mode)))
        self.ca_file.setText(conn.ca_file)
        self._tls_changed()
        if conn.host:
            # The keyring may take a moment (D-Bus): asked off the GUI thread.
            self.runner.run(
                lambda: central_link.has_stored_password(self.desk, conn), self._password_known
            )

    def _password_known(self, stored: object) -> None:
        if stored:
            self.password.setPlaceholderText(self.tr("Saved; leave empty to keep it"))

    def _tls_changed(self) -> None:
        verify = self.tls.currentData() == "verify-full"
        self.ca_file.setEnabled(verify)
        self.ca_button.setEnabled(verify)

    def _choose_ca(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("The center's CA certificate"),
            self.ca_file.text(),
            self.tr("Certificates (*.crt *.pem *.cer);;All files (*)"),
        )
        if path:
            self.ca_file.setText(path)

    def connection(self) -> Connection:
        return Connection(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
            tls_mode=str(self.tls.currentData()),
            ca_file=self.ca_file.text().strip(),
        )

    # --- actions -----------------------------------------------------------------------

    def _begin(self, message: str) -> None:
        self.errors.clear()
        self.enroll_errors.clear()
        self.test_button.setEnabled(False)
        self.enroll_button.setEnabled(False)
        self._say(message, "")

    def _end(self) -> None:
        self.test_button.setEnabled(True)
        self.enroll_button.setEnabled(True)
        self.finished_work.emit()

    def _say(self, text: str, style: str) -> None:
        self.result_label.setStyleSheet(style)
        self.result_label.setText(text)
        self.result_label.setVisible(bool(text))

    def test_connection(self) -> None:
        desk, actor, conn = self.desk, self.actor, self.connection()
        password, version = self.password.text(), self.app_version
        self._begin(self.tr("Connecting…"))
        self.runner.run(
            lambda: central_link.check(desk, actor, conn, password, version),
            self._tested,
            self._failed,
        )

    def _tested(self, result: central_link.CheckResult) -> None:
        self._end()
        lines = [result.message]
        if result.clock_warning:
            lines.append(result.clock_warning)
        ok = result.enrolled and not result.clock_warning
        self._say("\n".join(lines), OK_STYLE if ok else NOTE_STYLE)

    def enroll_desk(self) -> None:
        desk, actor, conn = self.desk, self.actor, self.connection()
        password, version = self.password.text(), self.app_version
        scope, replace = self.scope.text(), self.replace.isChecked()
        self._begin(self.tr("Enrolling…"))
        self.runner.run(
            lambda: central_link.enroll_desk(
                desk, actor, conn, password, scope, version, replace=replace
            ),
            self._enrolled,
            self._failed,
        )

    def _enrolled(self, result: Enrolled) -> None:
        self._end()
        lines = [
            self.tr("Desk %1 is enrolled; its scope: %2. Sync starts now.")
            .replace("%1", result.desk_code)
            .replace("%2", "，".join(result.scope))
        ]
        if result.replaced:
            lines.append(self.tr("It took over from the PC enrolled under this code before."))
        if result.counters_raised:
            lines.append(
                self.tr(
                    "%n number counter(s) raised to the center's record: no number is issued "
                    "twice.",
                    "",
                    result.counters_raised,
                )
            )
        if result.password_warning:
            lines.append(result.password_warning)
        self.password.clear()
        self.password.setPlaceholderText(self.tr("Saved; leave empty to keep it"))
        self._say("\n".join(lines), NOTE_STYLE if result.password_warning else OK_STYLE)
        self.enrolled.emit()

    def _failed(self, exc: DeskError) -> None:
        self._end()
        if isinstance(exc, ValidationError):
            fields = dict(exc.fields)
            if "port" in fields:  # the port sits on the host's row
                port = fields.pop("port")
                fields["host"] = f"{fields['host']}；{port}" if "host" in fields else port
            enrolling = {k: v for k, v in fields.items() if k in ENROLL_FIELDS}
            rest = self.errors.show({k: v for k, v in fields.items() if k not in ENROLL_FIELDS})
            rest += self.enroll_errors.show(enrolling)
            self._say("\n".join(rest) or self.tr("Please correct the fields marked."), ERROR_STYLE)
            return
        self._say(exc.message, ERROR_STYLE)
