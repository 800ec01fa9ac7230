"""The sync worker: the engine of `desk-app sync`, run in a thread of its own.

`_SyncLoop` is a QObject moved to its own QThread. In that thread it opens the
engine (its own central connection pool; SQLite sessions per unit of work, as
everywhere) and runs `sync_once`: on a timer (`[sync] interval`, 30 s), about two
seconds after local changes, and at once on `sync_now()`. A failed round is retried
by itself after `runner.backoff()` (2, 4, 8 … 60 s); a desk with no central
connection waits quietly (the interval only re-reads the settings, no network).

It never touches widgets: everything it has to say goes out as a `SyncStatus` by
signal. Every exception of a round is caught: the services' own (`DeskError`) are
reported as the round's error; anything else is logged with its traceback and
reported once through `unexpected_error`.

`SyncWorker` is its face on the GUI thread: it owns the thread and re-emits the
loop's signals there, so that whatever is connected to them (a lambda, a list's
append, a test's wait) runs on the GUI thread, never on the sync thread. Its methods
(`start`, `sync_now`, `local_changed`, `reconnect`, `request_stop`) only set a flag or
post to the loop's thread; `stop()` asks the engine to stop between whole batches,
pages and chunks (`should_stop`), so nothing is half applied, then ends the thread
and waits for it.
"""

from __future__ import annotations

import gc
import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThread, QTimer, Signal, Slot

from desk_app.services import sync_status
from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError
from desk_app.services.settings import SYNC_INTERVAL
from desk_app.services.sync_status import FirstSync

if TYPE_CHECKING:
    from desk_app.services.sync.engine import SyncEngine

log = logging.getLogger(__name__)

#: Quiet time after a local change before a round starts (a burst of saves is one round).
DEBOUNCE_MS = 2000
#: How long `stop()` waits for a round to reach its next stop point.
STOP_TIMEOUT_MS = 30_000

#: Counts this desk's open conflicts after a successful round, on the worker's thread (the
#: app passes `services.conflicts.count_open` of the desk: conflicts arrive with the pull).
ConflictCounter = Callable[["SyncEngine"], int]


class SyncPhase(StrEnum):
    STARTING = "starting"
    #: The desk has no central connection (not enrolled): nothing to do, nothing retried.
    NOT_ENROLLED = "not_enrolled"
    SYNCING = "syncing"
    #: The last round finished: everything pending then was pushed and the pull caught up.
    SYNCED = "synced"
    #: The center could not be reached; retrying after `retry_in` seconds.
    OFFLINE = "offline"
    #: The center was reached but refused (versions, schema), or an unexpected error;
    #: retrying after `retry_in` seconds.
    FAILED = "failed"
    STOPPED = "stopped"


@dataclass(frozen=True)
class SyncStatus:
    """Everything the status bar shows about sync (plain data, safe across threads)."""

    phase: SyncPhase = SyncPhase.STARTING
    #: Whether the center answered last time (None: not known yet).
    online: bool | None = None
    pending: int = 0
    last_success_at: datetime | None = None
    #: Why the last round failed, in Chinese (or an unexpected error's text).
    error: str = ""
    unexpected: bool = False
    retry_in: float | None = None
    #: Warnings of the last successful round (clock skew), in Chinese.
    warnings: tuple[str, ...] = ()
    #: The engine's last progress line during a round ("已推送 200 项").
    progress: str = ""
    #: During a desk's first sync: the pull cursor against the central maximum.
    first_sync: FirstSync | None = None
    #: The last finished round, in a line ("推送 3 项（成功 3 …），拉取 5 行").
    summary: str = ""
    #: Placeholder until conflict counting lands: open conflicts of this desk's scope,
    #: from the `count_open_conflicts` hook; None = not known (not shown).
    open_conflicts: int | None = None


