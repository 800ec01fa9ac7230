"""Keeping a form's draft: its snapshot written off the GUI thread every couple of seconds.

`DraftKeeper` asks the form for a snapshot (a plain dict, or None when nothing
is typed) on a timer and, when it changed, saves it through `services.drafts`
on the TaskRunner. A timer that compares snapshots, rather than a slot on every
widget's change signal, sees every kind of change (typing, a pick in a list, a
party or a file added) through one path; a snapshot of the intake form takes well
under a millisecond. With the default interval at most `interval` plus one
short write is lost in a crash or power cut.

Writes of one keeper never overlap: a save still running when the next is due
makes that one wait, and `when_idle` runs a registration only after the last
save has landed, so the registration, which deletes the draft in its own
transaction, always comes last.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desk_app.models.db import Database
from desk_app.services import drafts
from desk_app.services.errors import DeskError
from desk_app.workers.tasks import TaskRunner

log = logging.getLogger(__name__)

Snapshot = dict[str, Any]

#: How often the form is looked at (ms): the most typing a crash can lose, plus one write.
DEFAULT_INTERVAL_MS = 2000


class DraftKeeper(QObject):
    """Saves `snapshot()` as the user's draft of `form` whenever it changed."""

    # A snapshot was written (its payload).
    saved = Signal(object)
    # The draft was deleted (typing cleared on purpose, or nothing left to keep).
    discarded = Signal()
    # A draft could not be written (the message, in Chinese).
    failed = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        user_id: uuid.UUID | None,
        form: str,
        snapshot: Callable[[], Snapshot | None],
        interval_ms: int = DEFAULT_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.db = db
        self.user_id = user_id
        self.form = form
        self._snapshot = snapshot
        self._last: Snapshot | None = None  # what the database holds, as far as we wrote it
        self._busy = False
        self._paused = False
        self._waiting: list[Callable[[], None]] = []
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    @property
    def busy(self) -> bool:
        """Whether a write is running."""
        return self._busy

    def start(self, stored: Snapshot | None = None) -> None:
        """Begin watching; `stored` is what the database already holds (a restored draft)."""
        if self.user_id is None:
            return
        self._last = stored
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._paused = False

    def pause(self) -> None:
        """Stop looking at the form for a while (it is being saved)."""
        if self._timer.isActive():
            self._timer.stop()
            self._paused = True

    def resume(self) -> None:
        if self._paused:
            self._paused = False
            self._timer.start()

    def forget(self) -> None:
        """The draft is gone from the database (a registration deleted it)."""
        self._last = None

    def check(self) -> None:
        """Save the form's snapshot if it changed since the last write."""
        if self._busy or self.user_id is None:
            return
        snap = self._snapshot()
        if snap is None:
            if self._last is not None:  # everything typed was deleted: keep nothing
                self._write(None)
            return
        if snap != self._last:
            self._write(snap)

    def flush_now(self) -> None:
        """Write a changed snapshot at once, on the calling thread: the window is closing, the
        runner may not get to it, and one short write is all it takes."""
        if self._busy or self.user_id is None or not self.active:
            return
        snap = self._snapshot()
        if snap is None or snap == self._last:
            return
        try:
            drafts.save(self.db, self.user_id, self.form, snap)
        except Exception:  # closing goes on; the draft of two seconds ago is there
            log.exception("keeping the %s draft at closing failed", self.form)
        else:
            self._last = snap

    def discard(self) -> None:
        """Delete the draft (after any write still running)."""
        if self.user_id is None:
            return
        self.when_idle(lambda: self._write(None, force=True))

    def when_idle(self, fn: Callable[[], None]) -> None:
        """Run `fn` once no write of this keeper is running (now, if none is)."""
        if self._busy:
            self._waiting.append(fn)
        else:
            fn()

    def _write(self, snap: Snapshot | None, force: bool = False) -> None:
        if snap is None and self._last is None and not force:
            return
        self._busy = True
        db, user_id, form = self.db, self.user_id, self.form

        def job() -> None:
            try:
                if snap is None:
                    drafts.discard(db, user_id, form)
                else:
                    drafts.save(db, user_id, form, snap)
            except DeskError:
                raise
            except Exception as exc:
                # Logged with its traceback, but not shown every two seconds: the form says
                # quietly that its draft is not being kept, and typing goes on.
                log.exception("keeping the %s draft failed", form)
                raise DeskError(f"草稿未能保存：{exc}") from exc

        self.runner.run(job, lambda _r: self._written(snap), self._failed)

    def _written(self, snap: Snapshot | None) -> None:
        self._last = snap
        self._done()
        if snap is None:
            self.discarded.emit()
        else:
            self.saved.emit(snap)

    def _failed(self, exc: DeskError) -> None:
        self._done()
        self.failed.emit(exc.message)

    def _done(self) -> None:
        self._busy = False
        waiting, self._waiting = self._waiting, []
        for fn in waiting:
            fn()
