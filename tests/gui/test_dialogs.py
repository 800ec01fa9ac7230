"""The first-start and login dialogs, with real services on a worker thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desk_app.services.desk import Desk, InitInput, initialise, open_desk
from desk_app.services.users import login
from desk_app.views.first_run import FirstRunDialog
from desk_app.views.login import LoginDialog
from tests.conftest import CLERK_PASSWORD
from tests.gui.conftest import type_text


def _ok(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_first_start_sets_up_the_desk_and_logs_the_admin_in(qtbot, runner, data_dir: Path) -> None:
    desk = open_desk(data_dir)
    dialog = FirstRunDialog(runner, lambda fields: initialise(desk, InitInput(**fields)))
    qtbot.addWidget(dialog)
    type_text(dialog.center, "景洪市综治中心")
    qtbot.keyClicks(dialog.desk_code, "d05")
    qtbot.keyClicks(dialog.username, "admin")
    type_text(dialog.full_name, "岩罕")
    qtbot.keyClicks(dialog.password, "first-pass-1")
    qtbot.keyClicks(dialog.confirm, "first-pass-1")
    with qtbot.waitSignal(dialog.initialised, timeout=10_000) as signal:
        _ok(dialog)
    actor = signal.args[0]
    assert actor.username == "admin" and actor.display_name == "岩罕"
    assert desk.identity.desk_code == "D05" and desk.identity.short_name == "景综"
    desk.close()


def test_first_start_shows_errors_beside_fields_and_saves_nothing(
    qtbot, runner, data_dir: Path
) -> None:
    desk = open_desk(data_dir)
    dialog = FirstRunDialog(runner, lambda fields: initialise(desk, InitInput(**fields)))
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.center, "景")
    qtbot.keyClicks(dialog.desk_code, "3")
    qtbot.keyClicks(dialog.username, "admin")
    qtbot.keyClicks(dialog.password, "short")
    qtbot.keyClicks(dialog.confirm, "short")
    _ok(dialog)
    desk_error = dialog.errors.error_label("desk_code")
    qtbot.waitUntil(desk_error.isVisible, timeout=10_000)
    assert "窗口编号" in desk_error.text()
    assert "中心全称" in dialog.errors.error_label("center_name").text()
    assert "至少 8 位" in dialog.errors.error_label("password").text()
    assert not dialog.errors.error_label("username").isVisible()
    assert dialog.isVisible()
    assert open_desk(data_dir).info is None
    desk.close()


def test_mismatched_passwords_are_caught_before_any_service_call(
    qtbot, runner, data_dir: Path
) -> None:
    calls: list[object] = []
    dialog = FirstRunDialog(runner, calls.append)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.password, "first-pass-1")
    qtbot.keyClicks(dialog.confirm, "first-pass-2")
    _ok(dialog)
    assert (
        dialog.errors.error_label("confirm").text() == "两次输入的密码不一致，请重新输入相同的密码"
    )
    assert calls == []


def test_login_refuses_a_wrong_password_then_accepts_the_right_one(
    qtbot, runner, desk: Desk
) -> None:
    dialog = LoginDialog(runner, lambda u, p: login(desk.db, u, p), last_user="clerk1")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "综治中心前台：登录"
    assert dialog.password.hasFocus() or dialog.focusWidget() is dialog.password
    qtbot.keyClicks(dialog.password, "wrong-password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "不正确" in dialog.message.text(), timeout=10_000)
    assert dialog.password.text() == ""
    qtbot.keyClicks(dialog.password, CLERK_PASSWORD)
    with qtbot.waitSignal(dialog.logged_in, timeout=10_000) as signal:
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert signal.args[0].username == "clerk1"


def test_an_empty_login_asks_for_both_fields(qtbot, runner) -> None:
    dialog = LoginDialog(runner, lambda u, p: None)
    qtbot.addWidget(dialog)
    dialog.login_button.click()
    assert dialog.message.text() == "请输入用户名和密码"
