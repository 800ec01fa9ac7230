"""The main window: navigation to the app's areas, the lock screen and the status bar."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QStyle,
    QTabWidget,
    QToolButton,
    QWidget,
)

from desk_app.services import backup, users
from desk_app.services.cases import CaseInput, CaseRef
from desk_app.services.desk import Desk
from desk_app.services.roles import ROLE_LABELS, Actor
from desk_app.services.settings import WINDOW_GEOMETRY, WINDOW_STATE
from desk_app.views.enquiries_page import EnquiriesPage
from desk_app.views.intake import CorrectionDialog, IntakeForm, VoidDialog
from desk_app.views.lock import LockPage
from desk_app.views.placeholder import PlaceholderPage
from desk_app.views.search_page import SearchPage
from desk_app.views.settings_page import SettingsPage
from desk_app.views.sync_status import SyncStatusPanel
from desk_app.views.warnings_badge import WarningsBadge, count_now
from desk_app.views.widgets.first_paint import FirstPaint
from desk_app.workers.tasks import TaskRunner

if TYPE_CHECKING:
    from desk_app.services.board import Snapshot
    from desk_app.services.sync.engine import SyncSummary
    from desk_app.views.board import BoardPage
    from desk_app.views.conflicts_page import ConflictsPage
    from desk_app.views.warnings_page import WarningsPage
    from desk_app.workers.sync_worker import SyncStatus, SyncWorker


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    coming: str


def areas() -> list[Area]:
    """The app's areas, in navigation order (titles translated at call time)."""
    return [
        Area(
            "intake",
            QCoreApplication.translate("MainWindow", "Intake"),
            QCoreApplication.translate(
                "MainWindow",
                "The reception form: parties with ID checks, channel, dispute type, place, "
                "facts and attachments; repeat-visitor hints; the receipt with the case code.",
            ),
        ),
        Area("board", QCoreApplication.translate("MainWindow", "Routing board"), ""),
        Area("warnings", QCoreApplication.translate("MainWindow", "Warnings"), ""),
        Area(
            "search",
            QCoreApplication.translate("MainWindow", "Case lookup"),
            QCoreApplication.translate(
                "MainWindow",
                "Find a case by number, ID number, phone or name; its parties, facts, "
                "attachments and history.",
            ),
        ),
        Area(
            "documents",
            QCoreApplication.translate("MainWindow", "Documents"),
            QCoreApplication.translate(
                "MainWindow",
                "Mediation agreements and the other official forms, with preview, printing "
                "and PDF export.",
            ),
        ),
        Area(
            "consult",
            QCoreApplication.translate("MainWindow", "Video consultation"),
            QCoreApplication.translate(
                "MainWindow",
                "Video links to expert advisers (lawyers, psychologists …) from a case, "
                "with a log of each consultation.",
            ),
        ),
        Area(
            "stats",
            QCoreApplication.translate("MainWindow", "Statistics"),
            QCoreApplication.translate(
                "MainWindow",
                "Figures by period, dispute type, place and unit, for monthly analysis "
                "and year-end assessment.",
            ),
        ),
        Area("accountability", QCoreApplication.translate("MainWindow", "Unit assessment"), ""),
        Area("conflicts", QCoreApplication.translate("MainWindow", "Sync conflicts"), ""),
        Area("settings", QCoreApplication.translate("MainWindow", "Settings"), ""),
    ]


#: After the window's first paint, the board's snapshot is read ahead this much later;
#: after a change dropped it, this long after the changes settle.
BOARD_AHEAD_DELAY_MS = 300
BOARD_AHEAD_AGAIN_MS = 2000