class SyncWorker(QObject):
    """The sync loop's face on the GUI thread; see the module docstring."""

    # The status changed (a SyncStatus).
    status_changed = Signal(object)
    # A progress line of the running round, in Chinese.
    progress = Signal(str)
    # A round finished (its SyncSummary).
    synced = Signal(object)
    # A round failed: why, in Chinese.
    failed = Signal(str)
    # A programming error in a round (message, traceback); reported once per message.
    unexpected_error = Signal(str, str)

    def __init__(
        self,
        desk: Desk,
        app_version: str,
        *,
        interval_s: float | None = None,
        debounce_ms: int = DEBOUNCE_MS,
        count_open_conflicts: ConflictCounter | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._status = SyncStatus()
        self._stopped = False
        self._thread = QThread()
        self._thread.setObjectName("sync")
        self._loop = _SyncLoop(desk, app_version, interval_s, debounce_ms, count_open_conflicts)
        self._loop.moveToThread(self._thread)
        self._thread.started.connect(self._loop.setup)
        # Queued to this (the GUI) thread.
        self._loop.status_changed.connect(self._loop_status)
        self._loop.progress.connect(self._loop_progress)
        self._loop.synced.connect(self._loop_synced)
        self._loop.failed.connect(self._loop_failed)
        self._loop.unexpected_error.connect(self._loop_unexpected)

    @property
    def status(self) -> SyncStatus:
        """The last status delivered on the GUI thread."""
        return self._status

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    def start(self) -> None:
        """Start the thread; the first round follows at once."""
        # What exists now (modules, Qt wrappers, the window) lives as long as the app: it
        # leaves the cyclic collector, whose full passes hold the GIL and would otherwise
        # walk all of it (100-200 ms, a visible stall of the GUI) while rounds allocate.
        gc.freeze()
        self._thread.start()

    def sync_now(self) -> None:
        """A round now (立即同步), also during a back-off wait."""
        self._loop.wake.emit("now")

    def local_changed(self) -> None:
        """Something was saved here: a round after a short quiet time (from any thread)."""
        self._loop.wake.emit("changed")

    def reconnect(self) -> None:
        """The connection settings changed: reopen the engine and sync now."""
        self._loop.wake.emit("reconnect")

    def request_stop(self) -> None:
        """Ask a running round to end at its next stop point (any thread; returns at once)."""
        self._loop.stop_requested.set()

    def stop(self, timeout_ms: int = STOP_TIMEOUT_MS) -> bool:
        """Stop the round at its next stop point and end the thread; False on a time-out.

        What the loop reported before it ended is delivered first, then STOPPED.
        """
        self._loop.stop_requested.set()
        if self._thread.isRunning():
            self._loop.wake.emit("quit")
            if not self._thread.wait(timeout_ms):
                log.warning("the sync thread did not stop within %d ms", timeout_ms)
                return False
        # The loop's last signals are still queued to this thread: deliver them now.
        QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall)
        if not self._stopped:
            self._stopped = True
            self._status = replace(self._status, phase=SyncPhase.STOPPED, progress="",
                                   retry_in=None)  # fmt: skip
            self.status_changed.emit(self._status)
        return True

    @Slot(object)
    def _loop_status(self, status: SyncStatus) -> None:
        if not self._stopped:
            self._status = status
            self.status_changed.emit(status)

    @Slot(str)
    def _loop_progress(self, message: str) -> None:
        if not self._stopped:
            self.progress.emit(message)

    @Slot(object)
    def _loop_synced(self, summary: object) -> None:
        if not self._stopped:
            self.synced.emit(summary)

    @Slot(str)
    def _loop_failed(self, message: str) -> None:
        if not self._stopped:
            self.failed.emit(message)

    @Slot(str, str)
    def _loop_unexpected(self, message: str, tb: str) -> None:
        self.unexpected_error.emit(message, tb)


