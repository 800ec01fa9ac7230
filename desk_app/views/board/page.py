"""The routing board (分流看板): every open matter as a card, in columns.

Columns by stage (status), by responsible unit or by level; filters by unit,
level, dispute type, township, channel, warning, date received and text; within
a column the most urgent card comes first (`services.board`). Each column is a
`QListView` on the one `BoardModel`, its cards painted by `CardDelegate`. As
many column widgets as fit side by side (at least 180 pixels each) show the
model's columns from an offset on; a scroll bar under them moves through the
others (a 1024-pixel window shows four stages; unit mode has hundreds of
columns, which would otherwise be hundreds of list views to lay out).

Reading: a snapshot (each column's case ids and counts, and its first cards) is
read on the task runner when the page is first shown (unless the main window read
it ahead once it was up: `first`, shown at once and read again if older than a
minute), when a filter or the grouping changes, every minute while shown
(warnings come with time), and after commits or a sync brought changes
(`schedule_refresh`, debounced; while hidden the page only notes it must read
again). The newest answer wins. A refresh
keeps the user's place: the selected card (followed to its new column if it
moved) and each column's first visible card.

Moving: drag a card to another stage, or use its context menu. The move is the
workflow action between the two statuses (`board.plan_move`), done in that
action's dialog (`workflow_dialogs.run_action`); a move the workflow does not
allow is refused with a message saying what is possible. A case not yet triaged
that is moved to 已交办 gets the triage dialog first, then the dispatch dialog.
Double-click or Enter opens the case (`case_requested`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDropEvent, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QScrollBar,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desk_app.models.db import Database
from desk_app.services import board, search, workflow
from desk_app.services.board import BoardFilter, Card, Names, Snapshot
from desk_app.services.cases import CHANNELS, STATUSES
from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError
from desk_app.services.numbering import SHANGHAI
from desk_app.services.roles import Actor
from desk_app.services.search import CaseDetail
from desk_app.services.warnings import KINDS
from desk_app.views.board.delegate import CardDelegate
from desk_app.views.board.model import CHUNK, BoardModel
from desk_app.views.intake.party import combo_value, compact_combo, searchable, set_combo_data
from desk_app.views.sync_status import RED
from desk_app.views.widgets.form import ERROR_STYLE
from desk_app.views.workflow_dialogs import ActionDialog, run_action
from desk_app.workers.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex

INTERVAL_MS = 60_000
#: Commits and syncs come in bursts: read once they settle.
DEBOUNCE_MS = 300
TEXT_DEBOUNCE_MS = 250
COLUMN_WIDTH = 240
MIN_COLUMN_WIDTH = 180
SPACING = 6
NO_DATE = QDate(2000, 1, 1)


def read_cards(db: Database, now: datetime, rows: list[int]) -> dict[int, Card]:
    with db.read() as s:
        return board.fetch(s, now, rows)


def read_card(db: Database, now: datetime, case_id: uuid.UUID) -> Card | None:
    with db.read() as s:
        return board.card_of(s, now, case_id)


class CardListView(QListView):
    """One column's cards; it lights up while a card is dragged over it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUniformItemSizes(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(False)  # the order is urgency's, not a place to drop at
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setObjectName("board_column_view")

    # The columns share one model, and QListView lays out all of its rows again (a call into
    # Python for each) on any change anywhere in it. Changes elsewhere are not this view's
    # business; changed cards keep their size, so they only need painting.

    def rowsInserted(self, parent: Index, start: int, end: int) -> None:
        if parent == self.rootIndex():
            super().rowsInserted(parent, start, end)

    def dataChanged(self, top_left: Index, bottom_right: Index, roles: Sequence[int] = ()) -> None:
        if top_left.parent() != self.rootIndex():
            return
        changed = self.visualRect(top_left).united(self.visualRect(bottom_right))
        area = changed.intersected(self.viewport().rect())
        if not area.isEmpty():
            self.viewport().update(area)

    def _light(self, on: bool) -> None:
        self.setStyleSheet("QListView { background: palette(alternate-base); }" if on else "")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        super().dragEnterEvent(event)
        self._light(event.isAccepted())

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._light(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self._light(False)
        super().dropEvent(event)


class BoardColumn(QFrame):
    """A column: its title, counts and cards."""

    def __init__(self, model: BoardModel, delegate: CardDelegate) -> None:
        super().__init__()
        self.setObjectName("board_column")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # The board decides how many columns fit (`BoardPage._fit`); they share the width.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        #: The model's column this widget shows (-1: none yet), and its key.
        self.group = -1
        self.key = ""
        self.title = QLabel()
        self.title.setObjectName("column_title")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.count = QLabel()
        self.count.setObjectName("column_count")
        self.overdue = QLabel()
        self.overdue.setObjectName("column_overdue")
        self.overdue.setStyleSheet(f"color: {RED};")
        self.count.setStyleSheet("font-weight: bold; color: palette(mid);")
        header = QHBoxLayout()
        header.setContentsMargins(8, 6, 8, 2)
        header.setSpacing(8)
        header.addWidget(self.title, 1)
        header.addWidget(self.overdue)
        header.addWidget(self.count)
        self.view = CardListView()
        self.view.setModel(model)
        self.view.setItemDelegate(delegate)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.view, 1)


