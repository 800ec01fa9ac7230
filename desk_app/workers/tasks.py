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

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from desk_app.services.errors import DeskError

log = logging.getLogger(__name__)


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object, str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # reported, never lost in the thread
            self.relay.failed.emit(exc, traceback.format_exc())
        else:
            self.relay.done.emit(result)


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
        self._relays: set[_Relay] = set()

    @property
    def running(self) -> int:
        return len(self._relays)

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[DeskError], None] | None = None,
    ) -> None:
        relay = _Relay()
        self._relays.add(relay)

        def finish() -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            self.busy_changed.emit(len(self._relays))

        @Slot(object)
        def done(result: Any) -> None:
            finish()
            if on_done is not None:
                on_done(result)

        @Slot(object, str)
        def failed(exc: BaseException, tb: str) -> None:
            finish()
            if isinstance(exc, DeskError) and on_error is not None:
                on_error(exc)
                return
            log.error("background task failed:\n%s", tb)
            self.unexpected_error.emit(str(exc) or type(exc).__name__, tb)

        relay.done.connect(done)
        relay.failed.connect(failed)
        self.busy_changed.emit(len(self._relays))
        self._pool.start(_Job(fn, relay))

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until running tasks end (shutdown and tests only)."""
        return self._pool.waitForDone(msecs)
