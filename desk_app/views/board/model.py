"""The board's item model: columns at the top level, their cases as children.

Each column of the board is a `QListView` on this one model with its root set to
the column's index. The model holds what a `board.Snapshot` gives: each column's
case row ids in order of urgency, and the cards read so far. A card not read yet
is asked for on the task runner the first time a view wants it (with the rows
around it, in one batch), and shown as a blank card meanwhile; when the batch
arrives its rows are repainted. So the model never reads the database on the GUI
thread, and holds only the cards someone has looked at.

Drag and drop: a card carries its case's row id and column; dropping it on
another column asks for the move (`move_requested`). The model changes nothing
itself: the board page decides, opens the move's dialog, and the card moves
when the case's new status is read back.

A column's rows are shown to its view `CHUNK` at a time (`canFetchMore`/`fetchMore`,
as the view scrolls to the end): a view lays out every row it is given, through a
call into Python for each, and 25,000 of them would take a third of a second.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QElapsedTimer,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from shiboken6 import isValid

from desk_app.services.board import Card, Column, Names, Snapshot
from desk_app.services.cases import STATUSES
from desk_app.services.numbering import SHANGHAI
from desk_app.services.supervision import LEVELS as SUPERVISION_LEVELS
from desk_app.workers.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex

#: The case's UUID (None for a card not read yet).
CASE_ID_ROLE = Qt.ItemDataRole.UserRole
#: The `board.Card` (None for one not read yet).
CARD_ROLE = Qt.ItemDataRole.UserRole + 1
#: A column's key (a status, a unit code or a level).
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
#: A column's number of cards, or a card's case row id.
ROW_ROLE = Qt.ItemDataRole.UserRole + 3

MIME_TYPE = "application/x-desk-app-board-case"
#: Rows read around one a view asks for (views show about ten at a time), and how far
#: ahead of the rows shown the next ones are read.
BEFORE, AFTER, LOOKAHEAD = 20, 100, 40
#: For this long after a snapshot is shown, or until a view scrolls, cards read ahead
#: wait (the first screen came with the snapshot): the user looking at it, or choosing a
#: filter, needs no other read on the runner's threads (750 cards read ahead at once
#: slowed the next snapshot by half).
SETTLE_MS = 300
#: Rows a column shows at first, and more each time its view scrolls to the end. A view
#: lays out every row it is shown (asking the model for each one's index), so a column
#: of 25,000 cases is handed to it a screenful at a time, as Qt's fetchMore example does;
#: each time half as many again as it shows, at least CHUNK: every hand-over lays out
#: all the rows shown so far (about 5 ms per 1,000), and scrolling to the 10,000th card
#: would otherwise stop 100 times, for 50 ms each time towards the end.
CHUNK = 100
#: Cards kept at most; beyond it the cache starts again (the views ask for what they show).
CACHE_LIMIT = 20_000

Fetcher = Callable[[datetime, list[int]], dict[int, Card]]


class BoardModel(QAbstractItemModel):
    """Columns (top level) and their cards (children), from a `board.Snapshot`."""

    #: A card was dropped on another column: the card and the column's key.
    move_requested = Signal(object, str)
    #: Cards arrived from the runner (how many).
    cards_arrived = Signal(int)

    def __init__(self, runner: TaskRunner, fetcher: Fetcher, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.fetcher = fetcher
        self.now = datetime.now(UTC)
        self.mode = "stage"
        self.names = Names()
        self.titles: list[str] = []
        self.drops_enabled = True
        self._columns: list[Column] = []
        self._shown: list[int] = []  # rows of each column handed to the views so far
        self._cards: dict[int, Card] = {}
        self._wanted: dict[int, None] = {}  # ordered set: asked for, not sent yet
        self._spans: dict[int, tuple[int, int]] = {}  # their rows, by column
        self._asked: set[int] = set()  # sent to the runner
        self._generation = 0
        self._fetch_timer = QTimer(self)
        self._fetch_timer.setSingleShot(True)
        self._fetch_timer.setInterval(0)
        self._fetch_timer.timeout.connect(self._fetch)
        self._ahead_timer = QTimer(self)
        self._ahead_timer.setSingleShot(True)
        self._ahead_timer.timeout.connect(self._fetch)
        self._settle = QElapsedTimer()

    # --- filling --------------------------------------------------------------------------

    def show_snapshot(self, snap: Snapshot, names: Names, titles: Sequence[str]) -> None:
        """Show a snapshot (the views' roots must be set again afterwards)."""
        self.beginResetModel()
        self._generation += 1
        self.now = snap.now
        self.mode = snap.mode
        self.names = names
        self.titles = list(titles)
        self._columns = list(snap.columns)
        self._shown = [min(len(c.rows), CHUNK) for c in self._columns]
        self._cards = dict(snap.cards)
        self._wanted.clear()
        self._spans = {}
        self._asked.clear()
        self._ahead_timer.stop()
        self._settle.start()
        self.drops_enabled = snap.mode == "stage"
        self.endResetModel()

    @property
    def columns(self) -> list[Column]:
        return list(self._columns)

    def column_index(self, key: str) -> QModelIndex:
        for i, column in enumerate(self._columns):
            if column.key == key:
                return self.index(i, 0)
        return QModelIndex()

    def card_index(self, row_id: int) -> QModelIndex:
        """Where a case is on the board (invalid when it is not); its rows are shown."""
        for i, column in enumerate(self._columns):
            try:
                row = column.rows.index(row_id)
            except ValueError:
                continue
            self.expose(i, row + 1)
            return self.index(row, 0, self.index(i, 0))
        return QModelIndex()

    def expose(self, column: int, rows: int) -> None:
        """Hand at least `rows` rows of a column to the views (to scroll or select there)."""
        total = len(self._columns[column].rows)
        want = min(total, max(rows, self._shown[column]))
        if want > self._shown[column]:
            self.beginInsertRows(self.index(column, 0), self._shown[column], want - 1)
            self._shown[column] = want
            self.endInsertRows()

    def canFetchMore(self, parent: Index) -> bool:
        if not parent.isValid() or parent.internalId() != 0:
            return False
        row = parent.row()
        return 0 <= row < len(self._columns) and self._shown[row] < len(self._columns[row].rows)

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent):
            shown = self._shown[parent.row()]
            self.expose(parent.row(), shown + max(CHUNK, shown // 2))

    def row_id(self, index: Index) -> int | None:
        """The case row id of a card index (None for a column or an invalid index)."""
        column = self._column_of(index)
        if column is None or not 0 <= index.row() < self._shown[index.internalId() - 1]:
            return None
        return column.rows[index.row()]

    def card(self, index: Index) -> Card | None:
        """The card at a card index, if read (asks for it otherwise)."""
        row_id = self.row_id(index)
        if row_id is None:
            return None
        card = self._cards.get(row_id)
        column = index.internalId() - 1
        if card is None:
            self._want(column, index.row())
        else:
            # Read on ahead while the view scrolls, so cards are there when they show.
            rows = self._columns[column].rows
            ahead = rows[min(index.row() + LOOKAHEAD, len(rows) - 1)]
            if ahead not in self._cards and ahead not in self._asked:
                self._want(column, index.row() + LOOKAHEAD, ahead=True)
        return card

    def cached(self, row_id: int) -> Card | None:
        return self._cards.get(row_id)

    def find(self, case_id: uuid.UUID) -> int | None:
        """The row id of a case whose card has been read (None otherwise)."""
        wanted = case_id.hex
        return next((r for r, c in self._cards.items() if c.id == wanted), None)

    def update_card(self, card: Card) -> None:
        """A card read again (after an action): shown where the case is."""
        self._cards[card.row] = card
        index = self.card_index(card.row)
        if index.isValid():
            self.dataChanged.emit(index, index)

    # --- reading cards in the background ----------------------------------------------------

    def _want(self, column: int, row: int, *, ahead: bool = False) -> None:
        rows = self._columns[column].rows
        low = max(0, row - BEFORE)
        added = False
        for row_id in rows[low : row + AFTER]:
            if row_id not in self._cards and row_id not in self._asked:
                self._wanted[row_id] = None
                added = True
        if added:
            # The rows to repaint when the batch arrives (a range per column).
            have = self._spans.get(column)
            high = min(row + AFTER, len(rows)) - 1
            self._spans[column] = (min(low, have[0]), max(high, have[1])) if have else (low, high)
        if not self._wanted or self._fetch_timer.isActive():
            return
        settling = SETTLE_MS - self._settle.elapsed() if self._settle.isValid() else 0
        if ahead and settling > 0:
            if not self._ahead_timer.isActive():
                self._ahead_timer.start(int(settling))
        else:
            self._ahead_timer.stop()
            self._fetch_timer.start()

    def scrolled(self) -> None:
        """A view scrolled: cards are read ahead at once from now on."""
        self._settle.invalidate()
        if self._ahead_timer.isActive():
            self._ahead_timer.stop()
            self._fetch_timer.start()

    def _fetch(self) -> None:
        if not self._wanted:
            return
        wanted = list(self._wanted)
        spans = self._spans
        self._wanted.clear()
        self._spans = {}
        self._asked.update(wanted)
        generation, now, fetcher = self._generation, self.now, self.fetcher
        self.runner.run(
            lambda: fetcher(now, wanted),
            lambda cards: self._arrived(generation, wanted, spans, cards),
            lambda _exc: self._failed(generation, wanted),
        )

    def _arrived(
        self,
        generation: int,
        wanted: list[int],
        spans: dict[int, tuple[int, int]],
        cards: dict[int, Card],
    ) -> None:
        if not isValid(self) or generation != self._generation:
            return  # closed, or a newer snapshot replaced the rows these belong to
        self._asked.difference_update(wanted)
        if len(self._cards) + len(cards) > CACHE_LIMIT:
            self._cards.clear()
        self._cards.update(cards)
        # Only the rows asked for: a view works through every row of a changed range.
        for column, (low, high) in spans.items():
            high = min(high, self._shown[column] - 1)
            if low <= high:
                parent = self.index(column, 0)
                self.dataChanged.emit(self.index(low, 0, parent), self.index(high, 0, parent))
        self.cards_arrived.emit(len(cards))

    def _failed(self, generation: int, wanted: list[int]) -> None:
        if isValid(self) and generation == self._generation:
            self._asked.difference_update(wanted)  # asked again when next shown

    @property
    def fetching(self) -> bool:
        return bool(self._wanted or self._asked)

    # --- the model ------------------------------------------------------------------------

    def _column_of(self, index: Index) -> Column | None:
        """The column of a card index."""
        if not index.isValid() or index.model() is not self:
            return None
        parent = index.internalId() - 1
        if not 0 <= parent < len(self._columns):
            return None
        return self._columns[parent]

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        # Views call this for every row they lay out: as few calls into Qt as can be.
        if column or row < 0:
            return QModelIndex()
        if parent.isValid():
            if parent.internalId() or parent.column():
                return QModelIndex()  # cards have no children
            group = parent.row()
            if group < len(self._shown) and row < self._shown[group]:
                return self.createIndex(row, 0, group + 1)
            return QModelIndex()
        if row < len(self._columns):
            return self.createIndex(row, 0, 0)
        return QModelIndex()

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._columns)
        if parent.internalId() != 0 or parent.column() != 0:
            return 0
        return self._shown[parent.row()] if parent.row() < len(self._columns) else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == 0:
            flags = Qt.ItemFlag.ItemIsEnabled
            if self.drops_enabled:
                flags |= Qt.ItemFlag.ItemIsDropEnabled
            return flags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.drops_enabled:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._column_data(index.row(), role)
        if role == ROW_ROLE:
            return self.row_id(index)
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
            CARD_ROLE,
            CASE_ID_ROLE,
        ):
            return None
        card = self.card(index)
        if role == CARD_ROLE:
            return card
        if card is None:
            return None if role == CASE_ID_ROLE else "…"
        if role == CASE_ID_ROLE:
            return card.case_id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(card)
        return self.summary(card)

    def _column_data(self, row: int, role: int) -> Any:
        if not 0 <= row < len(self._columns):
            return None
        column = self._columns[row]
        title = self.titles[row] if row < len(self.titles) else column.key
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                self.tr("%1: %2 case(s), %3 overdue")
                .replace("%1", title)
                .replace("%2", str(len(column.rows)))
                .replace("%3", str(column.overdue))
            )
        if role == KEY_ROLE:
            return column.key
        if role == ROW_ROLE:
            return len(column.rows)
        return None

    def summary(self, card: Card) -> str:
        """A card in one line (screen readers, and the model's display text)."""
        kind = self.names.dispute_types.get(card.dispute_type, card.dispute_type)
        return " ".join(p for p in (card.case_no, kind, card.applicant) if p)

    def tooltip(self, card: Card) -> str:
        lines = [card.title, card.case_no]
        status = STATUSES.get(card.status, card.status)
        lines.append(self.tr("Status: %1").replace("%1", status))
        if card.applicant:
            lines.append(self.tr("Applicant: %1").replace("%1", card.applicant))
        if card.lead_unit:
            unit = self.names.unit(card.lead_unit, short=False)
            lines.append(self.tr("Responsible unit: %1").replace("%1", unit))
        if card.deadline is not None:
            at = datetime.fromtimestamp(card.deadline, SHANGHAI)
            lines.append(self.tr("Deadline: %1").replace("%1", at.strftime("%Y-%m-%d %H:%M")))
        if card.supervision:
            level = SUPERVISION_LEVELS.get(card.supervision, card.supervision)
            lines.append(self.tr("Supervision: %1").replace("%1", level))
        marks = [
            text
            for flag, text in (
                (card.repeat, self.tr("repeat visit")),
                (card.police_risk, self.tr("may turn into a police matter")),
                (card.urgent, self.tr("urgent")),
                (card.group_matter, self.tr("group matter")),
            )
            if flag
        ]
        if marks:
            lines.append(self.tr("Marks: %1").replace("%1", "、".join(marks)))
        return "\n".join(lines)

    # --- drag and drop ----------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        for index in indexes:
            row_id = self.row_id(index)
            if row_id is not None:
                column = self._columns[index.internalId() - 1]
                mime.setData(MIME_TYPE, QByteArray(f"{row_id}\n{column.key}".encode()))
                break
        return mime

    def _dropped(self, data: QMimeData, parent: Index) -> tuple[Card, str] | None:
        """The card in `data` and the key of the column it is dropped on, if another."""
        if not self.drops_enabled or not data.hasFormat(MIME_TYPE) or not parent.isValid():
            return None
        group = parent.row() if parent.internalId() == 0 else parent.internalId() - 1
        if not 0 <= group < len(self._columns):
            return None
        try:
            row_text, source = bytes(data.data(MIME_TYPE).data()).decode().split("\n", 1)
            row_id = int(row_text)
        except ValueError:
            return None
        target = self._columns[group].key
        card = self._cards.get(row_id)
        if target == source or card is None:
            return None
        return card, target

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        # Every other column takes the drop: a move the workflow does not allow is refused
        # with a message saying why, not by a cursor that only says no.
        return self._dropped(data, parent) is not None

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        dropped = self._dropped(data, parent)
        if dropped is not None:
            self.move_requested.emit(*dropped)
        # Nothing moves here: the card moves once the action is done and read back.
        return False


__all__ = [
    "CARD_ROLE",
    "CASE_ID_ROLE",
    "KEY_ROLE",
    "MIME_TYPE",
    "ROW_ROLE",
    "BoardModel",
]