class _SyncLoop(QObject):
    """Lives in the sync thread: the timers, the engine and the rounds."""

    status_changed = Signal(object)
    progress = Signal(str)
    synced = Signal(object)
    failed = Signal(str)
    unexpected_error = Signal(str, str)
    # A request posted to this thread: now | changed | reconnect | quit.
    wake = Signal(str)

    def __init__(
        self,
        desk: Desk,
        app_version: str,
        interval_s: float | None,
        debounce_ms: int,
        count_open_conflicts: ConflictCounter | None,
    ) -> None:
        super().__init__()  # no parent: it moves to a thread of its own
        self.desk = desk
        self.app_version = app_version
        self._interval_s = interval_s
        self._debounce_ms = debounce_ms
        self._count_conflicts = count_open_conflicts
        self.stop_requested = threading.Event()
        self._status = SyncStatus()
        self._engine: SyncEngine | None = None
        self._failures = 0
        self._reported: set[str] = set()
        self._timers: list[QTimer] = []
        self.wake.connect(self._on_wake)

    # --- the worker's thread -------------------------------------------------------------------

    def _timer(self, interval_ms: int, single: bool, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(single)
        timer.setInterval(interval_ms)
        timer.timeout.connect(slot)
        self._timers.append(timer)
        return timer

    @Slot()
    def setup(self) -> None:
        interval = self._interval_s
        if interval is None:
            interval = float(max(5, self.desk.settings.get(SYNC_INTERVAL)))
        self._interval = self._timer(int(interval * 1000), False, self._interval_due)
        self._debounce = self._timer(self._debounce_ms, True, self._run)
        self._retry = self._timer(0, True, self._run)
        self._run()

    @Slot(str)
    def _on_wake(self, reason: str) -> None:
        if reason == "quit":
            self._teardown()
            return
        if self.stop_requested.is_set():
            return
        if reason == "changed":
            # While waiting out a back-off, the retry timer decides; when not enrolled
            # there is nowhere to send it.
            if self._retry.isActive() or self._status.phase == SyncPhase.NOT_ENROLLED:
                return
            self._debounce.start()
            return
        if reason == "reconnect":
            self._drop_engine()
            self._failures = 0
        self._run()

    def _interval_due(self) -> None:
        if not self._retry.isActive():
            self._run()

    def _teardown(self) -> None:
        for timer in self._timers:
            timer.stop()
        self._drop_engine()
        # Back to the GUI thread, so that the loop and its timers are destroyed there
        # without Qt's cross-thread warnings; then the thread's event loop ends.
        thread = self.thread()
        app = QCoreApplication.instance()
        if app is not None:
            self.moveToThread(app.thread())
        thread.quit()

    def _drop_engine(self) -> None:
        engine, self._engine = self._engine, None
        if engine is not None:
            try:
                engine.store.engine.dispose()
            except Exception:  # closing a broken pool must not end the worker
                log.exception("disposing the central engine failed")

    def _publish(self, **changes: Any) -> None:
        status = replace(self._status, **changes)
        if status != self._status:
            self._status = status
            self.status_changed.emit(status)

    @Slot()
    def _run(self) -> None:
        if self.stop_requested.is_set():
            return
        self._retry.stop()
        self._debounce.stop()
        try:
            # Full cyclic collections (they hold the GIL, so the GUI waits) run between
            # batches and pages, in `_on_progress`, not in the middle of one.
            from desk_app.services.sync.engine import no_full_collections

            with no_full_collections():
                self._round()
        finally:
            if not self.stop_requested.is_set():
                self._interval.start()  # the next timed round counts from now

    def _round(self) -> None:
        from desk_app.services.sync import runner
        from desk_app.services.sync.engine import SyncStopped

        try:
            if self._engine is None:
                self._engine = runner.open_engine(
                    self.desk, self.app_version, self._on_progress, self.stop_requested.is_set
                )
            local = sync_status.local_state(self.desk)
            self._publish(
                phase=SyncPhase.SYNCING, progress="", first_sync=None, pending=local.pending
            )
            if local.first_sync:
                target = sync_status.central_max_seq(self._engine.store.engine)
                self._publish(first_sync=FirstSync(local.pull_cursor, target))
            summary = self._engine.sync_once()
        except runner.NotEnrolled:
            self._drop_engine()
            self._failures = 0
            self._publish(
                phase=SyncPhase.NOT_ENROLLED, online=None, error="", retry_in=None, progress=""
            )
            return
        except SyncStopped:
            return
        except DeskError as exc:
            self._failed(exc, exc.message, unexpected=False)
            return
        except Exception as exc:
            text = str(exc) or type(exc).__name__
            tb = traceback.format_exc()
            log.error("sync round failed unexpectedly:\n%s", tb)
            if text not in self._reported:
                self._reported.add(text)
                self.unexpected_error.emit(text, tb)
            self._failed(exc, text, unexpected=True)
            return
        self._failures = 0
        local = sync_status.local_state(self.desk)
        self._publish(
            phase=SyncPhase.SYNCED,
            online=True,
            pending=local.pending,
            last_success_at=local.last_success_at,
            error="",
            unexpected=False,
            retry_in=None,
            warnings=tuple(summary.warnings),
            progress="",
            first_sync=None,
            summary=summary.line(),
            open_conflicts=self._open_conflicts(),
        )
        self.synced.emit(summary)

    def _failed(self, exc: BaseException, message: str, *, unexpected: bool) -> None:
        from sqlalchemy.exc import OperationalError

        self._drop_engine()  # reopened next time: the password or address may have changed
        self._failures += 1
        wait = self._backoff(self._failures)
        # A connection failure (the services wrap psycopg's) means offline; anything else
        # came from a center that answered.
        offline = isinstance(exc.__cause__, OperationalError)
        log.info("sync round failed (%s); retrying in %.0f s", message, wait)
        try:
            pending = sync_status.local_state(self.desk).pending
        except Exception:
            log.exception("reading the local sync state failed")
            pending = self._status.pending
        self._publish(
            phase=SyncPhase.OFFLINE if offline else SyncPhase.FAILED,
            online=None if unexpected else not offline,
            pending=pending,
            error=message,
            unexpected=unexpected,
            retry_in=wait,
            progress="",
            first_sync=None,
        )
        self.failed.emit(message)
        self._retry.start(int(wait * 1000))

    @staticmethod
    def _backoff(failures: int) -> float:
        from desk_app.services.sync import runner

        return runner.backoff(failures)

    def _open_conflicts(self) -> int | None:
        if self._count_conflicts is None or self._engine is None:
            return None
        try:
            return self._count_conflicts(self._engine)
        except Exception:
            log.exception("counting open conflicts failed")
            return None

    def _on_progress(self, message: str) -> None:
        """The engine's progress callback (this thread, between whole batches and pages)."""
        gc.collect()  # between whole batches and pages; see `_run`
        first = self._status.first_sync
        if first is not None:
            first = FirstSync(sync_status.pull_cursor(self.desk), first.target)
        self._publish(progress=message, first_sync=first)
        self.progress.emit(message)
