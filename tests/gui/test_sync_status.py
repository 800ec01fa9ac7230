"""The sync status in the status bar, the worker of a desk with no central connection, and
who may open the connection settings. (Against PostgreSQL: tests/integration/test_sync_gui.py.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from desk_app.services.numbering import SHANGHAI
from desk_app.services.sync_status import FirstSync
from desk_app.views.main_window import MainWindow
from desk_app.views.sync_status import SyncStatusPanel
from desk_app.workers.sync_worker import SyncPhase, SyncStatus, SyncWorker


def _panel(qtbot, status: SyncStatus) -> SyncStatusPanel:
    panel = SyncStatusPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_status(status)
    return panel


def test_each_state_reads_in_chinese_with_its_detail_in_the_tooltip(qtbot) -> None:
    offline = _panel(
        qtbot,
        SyncStatus(
            SyncPhase.OFFLINE, online=False, pending=3, error="连不上中心数据库", retry_in=8
        ),
    )
    assert offline.state_text() == "离线"
    tip = offline.state_label.toolTip()
    assert "连不上中心数据库" in tip and "约 8 秒后自动重试" in tip and "待同步：3 项更改" in tip
    assert not offline.warning_label.isVisible() and not offline.progress_bar.isVisible()

    syncing = _panel(qtbot, SyncStatus(SyncPhase.SYNCING, progress="已推送 200 项"))
    assert syncing.state_text() == "正在同步…"
    assert syncing.progress_bar.isVisible() and syncing.progress_bar.maximum() == 0  # busy
    assert syncing.progress_text.text() == "已推送 200 项"

    first = _panel(
        qtbot,
        SyncStatus(SyncPhase.SYNCING, progress="已拉取 2000 行", first_sync=FirstSync(450, 1000)),
    )
    assert first.progress_bar.maximum() == 1000 and first.progress_bar.value() == 450
    assert first.progress_text.text() == "首次同步：45%（已拉取 2000 行）"
    assert "中断后会从中断处继续" in first.progress_text.toolTip()

    skew = "本机时钟比中心快约 8 分钟，请校准系统时间（同步不依赖时钟，但登记时间会不准）"
    now = datetime.now(UTC)
    synced = _panel(
        qtbot, SyncStatus(SyncPhase.SYNCED, online=True, last_success_at=now, warnings=(skew,))
    )
    assert synced.state_text() == "在线 · 已同步"
    assert synced.last_label.text() == f"上次同步 {now.astimezone(SHANGHAI):%H:%M}"
    assert synced.warning_label.isVisible() and synced.warning_label.toolTip() == skew
    assert synced.warning_label.text().startswith("⚠ 本机时钟")
    assert not synced.conflicts_label.isVisible()  # no conflict counter plugged in

    earlier = now - timedelta(days=3)
    local = earlier.astimezone(SHANGHAI)
    old = _panel(qtbot, SyncStatus(SyncPhase.SYNCED, last_success_at=earlier, open_conflicts=2))
    assert old.last_label.text() == f"上次同步 {local.month}月{local.day}日 {local:%H:%M}"
    assert old.conflicts_label.isVisible() and ">冲突：2</a>" in old.conflicts_label.text()
    with qtbot.waitSignal(old.conflicts_clicked):  # the badge opens the review screen
        old.conflicts_label.linkActivated.emit("conflicts")

    version = "本程序版本 0.1.0 低于中心要求的 0.2.0：请升级后再同步（待同步的更改会保留）"
    paused = _panel(qtbot, SyncStatus(SyncPhase.FAILED, online=True, error=version, retry_in=60))
    assert paused.state_text() == "在线 · 同步暂停"
    assert paused.warning_label.isVisible() and paused.warning_label.toolTip() == version

    broken = _panel(qtbot, SyncStatus(SyncPhase.FAILED, error="KeyError: 'x'", unexpected=True))
    assert broken.state_text() == "同步出错"
    assert broken.warning_label.toolTip() == "同步出错：KeyError: 'x'（详情见日志）"


def test_a_desk_not_enrolled_waits_quietly(qtbot, desk, admin, runner) -> None:
    window = MainWindow(desk, admin, runner)
    qtbot.addWidget(window)
    worker = SyncWorker(desk, "0.1.0", interval_s=3600, debounce_ms=10)
    window.attach_sync(worker)
    window.show()
    seen: list[SyncStatus] = []
    worker.status_changed.connect(seen.append)
    try:
        worker.start()
        qtbot.waitUntil(lambda: worker.status.phase == SyncPhase.NOT_ENROLLED, timeout=10_000)
        assert window.sync_panel.state_text() == "未连接中心"
        assert "设置 → 中心连接" in window.sync_panel.state_label.toolTip()
        assert worker.status.retry_in is None and worker.status.error == ""
        # A change here and 立即同步 look again (no network), find the same and say nothing;
        # stop() delivers whatever the loop said before it ended.
        worker.local_changed()
        worker.sync_now()
    finally:
        assert worker.stop()
    assert [s.phase for s in seen] == [SyncPhase.NOT_ENROLLED, SyncPhase.STOPPED]
    assert worker.status.phase == SyncPhase.STOPPED
    assert window.sync_panel.state_text() == "同步已停止"


def test_only_administrators_get_the_connection_settings(qtbot, desk, admin, clerk, runner) -> None:
    for actor, allowed in ((admin, True), (clerk, False)):
        window = MainWindow(desk, actor, runner)
        qtbot.addWidget(window)
        window.show_area("settings")
        page = window.settings_page
        assert page.central_address.text() == "未连接"
        assert (page.central_button is not None) == allowed
        if allowed:
            dialog = page.open_central_dialog()
            qtbot.addWidget(dialog)
            assert dialog.windowTitle() == "中心连接"
            assert not dialog.ca_file.isEnabled()
            dialog.tls.setCurrentIndex(dialog.tls.findData("verify-full"))
            assert dialog.ca_file.isEnabled()
            with qtbot.waitSignal(dialog.finished_work, timeout=10_000):
                dialog.test_button.click()  # nothing filled in: no network, field errors
            assert dialog.errors.error_label("host").isVisible()
            assert "CA 证书" in dialog.errors.error_label("ca_file").text()
