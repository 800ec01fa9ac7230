"""`desk-app bench`: the longest GUI event-loop stall while the sync worker works off a backlog.

A copy of the demo desk, enrolled in a fresh central database of a throwaway cluster
(`desk_app.devtools.pgserver`), with its first `PUSH_OPS` outbox ops pending and its
pull cursor at 0 (`bench_sync`'s helpers), is opened in the real main window
(offscreen, 1366x768) with the real `SyncWorker` attached, connecting as the `desk`
role over TCP. A 5 ms precise QTimer on the GUI thread records the time between its
ticks; the figure is the longest gap while the worker's round runs (push of the
backlog, then the pull that brings the desk's own rows back with their versions),
from `start()` to its `synced` signal. The gap includes the tick's own 5 ms.
Baseline: the longest gap of the same timer over an idle second in the same window
before the round. Target: 50 ms.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg

from desk_app import __version__, bench_sync
from desk_app.devtools import pgserver
from desk_app.services.roles import Actor
from desk_app.services.settings import SYNC_URL
from desk_app.services.sync.runner import PASSWORD_ENV

if TYPE_CHECKING:  # bench imports this module: take Figure from it only when called
    from desk_app.bench import Figure

Progress = Callable[[str], None]

STALL_TARGET_MS = 50.0
TICK_MS = 5
IDLE_MS = 1000
#: A round of 50,000 ops takes about 20 s here; this only guards against a hang.
ROUND_TIMEOUT_S = 1800.0


@dataclass(frozen=True)
class _StallRun:
    stall_ms: float
    idle_ms: float
    p99_ms: float
    ticks: int
    round_s: float
    pushed: int
    pulled: int


class _Ticker:
    """Records the gaps between the ticks of a 5 ms timer on the GUI thread."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.gaps: list[float] = []
        self._last = 0.0
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.gaps = []
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return self.gaps

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000.0)
        self._last = now


