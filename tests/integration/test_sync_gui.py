"""Sync in the app against a real PostgreSQL: the worker, the status bar, connection settings.

No mocks: the worker runs the real engine in its own thread against the throwaway
cluster; the waits are on the worker's signals.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtWidgets import QApplication

from desk_app.app import install_translations
from desk_app.devtools.pgserver import PgServer, free_port
from desk_app.models import Case, Outbox, SyncState
from desk_app.services import cases, demo
from desk_app.services.desk import Desk
from desk_app.services.settings import SYNC_PAGE_SIZE, SYNC_URL
from desk_app.services.sync import central, enroll
from desk_app.services.sync.engine import SyncEngine
from desk_app.services.sync.store import CentralStore
from desk_app.views.central_connection import CentralConnectionDialog
from desk_app.views.main_window import MainWindow
from desk_app.workers.sync_worker import SyncPhase, SyncStatus, SyncWorker
from desk_app.workers.tasks import TaskRunner
from tests.conftest import actor_of, sample_case
from tests.integration.test_sync import VERSION, make_desk

WAIT_MS = 60_000


@pytest.fixture(scope="module", autouse=True)
def chinese_ui(qapp: QApplication) -> None:
    install_translations(qapp, "zh_CN")


@pytest.fixture
def runner(qtbot) -> Iterator[TaskRunner]:
    r = TaskRunner()
    yield r
    r.wait()


@pytest.fixture
def center(central_db: str):
    url = central.central_url(central_db)
    engine = central.connect(url)
    central.upgrade(engine)
    yield url, engine
    engine.dispose()


@pytest.fixture
def workers() -> Iterator[list[SyncWorker]]:
    """Workers a test starts; each is stopped at the end, whatever happened."""
    made: list[SyncWorker] = []
    yield made
    for worker in made:
        assert worker.stop(), "a sync worker did not stop"


@pytest.fixture
def opened() -> Iterator[list[Desk]]:
    made: list[Desk] = []
    yield made
    for desk in made:
        desk.close()


def _desk(opened: list[Desk], tmp_path: Path, template_db: Path, code: str) -> Desk:
    desk = make_desk(tmp_path / code, template_db, code)
    opened.append(desk)
    return desk


def _worker(workers: list[SyncWorker], desk: Desk) -> SyncWorker:
    # No timed rounds: every round in these tests is asked for or follows a change.
    worker = SyncWorker(desk, VERSION, interval_s=3600)
    workers.append(worker)
    return worker


def _phases(worker: SyncWorker) -> list[SyncStatus]:
    seen: list[SyncStatus] = []
    worker.status_changed.connect(seen.append)
    return seen


def _with_port(url: str, port: int) -> str:
    return sa.engine.make_url(url).set(port=port).render_as_string(hide_password=False)


def _outbox_states(desk: Desk) -> dict[uuid.UUID, str]:
    with desk.db.read() as s:
        return {op: state for op, state in s.execute(sa.select(Outbox.op_id, Outbox.state))}


def _applied(engine: sa.Engine, desk_code: str) -> set[uuid.UUID]:
    with engine.connect() as conn:
        return set(
            conn.execute(
                sa.text("SELECT op_id FROM applied_op WHERE desk_code = :d"), {"d": desk_code}
            ).scalars()
        )


# --- the worker and the status bar ------------------------------------------------------------


def test_status_goes_offline_then_online_then_synced(
    qtbot, center, template_db, tmp_path, runner, opened, workers
) -> None:
    url, engine = center
    desk = _desk(opened, tmp_path, template_db, "D01")
    enroll.enroll(desk, url, "D01", ("532801",), VERSION)
    ref = cases.register_case(desk, actor_of(desk, "clerk1"), sample_case())
    plain = desk.settings.get(SYNC_URL)
    desk.settings.set(SYNC_URL, _with_port(plain, free_port()))  # nothing listens there

    window = MainWindow(desk, actor_of(desk, "admin"), runner)
    qtbot.addWidget(window)
    worker = _worker(workers, desk)
    window.attach_sync(worker)
    seen = _phases(worker)
    window.show()
    with qtbot.waitSignal(worker.failed, timeout=WAIT_MS) as failed:
        worker.start()
    assert "连不上中心数据库" in failed.args[0]
    panel = window.sync_panel
    qtbot.waitUntil(lambda: panel.status.phase == SyncPhase.OFFLINE, timeout=WAIT_MS)
    assert panel.state_text() == "离线"
    assert "连不上中心数据库" in panel.state_label.toolTip()
    assert "秒后自动重试" in panel.state_label.toolTip()
    assert panel.last_label.text() == "尚未同步"
    assert window.pending_label.text() == f"待同步：{desk.pending_ops()} 项更改"

    desk.settings.set(SYNC_URL, plain)  # the administrator fixed the address
    with qtbot.waitSignal(worker.synced, timeout=WAIT_MS):
        window.sync_action.trigger()  # 立即同步, also during the back-off wait
    phases = [s.phase for s in seen]
    offline = phases.index(SyncPhase.OFFLINE)
    syncing = phases.index(SyncPhase.SYNCING, offline)
    assert SyncPhase.SYNCED in phases[syncing:]
    qtbot.waitUntil(lambda: panel.status.phase == SyncPhase.SYNCED, timeout=WAIT_MS)
    assert panel.state_text() == "在线 · 已同步"
    assert panel.status.online is True and panel.status.error == ""
    assert panel.last_label.text().startswith("上次同步 ")
    assert not panel.progress_bar.isVisible()
    assert not panel.conflicts_label.isVisible()  # no counter plugged in yet
    qtbot.waitUntil(lambda: window.pending_label.text() == "待同步：0 项更改", timeout=WAIT_MS)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT case_no FROM cases")).scalar_one() == ref.case_no

    # A change made here goes out by itself, shortly after it was saved.
    worker_done = qtbot.waitSignal(worker.synced, timeout=WAIT_MS)
    with worker_done:
        cases.register_case(desk, actor_of(desk, "clerk1"), sample_case("第二件"))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM cases")).scalar_one() == 2


def test_quitting_during_a_sync_leaves_consistent_data(
    qtbot, center, template_db, tmp_path, opened, workers
) -> None:
    _url, engine = center
    desk = _desk(opened, tmp_path, template_db, "D01")
    enroll.enroll(desk, center[0], "D01", ("532801",), VERSION)
    demo.generate(desk, 1500, seed=7)
    total = desk.pending_ops()
    assert total > 20 * 200  # many batches: the stop comes in the middle

    worker = _worker(workers, desk)
    with qtbot.waitSignal(worker.progress, timeout=WAIT_MS):  # the first batch went
        worker.start()
    assert worker.stop()  # the app quits: the round ends at its next stop point
    assert not worker.running
    assert worker.status.phase == SyncPhase.STOPPED

    states = _outbox_states(desk)
    acked = {op for op, state in states.items() if state == "acked"}
    assert set(states.values()) <= {"acked", "pending"}
    assert 0 < len(acked) < total  # it stopped part-way, between whole batches
    assert len(acked) % 200 == 0
    assert _applied(engine, "D01") == acked  # the center has exactly what the desk recorded

    # The next start goes on from there and finishes.
    again = _worker(workers, desk)
    with qtbot.waitSignal(again.synced, timeout=WAIT_MS):
        again.start()
    assert set(_outbox_states(desk).values()) == {"acked"}
    assert _applied(engine, "D01") == set(_outbox_states(desk))


def test_a_first_sync_shows_progress_and_resumes_after_an_interruption(
    qtbot, center, template_db, tmp_path, opened, workers
) -> None:
    url, engine = center
    source = _desk(opened, tmp_path, template_db, "D01")
    enroll.enroll(source, url, "D01", ("532801",), VERSION)
    demo.generate(source, 300, seed=11)
    SyncEngine(source, CentralStore(engine, "D01"), VERSION).push()

    fresh = _desk(opened, tmp_path, template_db, "D02")
    enroll.enroll(fresh, url, "D02", ("532801",), VERSION)
    fresh.settings.set(SYNC_PAGE_SIZE, 25)  # many pages: the stop comes in the middle
    first = _worker(workers, fresh)
    seen = _phases(first)

    def pulled_a_page() -> bool:
        return any(s.first_sync is not None and s.first_sync.cursor > 0 for s in seen)

    first.start()
    qtbot.waitUntil(pulled_a_page, timeout=WAIT_MS)
    assert first.stop()
    shown = [s.first_sync for s in seen if s.first_sync is not None]
    target = shown[0].target
    assert target > 0 and shown[0].cursor == 0
    with fresh.db.read() as s:
        cursor = s.get(SyncState, 1).pull_cursor  # type: ignore[union-attr]
        here = set(s.scalars(sa.select(Case.id)))
    assert 0 < cursor < target
    # Whole pages only: exactly the cases whose first change is at or before the cursor.
    with engine.connect() as conn:
        upto = set(
            conn.execute(
                sa.text(
                    "SELECT entity_id FROM change_log WHERE entity = 'cases' "
                    "GROUP BY entity_id HAVING min(server_seq) <= :c"
                ),
                {"c": cursor},
            ).scalars()
        )
    assert here == upto

    again = _worker(workers, fresh)
    resumed = _phases(again)
    with qtbot.waitSignal(again.synced, timeout=WAIT_MS):
        again.start()
    progress = [s.first_sync for s in resumed if s.first_sync is not None]
    assert progress[0].cursor == cursor  # it went on from where it stopped
    assert progress[-1].percent == 100
    with engine.connect() as conn:
        held = conn.execute(sa.text("SELECT count(*) FROM cases")).scalar_one()
    with fresh.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Case)) == held
    assert again.status.first_sync is None and again.status.last_success_at is not None


# --- connection settings --------------------------------------------------------------------


def _dialog(qtbot, desk: Desk, runner: TaskRunner) -> CentralConnectionDialog:
    dialog = CentralConnectionDialog(desk, actor_of(desk, "admin"), runner, VERSION)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _fill(dialog: CentralConnectionDialog, server: PgServer, db: str, password: str) -> None:
    dialog.host.setText(server.host)
    dialog.port.setValue(server.port)
    dialog.database.setText(db)
    dialog.user.setText("desk")
    dialog.password.setText(password)
    dialog.tls.setCurrentIndex(dialog.tls.findData("disable"))


def _test(qtbot, dialog: CentralConnectionDialog) -> str:
    with qtbot.waitSignal(dialog.finished_work, timeout=WAIT_MS):
        dialog.test_button.click()
    assert dialog.result_label.isVisible()
    return dialog.result_label.text()


def _revisions() -> list[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(central.MIGRATIONS_DIR))
    return [r.revision for r in ScriptDirectory.from_config(cfg).walk_revisions()]


def test_the_connection_test_says_in_chinese_what_is_wrong(
    qtbot, pg_server, center, template_db, tmp_path, runner, opened
) -> None:
    url, engine = center
    desk = _desk(opened, tmp_path, template_db, "D07")
    dialog = _dialog(qtbot, desk, runner)
    db = url.database
    assert db is not None

    _fill(dialog, pg_server, db, "not-the-password")
    assert "用户名或密码不正确" in _test(qtbot, dialog)

    dialog.password.setText("desk")
    dialog.port.setValue(free_port())
    assert "连不上中心数据库" in _test(qtbot, dialog)

    dialog.port.setValue(pg_server.port)
    assert "尚未登记" in _test(qtbot, dialog)

    dialog.tls.setCurrentIndex(dialog.tls.findData("require"))  # the test cluster has no TLS
    assert "不接受加密连接" in _test(qtbot, dialog)
    dialog.tls.setCurrentIndex(dialog.tls.findData("disable"))

    head = central.head_revision()
    older = next(r for r in _revisions() if r != head)
    for revision, says in ((older, "版本较旧"), ("ffff0000", "比本程序新"), (head, "尚未登记")):
        with engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE alembic_version_central SET version_num = :v"), {"v": revision}
            )
        assert says in _test(qtbot, dialog)

    dialog.host.setText("")
    _test(qtbot, dialog)
    assert dialog.errors.error_label("host").isVisible()
    assert "主机" in dialog.errors.error_label("host").text()


def test_an_empty_central_database_is_called_not_set_up(
    qtbot, pg_server, central_db, template_db, tmp_path, runner, opened
) -> None:
    desk = _desk(opened, tmp_path, template_db, "D07")
    dialog = _dialog(qtbot, desk, runner)
    _fill(dialog, pg_server, sa.engine.make_url(central_db).database or "", "desk")
    assert "尚未建好" in _test(qtbot, dialog)


def test_enrolling_from_the_settings_starts_sync(
    qtbot, pg_server, center, template_db, tmp_path, runner, opened, workers
) -> None:
    url, engine = center
    desk = _desk(opened, tmp_path, template_db, "D04")
    cases.register_case(desk, actor_of(desk, "clerk1"), sample_case())
    window = MainWindow(desk, actor_of(desk, "admin"), runner)
    qtbot.addWidget(window)
    worker = _worker(workers, desk)
    window.attach_sync(worker)
    window.show()
    worker.start()
    qtbot.waitUntil(lambda: worker.status.phase == SyncPhase.NOT_ENROLLED, timeout=WAIT_MS)
    assert window.sync_panel.state_text() == "未连接中心"

    window.show_area("settings")
    page = window.settings_page
    assert page.central_address.text() == "未连接"
    dialog = page.open_central_dialog()
    qtbot.addWidget(dialog)
    assert dialog.findChild(type(page.central_address), "desk_code").text() == "D04"
    _fill(dialog, pg_server, url.database or "", "desk")
    dialog.scope.setText("")
    with qtbot.waitSignal(dialog.finished_work, timeout=WAIT_MS):
        dialog.enroll_button.click()
    assert "同步范围" in dialog.enroll_errors.error_label("scope").text()

    dialog.scope.setText("532801103")
    with qtbot.waitSignal(worker.synced, timeout=WAIT_MS):
        dialog.enroll_button.click()
    assert "已登记" in dialog.result_label.text()
    assert dialog.password.text() == ""
    assert "127.0.0.1" in page.central_address.text() and "532801103" in page.central_scope.text()
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT scope FROM desk WHERE desk_code = 'D04'")).one()
        assert row.scope == ["532801103"]
        assert conn.execute(sa.text("SELECT count(*) FROM cases")).scalar_one() == 1
    assert desk.settings.get(SYNC_URL).endswith(f"/{url.database}?sslmode=disable")
    qtbot.waitUntil(lambda: window.sync_panel.state_text() == "在线 · 已同步", timeout=WAIT_MS)

    # Opened again, it shows what is stored; the saved password is not shown.
    again = page.open_central_dialog()
    qtbot.addWidget(again)
    assert again.host.text() == "127.0.0.1" and again.port.value() == pg_server.port
    assert again.tls.currentData() == "disable" and again.password.text() == ""
    qtbot.waitUntil(lambda: again.password.placeholderText() != "", timeout=WAIT_MS)
    assert "已登记" in _test(qtbot, again)  # with the stored password
