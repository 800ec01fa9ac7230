"""Starting the GUI: translations and fonts, first start or login, then the main window.

The login (or first-start) dialog is shown at once; the database is opened
(created and migrated when needed) on a background thread meanwhile, so the
first paint never waits on SQLAlchemy, Alembic or the disk. The services are
imported on that thread too.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QLibraryInfo,
    QLocale,
    QObject,
    QTimer,
    QtMsgType,
    QTranslator,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from desk_app.paths import DataDir, resource
from desk_app.views.login import LoginDialog
from desk_app.views.widgets.first_paint import FirstPaint
from desk_app.workers.tasks import TaskRunner

if TYPE_CHECKING:
    from desk_app.services.desk import Desk
    from desk_app.services.roles import Actor
    from desk_app.views.main_window import MainWindow
    from desk_app.workers.sync_worker import SyncWorker

log = logging.getLogger(__name__)

# Chinese typefaces first: Qt must not pick a Japanese variant for Han characters.
UI_FONT_FAMILIES = [
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "SimSun",
    "Sans Serif",
]
USER_ENV, PASSWORD_ENV = "DESK_APP_USER", "DESK_APP_PASSWORD"
# With --smoke: print "first-paint <unix time> <resident KiB>" when the awaited window paints.
SMOKE_REPORT_ENV = "DESK_APP_SMOKE_REPORT"


def read_language(dirs: DataDir) -> str:
    """The UI language from the settings file, read without the services layer."""
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(dirs.settings, encoding="utf-8")
    except (OSError, configparser.Error):
        return "zh_CN"
    return parser.get("ui", "language", fallback="zh_CN")


def install_translations(app: QApplication, language: str) -> list[QTranslator]:
    """Load our .qm and Qt's own (dialog buttons etc.) for `language`."""
    installed: list[QTranslator] = []
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return installed
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    ours = QTranslator(app)
    if ours.load(str(resource("i18n", f"desk_app_{language}.qm"))):
        app.installTranslator(ours)
        installed.append(ours)
    else:
        log.warning("translation %s not found: run ./dev setup to compile it", language)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    return installed


def configure_app(app: QApplication, dirs: DataDir) -> None:
    app.setApplicationName("desk_app")
    app.setApplicationDisplayName(app.translate("App", "Front Desk"))
    font = QFont(app.font())
    font.setFamilies(UI_FONT_FAMILIES)
    app.setFont(font)
    install_translations(app, read_language(dirs))


