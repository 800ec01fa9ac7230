"""Starting the app: first start on an empty folder, login on an initialised one."""

from __future__ import annotations

from pathlib import Path

from desk_app.app import Startup
from desk_app.paths import DataDir
from desk_app.services.instance import in_use
from desk_app.views.first_run import FirstRunDialog
from desk_app.views.login import LoginDialog
from tests.conftest import CLERK_PASSWORD


def _start(qapp, root: Path) -> Startup:
    startup = Startup(qapp, DataDir(root))
    startup.start()
    return startup


def test_an_empty_folder_starts_with_the_first_run_dialog(qtbot, qapp, data_dir: Path) -> None:
    startup = _start(qapp, data_dir)
    try:
        assert isinstance(startup.dialog, FirstRunDialog)
        dialog = startup.dialog
        dialog.center.setText("景洪市综治中心")
        dialog.desk_code.setText("D09")
        dialog.username.setText("admin")
        dialog.full_name.setText("岩温")
        dialog.password.setText("first-pass-1")
        dialog.confirm.setText("first-pass-1")
        dialog.submit()
        qtbot.waitUntil(lambda: startup.window is not None, timeout=15_000)
        assert startup.window is not None
        qtbot.addWidget(startup.window)
        assert "D09" in startup.window.windowTitle()
        assert (data_dir / "desk.db").is_file()
        assert in_use(DataDir(data_dir).lock)
    finally:
        startup.shutdown()
    assert not in_use(DataDir(data_dir).lock)


def test_an_initialised_folder_asks_for_login_then_opens_the_main_window(qtbot, qapp, desk) -> None:
    desk.close()
    startup = _start(qapp, desk.dirs.root)
    try:
        dialog = startup.dialog
        assert isinstance(dialog, LoginDialog)
        qtbot.waitUntil(lambda: dialog.subtitle.text() != "", timeout=15_000)
        assert dialog.subtitle.text() == "景洪市综治中心 · 窗口 D03"
        dialog.username.setText("clerk1")
        dialog.password.setText(CLERK_PASSWORD)
        dialog.submit()
        qtbot.waitUntil(lambda: startup.window is not None, timeout=15_000)
        assert startup.window is not None
        qtbot.addWidget(startup.window)
        assert "岩温" in startup.window.user_label.text()
        # The last user name is offered at the next start.
        assert "clerk1" in (desk.dirs.settings).read_text(encoding="utf-8")
    finally:
        startup.shutdown()


def test_a_database_without_a_desk_identity_goes_to_first_start(
    qtbot, qapp, data_dir: Path
) -> None:
    from desk_app.services.desk import open_desk

    open_desk(data_dir).close()  # created and migrated, but never initialised
    startup = _start(qapp, data_dir)
    try:
        assert isinstance(startup.dialog, LoginDialog)
        qtbot.waitUntil(lambda: isinstance(startup.dialog, FirstRunDialog), timeout=15_000)
    finally:
        startup.shutdown()
