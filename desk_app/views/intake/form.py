"""The intake form (登记受理): one visit, its parties, the matter and attachments.

The form is a client of `services.cases`: it reads the widgets into a
`CaseInput`, runs `register_case` (or `correct_case`) on the TaskRunner and
shows the result, or each Chinese message beside the field it belongs to.
Reference lists are read once in the background when the form is created.

Beside the form, the repeat-visitor panel lists earlier cases of the people
typed so far (`services.repeats`): each change of a name, ID number, phone or
the village restarts a short timer, and when typing pauses the lookup runs on
the TaskRunner; an answer for text that has changed since is dropped. With
`keep_drafts`, what is typed is kept as a draft (`workers.drafts.DraftKeeper`)
and offered back at the next start.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QDateTime,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTime,
    QTimer,
    QTimeZone,
    Signal,
)
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QInputMethodEvent,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.services import cases, drafts, enquiries, repeats
from desk_app.services.cases import (
    ATTACHMENT_CATEGORIES,
    ATTACHMENT_TYPES,
    CHANNELS,
    CHANNELS_NEEDING_NOTE,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    AttachmentInput,
    CaseInput,
    CaseRef,
)
from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError, ValidationError
from desk_app.services.numbering import SHANGHAI
from desk_app.services.reference import IntakeReference, load_intake_reference
from desk_app.services.repeats import EarlierCase, Person, RepeatQuery
from desk_app.services.roles import Actor
from desk_app.views.intake.party import (
    ROLE_ORDER,
    FieldGrid,
    PartyEditor,
    combo_value,
    compact_combo,
    searchable,
    set_combo_data,
)
from desk_app.views.intake.repeats import RepeatPanel
from desk_app.views.widgets.drafts import DraftOffer, saved_time
from desk_app.views.widgets.form import ERROR_STYLE
from desk_app.workers.drafts import DraftKeeper
from desk_app.workers.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex

_SCANS = frozenset({".pdf", ".tif", ".tiff"})
# Typing must pause this long before earlier cases are looked up (ms).
REPEAT_LOOKUP_DELAY_MS = 200
# The name of this form's drafts (`services.drafts`).
DRAFT_FORM = "intake"
# Version of the draft snapshot's layout.
SNAPSHOT_VERSION = 1

_BANNER_STYLE = (
    "QLabel#result_label { background: #e6f4ea; color: #0d652d; border: 1px solid #a8dab5;"
    " border-radius: 4px; padding: 6px 10px; }"
)


def _zone() -> QTimeZone:
    zone = QTimeZone(b"Asia/Shanghai")
    return zone if zone.isValid() else QTimeZone(8 * 3600)  # China keeps no summer time


def to_qdatetime(value: datetime) -> QDateTime:
    """An aware datetime as the wall-clock time in Asia/Shanghai (minute precision)."""
    local = value.astimezone(SHANGHAI)
    return QDateTime(
        QDate(local.year, local.month, local.day), QTime(local.hour, local.minute), _zone()
    )


def from_qdatetime(value: QDateTime) -> datetime:
    """The Asia/Shanghai wall-clock time of an edit as an aware UTC datetime."""
    d, t = value.date(), value.time()
    local = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=SHANGHAI)
    return local.astimezone(UTC)


def _minute(value: datetime | None) -> datetime | None:
    return value.replace(second=0, microsecond=0) if value is not None else None


def _line(combo: QComboBox) -> QLineEdit:
    edit = combo.lineEdit()
    assert edit is not None, "an editable combo has a line edit"
    return edit


def _time_edit() -> QDateTimeEdit:
    edit = QDateTimeEdit()
    edit.setTimeZone(_zone())
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setCalendarPopup(True)
    edit.setDateTime(to_qdatetime(datetime.now(UTC)))
    return edit


# --- attachments ---------------------------------------------------------------------------


@dataclass
class AttachmentRow:
    """A file on the form: a new one (path) or one already attached (id)."""

    filename: str
    category: str
    size: int | None = None
    path: Path | None = None
    id: uuid.UUID | None = None
    note: str = ""

    def as_input(self) -> AttachmentInput:
        return AttachmentInput(
            path=self.path,
            category=self.category,
            note=self.note,
            id=self.id,
            filename=self.filename if self.id is not None else "",
        )


class AttachmentListModel(QAbstractTableModel):
    """The files on the form: name, size and category (editable for new files)."""

    FILE, SIZE, CATEGORY = range(3)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AttachmentRow] = []

    def rows(self) -> list[AttachmentRow]:
        return list(self._rows)

    def set_rows(self, rows: Iterable[AttachmentRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def append(self, row: AttachmentRow) -> None:
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append(row)
        self.endInsertRows()

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return (self.tr("File"), self.tr("Size"), self.tr("Category"))[section]

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if (
            index.isValid()
            and index.column() == self.CATEGORY
            and self._rows[index.row()].id is None
        ):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.FILE:
                return row.filename
            if column == self.SIZE:
                if row.size is None:
                    return self.tr("attached")
                if row.size >= 1 << 20:
                    return f"{row.size / (1 << 20):.1f} MB"
                return f"{max(1, row.size >> 10)} KB"
            return ATTACHMENT_CATEGORIES.get(row.category, row.category)
        if role == Qt.ItemDataRole.EditRole and column == self.CATEGORY:
            return row.category
        if role == Qt.ItemDataRole.ToolTipRole and column == self.FILE and row.path:
            return str(row.path)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            not index.isValid()
            or role != Qt.ItemDataRole.EditRole
            or index.column() != self.CATEGORY
            or value not in ATTACHMENT_CATEGORIES
        ):
            return False
        self._rows[index.row()].category = str(value)
        self.dataChanged.emit(index, index, [role, Qt.ItemDataRole.DisplayRole])
        return True


class CategoryDelegate(QStyledItemDelegate):
    """A combo of the attachment categories in the category column."""

    def createEditor(
        self, parent: QWidget, _option: QStyleOptionViewItem, _index: Index
    ) -> QWidget:
        combo = QComboBox(parent)
        for code, label in ATTACHMENT_CATEGORIES.items():
            combo.addItem(label, code)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        set_combo_data(editor, index.data(Qt.ItemDataRole.EditRole))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


# --- the form ------------------------------------------------------------------------------


class IntakeForm(QWidget):
    """Register a walk-in visit (or, after `load_for_correction`, correct a registered case)."""

    case_registered = Signal(object)  # CaseRef
    case_corrected = Signal(object)  # CaseRef
    # Validation errors are on screen (service messages by field key); nothing was saved.
    errors_shown = Signal(dict)
    # The reference lists (places, dispute types) have arrived.
    reference_loaded = Signal()
    # The case to correct is on the form.
    correction_loaded = Signal()
    # Esc in correction mode: the dialog around the form decides (asking if needed).
    cancel_requested = Signal()
    # Open an earlier case (its id): whoever shows case details answers.
    open_case_requested = Signal(object)
    # A draft was put back on the form.
    draft_restored = Signal()

    def __init__(
        self,
        desk: Desk,
        actor: Actor,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        keep_drafts: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("intake_form")
        self.desk = desk
        self.actor = actor
        self.runner = runner
        self.editors: list[PartyEditor] = []
        self.reference: IntakeReference | None = None
        self.case_id: uuid.UUID | None = None
        # Set while the form completes an advice-only visit that turned out to be a dispute.
        self.enquiry_id: uuid.UUID | None = None
        self._loaded: CaseInput | None = None  # the case as stored (correction mode)
        self._pending: CaseInput | None = None  # waiting for the reference lists
        self._village_town: dict[str, str] = {}
        self._composing: set[QObject] = set()
        self._busy = False
        self._job_done: threading.Event | None = None
        self._received_touched = False
        self._setting = False
        self._baseline: object = None
        self.fields = FieldGrid()
        self.setAcceptDrops(True)
        # 重复来访: the earlier case this visit repeats, and the lookups of earlier cases.
        self.repeat_of_id: uuid.UUID | None = None
        self._repeat_request = 0
        self._repeat_query: RepeatQuery | None = None
        self._repeat_timer = QTimer(self)
        self._repeat_timer.setSingleShot(True)
        self._repeat_timer.setInterval(REPEAT_LOOKUP_DELAY_MS)
        self._repeat_timer.timeout.connect(self.lookup_repeats)
        self._pending_snapshot: dict[str, Any] | None = None
        self.keeper: DraftKeeper | None = None
        self.draft_offer: DraftOffer | None = None
        if keep_drafts:
            self.keeper = DraftKeeper(
                runner, desk.db, actor.user_id, DRAFT_FORM, self.draft_snapshot, parent=self
            )
            self.draft_offer = DraftOffer(
                self, self.keeper, SNAPSHOT_VERSION, self._ask_restore, self.restore_snapshot
            )
            self.keeper.failed.connect(self._draft_failed)

        self._build()
        self._build_shortcuts()
        self._clock = QTimer(self)
        self._clock.setInterval(30_000)
        self._clock.timeout.connect(self._refresh_received_at)
        self._clock.start()
        self.runner.unexpected_error.connect(self._unexpected)
        self.reset()
        self.runner.run(lambda: load_intake_reference(desk.db), self._set_reference)

    # --- layout --------------------------------------------------------------------------------

    def _section(self, title: str) -> tuple[QGroupBox, QGridLayout]:
        box = QGroupBox(title)
        grid = QGridLayout(box)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(3)
        box.installEventFilter(self)  # its mnemonic focuses the section's first field
        return box, grid

    def _build(self) -> None:
        self.result_label = QLabel()
        self.result_label.setObjectName("result_label")
        self.result_label.setStyleSheet(_BANNER_STYLE)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.result_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.result_label.setFont(font)
        self.result_label.hide()
        self.enquiry_label = QLabel(
            self.tr("Registering a case from an advice-only visit: saving links the two.")
        )
        self.enquiry_label.setObjectName("enquiry_label")
        self.enquiry_label.hide()

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 4, 0)
        column.setSpacing(6)
        column.addWidget(self._build_visit())
        column.addWidget(self._build_parties())
        column.addWidget(self._build_matter())
        column.addWidget(self._build_attachments())
        column.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("intake_scroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(content)

        self.repeat_panel = RepeatPanel()
        self.repeat_panel.count_changed.connect(self._count_repeats)
        self.repeat_panel.open_requested.connect(self.open_case_requested)
        self.repeat_panel.mark_requested.connect(self._mark_repeat)
        self.repeat_panel.unmark_requested.connect(lambda: self.set_repeat_of(None))
        body = QHBoxLayout()
        body.setSpacing(6)
        body.addWidget(self.scroll_area, 1)
        body.addWidget(self.repeat_panel)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.result_label)
        layout.addWidget(self.enquiry_label)
        layout.addLayout(body, 1)
        layout.addWidget(self._build_bottom())

    def _build_visit(self) -> QGroupBox:
        box, grid = self._section(self.tr("&Visit"))
        self.visit_box = box
        self.received_at = _time_edit()
        self.received_at.dateTimeChanged.connect(self._received_edited)
        zone_note = QLabel(self.tr("Beijing time"))
        self.channel = compact_combo(QComboBox(), 6)
        for code, label in CHANNELS.items():
            self.channel.addItem(label, code)
        self.channel.currentIndexChanged.connect(self._channel_changed)
        self.channel_note = QLineEdit()
        self.channel_note.setMaxLength(100)
        self.clerk = QLabel(self.actor.display_name)
        self.clerk.setObjectName("clerk")
        self.visitor_count = QSpinBox()
        self.visitor_count.setRange(1, 999)
        self.clerk.setMinimumHeight(self.visitor_count.sizeHint().height())
        self.group_visit = QCheckBox(self.tr("Gro&up visit"))
        self.group_visit.toggled.connect(self._group_visit_changed)
        f = self.fields
        f.add(
            "received_at", self.tr("Received"), self.received_at, 0, 0, grid=grid, extra=[zone_note]
        )
        f.add("channel", self.tr("&Channel"), self.channel, 0, 1, grid=grid)
        f.add("channel_note", self.tr("Channel n&ote"), self.channel_note, 0, 2, grid=grid)
        f.add("clerk", self.tr("Clerk"), self.clerk, 1, 0, grid=grid)
        f.add("visitor_count", self.tr("V&isitors"), self.visitor_count, 1, 1, grid=grid)
        f.add("group_visit", "", self.group_visit, 1, 2, grid=grid)
        for c in (1, 3, 5):
            grid.setColumnStretch(c, 1)
        return box

    def _build_parties(self) -> QGroupBox:
        box, grid = self._section(self.tr("Parti&es"))
        self.parties_box = box
        self.party_list = QVBoxLayout()
        self.party_list.setSpacing(6)
        self.parties_error = QLabel()
        self.parties_error.setObjectName("error_parties")
        self.parties_error.setStyleSheet(ERROR_STYLE)
        self.parties_error.setWordWrap(True)
        self.parties_error.hide()
        self.add_applicant = QPushButton(self.tr("Add &applicant"))
        self.add_respondent = QPushButton(self.tr("Add &respondent"))
        self.add_third_party = QPushButton(self.tr("Add third &party"))
        buttons = QHBoxLayout()
        for button, role, keys in (
            (self.add_applicant, "applicant", "Ctrl+Shift+A"),
            (self.add_respondent, "respondent", "Ctrl+Shift+R"),
            (self.add_third_party, "third_party", "Ctrl+Shift+T"),
        ):
            button.setToolTip(QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText))
            button.clicked.connect(lambda _=False, r=role: self._add_and_focus(r))
            buttons.addWidget(button)
        buttons.addStretch(1)
        grid.addLayout(self.party_list, 0, 0)
        grid.addWidget(self.parties_error, 1, 0)
        grid.addLayout(buttons, 2, 0)
        return box

    def _build_matter(self) -> QGroupBox:
        box, grid = self._section(self.tr("&Matter"))
        self.matter_box = box
        self.title = QLineEdit()
        self.title.setMaxLength(100)
        self.title.setPlaceholderText(self.tr("A short title, e.g. who disputes what with whom"))
        self.dispute_type = searchable(QComboBox())
        self.dispute_subtype = searchable(QComboBox())
        self.town = searchable(QComboBox())
        self.village = searchable(QComboBox())
        for combo in (self.dispute_type, self.dispute_subtype, self.town, self.village):
            combo.setEnabled(False)
            _line(combo).setPlaceholderText(self.tr("Loading…"))
        self.dispute_type.currentTextChanged.connect(self._dispute_type_changed)
        self.town.currentTextChanged.connect(self._town_changed)
        self.town.currentTextChanged.connect(self.schedule_repeat_lookup)
        self.village.currentTextChanged.connect(self.schedule_repeat_lookup)
        self.place_detail = QLineEdit()
        self.place_detail.setMaxLength(200)
        self.place_detail.setPlaceholderText(self.tr("Group, street, house number, landmark…"))
        self.facts = QPlainTextEdit()
        self.claims = QPlainTextEdit()
        line = self.fontMetrics().lineSpacing()
        for edit, lines in ((self.facts, 5), (self.claims, 3)):
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(line * lines + 12)
        self.police_risk = QCheckBox(self.tr("Ris&k of a police or criminal matter"))
        self.police_reported_to = QLineEdit()
        self.police_reported_to.setMaxLength(100)
        self.police_reported_to.setPlaceholderText(self.tr("Police station"))
        self.police_reported_at = _time_edit()
        self.police_risk.toggled.connect(self._police_risk_changed)
        self.group_matter = QCheckBox(self.tr("Group matter"))
        self.foreign_related = QCheckBox(self.tr("Foreign or border-related"))
        self.urgent = QCheckBox(self.tr("Urgent"))

        f = self.fields
        left = QGridLayout()
        left.setHorizontalSpacing(8)
        left.setVerticalSpacing(3)
        f.add("title", self.tr("Tit&le"), self.title, 0, 0, span=2, grid=left)
        f.add("dispute_type_code", self.tr("Dispute t&ype"), self.dispute_type, 1, 0, grid=left)
        f.add("dispute_subtype", self.tr("Su&b-type"), self.dispute_subtype, 1, 1, grid=left)
        f.add("division_code", self.tr("To&wnship"), self.town, 2, 0, grid=left)
        f.add("village", self.tr("Villa&ge"), self.village, 2, 1, grid=left)
        f.add("place_detail", self.tr("Place"), self.place_detail, 3, 0, span=2, grid=left)
        left.setRowStretch(4, 1)
        left.setColumnStretch(1, 1)
        left.setColumnStretch(3, 1)
        right = QGridLayout()
        right.setHorizontalSpacing(8)
        right.setVerticalSpacing(3)
        f.add("facts", self.tr("&Facts"), self.facts, 0, 0, grid=right)
        f.add("claims", self.tr("Claims"), self.claims, 1, 0, grid=right)
        right.setColumnStretch(1, 1)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 11)
        grid.setColumnStretch(1, 9)

        flags = QGridLayout()
        flags.setHorizontalSpacing(6)
        f.add("police_risk", "", self.police_risk, 0, 0, grid=flags)
        f.add(
            "police_reported_to", self.tr("Reported to"), self.police_reported_to, 0, 1, grid=flags
        )
        f.add("police_reported_at", self.tr("at"), self.police_reported_at, 0, 2, grid=flags)
        checks = QHBoxLayout()
        checks.setSpacing(16)
        for check in (self.group_matter, self.foreign_related, self.urgent):
            checks.addWidget(check)
        checks.addStretch(1)
        flags.addLayout(checks, 0, 6)
        flags.setColumnStretch(3, 1)
        flags.setColumnStretch(6, 1)
        grid.addLayout(flags, 1, 0, 1, 2)
        self._police_risk_changed(False)
        return box

    def _build_attachments(self) -> QGroupBox:
        box, grid = self._section(self.tr("A&ttachments"))
        self.attachments_box = box
        self.attachments = AttachmentListModel(self)
        self.attachment_view = QTableView()
        self.attachment_view.setObjectName("attachments")
        self.attachment_view.setModel(self.attachments)
        self.attachment_view.setItemDelegateForColumn(
            AttachmentListModel.CATEGORY, CategoryDelegate(self.attachment_view)
        )
        self.attachment_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.attachment_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.attachment_view.setTabKeyNavigation(False)
        self.attachment_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.attachment_view.verticalHeader().hide()
        header = self.attachment_view.horizontalHeader()
        header.setSectionResizeMode(AttachmentListModel.FILE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(
            AttachmentListModel.SIZE, QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(
            AttachmentListModel.CATEGORY, QHeaderView.ResizeMode.ResizeToContents
        )
        self.attachment_view.setMinimumHeight(70)
        self.attachment_view.setMaximumHeight(110)
        self.attachment_view.installEventFilter(self)
        self.add_file_button = QPushButton(self.tr("Add file…"))
        self.add_file_button.clicked.connect(self.choose_files)
        self.remove_file_button = QPushButton(self.tr("Remove file"))
        self.remove_file_button.clicked.connect(self.remove_selected_attachment)
        hint = QLabel(
            self.tr("Photos or scans (%1), up to %2 MB each; drop files anywhere on the form.")
            .replace("%1", " ".join(sorted({e.lstrip(".") for e in ATTACHMENT_TYPES})))
            .replace("%2", str(MAX_ATTACHMENT_BYTES >> 20))
        )
        hint.setWordWrap(True)
        self.attachments_error = QLabel()
        self.attachments_error.setObjectName("error_attachments")
        self.attachments_error.setStyleSheet(ERROR_STYLE)
        self.attachments_error.setWordWrap(True)
        self.attachments_error.hide()
        side = QVBoxLayout()
        side.addWidget(self.add_file_button)
        side.addWidget(self.remove_file_button)
        side.addStretch(1)
        caption = QLabel(self.tr("Files"))
        caption.setBuddy(self.attachment_view)
        grid.addWidget(caption, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.attachment_view, 0, 1)
        grid.addLayout(side, 0, 2)
        grid.addWidget(hint, 0, 3, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.attachments_error, 1, 1, 1, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        return box

    def _build_bottom(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("intake_bottom")
        grid = QGridLayout(bar)
        grid.setContentsMargins(0, 0, 0, 0)
        self.reason = QLineEdit()
        self.reason.setMaxLength(500)
        self.reason.setPlaceholderText(self.tr("What was wrong, and who asked for the change"))
        self.fields.add("reason", self.tr("Reaso&n for correction"), self.reason, 0, 0, grid=grid)
        self.fields.set_visible("reason", False)
        self.message = QLabel()
        self.message.setObjectName("form_message")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.new_button = QPushButton(self.tr("&New"))
        self.new_button.setToolTip(self.tr("Start a new form (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_form)
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setObjectName("save_button")
        self.save_button.setToolTip(self.tr("Save (Ctrl+S)"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        # message, New, Save: a dialog around the form may add its buttons here.
        # Where the window is too narrow for the form and the repeat-visitor panel side by
        # side, the panel folds away and this button shows it (over the form's right edge).
        self.repeats_button = QPushButton(self.tr("Earlier visits"))
        self.repeats_button.setObjectName("repeats_button")
        self.repeats_button.setCheckable(True)
        self.repeats_button.setAutoDefault(False)
        self.repeats_button.toggled.connect(self._fit_panel)
        self.repeats_button.hide()
        self.button_row = QHBoxLayout()
        self.button_row.addWidget(self.message, 1)
        self.button_row.addWidget(self.repeats_button)
        self.button_row.addWidget(self.new_button)
        self.button_row.addWidget(self.save_button)
        grid.addLayout(self.button_row, 1, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        return bar

    def _build_shortcuts(self) -> None:
        def bind(keys: str, slot: Callable[[], None]) -> QShortcut:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda: None if self.composing else slot())
            return shortcut

        self.shortcuts = [
            bind("Ctrl+S", self.save),
            bind("Ctrl+N", self.new_form),
            bind("Esc", self.request_clear),
            bind("Ctrl+Shift+A", lambda: self._add_and_focus("applicant")),
            bind("Ctrl+Shift+R", lambda: self._add_and_focus("respondent")),
            bind("Ctrl+Shift+T", lambda: self._add_and_focus("third_party")),
        ]

    # --- input method, mnemonics and drops -----------------------------------------------------

    @property
    def composing(self) -> bool:
        """Whether the input method is composing (a preedit is showing) in the focused field."""
        focus = QApplication.focusWidget()
        return focus is not None and focus in self._composing

    @property
    def correcting(self) -> bool:
        return self.case_id is not None

    @property
    def busy(self) -> bool:
        """Whether a save (or the loading of a case to correct) is running."""
        return self._busy

    def _watch(self, root: QWidget) -> None:
        """Watch the text fields under `root` for input-method composition and file drops."""
        editors: list[QWidget] = [
            *root.findChildren(QLineEdit),
            *root.findChildren(QPlainTextEdit),
            *[c for c in root.findChildren(QComboBox) if c.isEditable()],
        ]
        for editor in editors:
            editor.installEventFilter(self)
            if isinstance(editor, QPlainTextEdit):
                editor.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.InputMethod:
            assert isinstance(event, QInputMethodEvent)
            if event.preeditString():
                self._composing.add(watched)
            else:
                self._composing.discard(watched)
        elif kind == QEvent.Type.FocusOut:
            self._composing.discard(watched)
        elif kind == QEvent.Type.ShortcutOverride and watched in self._composing:
            # The key belongs to the input method's composition: no shortcut may take it.
            event.accept()
            return True
        elif kind == QEvent.Type.Shortcut and isinstance(watched, QGroupBox):
            self._focus_section(watched)
            return True
        elif (
            isinstance(event, QKeyEvent)
            and kind == QEvent.Type.KeyPress
            and watched is self.attachment_view
            and event.key() == Qt.Key.Key_Delete
        ):
            self.remove_selected_attachment()
            return True
        elif isinstance(event, QDropEvent) and self._local_files(event):
            # Files dropped on any field are attachments, not text for that field.
            if kind == QEvent.Type.Drop:
                self.add_files(self._local_files(event))
            event.acceptProposedAction()
            return True
        return super().eventFilter(watched, event)

    @staticmethod
    def _local_files(event: QEvent) -> list[Path]:
        mime = event.mimeData() if isinstance(event, QDropEvent) else None
        if mime is None or not mime.hasUrls():
            return []
        return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._local_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = self._local_files(event)
        if files:
            self.add_files(files)
            event.acceptProposedAction()

    def _focus_section(self, box: QGroupBox) -> None:
        target: QWidget
        if box is self.visit_box:
            target = self.received_at
        elif box is self.parties_box:
            target = self.editors[0].name if self.editors else self.add_applicant
        elif box is self.matter_box:
            target = self.title
        else:
            target = self.attachment_view
        self._focus(target, Qt.FocusReason.ShortcutFocusReason)

    def _focus(
        self, widget: QWidget, reason: Qt.FocusReason = Qt.FocusReason.OtherFocusReason
    ) -> None:
        widget.setFocus(reason)
        self.scroll_area.ensureWidgetVisible(widget, 50, 50)

    def first_field(self) -> QWidget:
        """Where a fresh form starts: the first field in tab order."""
        return self.received_at

    def _update_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.received_at,
            self.channel,
            self.channel_note,
            self.visitor_count,
            self.group_visit,
        ]
        for editor in self.editors:
            chain += editor.focus_chain()
        chain += [self.add_applicant, self.add_respondent, self.add_third_party]
        chain += [
            self.title,
            self.dispute_type,
            self.dispute_subtype,
            self.town,
            self.village,
            self.place_detail,
            self.facts,
            self.claims,
            self.police_risk,
            self.police_reported_to,
            self.police_reported_at,
            self.group_matter,
            self.foreign_related,
            self.urgent,
            self.attachment_view,
            self.add_file_button,
            self.remove_file_button,
            self.reason,
            self.new_button,
            self.save_button,
        ]
        self._chain = chain
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # --- parties -------------------------------------------------------------------------------

    def add_party(self, role: str = "applicant", position: int | None = None) -> PartyEditor:
        """A new editor: at `position`, or after the last party of the same or an earlier role."""
        editor = PartyEditor(role)
        editor.set_group_visit(self.group_visit.isChecked())
        editor.remove_requested.connect(self.remove_party)
        if position is None:
            rank = ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER)
            position = 0
            for i, other in enumerate(self.editors):
                other_role = other.role_code()
                if (ROLE_ORDER.index(other_role) if other_role in ROLE_ORDER else 0) <= rank:
                    position = i + 1
        self.editors.insert(position, editor)
        self.party_list.insertWidget(position, editor)
        self._watch(editor)
        self._renumber()
        for line in (editor.name, editor.id_number, editor.org_code, editor.phone):
            line.textChanged.connect(self.schedule_repeat_lookup)
        editor.kind.currentIndexChanged.connect(self.schedule_repeat_lookup)
        return editor

    def _add_and_focus(self, role: str) -> None:
        editor = self.add_party(role)
        QTimer.singleShot(0, lambda: self._focus(editor.name))

    def remove_party(self, editor: PartyEditor) -> None:
        if editor not in self.editors:
            return
        index = self.editors.index(editor)
        self.editors.remove(editor)
        self._composing.difference_update(editor.findChildren(QWidget))
        editor.hide()
        editor.deleteLater()
        self._renumber()
        self.schedule_repeat_lookup()
        if self.editors:
            self._focus(self.editors[min(index, len(self.editors) - 1)].name)
        else:
            self._focus(self.add_applicant)

    def _renumber(self) -> None:
        for i, editor in enumerate(self.editors, start=1):
            editor.set_number(i)
        self._update_tab_order()

    def _clear_parties(self) -> None:
        for editor in self.editors:
            self.party_list.removeWidget(editor)
            editor.hide()
            editor.deleteLater()
        self.editors = []

    # --- attachments ---------------------------------------------------------------------------

    def choose_files(self) -> None:
        patterns = " ".join(f"*{ext}" for ext in sorted(ATTACHMENT_TYPES))
        paths, _filter = QFileDialog.getOpenFileNames(
            self,
            self.tr("Attach files"),
            "",
            self.tr("Photos and scans (%1)").replace("%1", patterns),
        )
        self.add_files(Path(p) for p in paths)

    def add_files(self, paths: Iterable[Path]) -> list[str]:
        """Attach files, refusing at once what the service would refuse; the refusals."""
        refused: list[str] = []
        known = {r.path for r in self.attachments.rows() if r.path is not None}
        for path in paths:
            problem = self._refusal(path)
            if problem:
                refused.append(problem)
                continue
            if path in known:
                continue
            known.add(path)
            category = "scan" if path.suffix.lower() in _SCANS else "photo"
            self.attachments.append(
                AttachmentRow(path.name, category, size=path.stat().st_size, path=path)
            )
        self.attachments_error.setText("\n".join(refused))
        self.attachments_error.setVisible(bool(refused))
        return refused

    def _refusal(self, path: Path) -> str | None:
        name = path.name
        if not path.is_file():
            return self.tr("“%1” is not a file that can be attached").replace("%1", name)
        if path.suffix.lower() not in ATTACHMENT_TYPES:
            allowed = " ".join(sorted({e.lstrip(".") for e in ATTACHMENT_TYPES}))
            return (
                self.tr("“%1” cannot be attached: only photos or scans (%2)")
                .replace("%1", name)
                .replace("%2", allowed)
            )
        size = path.stat().st_size
        if size == 0:
            return self.tr("“%1” is empty: scan or photograph it again").replace("%1", name)
        if size > MAX_ATTACHMENT_BYTES:
            return (
                self.tr("“%1” is %2 MB, more than %3 MB: compress it or scan at a lower resolution")
                .replace("%1", name)
                .replace("%2", f"{size / (1 << 20):.1f}")
                .replace("%3", str(MAX_ATTACHMENT_BYTES >> 20))
            )
        if self.attachments.rowCount() >= MAX_ATTACHMENTS:
            return self.tr("At most %1 attachments per case").replace("%1", str(MAX_ATTACHMENTS))
        return None

    def remove_selected_attachment(self) -> None:
        index = self.attachment_view.currentIndex()
        if index.isValid():
            self.attachments.remove(index.row())

    # --- live state ----------------------------------------------------------------------------

    def _received_edited(self) -> None:
        if not self._setting:
            self._received_touched = True

    def _refresh_received_at(self) -> None:
        """An untouched received time follows the clock, so it is fresh for the next visitor."""
        if not self._received_touched and not self.correcting:
            self._setting = True
            self.received_at.setDateTime(to_qdatetime(datetime.now(UTC)))
            self._setting = False

    def _channel_changed(self) -> None:
        needs_note = combo_value(self.channel) in CHANNELS_NEEDING_NOTE
        self.channel_note.setEnabled(needs_note)
        self.channel_note.setPlaceholderText(self.tr("From whom (required)") if needs_note else "")

    def _group_visit_changed(self, checked: bool) -> None:
        for editor in self.editors:
            editor.set_group_visit(checked)

    def _police_risk_changed(self, checked: bool) -> None:
        self.police_reported_to.setEnabled(checked)
        self.police_reported_at.setEnabled(checked)

    def _set_reference(self, ref: IntakeReference) -> None:
        self.reference = ref
        self._village_town = {v.code: t.code for t in ref.towns for v in t.villages}
        for kind in ref.dispute_types:
            self.dispute_type.addItem(kind.name, kind.code)
        for town in ref.towns:
            self.town.addItem(town.short_name, town.code)
        for combo in (self.dispute_type, self.dispute_subtype, self.town, self.village):
            combo.setEnabled(True)
            _line(combo).setPlaceholderText("")
            combo.setCurrentIndex(-1)
            combo.setEditText("")
        if self._pending is not None:
            self._fill(self._pending)
            self._pending = None
            self._baseline = self._state()
            self.correction_loaded.emit()
            self._focus(self.first_field())
        if self._pending_snapshot is not None:
            snap, self._pending_snapshot = self._pending_snapshot, None
            self.restore_snapshot(snap)
        # Only now: a draft goes back onto a form with its lists, and the keeper must not
        # take the empty form for one whose typing was all deleted.
        self.offer_draft()
        self.reference_loaded.emit()

    def _dispute_type_changed(self, text: str) -> None:
        code = combo_value(self.dispute_type)
        kinds = self.reference.dispute_types if self.reference else ()
        kind = next((k for k in kinds if k.code == code), None)
        subtypes = kind.subtypes if kind else ()
        if [self.dispute_subtype.itemText(i) for i in range(self.dispute_subtype.count())] == list(
            subtypes
        ):
            return
        self.dispute_subtype.clear()
        for name in subtypes:
            self.dispute_subtype.addItem(name, name)
        self.dispute_subtype.setCurrentIndex(-1)
        self.dispute_subtype.setEditText("")

    def _town_changed(self, text: str) -> None:
        code = combo_value(self.town)
        towns = self.reference.towns if self.reference else ()
        town = next((t for t in towns if t.code == code), None)
        villages = town.villages if town else ()
        current = [self.village.itemData(i) for i in range(self.village.count())]
        if current == [v.code for v in villages]:
            return
        self.village.clear()
        for village in villages:
            self.village.addItem(village.short_name, village.code)
        self.village.setCurrentIndex(-1)
        self.village.setEditText("")

    # --- collecting and showing errors ---------------------------------------------------------

    def collect(self) -> tuple[CaseInput, dict[str, str]]:
        """The form as service input, and what the form itself could not read (by error key)."""
        errors: dict[str, str] = {}
        parties = []
        for i, editor in enumerate(self.editors):
            party, party_errors = editor.party()
            parties.append(party)
            errors.update({f"parties.{i}.{k}": v for k, v in party_errors.items()})
        received_at: datetime | None = None
        if self._received_touched or self.correcting:
            received_at = from_qdatetime(self.received_at.dateTime())
            if self._loaded is not None and _minute(self._loaded.received_at) == received_at:
                received_at = self._loaded.received_at  # unchanged: keep its seconds
        reported_at: datetime | None = None
        if self.police_risk.isChecked():
            reported_at = from_qdatetime(self.police_reported_at.dateTime())
            if self._loaded is not None and _minute(self._loaded.police_reported_at) == reported_at:
                reported_at = self._loaded.police_reported_at
        village = combo_value(self.village)
        risk = self.police_risk.isChecked()
        data = CaseInput(
            title=self.title.text(),
            dispute_type_code=combo_value(self.dispute_type),
            dispute_subtype=combo_value(self.dispute_subtype),
            division_code=village or combo_value(self.town),
            place_detail=self.place_detail.text(),
            channel=combo_value(self.channel),
            channel_note=self.channel_note.text() if self.channel_note.isEnabled() else "",
            facts=self.facts.toPlainText(),
            claims=self.claims.toPlainText(),
            received_at=received_at,
            visitor_count=self.visitor_count.value(),
            group_visit=self.group_visit.isChecked(),
            police_risk=self.police_risk.isChecked(),
            police_reported_to=self.police_reported_to.text() if risk else "",
            police_reported_at=reported_at,
            group_matter=self.group_matter.isChecked(),
            foreign_related=self.foreign_related.isChecked(),
            urgent=self.urgent.isChecked(),
            repeat_of_id=self.repeat_of_id,
            parties=tuple(parties),
            attachments=tuple(r.as_input() for r in self.attachments.rows()),
        )
        return data, errors

    def _state(self) -> object:
        data, _errors = self.collect()
        return (replace(data, received_at=None, police_reported_at=None), self.reason.text())

    def is_dirty(self) -> bool:
        """Whether anything was typed since the form was reset (or the case loaded)."""
        return self._state() != self._baseline

    def clear_errors(self) -> None:
        self.fields.clear()
        for editor in self.editors:
            editor.clear_errors()
        for label in (self.parties_error, self.attachments_error):
            label.clear()
            label.hide()
        self.repeat_panel.set_error("")
        self.message.clear()
        self.message.setStyleSheet(ERROR_STYLE)

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Each message beside its field; the first field in tab order gets the focus."""
        self.clear_errors()
        shown: list[QWidget] = []
        loose: list[str] = []
        attachment_lines: list[str] = []
        rows = self.attachments.rows()
        for key, message in errors.items():
            parts = key.split(".")
            if parts[0] == "parties" and len(parts) >= 3 and parts[1].isdigit():
                i = int(parts[1])
                if i < len(self.editors):
                    shown += self.editors[i].show_errors({".".join(parts[2:]): message})
                    continue
            elif key == "parties":
                self.parties_error.setText(message)
                self.parties_error.show()
                shown.append(self.editors[0].name if self.editors else self.add_applicant)
                continue
            elif parts[0] == "attachments":
                if len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(rows):
                    message = f"{rows[int(parts[1])].filename}：{message}"
                attachment_lines.append(message)
                shown.append(self.attachment_view)
                continue
            elif key in self.fields:
                shown.append(self.fields.set_error(key, message))
                continue
            elif key == "repeat_of_id":
                self.repeat_panel.set_error(message)
                continue
            loose.append(message)
        if attachment_lines:
            self.attachments_error.setText("\n".join(attachment_lines))
            self.attachments_error.show()
        self.message.setText("\n".join(loose))
        order = {id(w): i for i, w in enumerate(self._chain)}
        if shown:
            first = min(shown, key=lambda w: order.get(id(w), len(order)))
            self._focus(first)

    # --- commands ------------------------------------------------------------------------------

    def _run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[DeskError], None],
    ) -> None:
        """Run a service call; the buttons come back even if it fails unexpectedly."""
        done = threading.Event()

        def job() -> Any:
            try:
                return fn()
            finally:
                done.set()

        self._job_done = done
        self._set_busy(True)
        if self.keeper is not None:
            # After the draft write still running, if any: the registration deletes the
            # draft, and no older snapshot may land after it.
            self.keeper.when_idle(lambda: self.runner.run(job, on_done, on_error))
        else:
            self.runner.run(job, on_done, on_error)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        if self.keeper is not None:
            # While saving, the form is not "empty" even if it looks so to the keeper.
            if busy:
                self.keeper.pause()
            else:
                self.keeper.resume()
        self.save_button.setEnabled(not busy)
        self.new_button.setEnabled(not busy and not self.correcting)

    def _unexpected(self, _message: str, _traceback: str) -> None:
        if self._busy and self._job_done is not None and self._job_done.is_set():
            self._set_busy(False)

    def save(self) -> None:
        """Register the visit (or save the correction) in the background."""
        if self.composing or self._busy:
            return
        data, errors = self.collect()
        if errors:
            self.show_errors(errors)
            self.errors_shown.emit(errors)
            return
        self.clear_errors()
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Saving…"))
        desk, actor = self.desk, self.actor
        if self.case_id is not None:
            case_id, reason = self.case_id, self.reason.text()
            self._run(
                lambda: cases.correct_case(desk, actor, case_id, data, reason),
                self._corrected,
                self._failed,
            )
        elif self.enquiry_id is not None:
            enquiry_id = self.enquiry_id
            draft = DRAFT_FORM if self.keeper is not None else ""
            self._run(
                lambda: enquiries.convert_to_case(desk, actor, enquiry_id, data, draft),
                self._registered,
                self._failed,
            )
        else:
            draft = DRAFT_FORM if self.keeper is not None else ""
            self._run(
                lambda: cases.register_case(desk, actor, data, draft),
                self._registered,
                self._failed,
            )

    def _registered(self, ref: CaseRef) -> None:
        self._set_busy(False)
        if self.keeper is not None:
            self.keeper.forget()  # deleted with the registration
        self.reset()
        self.result_label.setText(self.tr("Registered %1").replace("%1", ref.case_no))
        self.result_label.show()
        self.case_registered.emit(ref)

    def _corrected(self, ref: CaseRef) -> None:
        self._set_busy(False)
        self.message.clear()
        self.result_label.setText(self.tr("Corrected %1").replace("%1", ref.case_no))
        self.result_label.show()
        self._baseline = self._state()
        self.case_corrected.emit(ref)

    def _failed(self, exc: DeskError) -> None:
        self._set_busy(False)
        if self.correcting and self._loaded is None:  # the case could not be loaded
            self.setEnabled(True)
            self.save_button.setEnabled(False)
        if isinstance(exc, ValidationError):
            self.show_errors(exc.fields)
            self.errors_shown.emit(dict(exc.fields))
        else:
            self.clear_errors()
            self.message.setText(exc.message)

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def new_form(self) -> None:
        """Ctrl+N: a fresh form, after asking if anything typed would be lost."""
        if self.correcting or self._busy or self.composing:
            return
        if self.is_dirty() and not self._confirm(
            self.tr("New form"), self.tr("Discard what you typed and start a new form?")
        ):
            return
        self.reset()
        self._discard_draft()

    def request_clear(self) -> None:
        """Esc: clear the form after asking (in correction mode the dialog decides)."""
        if self._busy or self.composing:
            return
        if self.correcting:
            self.cancel_requested.emit()
            return
        if self.is_dirty() and not self._confirm(
            self.tr("Clear the form"), self.tr("Clear everything typed for this visitor?")
        ):
            return
        self.reset()
        self._discard_draft()

    def reset(self) -> None:
        """An empty form for the next visitor: one applicant, one respondent, fresh defaults."""
        self.enquiry_id = None
        self.enquiry_label.hide()
        self._setting = True
        self.received_at.setDateTime(to_qdatetime(datetime.now(UTC)))
        self.police_reported_at.setDateTime(to_qdatetime(datetime.now(UTC)))
        self._setting = False
        self._received_touched = False
        set_combo_data(self.channel, "walk_in")
        self._channel_changed()
        self.channel_note.clear()
        self.visitor_count.setValue(1)
        self.group_visit.setChecked(False)
        self._clear_parties()
        self.add_party("applicant")
        self.add_party("respondent")
        self.title.clear()
        for combo in (self.dispute_type, self.dispute_subtype, self.town, self.village):
            combo.setCurrentIndex(-1)
            combo.setEditText("")
        self.place_detail.clear()
        self.facts.clear()
        self.claims.clear()
        for check in (self.police_risk, self.group_matter, self.foreign_related, self.urgent):
            check.setChecked(False)
        self.police_reported_to.clear()
        self.attachments.set_rows([])
        self.reason.clear()
        self.set_repeat_of(None)
        self._repeat_timer.stop()
        self._repeat_request += 1
        self._repeat_query = None
        self.repeat_panel.show_idle()
        self._composing.clear()
        self.clear_errors()
        self._watch(self)
        self._update_tab_order()
        self._baseline = self._state()
        self.scroll_area.verticalScrollBar().setValue(0)
        self._focus(self.first_field())

    # --- repeat visitors --------------------------------------------------------------------------

    def schedule_repeat_lookup(self, *_args: object) -> None:
        """A name, ID number, phone or the place changed: look up once typing pauses."""
        if self._setting:
            return
        self._repeat_request += 1  # an answer on its way is for text that has changed
        self._repeat_timer.start()

    def repeat_query(self) -> RepeatQuery:
        """The people on the form and the new case's place, as the lookup wants them."""
        people = []
        for editor in self.editors:
            number = editor.org_code.text() if editor.is_organisation() else editor.id_number.text()
            people.append(Person(editor.name.text(), number, editor.phone.text()))
        # The new case's place as it will be stored: the village, else the township.
        place = combo_value(self.village) or combo_value(self.town)
        towns = self.reference.towns if self.reference else ()
        if place not in self._village_town and all(t.code != place for t in towns):
            place = ""
        return RepeatQuery(tuple(people), place, self.case_id)

    def lookup_repeats(self) -> None:
        """Look up earlier cases of the people on the form (on the runner)."""
        self._repeat_timer.stop()
        query = self.repeat_query()
        if query == self._repeat_query:
            return
        self._repeat_request += 1
        request = self._repeat_request
        if not repeats.has_keys(query):
            self._repeat_query = query
            self.repeat_panel.show_idle()
            return
        self.repeat_panel.show_searching()
        db = self.desk.db
        self.runner.run(
            lambda: repeats.find_earlier(db, query),
            lambda rows: self._repeats_found(request, query, rows),
            lambda exc: self._repeats_failed(request, exc),
        )

    def _repeats_found(self, request: int, query: RepeatQuery, rows: list[EarlierCase]) -> None:
        if request != self._repeat_request:
            return  # typing moved on
        self._repeat_query = query
        self.repeat_panel.set_results(rows)

    def _repeats_failed(self, request: int, exc: DeskError) -> None:
        if request == self._repeat_request:
            self.repeat_panel.set_failed(exc.message)

    def _count_repeats(self, n: int) -> None:
        if n:
            self.repeats_button.setText(self.tr("Earlier visits (%1)").replace("%1", str(n)))
        else:
            self.repeats_button.setText(self.tr("Earlier visits"))
        font = self.repeats_button.font()
        font.setBold(bool(n))  # something to look at, while the panel is folded away
        self.repeats_button.setFont(font)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_panel()

    def _fit_panel(self) -> None:
        """Show the panel beside the form where both fit; else only on the button's say."""
        content = self.scroll_area.widget()
        needed = content.minimumSizeHint().width() if content is not None else 0
        # Margins, the spacing between the two and the form's vertical scroll bar.
        room = (
            self.width() - needed - 16 - 6 - self.scroll_area.verticalScrollBar().sizeHint().width()
        )
        fits = room >= self.repeat_panel.width()
        self.repeats_button.setVisible(not fits)
        self.repeat_panel.setVisible(fits or self.repeats_button.isChecked())

    def _mark_repeat(self, case: EarlierCase) -> None:
        self.set_repeat_of(case.id, case.case_no)

    def set_repeat_of(self, case_id: uuid.UUID | None, case_no: str = "") -> None:
        """Mark the case as a repeat visit of `case_id` (None: not a repeat visit)."""
        self.repeat_of_id = case_id
        self.repeat_panel.set_marked(case_id, case_no)
        if case_id is not None and not case_no:
            db = self.desk.db

            def named(brief: repeats.CaseBrief | None) -> None:
                if brief is not None and self.repeat_of_id == brief.id:
                    self.repeat_panel.set_marked(brief.id, brief.case_no)

            self.runner.run(lambda: repeats.brief(db, case_id), named)

    # --- drafts --------------------------------------------------------------------------------

    def draft_snapshot(self) -> dict[str, Any] | None:
        """Everything typed on the form as plain JSON values, or None when nothing is."""
        if self.correcting or not self.is_dirty():
            return None
        return {
            "version": SNAPSHOT_VERSION,
            "received_at": (
                from_qdatetime(self.received_at.dateTime()).isoformat()
                if self._received_touched
                else None
            ),
            "channel": combo_value(self.channel),
            "channel_note": self.channel_note.text(),
            "visitor_count": self.visitor_count.value(),
            "group_visit": self.group_visit.isChecked(),
            "parties": [editor.snapshot() for editor in self.editors],
            "title": self.title.text(),
            "dispute_type": self.dispute_type.currentText(),
            "dispute_subtype": self.dispute_subtype.currentText(),
            "town": self.town.currentText(),
            "village": self.village.currentText(),
            "place_detail": self.place_detail.text(),
            "facts": self.facts.toPlainText(),
            "claims": self.claims.toPlainText(),
            "police_risk": self.police_risk.isChecked(),
            "police_reported_to": self.police_reported_to.text(),
            "police_reported_at": from_qdatetime(self.police_reported_at.dateTime()).isoformat(),
            "group_matter": self.group_matter.isChecked(),
            "foreign_related": self.foreign_related.isChecked(),
            "urgent": self.urgent.isChecked(),
            "attachments": [
                {"path": str(r.path), "category": r.category, "note": r.note}
                for r in self.attachments.rows()
                if r.path is not None
            ],
            "repeat_of_id": str(self.repeat_of_id) if self.repeat_of_id else None,
            "enquiry_id": str(self.enquiry_id) if self.enquiry_id else None,
        }

    def restore_snapshot(self, snap: dict[str, Any]) -> None:
        """Put a draft back on the form (once the reference lists are there)."""
        if self.reference is None:
            self._pending_snapshot = snap
            return
        self.reset()
        self._setting = True
        try:
            self._restore(snap)
        finally:
            self._setting = False
        self._watch(self)
        self._update_tab_order()
        self.lookup_repeats()
        self._focus(self.first_field())
        self.draft_restored.emit()

    def _restore(self, snap: dict[str, Any]) -> None:
        def text(key: str) -> str:
            value = snap.get(key)
            return value if isinstance(value, str) else ""

        received = snap.get("received_at")
        if isinstance(received, str):
            self.received_at.setDateTime(to_qdatetime(datetime.fromisoformat(received)))
            self._received_touched = True
        set_combo_data(self.channel, text("channel") or "walk_in")
        self.channel_note.setText(text("channel_note"))
        self.visitor_count.setValue(int(snap.get("visitor_count") or 1))
        self.group_visit.setChecked(bool(snap.get("group_visit")))
        self._clear_parties()
        for party in snap.get("parties") or []:
            if isinstance(party, dict):
                role = party.get("role")
                editor = self.add_party(
                    role if isinstance(role, str) else "applicant", position=len(self.editors)
                )
                editor.restore(party)
        self.title.setText(text("title"))
        for key, combo in (
            ("dispute_type", self.dispute_type),
            ("dispute_subtype", self.dispute_subtype),
            ("town", self.town),
            ("village", self.village),
        ):
            self._select_text(combo, text(key))
        self.place_detail.setText(text("place_detail"))
        self.facts.setPlainText(text("facts"))
        self.claims.setPlainText(text("claims"))
        self.police_risk.setChecked(bool(snap.get("police_risk")))
        self.police_reported_to.setText(text("police_reported_to"))
        reported = snap.get("police_reported_at")
        if isinstance(reported, str):
            self.police_reported_at.setDateTime(to_qdatetime(datetime.fromisoformat(reported)))
        self.group_matter.setChecked(bool(snap.get("group_matter")))
        self.foreign_related.setChecked(bool(snap.get("foreign_related")))
        self.urgent.setChecked(bool(snap.get("urgent")))
        files = [a for a in snap.get("attachments") or [] if isinstance(a, dict) and a.get("path")]
        self.add_files(Path(str(a["path"])) for a in files)
        by_path = {str(a["path"]): a for a in files}
        for row in self.attachments.rows():
            saved = by_path.get(str(row.path))
            if saved and saved.get("category") in cases.ATTACHMENT_CATEGORIES:
                row.category = str(saved["category"])
                row.note = str(saved.get("note") or "")
        repeat_of = snap.get("repeat_of_id")
        self.set_repeat_of(uuid.UUID(repeat_of) if isinstance(repeat_of, str) else None)
        enquiry = snap.get("enquiry_id")
        if isinstance(enquiry, str):
            self.enquiry_id = uuid.UUID(enquiry)
            self.enquiry_label.show()

    def offer_draft(self) -> None:
        """Look for this user's draft of an earlier session; offer it back if there is one."""
        if self.draft_offer is not None:
            self.draft_offer.start()

    def _ask_restore(self, saved: drafts.SavedDraft) -> tuple[str, str]:
        snap = saved.payload
        names = [
            str(p.get("name"))
            for p in snap.get("parties") or []
            if isinstance(p, dict) and p.get("name")
        ]
        parts = ["、".join(names[:3]), str(snap.get("title") or "")]
        what = " · ".join(p for p in parts if p) or self.tr("no name or title yet")
        return (
            self.tr("Unsaved registration"),
            self.tr(
                "A case registration you typed at %1 was not saved (%2). Restore it to the form?"
            )
            .replace("%1", saved_time(saved))
            .replace("%2", what),
        )

    def _draft_failed(self, message: str) -> None:
        if not self._busy and not self.message.text():  # never over a save's own message
            self.message.setText(message)

    def _discard_draft(self) -> None:
        if self.keeper is not None:
            self.keeper.discard()

    # --- an enquiry turned into a case ----------------------------------------------------------

    def prefill_from_enquiry(self, enquiry_id: uuid.UUID, data: CaseInput) -> None:
        """Start a registration from an advice-only visit; saving links the two."""
        self.reset()
        self.enquiry_id = enquiry_id
        self.enquiry_label.show()
        if self.reference is None:
            self._pending = data
        else:
            self._fill(data)
        self._focus(self.first_field())

    # --- correction ----------------------------------------------------------------------------

    def load_for_correction(self, case_id: uuid.UUID) -> None:
        """Switch to correction mode and load the case (in the background)."""
        self.case_id = case_id
        self.repeat_panel.can_open = False  # the dialog is modal: no case can open behind it
        self.fields.set_visible("reason", True)
        self.save_button.setText(self.tr("&Save correction"))
        self.new_button.hide()
        self.setEnabled(False)
        self._run(
            lambda: cases.load_input(self.desk.db, case_id), self._correction_arrived, self._failed
        )

    def _correction_arrived(self, data: CaseInput) -> None:
        self._set_busy(False)
        self.setEnabled(True)
        self._loaded = data
        if self.reference is None:
            self._pending = data
            return
        self._fill(data)
        self._baseline = self._state()
        self.correction_loaded.emit()
        self._focus(self.first_field())

    def _fill(self, data: CaseInput) -> None:
        self._setting = True
        if data.received_at is not None:
            self.received_at.setDateTime(to_qdatetime(data.received_at))
        self._setting = False
        set_combo_data(self.channel, data.channel)
        self.channel_note.setText(data.channel_note)
        self.visitor_count.setValue(data.visitor_count)
        self.group_visit.setChecked(data.group_visit)
        self._clear_parties()
        for p in data.parties:  # in stored order
            self.add_party(p.role, position=len(self.editors)).set_party(p)
        self.title.setText(data.title)
        set_combo_data(self.dispute_type, data.dispute_type_code)
        self._select_text(self.dispute_subtype, data.dispute_subtype)
        town = self._village_town.get(data.division_code, data.division_code)
        set_combo_data(self.town, town)
        if town != data.division_code:
            set_combo_data(self.village, data.division_code)
        self.place_detail.setText(data.place_detail)
        self.facts.setPlainText(data.facts)
        self.claims.setPlainText(data.claims)
        self.police_risk.setChecked(data.police_risk)
        self.police_reported_to.setText(data.police_reported_to)
        if data.police_reported_at is not None:
            self.police_reported_at.setDateTime(to_qdatetime(data.police_reported_at))
        self.group_matter.setChecked(data.group_matter)
        self.foreign_related.setChecked(data.foreign_related)
        self.urgent.setChecked(data.urgent)
        self.attachments.set_rows(
            AttachmentRow(a.filename, a.category, id=a.id, note=a.note) for a in data.attachments
        )
        self.set_repeat_of(data.repeat_of_id)
        self._watch(self)
        self._update_tab_order()

    @staticmethod
    def _select_text(combo: QComboBox, text: str) -> None:
        index = combo.findText(text, Qt.MatchFlag.MatchFixedString) if text else -1
        combo.setCurrentIndex(index)
        if index < 0:
            combo.setEditText(text)
