"""Offering a draft back: after login, a form asks its user whether to restore what they
typed before a crash, a power cut or quitting (恢复 / 丢弃)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desk_app.services import drafts
from desk_app.services.drafts import SavedDraft
from desk_app.services.numbering import SHANGHAI
from desk_app.workers.drafts import DraftKeeper


class DraftOffer(QObject):
    """Reads the user's draft of the keeper's form; if there is one, asks what to do with it.

    The keeper starts once the question is answered (at once when there is no draft),
    so an empty form never overwrites a draft that has not been offered yet. Closing
    the question without an answer keeps the draft until the form is typed into.
    """

    # The question is on show.
    offered = Signal()
    # The user chose: True to restore, False to discard.
    answered = Signal(bool)

    def __init__(
        self,
        parent: QWidget,
        keeper: DraftKeeper,
        version: int,
        ask: Callable[[SavedDraft], tuple[str, str]],
        restore: Callable[[dict[str, Any]], None],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self.keeper = keeper
        self.version = version
        self._ask = ask
        self._restore = restore
        self.question: QMessageBox | None = None
        self.restore_button: Any = None
        self.discard_button: Any = None

    def start(self) -> None:
        keeper = self.keeper
        db, user_id, form = keeper.db, keeper.user_id, keeper.form
        keeper.runner.run(lambda: drafts.load(db, user_id, form), self._found)

    def _found(self, saved: SavedDraft | None) -> None:
        if saved is None or saved.payload.get("version") != self.version:
            self.keeper.start()
            return
        title, text = self._ask(saved)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            title,
            text,
            QMessageBox.StandardButton.NoButton,
            self._parent,
        )
        box.setObjectName("draft_question")
        self.restore_button = box.addButton(self.tr("&Restore"), QMessageBox.ButtonRole.AcceptRole)
        self.discard_button = box.addButton(
            self.tr("&Discard"), QMessageBox.ButtonRole.DestructiveRole
        )
        box.setDefaultButton(self.restore_button)
        box.finished.connect(lambda _result: self._answered(box, saved.payload))
        self.question = box
        box.open()
        self.offered.emit()

    def _answered(self, box: QMessageBox, payload: dict[str, Any]) -> None:
        self.question = None
        box.deleteLater()
        clicked = box.clickedButton()
        # What the database holds now, until the next save or the discard replaces it.
        self.keeper.start(payload)
        if clicked is self.restore_button:
            self._restore(payload)
            self.answered.emit(True)
        elif clicked is self.discard_button:
            self.keeper.discard()
            self.answered.emit(False)


def saved_time(saved: SavedDraft) -> str:
    """When the draft was last kept, in Beijing time."""
    return saved.updated_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
