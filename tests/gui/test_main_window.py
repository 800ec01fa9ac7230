"""The main window: navigation, the status bar, the lock screen, user administration."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from desk_app.services.cases import register_case
from desk_app.services.desk import Desk
from desk_app.services.roles import Actor, Role
from desk_app.services.settings import WINDOW_GEOMETRY
from desk_app.views.main_window import MainWindow
from tests.conftest import ADMIN_PASSWORD, sample_case


def _window(qtbot, desk: Desk, actor: Actor, runner) -> MainWindow:
    window = MainWindow(desk, actor, runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.pending_label.text() != "", timeout=10_000)
    return window


def test_navigation_shows_every_area_and_says_what_is_not_built(qtbot, desk, admin, runner) -> None:
    window = _window(qtbot, desk, admin, runner)
    titles = [window.nav_model.item(r).text() for r in range(window.nav_model.rowCount())]
    assert titles == [
        "登记受理",
        "分流看板",
        "预警",
        "案件查询",
        "文书打印",
        "视频连线",
        "统计研判",
        "单位考评",
        "同步冲突",
        "设置",
    ]
    window.show_area("board")
    page = window.pages.currentWidget()
    assert page.objectName() == "page_board"
    assert page.findChild(QLabel, "placeholder_notice") is None  # the board is built
    window.show_area("documents")
    page = window.pages.currentWidget()
    assert page.objectName() == "page_documents"
    notice = page.findChild(QLabel, "placeholder_notice")
    assert notice is not None and "尚在建设中" in notice.text()
    window.show_area("warnings")
    assert window.pages.currentWidget().objectName() == "page_warnings"
    window.show_area("conflicts")
    assert window.pages.currentWidget().objectName() == "page_conflicts"
    window.show_area("settings")
    assert window.pages.currentWidget().objectName() == "page_settings"


def test_status_bar_counts_changes_after_a_service_creates_a_case(
    qtbot, desk, admin, clerk, runner
) -> None:
    window = _window(qtbot, desk, admin, runner)
    before = desk.pending_ops()
    assert window.pending_label.text() == f"待同步：{before} 项更改"
    assert "管理员甲" in window.user_label.text() and "D03" in window.desk_label.text()
    register_case(desk, clerk, sample_case())  # not through the window: any commit counts
    after = desk.pending_ops()
    assert after > before
    qtbot.waitUntil(
        lambda: window.pending_label.text() == f"待同步：{after} 项更改", timeout=10_000
    )


def test_ctrl_l_locks_without_losing_the_screen_and_the_password_unlocks(
    qtbot, desk, admin, runner
) -> None:
    window = _window(qtbot, desk, admin, runner)
    window.show_area("settings")
    settings = window.pages.currentWidget()
    settings.keep.setValue(21)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    assert not window.pages.isVisible()
    qtbot.keyClicks(window.lock_page.password, "not-my-password")
    qtbot.keyClick(window.lock_page.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.lock_page.message.text() != "", timeout=10_000)
    assert window.locked
    qtbot.keyClicks(window.lock_page.password, ADMIN_PASSWORD)
    with qtbot.waitSignal(window.lock_page.unlocked, timeout=10_000):
        qtbot.keyClick(window.lock_page.password, Qt.Key.Key_Return)
    assert not window.locked
    assert window.pages.currentWidget() is settings and settings.keep.value() == 21


def test_the_window_remembers_its_size(qtbot, desk, admin, runner) -> None:
    window = _window(qtbot, desk, admin, runner)
    # The offscreen screen is 800x800 and the window at least 1024 wide: height tells.
    window.resize(1024, 690)
    window.close()
    assert desk.settings.get(WINDOW_GEOMETRY)
    again = _window(qtbot, desk, admin, runner)
    assert again.height() == 690


def test_an_administrator_adds_and_disables_a_user(qtbot, desk, admin, runner, monkeypatch) -> None:
    from desk_app.views import settings_page
    from desk_app.views.users import UserDialog

    window = _window(qtbot, desk, admin, runner)
    window.show_area("settings")
    page = window.pages.currentWidget()
    qtbot.waitUntil(lambda: page.users_model.rowCount() == 2, timeout=10_000)

    def fill_and_submit(dialog: UserDialog) -> int:
        qtbot.keyClicks(dialog.username, "officer2")
        dialog.full_name.setText("白腊先")
        dialog.roles.boxes[Role.OFFICER].setChecked(True)
        qtbot.keyClicks(dialog.password, "officer-pass-2")
        with qtbot.waitSignal(dialog.accepted, timeout=10_000):
            dialog.submit()
        return 1

    monkeypatch.setattr(settings_page.UserDialog, "exec", fill_and_submit)
    page._add_user()
    qtbot.waitUntil(lambda: page.users_model.rowCount() == 3, timeout=10_000)
    row = [page.users_model.row_at(r).username for r in range(3)].index("officer2")
    page.users_view.selectRow(row)
    page._toggle_user()
    qtbot.waitUntil(lambda: not page.users_model.row_at(row).active, timeout=10_000)
    QApplication.processEvents()


def test_a_user_whose_password_was_reset_is_asked_for_a_new_one(
    qtbot, desk, admin, clerk, runner, monkeypatch
):
    from desk_app.services import users
    from desk_app.views import settings_page

    with desk.uow(admin) as uow:
        users.reset_password(uow, clerk.user_id, "temporary-1")
    shown: list[str] = []
    monkeypatch.setattr(
        settings_page.PasswordDialog, "exec", lambda self: shown.append(self.message.text()) or 0
    )
    window = _window(qtbot, desk, clerk, runner)
    window.ask_password_change_if_due()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "重置" in shown[0]
    assert window.pages.currentWidget().objectName() == "page_settings"
    shown.clear()
    other = _window(qtbot, desk, admin, runner)  # the admin's password was not reset
    other.ask_password_change_if_due()
    runner.wait()
    qtbot.wait(50)
    assert shown == []