def _spin(app: object, until: Callable[[], bool], timeout_s: float) -> None:
    """Run the GUI event loop until `until()` or the time-out (an exception)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    check = QTimer()
    check.setInterval(20)
    check.timeout.connect(lambda: loop.quit() if until() else None)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    check.start()
    deadline.start(int(timeout_s * 1000))
    if not until():
        loop.exec()
    check.stop()
    deadline.stop()
    if not until():
        raise RuntimeError(f"no end within {timeout_s:.0f} s")


def _run(server: pgserver.PgServer, root: Path, tmp: Path, i: int, progress: Progress) -> _StallRun:
    from PySide6.QtWidgets import QApplication

    from desk_app.views.main_window import MainWindow
    from desk_app.workers.sync_worker import SyncWorker
    from desk_app.workers.tasks import TaskRunner

    app = QApplication.instance()
    assert app is not None
    db = f"bench_gui_{i}"
    engine = bench_sync._new_central(server, db)
    engine.dispose()
    folder = tmp / f"gui-{i}"
    desk = bench_sync._copy_desk(root / "desk.db", folder)
    runner = TaskRunner()
    worker: SyncWorker | None = None
    window: MainWindow | None = None
    try:
        bench_sync._enroll(desk, server, db, bench_sync.PULL_SCOPE)
        # As a desk connects: the desk role over TCP, its password from the environment.
        desk.settings.set(SYNC_URL, server.url(db, password=False))
        # Only their number: the bench must not keep 50,000 ops alive in the GUI's heap.
        backlog = len(bench_sync._hold_back(desk, bench_sync.PUSH_OPS)[0])
        window = MainWindow(desk, Actor.command_line(), runner)
        window.resize(1366, 768)
        window.show()
        worker = SyncWorker(desk, __version__, interval_s=3600)
        window.attach_sync(worker)
        done: list[object] = []
        failed: list[str] = []
        worker.synced.connect(done.append)
        worker.failed.connect(failed.append)
        worker.unexpected_error.connect(lambda message, _tb: failed.append(message))
        ticker = _Ticker()
        _spin(app, lambda: runner.running == 0, 30)  # the window's first count
        ticker.start()
        started = time.perf_counter()
        _spin(app, lambda: time.perf_counter() - started >= IDLE_MS / 1000.0, 10)
        idle = max(ticker.stop())
        progress(f"  GUI stall run {i + 1}: the worker syncs {backlog} ops …")
        ticker.start()
        started = time.perf_counter()
        worker.start()
        _spin(app, lambda: bool(done or failed), ROUND_TIMEOUT_S)
        round_s = time.perf_counter() - started
        gaps = ticker.stop()
        if failed:
            raise RuntimeError(f"the sync round failed: {failed[0]}")
        summary = done[0]
        progress(f"  round of {round_s:.0f} s, {len(gaps)} ticks, longest gap {max(gaps):.1f} ms")
        ordered = sorted(gaps)
        return _StallRun(
            stall_ms=max(gaps),
            idle_ms=idle,
            p99_ms=ordered[int(0.99 * (len(ordered) - 1))],
            ticks=len(gaps),
            round_s=round_s,
            pushed=int(getattr(summary, "pushed", 0)),
            pulled=int(getattr(summary, "pulled", 0)),
        )
    finally:
        if worker is not None:
            worker.stop()
        if window is not None:
            window.close()
            window.deleteLater()
        runner.wait()
        desk.close()
        shutil.rmtree(folder, ignore_errors=True)
        server.drop_database(db)


def gui_sync_figures(root: Path, runs: int, progress: Progress) -> list[Figure]:
    """The longest GUI stall while the worker syncs the demo desk's first 50,000 ops.

    Returns [] (after saying why) when no PostgreSQL cluster can be started here.
    """
    from desk_app.bench import Figure

    bindir = pgserver.find_bindir()
    if bindir is None:
        progress(f"GUI stall figure skipped: {pgserver.INSTALL_HINT}")
        return []
    try:
        server = pgserver.start_cluster(bindir)
    except (RuntimeError, OSError, subprocess.SubprocessError, psycopg.Error) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        progress(f"GUI stall figure skipped: no PostgreSQL cluster from {bindir}: {reason}")
        return []
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # the same figure with or without a display

    from PySide6.QtCore import QTranslator

    from desk_app.paths import resource

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    # The window in Chinese, as at a desk (the bench may not import desk_app.app).
    translator = QTranslator(app)
    if translator.load(str(resource("i18n", "desk_app_zh_CN.qm"))):
        app.installTranslator(translator)
    saved_password = os.environ.get(PASSWORD_ENV)
    os.environ[PASSWORD_ENV] = "desk"
    tmp = Path(tempfile.mkdtemp(prefix="desk-bench-gui-"))
    try:
        results = [_run(server, root, tmp, i, progress) for i in range(max(1, runs))]
    finally:
        if saved_password is None:
            os.environ.pop(PASSWORD_ENV, None)
        else:
            os.environ[PASSWORD_ENV] = saved_password
        pgserver.remove_cluster(server)
        shutil.rmtree(tmp, ignore_errors=True)
        app.removeTranslator(translator)
    last = results[-1]
    note = (
        f"longest gap between the ticks of a {TICK_MS} ms timer on the GUI thread (the "
        "main window offscreen at 1366x768, status bar live) while the SyncWorker's "
        f"round ran: push of {last.pushed} outbox ops of a copy of the demo desk to a "
        f"fresh central database on 127.0.0.1, then the pull of {last.pulled} rows back "
        f"({last.round_s:.0f} s, {last.ticks} ticks, 99th percentile gap "
        f"{statistics.median(r.p99_ms for r in results):.1f} ms); baseline: the longest "
        f"gap over {IDLE_MS} ms idle in the same window before the round"
    )
    if last.pushed < bench_sync.PUSH_OPS:
        note += f"; only {last.pushed} ops in the demo outbox (fewer than 50,000)"
    return [
        Figure(
            "sync_gui_stall_ms",
            "ms",
            [r.stall_ms for r in results],
            target=STALL_TARGET_MS,
            baseline_runs=[r.idle_ms for r in results],
            note=note,
        )
    ]


__all__ = ["STALL_TARGET_MS", "gui_sync_figures"]