def resident_kib() -> int:
    """This process's resident memory in KiB (Linux; elsewhere the peak, or 0)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, AttributeError):
        try:
            import resource

            return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        except ImportError:
            return 0


class Startup(QObject):
    """Drives first start or login, then opens the main window."""

    # The background opening of the desk ended (successfully or not).
    desk_opened = Signal()

    def __init__(self, app: QApplication, dirs: DataDir, *, smoke: bool = False) -> None:
        super().__init__(app)
        self.app = app
        self.dirs = dirs
        self.smoke = smoke
        self.exit_code = 0
        self.runner = TaskRunner(self)
        self.window: MainWindow | None = None
        self.sync: SyncWorker | None = None
        self.desk_future: Future[Desk] = Future()
        self._lock: Any = None
        self._opening = False

    # --- opening the desk in the background ----------------------------------------

    def _open_desk(self) -> None:
        try:
            from desk_app.services.desk import open_desk
            from desk_app.services.instance import InstanceLock
            from desk_app.services.logs import configure_logging

            self.dirs.ensure()
            configure_logging(self.dirs.logs)
            self._lock = InstanceLock(self.dirs.lock).acquire()
            self.desk_future.set_result(open_desk(self.dirs.root))
            # While the user types the password: load the main window's code, so that
            # logging in shows it without a pause (imports only; no widgets off the GUI thread).
            import desk_app.views.main_window  # noqa: F401
        except BaseException as exc:
            self.desk_future.set_exception(exc)
        self.desk_opened.emit()  # queued to the GUI thread

    def desk(self) -> Desk:
        """The opened desk; blocks the calling (worker) thread until it is ready."""
        return self.desk_future.result()

    def _authenticate(self, username: str, password: str) -> Actor:
        from desk_app.services.users import login

        desk = self.desk()
        desk.identity  # noqa: B018 - refuses a folder that lost its identity
        return login(desk.db, username, password)

    def _initialise(self, fields: dict[str, str]) -> Actor:
        from desk_app.services.desk import InitInput, initialise

        return initialise(self.desk(), InitInput(**fields))

    # --- flow ------------------------------------------------------------------------

    def start(self) -> None:
        first_start = not self.dirs.is_initialised_file()
        if first_start and self.smoke:
            self._fail(f"数据文件夹尚未初始化：{self.dirs.root}（请先运行 desk-app init）")
            return
        self.desk_opened.connect(self._check_open)
        if first_start:
            from desk_app.views.first_run import FirstRunDialog

            dialog: Any = FirstRunDialog(self.runner, self._initialise)
            dialog.initialised.connect(self._logged_in)
        else:
            from desk_app.services.settings import LAST_USER, Settings

            last = Settings(self.dirs.settings).get(LAST_USER)
            dialog = LoginDialog(self.runner, self._authenticate, last_user=last)
            dialog.logged_in.connect(self._logged_in)
            if self.smoke:
                self._smoke_login(dialog)
        self._show_dialog(dialog)

    def _show_dialog(self, dialog: Any) -> None:
        dialog.rejected.connect(self._dialog_rejected)
        self.dialog = dialog
        if not self._opening:
            # Opened once the dialog is on screen: importing the database layer on another
            # thread would otherwise compete with the first paint for the interpreter.
            self._opening = True
            FirstPaint(dialog, self._start_opening)
        dialog.show()

    def _start_opening(self) -> None:
        threading.Thread(target=self._open_desk, name="open-desk", daemon=True).start()

    def _check_open(self) -> None:
        exc = self.desk_future.exception()
        if exc is not None:
            from desk_app.services.errors import DeskError

            message = exc.message if isinstance(exc, DeskError) else repr(exc)
            if not isinstance(exc, DeskError):
                log.error("opening the desk failed", exc_info=exc)
            self._fail(f"无法打开数据文件夹 {self.dirs.root}：{message}")
            return
        info = self.desk_future.result().info
        if info is not None and isinstance(self.dialog, LoginDialog):
            self.dialog.show_desk(info.center_name, info.desk_code)
        if info is None and isinstance(self.dialog, LoginDialog):
            if self.smoke:
                self._fail(f"数据文件夹尚未初始化：{self.dirs.root}（请先运行 desk-app init）")
                return
            # A database without a desk identity (an interrupted first start): set it up now.
            from desk_app.views.first_run import FirstRunDialog

            login_dialog = self.dialog
            first_run = FirstRunDialog(self.runner, self._initialise)
            first_run.initialised.connect(self._logged_in)
            self._show_dialog(first_run)
            login_dialog.rejected.disconnect(self._dialog_rejected)
            login_dialog.close()

    def _smoke_login(self, dialog: LoginDialog) -> None:
        user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
        if not user or not password:
            FirstPaint(dialog, self._smoke_done)
            return
        dialog.username.setText(user)
        dialog.password.setText(password)
        dialog.runner.run(
            lambda: self._authenticate(user, password),
            dialog._done,
            lambda exc: self._fail(f"登录失败：{exc.message}"),
        )

    def _dialog_rejected(self) -> None:
        if self.window is None:
            self.quit(0 if not self.smoke else 1)

    def _logged_in(self, actor: Actor) -> None:
        from desk_app.services.settings import LAST_USER
        from desk_app.views.main_window import MainWindow

        desk = self.desk()
        if not actor.is_system:
            desk.settings.set(LAST_USER, actor.username)
        self.window = MainWindow(desk, actor, self.runner)
        if self.smoke:
            FirstPaint(self.window, self._smoke_done)
        else:  # the start-up check stays off the network
            self._start_sync(desk, self.window)
        self.window.show()
        self.window.start_daily_backup()
        self.window.ask_password_change_if_due()

    def _start_sync(self, desk: Desk, window: MainWindow) -> None:
        from desk_app import __version__
        from desk_app.services import conflicts
        from desk_app.workers.sync_worker import SyncWorker

        self.sync = SyncWorker(
            desk,
            __version__,
            count_open_conflicts=lambda engine: conflicts.count_open(engine.desk.db),
        )
        window.attach_sync(self.sync)
        # Its first round (imports, connecting) waits until the window has painted.
        FirstPaint(window, self.sync.start)

    def _fail(self, message: str) -> None:
        print(f"desk-app: {message}", file=sys.stderr)
        if not self.smoke:
            QMessageBox.critical(None, self.app.translate("App", "Front Desk"), message)
        self.quit(1)

    def _smoke_done(self) -> None:
        if os.environ.get(SMOKE_REPORT_ENV):
            print(f"first-paint {time.time():.6f} {resident_kib()}", flush=True)
        self.quit(0)

    def quit(self, code: int) -> None:
        self.exit_code = code
        self.app.exit(code)

    def shutdown(self) -> None:
        if self.sync is not None:
            # A round stops between whole batches and pages: nothing is half applied.
            self.sync.stop()
        self.runner.wait()
        if self.desk_future.done() and self.desk_future.exception() is None:
            self.desk_future.result().close()
        if self._lock is not None:
            self._lock.release()


def _route_qt_messages() -> None:
    """Qt's own warnings go to our log, not only to a console nobody reads."""
    qt_log = logging.getLogger("qt")
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        qt_log.log(levels.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)


def _report_uncaught(app: QApplication) -> None:
    """A programming error on the GUI thread: logged with its traceback and shown once."""
    shown: set[str] = set()

    def hook(kind: type[BaseException], exc: BaseException, tb: Any) -> None:
        log.critical("uncaught exception", exc_info=(kind, exc, tb))
        key = f"{kind.__name__}: {exc}"
        if key in shown:
            return
        shown.add(key)
        QMessageBox.critical(
            app.activeWindow(),
            app.translate("App", "Unexpected error"),
            app.translate("App", "Something went wrong and was written to the log: %1").replace(
                "%1", key
            ),
        )

    sys.excepthook = hook


def run_gui(data_dir: Path, *, smoke: bool = False) -> int:
    dirs = DataDir(data_dir)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    _route_qt_messages()
    _report_uncaught(app)
    configure_app(app, dirs)
    startup = Startup(app, dirs, smoke=smoke)
    QTimer.singleShot(0, startup.start)
    code = app.exec()
    startup.shutdown()
    return code or startup.exit_code
