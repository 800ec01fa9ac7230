"""One helper for background work: run a callable on a pool thread, deliver on the GUI thread.

Like Anki's QueryOp: the caller gives a function (plain Python, typically a
service call) and callbacks for success and failure. The callbacks run on the
thread that owns the runner (the GUI thread). Exceptions never vanish: an
expected `DeskError` goes to `on_error`; anything else is logged with its
traceback and reported through `unexpected_error` (shown once by the window).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from desk_app.services.errors import DeskError

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Carries results from pool threads to the runner's thread: (task number, payload).

    One relay per runner, living as long as it: a per-task sender deleted once its
    result arrived could be freed while the pool thread was still returning from
    `emit` (a rare crash under load)."""

    done = Signal(int, object)
    failed = Signal(int, object, str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay, task: int) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # reported, never lost in the thread
            self.relay.failed.emit(self.task, exc, traceback.format_exc())
        else:
            self.relay.done.emit(self.task, result)


class TaskRunner(QObject):
    """Runs callables off the GUI thread; at most `max_threads` at once."""

    # A programming error in a background task (message, traceback).
    unexpected_error = Signal(str, str)
    # Emitted whenever the number of running tasks changes.
    busy_changed = Signal(int)

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relay = _Relay(self)
        self._relay.done.connect(self._done)
        self._relay.failed.connect(self._failed)
        self._tasks: dict[int, tuple[Callable[[Any], None] | None,
                                     Callable[[DeskError], None] | None,
                                     QObject | None]] = {}  # fmt: skip
        self._next = 0

    @property
    def running(self) -> int:
        return len(self._tasks)

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[DeskError], None] | None = None,
        *,
        owner: QObject | None = None,
    ) -> None:
        """Run `fn` in the pool; its result or error comes back on the GUI thread.

        The callbacks are dropped when `owner` (by default the QObject whose method
        `on_done` or `on_error` is) no longer exists: a dialog closed while its task ran.
        """
        owner = owner or _owner_of(on_done) or _owner_of(on_error)
        self._next += 1
        self._tasks[self._next] = (on_done, on_error, owner)
        self.busy_changed.emit(len(self._tasks))
        self._pool.start(_Job(fn, self._relay, self._next))

    @Slot(int, object)
    def _done(self, task: int, result: Any) -> None:
        on_done, _on_error, owner = self._tasks.pop(task)
        self.busy_changed.emit(len(self._tasks))
        if on_done is not None and _alive(owner):
            on_done(result)

    @Slot(int, object, str)
    def _failed(self, task: int, exc: BaseException, tb: str) -> None:
        _on_done, on_error, owner = self._tasks.pop(task)
        self.busy_changed.emit(len(self._tasks))
        if isinstance(exc, DeskError) and on_error is not None:
            if _alive(owner):
                on_error(exc)
            return
        log.error("background task failed:\n%s", tb)
        self.unexpected_error.emit(str(exc) or type(exc).__name__, tb)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until running tasks end (shutdown and tests only)."""
        return self._pool.waitForDone(msecs)


def _owner_of(callback: Callable[..., Any] | None) -> QObject | None:
    """The QObject a callback is a method of, if it is one."""
    target = getattr(callback, "__self__", None)
    return target if isinstance(target, QObject) else None


def _alive(owner: QObject | None) -> bool:
    """False once the C++ side of `owner` is gone (a widget closed and deleted)."""
    return owner is None or shiboken6.isValid(owner)