class BoardPage(QWidget):
    """The 分流看板 area: the filters, the columns of cards and what a move says."""

    #: A card was opened (double-click or Enter): the case's UUID.
    case_requested = Signal(object)
    #: A snapshot arrived and is shown: how many cards it shows.
    loaded = Signal(int)
    #: A workflow action from the board was done: its `workflow.Outcome`.
    action_done = Signal(object)

    def __init__(
        self,
        desk: Desk,
        actor: Actor,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        interval_ms: int = INTERVAL_MS,
        first: Snapshot | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.actor = actor
        self.runner = runner
        self.clock = clock
        self.mode = "stage"
        self.filter = BoardFilter()
        self.names: Names | None = None
        self.snapshot: Snapshot | None = None
        self.action_dialog: ActionDialog | None = None
        self.menu: QMenu | None = None
        self._request = 0
        self._stale = True
        self._selected: int | None = None
        self._filling = False
        self._interval = timedelta(milliseconds=interval_ms)
        if first is None:
            # Read while the widgets are made: the board is wanted as soon as it is asked
            # for (SQLite walks its index without the interpreter lock meanwhile).
            self._read()
        else:
            # Read ahead (the main window's `BoardPrefetch`): shown once the page is made.
            self._stale = False
            self._request += 1
            QTimer.singleShot(0, self, partial(self._show_first, self._request, first))

        db = desk.db
        self.model = BoardModel(runner, lambda now, rows: read_cards(db, now, rows), self)
        # Queued: a drop arrives inside the drag's own event loop; the dialog opens after it.
        self.model.move_requested.connect(self.request_move, Qt.ConnectionType.QueuedConnection)
        self.delegate = CardDelegate(self.model, self)
        self.columns: list[BoardColumn] = []

        self._filling = True  # the combos' first items are no change of filter
        self._build_filters()
        self._filling = False
        self.message = QLabel()
        self.message.setObjectName("board_message")
        self.message.setWordWrap(True)
        self.message.hide()
        # As many column widgets as fit side by side, shown the columns from `offset` on;
        # the scroll bar under them moves through the rest (250 units' columns in unit mode
        # would be 250 list views otherwise, each laid out anew at every read).
        self.offset = 0
        self._shown = 0
        self.strip = QWidget()
        self.strip.setObjectName("board_strip")
        self.strip_layout = QHBoxLayout(self.strip)
        self.strip_layout.setContentsMargins(0, 0, 0, 0)
        self.strip_layout.setSpacing(SPACING)
        self.strip.installEventFilter(self)
        self.columns_bar = QScrollBar(Qt.Orientation.Horizontal)
        self.columns_bar.setObjectName("board_columns_bar")
        self.columns_bar.hide()
        self.columns_bar.valueChanged.connect(self._columns_scrolled)
        self.summary = QLabel()
        self.summary.setObjectName("board_summary")
        self.summary.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(self.filter_rows)
        layout.addWidget(self.message)
        layout.addWidget(self.strip, 1)
        layout.addWidget(self.columns_bar)
        layout.addWidget(self.summary)
        # The stages' columns stand ready (titled, empty) while the first snapshot is read.
        for i, stage in enumerate(board.STAGES):
            self._column(i).title.setText(STATUSES[stage])

        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.refresh)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(TEXT_DEBOUNCE_MS)
        self._text_timer.timeout.connect(self._filters_changed)
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.setInterval(30_000)
        self._message_timer.timeout.connect(self.clear_message)

    # --- the filters ------------------------------------------------------------------------

    def _build_filters(self) -> None:
        self.mode_group = QButtonGroup(self)
        self.mode_group.setExclusive(True)
        self.mode_buttons: dict[str, QPushButton] = {}
        top = QHBoxLayout()
        top.setSpacing(6)
        for mode, text in (
            ("stage", self.tr("By sta&ge")),
            ("unit", self.tr("By &unit")),
            ("level", self.tr("By le&vel")),
        ):
            button = QPushButton(text)
            button.setObjectName(f"mode_{mode}")
            button.setCheckable(True)
            button.setAutoDefault(False)
            self.mode_group.addButton(button)
            self.mode_buttons[mode] = button
            top.addWidget(button)
            button.clicked.connect(partial(self.set_mode, mode))
        self.mode_buttons["stage"].setChecked(True)
        top.addSpacing(12)
        self.search = QLineEdit()
        self.search.setObjectName("board_search")
        self.search.setPlaceholderText(self.tr("Case number, matter or applicant"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(100)
        self.search.textChanged.connect(lambda _t: self._text_timer.start())
        top.addWidget(self.search, 2)
        self.warning = self._combo("filter_warning")
        self.warning.addItem(self.tr("Any warning state"), "")
        self.warning.addItem(self.tr("With a warning"), board.ANY_WARNING)
        for kind, kind_label in KINDS.items():
            self.warning.addItem(kind_label, kind)
        self.warning.addItem(self.tr("No warning"), board.NO_WARNING)
        top.addWidget(self.warning)
        received = QLabel(self.tr("Received"))
        top.addWidget(received)
        self.received_from = self._date("filter_from")
        self.received_to = self._date("filter_to")
        top.addWidget(self.received_from)
        top.addWidget(QLabel("–"))
        top.addWidget(self.received_to)
        # The second row: the code filters (they fit a 1024-pixel window beside the rest).
        second = QHBoxLayout()
        second.setSpacing(6)
        self.unit = searchable(self._combo("filter_unit", 3))
        self.level = self._combo("filter_level", 3)
        self.dispute_type = self._combo("filter_type", 3)
        self.township = self._combo("filter_township", 3)
        self.channel = self._combo("filter_channel", 3)
        for caption, combo in (
            (self.tr("U&nit"), self.unit),
            (self.tr("&Level"), self.level),
            (self.tr("&Type"), self.dispute_type),
            (self.tr("Town&ship"), self.township),
            (self.tr("Chann&el"), self.channel),
        ):
            label = QLabel(caption)
            label.setBuddy(combo)
            second.addWidget(label)
            second.addWidget(combo, 1)
        self.clear_button = QPushButton(self.tr("&Clear filters"))
        self.clear_button.setObjectName("clear_filters")
        self.clear_button.setAutoDefault(False)
        self.clear_button.clicked.connect(self.clear_filters)
        second.addWidget(self.clear_button)
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.setObjectName("board_refresh")
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.clicked.connect(self.refresh)
        second.addWidget(self.refresh_button)
        self.level.addItem(self.tr("All levels"), "")
        self.level.addItem(self.tr("Not triaged"), board.NO_LEVEL)
        for code, label_text in workflow.LEVELS.items():
            self.level.addItem(label_text, code)
        self.channel.addItem(self.tr("All channels"), "")
        for code, label_text in CHANNELS.items():
            self.channel.addItem(label_text, code)
        self.unit.addItem(self.tr("All units"), "")
        self.dispute_type.addItem(self.tr("All types"), "")
        self.township.addItem(self.tr("All townships"), "")
        unit_edit = self.unit.lineEdit()
        assert unit_edit is not None
        unit_edit.setPlaceholderText(self.tr("All units"))
        unit_edit.editingFinished.connect(self._filters_changed)

        self.filter_rows: QVBoxLayout = QVBoxLayout()
        self.filter_rows.setSpacing(4)
        self.filter_rows.addLayout(top)
        self.filter_rows.addLayout(second)

    def _combo(self, name: str, length: int = 6) -> QComboBox:
        combo = compact_combo(QComboBox(), length)
        combo.setObjectName(name)
        combo.currentIndexChanged.connect(lambda _i: self._filters_changed())
        return combo

    def _date(self, name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText(self.tr("Any"))
        edit.setDate(NO_DATE)
        edit.dateChanged.connect(lambda _d: self._filters_changed())
        return edit

    def _fill_choices(self, names: Names) -> None:
        """The units, types and townships to filter by, as the names say (again when a
        unit, type or township was added or renamed, by the administrator or a sync)."""
        self._filling = True
        try:
            for combo, items in (
                (self.unit, [(names.unit(c, short=False), c) for c in names.unit_order]),
                (self.dispute_type, [(f"{c} {n}", c) for c, n in names.dispute_types.items()]),
                (self.township, [(n, c) for c, n in names.townships.items()]),
            ):
                chosen, typed = combo.currentData(), combo.currentText()
                while combo.count() > 1:  # the first item is "all"
                    combo.removeItem(combo.count() - 1)
                for text, code in items:
                    combo.addItem(text, code)
                if chosen:
                    combo.setCurrentIndex(max(0, combo.findData(chosen)))
                elif combo.isEditable():
                    combo.setEditText(typed)  # half-typed text stays as it was
        finally:
            self._filling = False

    def current_filter(self) -> BoardFilter:
        """The filter the widgets say."""
        unit = combo_value(self.unit)
        if self.names is not None and unit not in self.names.units:
            unit = ""  # half-typed text is no unit yet
        return BoardFilter(
            unit=unit,
            level=str(self.level.currentData() or ""),
            dispute_type=str(self.dispute_type.currentData() or ""),
            township=str(self.township.currentData() or ""),
            channel=str(self.channel.currentData() or ""),
            warning=str(self.warning.currentData() or ""),
            received_from=_date_of(self.received_from),
            received_to=_date_of(self.received_to),
            text=self.search.text().strip(),
        )

    def _filters_changed(self) -> None:
        if self._filling:
            return
        f = self.current_filter()
        if f != self.filter:
            self.filter = f
            self.clear_message()
            self._read()

    def set_filter(self, f: BoardFilter) -> None:
        """Show the board through `f` (the widgets say so too)."""
        self._filling = True
        try:
            set_combo_data(self.unit, f.unit)
            if not f.unit:
                self.unit.setCurrentIndex(0)
            for combo, value in (
                (self.level, f.level),
                (self.dispute_type, f.dispute_type),
                (self.township, f.township),
                (self.channel, f.channel),
                (self.warning, f.warning),
            ):
                combo.setCurrentIndex(max(0, combo.findData(value)))
            self.received_from.setDate(_qdate(f.received_from))
            self.received_to.setDate(_qdate(f.received_to))
            self.search.setText(f.text)
            self._text_timer.stop()
        finally:
            self._filling = False
        self._filters_changed()

    def clear_filters(self) -> None:
        self.set_filter(BoardFilter())

    def set_mode(self, mode: str) -> None:
        """Columns by "stage", "unit" or "level"."""
        self.mode_buttons[mode].setChecked(True)
        if mode != self.mode:
            self.mode = mode
            self._read()

    # --- reading ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def schedule_refresh(self) -> None:
        """Cases changed (a commit here, a sync): read again soon, or when next shown."""
        self._stale = True
        if self.isVisible():
            self._debounce.start()

    def refresh(self) -> None:
        """Read the board again (in the background; the newest answer wins)."""
        self._debounce.stop()
        self._read()

    def _read(self) -> None:
        """Read a snapshot, with the names of units, types and townships (a millisecond:
        the filter lists follow units added or renamed meanwhile)."""
        self._stale = False
        self._request += 1
        request = self._request
        db, now, f, mode = self.desk.db, self.clock(), self.filter, self.mode
        self.runner.run(
            lambda: board.read_snapshot(db, now, f, mode, with_names=True),
            lambda snap: self._show(request, snap),
            lambda exc: self._failed(request, exc),
        )

    def _show_first(self, request: int, snap: Snapshot) -> None:
        """A snapshot read ahead: shown as it is, and read again at once if it is older
        than the page's interval (its warnings and times left come with the time)."""
        self._show(request, snap)
        if request == self._request and self.clock() - snap.now > self._interval:
            self.refresh()

    def _failed(self, request: int, exc: DeskError) -> None:
        if request == self._request and isValid(self):
            self.show_message(exc.message, error=True)

    # --- showing ------------------------------------------------------------------------------

    def _show(self, request: int, snap: Snapshot) -> None:
        if request != self._request or not isValid(self):
            return
        if snap.names is not None and snap.names != self.names:
            self.names = snap.names
            self._fill_choices(snap.names)
        names = self.names or Names()
        place = self._place(snap.mode)
        self.snapshot = snap
        self.model.show_snapshot(snap, names, [self.column_title(c.key) for c in snap.columns])
        self._lay_out(snap, place[2])
        self._restore(place)
        self._show_summary(snap)
        self.loaded.emit(snap.shown)

    def column_title(self, key: str) -> str:
        if self.mode == "stage":
            return STATUSES.get(key, key)
        if self.mode == "level":
            return workflow.LEVELS.get(key, key) if key else self.tr("Not triaged")
        if not key:
            return self.tr("Not routed")
        return self.names.unit(key) if self.names is not None else key

    def _column(self, i: int) -> BoardColumn:
        """The i-th column widget (made when first needed)."""
        while len(self.columns) <= i:
            column = BoardColumn(self.model, self.delegate)
            view = column.view
            view.activated.connect(self._open)
            view.customContextMenuRequested.connect(partial(self._menu_requested, view))
            view.selectionModel().currentChanged.connect(self._current_changed)
            view.verticalScrollBar().valueChanged.connect(self.model.scrolled)
            view.verticalScrollBar().setSingleStep(
                max(1, self.delegate.card_height(self.font()) // 3)
            )
            self.columns.append(column)
            self.strip_layout.addWidget(column, 1)
        return self.columns[i]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.strip and event.type() == QEvent.Type.Resize:
            self._fit()
        return super().eventFilter(watched, event)

    def _capacity(self) -> int:
        width = COLUMN_WIDTH if self.mode == "unit" else MIN_COLUMN_WIDTH
        return max(1, (self.strip.width() + SPACING) // (width + SPACING))

    def _fit(self, rebind: bool = False) -> None:
        """As many columns as fit, from `offset` on; the scroll bar for the others."""
        if self.snapshot is None:
            return  # the stages stand ready as they are
        total = len(self.model.columns)
        shown = min(total, self._capacity())
        for i in range(shown):
            self._column(i)
        for column in self.columns[shown:]:
            column.hide()
            column.group, column.key = -1, ""
        self.offset = max(0, min(self.offset, total - shown))
        bar = self.columns_bar
        bar.blockSignals(True)
        bar.setRange(0, total - shown)
        bar.setPageStep(max(1, shown))
        bar.setValue(self.offset)
        bar.blockSignals(False)
        bar.setVisible(total > shown)
        self._shown = shown
        self._bind(shown, rebind)

    def _columns_scrolled(self, value: int) -> None:
        self.offset = value
        self._bind(self._shown, False)

    def _bind(self, shown: int, rebind: bool) -> None:
        """Show model columns offset … offset + shown - 1 in the column widgets."""
        snap = self.snapshot
        if snap is None:
            return
        wide = snap.mode == "unit"
        for j in range(shown):
            group = self.offset + j
            if group >= len(self.model.columns):
                break
            column = self.columns[j]
            col = self.model.columns[group]
            if rebind or column.group != group:
                column.group, column.key = group, col.key
                column.view.setRootIndex(self.model.index(group, 0))
            title = self.column_title(col.key)
            column.title.setText(title)
            column.setToolTip(
                self.names.unit(col.key, short=False)
                if wide and col.key and self.names is not None
                else title
            )
            column.count.setText(self.tr("%n case(s)", "", len(col.rows)))
            column.overdue.setText(
                self.tr("%1 overdue").replace("%1", str(col.overdue)) if col.overdue else ""
            )
            column.show()

    def column_widget(self, group: int, reveal: bool = False) -> BoardColumn | None:
        """The widget showing a model column (scrolled to it first, if asked)."""
        for column in self.columns:
            if column.group == group and column.isVisibleTo(self):
                return column
        if not reveal or not 0 <= group < len(self.model.columns):
            return None
        self.columns_bar.setValue(group)  # clamped: the column comes into view
        return self.column_widget(group)

    def _lay_out(self, snap: Snapshot, first_key: str | None) -> None:
        keys = [c.key for c in snap.columns]
        self.offset = keys.index(first_key) if first_key in keys else 0
        self._fit(rebind=True)

    def _place(self, mode: str) -> tuple[int | None, dict[str, tuple[int, int]], str | None]:
        """The selected card, each column's first visible card (with the offset to it), and
        the first column shown."""
        tops: dict[str, tuple[int, int]] = {}
        first: str | None = None
        if self.snapshot is not None and mode == self.snapshot.mode:
            for column in self.columns:
                if column.group < 0 or not column.isVisibleTo(self):
                    continue
                if first is None:
                    first = column.key
                view = column.view
                index = view.indexAt(QPoint(1, 1))
                row_id = self.model.row_id(index)
                if row_id is not None:
                    tops[column.key] = (row_id, -view.visualRect(index).top())
        return self._selected, tops, first

    def _restore(self, place: tuple[int | None, dict[str, tuple[int, int]], str | None]) -> None:
        selected, tops, _first = place
        for column in self.columns:
            if column.group < 0 or not column.isVisibleTo(self):
                continue
            rows = self.model.columns[column.group].rows
            top = tops.get(column.key)
            view = column.view
            if top is None:
                view.verticalScrollBar().setValue(0)
                continue
            row_id, offset = top
            try:
                row = rows.index(row_id)
            except ValueError:
                continue
            self.model.expose(column.group, row + CHUNK)
            view.doItemsLayout()  # the scroll range of the new rows, now
            height = view.sizeHintForRow(0) if rows else 0
            view.verticalScrollBar().setValue(row * height + offset)
        if selected is not None:
            self.select_row(selected, scroll=False)

    def select_row(self, row_id: int, scroll: bool = True) -> bool:
        """Select the card of a case row id where it now is (scrolled to, if asked)."""
        index = self.model.card_index(row_id)
        if not index.isValid():
            return False
        column = self.column_widget(index.parent().row(), reveal=scroll)
        if column is None:
            return False  # in a column out of sight: left there, unselected
        view = column.view
        # Selecting scrolls to the card by itself; a refresh must leave the view where it is.
        view.setAutoScroll(scroll)
        view.selectionModel().setCurrentIndex(
            index, view.selectionModel().SelectionFlag.ClearAndSelect
        )
        view.setAutoScroll(True)
        if scroll:
            view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    def select_case(self, case_id: uuid.UUID) -> bool:
        """Select a case's card (one read already: on screen, or scrolled past)."""
        row_id = self.model.find(case_id)
        return row_id is not None and self.select_row(row_id)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row_id = self.model.row_id(current)
        if row_id is None:
            return
        self._selected = row_id
        # One selection on the board: the other columns let go of theirs.
        owner = current.parent().row()
        for column in self.columns:
            if column.group != owner and column.view.selectionModel().hasSelection():
                column.view.clearSelection()

    def selected_card(self) -> Card | None:
        if self._selected is None:
            return None
        return self.model.cached(self._selected)

    def _show_summary(self, snap: Snapshot) -> None:
        updated = snap.now.astimezone(SHANGHAI).strftime("%H:%M")
        if snap.filter.active:
            text = (
                self.tr("%1 of %2 open cases match the filters.")
                .replace("%1", str(snap.shown))
                .replace("%2", str(snap.total))
            )
        else:
            text = self.tr("%1 open cases.").replace("%1", str(snap.total))
        hint = (
            self.tr("Drag a card to another stage or right-click it to move it on.")
            if snap.mode == "stage"
            else self.tr("Right-click a card to move it on.")
        )
        opening = self.tr("Double-click to open a case.")
        when = self.tr("Updated %1").replace("%1", updated)
        self.summary.setText(f"{text} {hint} {opening} {when}")

    # --- messages --------------------------------------------------------------------------

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE + "font-weight: bold;" if error else "")
        self.message.setText(text)
        self.message.show()
        self._message_timer.start()

    def clear_message(self) -> None:
        self.message.clear()
        self.message.hide()

    # --- opening and moving -------------------------------------------------------------------

    def _open(self, index: QModelIndex) -> None:
        card = self.model.card(index)
        if card is not None:
            self.case_requested.emit(card.case_id)

    def _menu_requested(self, view: QListView, pos: QPoint) -> None:
        index = view.indexAt(pos)
        if not index.isValid():
            index = view.currentIndex()
            pos = view.visualRect(index).center()
        card = self.model.card(index)
        if card is None:
            return
        view.selectionModel().setCurrentIndex(
            index, view.selectionModel().SelectionFlag.ClearAndSelect
        )
        self.card_menu(card).popup(view.viewport().mapToGlobal(pos))

    def card_menu(self, card: Card) -> QMenu:
        """The context menu of a card: open it, and the steps open to this user."""
        menu = QMenu(self)
        menu.setObjectName("card_menu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        open_action = menu.addAction(self.tr("&Open case"))
        open_action.setObjectName("menu_open")
        font = open_action.font()
        font.setBold(True)
        open_action.setFont(font)
        open_action.triggered.connect(lambda: self.case_requested.emit(card.case_id))
        menu.addSeparator()
        names = board.card_actions(card, self.actor)
        for name in names:
            spec = workflow.ACTIONS[name]
            text = spec.label
            if spec.target is not None:
                text = f"{spec.label} → {STATUSES.get(spec.target, spec.target)}"
            if name == "dispatch" and not (card.triaged and card.lead_unit):
                text = self.tr("%1 (triage first)").replace("%1", text)
            action = menu.addAction(text)
            action.setObjectName(f"menu_{name}")
            action.triggered.connect(partial(self.request_action, card, name))
        if not names:
            none = menu.addAction(self.tr("No steps open to your role at this stage"))
            none.setEnabled(False)
        self.menu = menu
        return menu

    def request_move(self, card: Card, to_key: str) -> None:
        """A card dropped on the column `to_key` (a status): its action's dialog, or why not."""
        if self.model.mode != "stage":
            return
        plan = board.plan_move(card, to_key, self.actor)
        if plan.refusal:
            self.show_message(plan.refusal, error=True)
        elif plan.allowed:
            self.clear_message()
            self._run(card, plan.actions)

    def request_action(self, card: Card, action: str) -> None:
        """A step from a card's context menu."""
        plan = board.plan_action(card, action, self.actor)
        if plan.refusal:
            self.show_message(plan.refusal, error=True)
        elif plan.allowed:
            self.clear_message()
            self._run(card, plan.actions)

    def _run(self, card: Card, actions: tuple[str, ...]) -> None:
        """Open the first action's dialog, with the case read whole (its number in the title,
        its units in the form); the next action's once it is done."""
        db, folder, case_id = self.desk.db, self.desk.dirs.attachments, card.case_id
        self.runner.run(
            lambda: search.case_detail(db, folder, case_id),
            lambda detail: self._open_dialog(card, actions, detail),
            lambda exc: self.show_message(exc.message, error=True),
        )

    def _open_dialog(self, card: Card, actions: tuple[str, ...], detail: CaseDetail) -> None:
        if not isValid(self):
            return
        action, rest = actions[0], actions[1:]
        dialog = run_action(self, self.desk, self.actor, self.runner, card.case_id, action, detail)
        self.action_dialog = dialog
        dialog.action_done.connect(partial(self._done, card, action, rest))

    def _done(self, card: Card, action: str, rest: tuple[str, ...], outcome: Any) -> None:
        if not isValid(self):
            return
        self._selected = card.row  # the card stays selected, in its new column
        spec = workflow.ACTIONS[action]
        if spec.target is not None:
            text = (
                self.tr("Case %1 moved to %2.")
                .replace("%1", outcome.case_no)
                .replace("%2", STATUSES.get(outcome.status, outcome.status))
            )
        else:
            text = (
                self.tr("%1 done for case %2.")
                .replace("%1", spec.label)
                .replace("%2", outcome.case_no)
            )
        warnings = "；".join(outcome.warnings)
        self.show_message(f"{text} {warnings}".strip())
        self.action_done.emit(outcome)
        self.refresh()
        if rest:
            db, now, case_id = self.desk.db, self.clock(), card.case_id
            self.runner.run(
                lambda: read_card(db, now, case_id),
                lambda fresh: self._next(rest, action, fresh),
                lambda exc: self.show_message(exc.message, error=True),
            )

    def _next(self, rest: tuple[str, ...], done: str, card: Card | None) -> None:
        """The next dialog of a move (dispatch after triage), on the case as it is now."""
        if not isValid(self):
            return
        if card is None:
            self.show_message(self.tr("The case is no longer open."), error=True)
            return
        plan = board.plan_action(card, rest[-1], self.actor)
        if plan.refusal:
            self.show_message(plan.refusal, error=True)
        elif plan.allowed and plan.actions[0] != done:
            self._run(card, plan.actions)


def _date_of(edit: QDateEdit) -> date | None:
    value = edit.date()
    if value == NO_DATE:
        return None
    return date(value.year(), value.month(), value.day())


def _qdate(day: date | None) -> QDate:
    return NO_DATE if day is None else QDate(day.year, day.month, day.day)


__all__ = ["BoardPage"]