class MainWindow(QMainWindow):
    # Emitted (from any thread) after a unit of work commits on this desk.
    desk_changed = Signal()

    def __init__(
        self, desk: Desk, actor: Actor, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.actor = actor
        self.runner = runner
        self.sync_worker: SyncWorker | None = None
        info = desk.identity
        self.setWindowTitle(
            self.tr("Front Desk — %1 · desk %2")
            .replace("%1", info.center_name)
            .replace("%2", info.desk_code)
        )
        self.setMinimumSize(1024, 640)

        self.nav_model = QStandardItemModel(self)
        self.pages = QStackedWidget()
        self._areas = areas()
        self._factories: dict[str, Callable[[], QWidget]] = {
            "intake": self._build_intake,
            "board": self._build_board,
            "warnings": self._build_warnings,
            "search": self._build_search,
            "accountability": self._build_accountability,
            "conflicts": self._build_conflicts,
            "settings": self._build_settings,
        }
        self.conflicts_page: ConflictsPage | None = None
        self.warnings_page: WarningsPage | None = None
        self.board_page: BoardPage | None = None
        self._built: set[str] = set()
        for area in self._areas:
            item = QStandardItem(area.title)
            item.setData(area.key, Qt.ItemDataRole.UserRole)
            item.setEditable(False)
            self.nav_model.appendRow(item)
            # Built areas now; the others when first opened, so the window paints sooner.
            page = (
                QWidget()
                if area.key in self._factories
                else PlaceholderPage(area.title, area.coming)
            )
            page.setObjectName(f"page_{area.key}")
            self.pages.addWidget(page)
        self.nav = QListView()
        self.nav.setObjectName("navigation")
        self.nav.setModel(self.nav_model)
        self.nav.setFixedWidth(168)
        self.nav.setSpacing(2)
        nav_font = self.nav.font()
        nav_font.setPointSizeF(nav_font.pointSizeF() * 1.15)
        self.nav.setFont(nav_font)
        self.nav.setStyleSheet("QListView#navigation::item { padding: 8px 12px; }")
        self.nav.selectionModel().currentChanged.connect(self._navigate)

        workspace = QWidget()
        row = QHBoxLayout(workspace)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)

        self.lock_page = LockPage(runner, actor.display_name, self._check_own_password)
        self.lock_page.unlocked.connect(self.unlock)
        self.screens = QStackedWidget()
        self.screens.addWidget(workspace)
        self.screens.addWidget(self.lock_page)
        self.setCentralWidget(self.screens)

        self._build_menus()
        self._build_status_bar()
        self.desk_changed.connect(self._schedule_status_refresh)
        desk.on_commit(self.desk_changed.emit)
        runner.unexpected_error.connect(self._show_unexpected)

        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(150)  # debounce bursts of commits
        self._status_timer.timeout.connect(self.refresh_status)
        # Commits move cases on: the warnings are counted again with the pending changes.
        self._status_timer.timeout.connect(self.warnings_badge.refresh)
        self._poll = QTimer(self)
        self._poll.setInterval(30_000)
        self._poll.timeout.connect(self.refresh_status)
        self._poll.start()

        self._restore_geometry()
        self.nav.setCurrentIndex(self.nav_model.index(0, 0))
        self.refresh_status()
        # The board's first snapshot is read ahead once the window is up (a moment after
        # its first paint, which it would slow): the board is where a desk's day starts,
        # and 50,000 open cases take a moment to read. A change here or from a sync drops
        # it, and it is read again once changes settle, until the board is opened.
        self._board_ahead: Snapshot | None = None
        self._board_generation = 0
        self._board_ahead_timer = QTimer(self)
        self._board_ahead_timer.setSingleShot(True)
        self._board_ahead_timer.timeout.connect(self._read_board_ahead)
        self.desk_changed.connect(self._drop_board_ahead)
        FirstPaint(self, lambda: self._board_ahead_timer.start(BOARD_AHEAD_DELAY_MS))

    # --- intake and lookup ----------------------------------------------------------------

    def _build_intake(self) -> QWidget:
        """登记受理: the case form and, on a second tab, advice-only visits (咨询登记)."""
        self.intake_form = IntakeForm(self.desk, self.actor, self.runner, keep_drafts=True)
        self.intake_form.open_case_requested.connect(self.open_case)
        self.enquiries_page = EnquiriesPage(self.desk, self.actor, self.runner, keep_drafts=True)
        self.intake_tabs = QTabWidget()
        self.intake_tabs.addTab(self.intake_form, self.tr("&Case registration"))
        self.intake_tabs.addTab(self.enquiries_page, self.tr("Advice-only &visits"))
        self.enquiries_page.convert_requested.connect(self._convert_enquiry)
        self.intake_form.case_registered.connect(lambda _ref: self.enquiries_page.refresh())
        self.intake_form.case_registered.connect(self.show_receipt)
        return self.intake_tabs

    def _convert_enquiry(self, enquiry_id: uuid.UUID, prefill: object) -> None:
        self.show_area("intake")
        self.intake_tabs.setCurrentWidget(self.intake_form)
        assert isinstance(prefill, CaseInput)
        self.intake_form.prefill_from_enquiry(enquiry_id, prefill)

    def _build_search(self) -> QWidget:
        self.search_page = SearchPage(self.desk, self.actor, self.runner)
        self.search_page.correct_requested.connect(self.correct_case)
        self.search_page.void_requested.connect(self.void_case)
        self.search_page.receipt_requested.connect(self.show_receipt)
        return self.search_page

    def _build_board(self) -> QWidget:
        """分流看板; it reads again after commits here and syncs that bring changes."""
        from desk_app.views.board import BoardPage

        first, self._board_ahead = self._board_ahead, None
        self.board_page = BoardPage(self.desk, self.actor, self.runner, first=first)
        self.board_page.case_requested.connect(self.open_case)
        self.desk_changed.connect(self.board_page.schedule_refresh)
        return self.board_page

    def _read_board_ahead(self) -> None:
        if self.board_page is not None or not self.isVisible() or "board" not in self._factories:
            return
        generation, db, now = self._board_generation, self.desk.db, datetime.now(UTC)

        def read() -> Snapshot | None:
            from desk_app.services import board  # here: the window paints first

            try:
                return board.read_snapshot(db, now, with_names=True)
            except Exception:
                if generation != self._board_generation:
                    return None  # the window closed meanwhile (its desk too, perhaps)
                raise

        self.runner.run(read, lambda snap: self._board_read_ahead(generation, snap), owner=self)

    @property
    def board_ahead(self) -> Snapshot | None:
        """The board's snapshot read ahead, until the board is opened or cases change."""
        return self._board_ahead

    def _board_read_ahead(self, generation: int, snap: Snapshot | None) -> None:
        if generation == self._board_generation and self.board_page is None:
            self._board_ahead = snap

    def _drop_board_ahead(self) -> None:
        self._board_generation += 1
        self._board_ahead = None
        if self.board_page is None and self.isVisible():  # (debounced: commits come in bursts)
            self._board_ahead_timer.start(BOARD_AHEAD_AGAIN_MS)

    def _build_warnings(self) -> QWidget:
        from desk_app.views.warnings_page import WarningsPage

        self.warnings_page = WarningsPage(self.desk, self.actor, self.runner)
        self.warnings_page.case_requested.connect(self.open_case)
        self.warnings_badge.counts_changed.connect(self.warnings_page.counts_seen)
        return self.warnings_page

    def _build_accountability(self) -> QWidget:
        """单位考评: the units' figures of a period (imported when first opened: QtPdf)."""
        from desk_app.views.accountability_page import AccountabilityPage

        self.accountability_page = AccountabilityPage(self.desk, self.actor, self.runner)
        self.accountability_page.case_requested.connect(self.open_case)
        return self.accountability_page

    def _build_settings(self) -> QWidget:
        self.settings_page = SettingsPage(self.desk, self.actor, self.runner)
        self.settings_page.central_changed.connect(self._central_changed)
        return self.settings_page

    def open_case(self, case_id: uuid.UUID) -> None:
        """Show a case in case lookup (an earlier case the intake form found, say)."""
        self.show_area("search")
        self.search_page.open_case(case_id)

    def show_receipt(self, case: CaseRef) -> QDialog:
        """Preview the receipt (受理回执) of a case just registered, or of any case, to print."""
        # Imported when first used: ReportLab and QtPdf would slow the window's start.
        from desk_app.services.printing import receipt
        from desk_app.views.print_preview import PrintPreviewDialog

        desk, actor, case_id = self.desk, self.actor, case.id
        dialog = PrintPreviewDialog(
            self.runner,
            lambda: receipt.receipt_pdf(desk, actor, case_id),
            self.tr("Receipt %1").replace("%1", case.case_no),
            f"受理回执_{case.case_no}",
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.receipt_preview = dialog
        dialog.open()
        return dialog

    def correct_case(self, case_id: uuid.UUID) -> None:
        dialog = CorrectionDialog(self.desk, self.actor, self.runner, case_id, self)
        dialog.case_corrected.connect(lambda _ref: self.search_page.refresh())
        dialog.exec()

    def void_case(self, case_id: uuid.UUID) -> None:
        dialog = VoidDialog(self.desk, self.actor, self.runner, case_id, self)
        dialog.case_voided.connect(lambda _id: self.search_page.refresh())
        dialog.exec()

    # --- layout ----------------------------------------------------------------

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Desk"))
        self.lock_action = QAction(self.tr("&Lock screen"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(self.lock)
        menu.addAction(self.lock_action)
        self.sync_action = QAction(self.tr("&Sync now"), self)
        self.sync_action.setIconText(self.tr("Sync now"))
        self.sync_action.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self.sync_action.setShortcut(QKeySequence("F5"))
        self.sync_action.setToolTip(self.tr("Send this desk's changes and fetch the center's now"))
        self.sync_action.setEnabled(False)  # until a sync worker is attached
        menu.addAction(self.sync_action)
        menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About Front Desk"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)
        self._menu_actions = [menu.menuAction(), help_menu.menuAction()]

    def _build_status_bar(self) -> None:
        roles = "、".join(ROLE_LABELS[r] for r in sorted(self.actor.roles))
        self.user_label = QLabel(
            self.tr("User: %1 (%2)").replace("%1", self.actor.display_name).replace("%2", roles)
        )
        self.desk_label = QLabel(self.tr("Desk: %1").replace("%1", self.desk.identity.desk_code))
        self.pending_label = QLabel()
        self.pending_label.setObjectName("pending_label")
        self.sync_panel = SyncStatusPanel()
        self.sync_button = QToolButton()
        self.sync_button.setObjectName("sync_button")
        self.sync_button.setDefaultAction(self.sync_action)
        self.sync_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.sync_button.setAutoRaise(True)
        db = self.desk.db
        self.warnings_badge = WarningsBadge(self.runner, lambda: count_now(db))
        self.warnings_badge.clicked.connect(lambda: self.show_area("warnings"))
        self.sync_panel.hide()  # shown once a sync worker reports
        self.sync_button.hide()
        bar = self.statusBar()
        bar.addWidget(self.user_label)
        bar.addWidget(self.desk_label)
        bar.addPermanentWidget(self.warnings_badge)
        bar.addPermanentWidget(self.sync_panel)
        bar.addPermanentWidget(self.pending_label)
        bar.addPermanentWidget(self.sync_button)

    def _navigate(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        row = current.row()
        key = self._areas[row].key
        if key in self._factories and key not in self._built:
            self._built.add(key)
            stand_in = self.pages.widget(row)
            assert stand_in is not None
            page = self._factories[key]()
            page.setObjectName(f"page_{key}")
            self.pages.insertWidget(row, page)
            self.pages.removeWidget(stand_in)
            stand_in.deleteLater()
        self.pages.setCurrentIndex(row)
        if key == "conflicts" and self.conflicts_page is not None:
            self.conflicts_page.reload()

    def _build_conflicts(self) -> QWidget:
        from desk_app.views.conflicts_page import ConflictsPage

        self.conflicts_page = ConflictsPage(self.desk, self.actor, self.runner)
        return self.conflicts_page

    def show_area(self, key: str) -> None:
        for row, area in enumerate(self._areas):
            if area.key == key:
                self.nav.setCurrentIndex(self.nav_model.index(row, 0))
                return
        raise KeyError(key)

    # --- status ------------------------------------------------------------------

    def _schedule_status_refresh(self) -> None:
        self._status_timer.start()

    def refresh_status(self) -> None:
        self.runner.run(self.desk.pending_ops, self._show_pending)

    def _show_pending(self, count: int) -> None:
        self.pending_count = count
        self.pending_label.setText(self.tr("Waiting to sync: %n change(s)", "", count))

    # --- sync ------------------------------------------------------------------------

    def attach_sync(self, worker: SyncWorker) -> None:
        """Show `worker`'s status and hand it local changes and 立即同步 (F5)."""
        self.sync_worker = worker
        worker.status_changed.connect(self._show_sync_status)
        self.sync_panel.conflicts_clicked.connect(lambda: self.show_area("conflicts"))
        worker.unexpected_error.connect(self._show_unexpected)
        self.sync_action.triggered.connect(worker.sync_now)
        self.sync_action.setEnabled(True)
        self.desk_changed.connect(worker.local_changed)
        worker.synced.connect(self._synced)
        self._show_sync_status(worker.status)

    def _synced(self, summary: SyncSummary) -> None:
        # Pulled rows do not pass through this desk's units of work: the board hears here.
        if summary.pulled:
            self._drop_board_ahead()
            if self.board_page is not None:
                self.board_page.schedule_refresh()

    def _show_sync_status(self, status: SyncStatus) -> None:
        before = self.sync_panel.status.open_conflicts
        self.sync_panel.show_status(status)
        self.sync_panel.show()
        if self.conflicts_page is not None and status.open_conflicts != before:
            self.conflicts_page.reload()
        self.sync_button.show()
        # The pending count moves while a round pushes: recount, at most every 150 ms.
        if not self._status_timer.isActive():
            self._status_timer.start()

    def _central_changed(self) -> None:
        if self.sync_worker is not None:
            self.sync_worker.reconnect()

    # --- lock ----------------------------------------------------------------------

    @property
    def locked(self) -> bool:
        return self.screens.currentWidget() is self.lock_page

    def lock(self) -> None:
        if self.locked:
            return
        self.screens.setCurrentWidget(self.lock_page)
        for action in self._menu_actions:
            action.setEnabled(False)
        self.lock_action.setEnabled(False)
        self.lock_page.reset()

    def unlock(self) -> None:
        self.screens.setCurrentIndex(0)
        for action in self._menu_actions:
            action.setEnabled(True)
        self.lock_action.setEnabled(True)

    def _check_own_password(self, password: str) -> object:
        return users.login(self.desk.db, self.actor.username, password)

    # --- other ---------------------------------------------------------------------

    def ask_password_change_if_due(self) -> None:
        """After an administrator's reset, the user sets a password of their own."""

        def ask(due: bool) -> None:
            if due:
                self.show_area("settings")
                self.settings_page.change_own_password(
                    self.tr("Your password was reset by an administrator: choose your own now.")
                )

        self.runner.run(lambda: users.must_change_password(self.desk.db, self.actor), ask)

    def start_daily_backup(self) -> None:
        self.runner.run(lambda: backup.daily_backup(self.desk.dirs))

    def _about(self) -> None:
        from desk_app import __version__

        QMessageBox.about(
            self,
            self.tr("About Front Desk"),
            self.tr(
                "Front Desk %1: the walk-in reception desk of a comprehensive governance center."
            ).replace("%1", __version__),
        )

    def _show_unexpected(self, message: str, _traceback: str) -> None:
        QMessageBox.critical(
            self,
            self.tr("Unexpected error"),
            self.tr("Something went wrong and was written to the log: %1").replace("%1", message),
        )

    def _restore_geometry(self) -> None:
        geometry = self.desk.settings.get(WINDOW_GEOMETRY)
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
        else:
            self.resize(1280, 760)
        state = self.desk.settings.get(WINDOW_STATE)
        if state:
            self.restoreState(QByteArray.fromBase64(state.encode("ascii")))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.desk.settings.set(
            WINDOW_GEOMETRY, bytes(self.saveGeometry().toBase64().data()).decode()
        )
        self.desk.settings.set(WINDOW_STATE, bytes(self.saveState().toBase64().data()).decode())
        self._poll.stop()
        self._status_timer.stop()  # a refresh due after closing would find no status bar
        self._drop_board_ahead()  # a read ahead after closing would find no desk, perhaps
        self._board_ahead_timer.stop()
        self.warnings_badge.stop()
        if self.sync_worker is not None:
            self.sync_worker.request_stop()  # the round ends at its next stop point
            self.sync_worker.status_changed.disconnect(self._show_sync_status)
        # The last keystrokes too: the forms' drafts are written once more, offered at login.
        for page in (getattr(self, "intake_form", None), getattr(self, "enquiries_page", None)):
            if page is not None and page.keeper is not None:
                page.keeper.flush_now()
        super().closeEvent(event)
