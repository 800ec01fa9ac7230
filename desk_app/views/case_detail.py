"""One case read whole: visit, matter, parties, attachments and its history.

`CaseDetailView.show_case(case_id)` reads the case on the task runner
(`search.case_detail`) and shows it; `reload()` reads it again (after a
correction, say). The "Correct…" and "Void…" buttons only ask: they emit
`correct_requested` / `void_requested` with the case id, and whoever owns the
dialogs answers.

The action bar offers the lifecycle steps open to the user from the case's
status (`workflow.available`); each opens its dialog (`workflow_dialogs`) and,
once done, the case is read again. After 交办 the routing slip's preview opens;
"Print routing slip…" opens it again for any dispatched case; "Supervision…"
opens the case's 催办/督办 ladder (`supervision_dialog`). The overview
shows the current step with its deadline and time left (red when overdue,
amber when 临期), the supervision so far, and the triage result; the
Dispatches tab lists each unit's dispatch with its signing, return and
feedback; the history gives the time a case spent in each status.
"""

from __future__ import annotations

import html
import tempfile
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QBrush, QDesktopServices, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.services import numbering, search, supervision, workflow
from desk_app.services.cases import STATUSES, CaseRef
from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError
from desk_app.services.roles import Actor, Role
from desk_app.services.search import AttachmentView, CaseDetail, CaseLink, EventView, PartyView
from desk_app.services.workflow import DispatchView
from desk_app.views import workflow_dialogs
from desk_app.views.widgets.form import ERROR_STYLE
from desk_app.views.widgets.table import RowsTableModel
from desk_app.workers.tasks import TaskRunner

# Where attachments are copied under their own names for the system's viewer.
VIEWER_FOLDER = Path(tempfile.gettempdir()) / "desk_app_attachments"


def local_time(at: datetime | None) -> str:
    """A stored (UTC) time as the desk shows it: Asia/Shanghai, yyyy-MM-dd HH:mm."""
    if at is None:
        return ""
    return at.astimezone(numbering.SHANGHAI).strftime("%Y-%m-%d %H:%M")


def local_day(at: datetime | None) -> str:
    """A stored (UTC) deadline as its Asia/Shanghai date."""
    if at is None:
        return ""
    return at.astimezone(numbering.SHANGHAI).strftime("%Y-%m-%d")


#: The deadline line's colour when the step is overdue, and when it is 临期.
OVERDUE_STYLE = ERROR_STYLE + "font-weight: bold;"
DUE_SOON_STYLE = "color: #a15c00; font-weight: bold;"


def dimmed_brush() -> QBrush:
    return QBrush(QPalette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))


# --- models ------------------------------------------------------------------------------


class PartiesModel(RowsTableModel[PartyView]):
    """The parties of a case; ID numbers masked (in full in the tooltip)."""

    ROLE, NAME, GENDER, AGE, ETHNICITY, ID_NUMBER, PHONE, ADDRESS, NOTES = range(9)
    HEADERS = (
        QT_TRANSLATE_NOOP("PartiesModel", "Role"),
        QT_TRANSLATE_NOOP("PartiesModel", "Name"),
        QT_TRANSLATE_NOOP("PartiesModel", "Sex"),
        QT_TRANSLATE_NOOP("PartiesModel", "Age"),
        QT_TRANSLATE_NOOP("PartiesModel", "Ethnicity / nationality"),
        QT_TRANSLATE_NOOP("PartiesModel", "ID number"),
        QT_TRANSLATE_NOOP("PartiesModel", "Phone"),
        QT_TRANSLATE_NOOP("PartiesModel", "Address"),
        QT_TRANSLATE_NOOP("PartiesModel", "Notes"),
    )

    def cell(self, p: PartyView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(p, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.ID_NUMBER and p.id_number:
                return f"{p.id_type_label} {p.id_number}"
            if column == self.NAME and p.voided:
                return self.tr("Removed from the case: %1").replace("%1", p.void_reason)
            if column in (self.ADDRESS, self.NOTES):
                return self._display(p, column) or None
            return None
        if role == Qt.ItemDataRole.ForegroundRole and p.voided:
            return dimmed_brush()
        if role == Qt.ItemDataRole.UserRole:
            return p.id
        return None

    def _display(self, p: PartyView, column: int) -> str | None:
        if column == self.ROLE:
            return p.role_label
        if column == self.NAME:
            return p.name + (self.tr(" (removed)") if p.voided else "")
        if column == self.GENDER:
            return p.gender_label
        if column == self.AGE:
            return "" if p.age is None else str(p.age)
        if column == self.ETHNICITY:
            return p.ethnicity_label or p.nationality
        if column == self.ID_NUMBER:
            return p.id_masked
        if column == self.PHONE:
            return p.phone
        if column == self.ADDRESS:
            return p.address
        if column == self.NOTES:
            return self._notes(p)
        return None

    def _notes(self, p: PartyView) -> str:
        notes = []
        if p.kind == "organisation":
            notes.append(p.kind_label)
        if p.is_representative:
            notes.append(self.tr("Representative"))
        if p.interpreter:
            notes.append(self.tr("Interpreter: %1").replace("%1", p.interpreter))
        if p.legal_representative:
            notes.append(self.tr("Legal representative: %1").replace("%1", p.legal_representative))
        if p.contact_person:
            notes.append(self.tr("Contact: %1").replace("%1", p.contact_person))
        if p.occupation:
            notes.append(p.occupation)
        return "；".join(notes)


class AttachmentsModel(RowsTableModel[AttachmentView]):
    """The attachments of a case, one line each: name, category and size (for a list view)."""

    HEADERS = (QT_TRANSLATE_NOOP("AttachmentsModel", "Attachment"),)

    def cell(self, a: AttachmentView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            size = QLocale().formattedDataSize(a.size)
            text = f"{a.filename}（{a.category_label}，{size}）"
            if a.note:
                text += f" {a.note}"
            if a.voided:
                text += self.tr(" (removed)")
            elif not a.exists:
                text += self.tr(" (file not on this desk yet)")
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("Double-click to open") if a.exists else None
        if role == Qt.ItemDataRole.ForegroundRole and (a.voided or not a.exists):
            return dimmed_brush()
        if role == Qt.ItemDataRole.UserRole:
            return a.id
        return None


class EventsModel(RowsTableModel[EventView]):
    """The history of a case in time order: when, who, how long the status before it lasted,
    what."""

    TIME, ACTOR, SPENT, SUMMARY = range(4)
    HEADERS = (
        QT_TRANSLATE_NOOP("EventsModel", "Time"),
        QT_TRANSLATE_NOOP("EventsModel", "By"),
        QT_TRANSLATE_NOOP("EventsModel", "Time taken"),
        QT_TRANSLATE_NOOP("EventsModel", "What"),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Per row: the status the case left with this event and how long it was in it.
        self._spent: list[tuple[str, timedelta] | None] = []

    def set_rows(self, rows: Iterable[EventView]) -> None:
        rows = list(rows)
        spent: list[tuple[str, timedelta] | None] = []
        entered: datetime | None = None
        for e in rows:
            moved = e.kind == "registered" or "to" in e.data
            if moved and entered is not None and "from" in e.data:
                spent.append((str(e.data["from"]), e.at - entered))
            else:
                spent.append(None)
            if moved:
                entered = e.at
        self._spent = spent
        super().set_rows(rows)

    def spent_at(self, row: int) -> tuple[str, timedelta] | None:
        """The status row `row` ended and the time the case spent in it, if it ended one."""
        return self._spent[row] if 0 <= row < len(self._spent) else None

    def spent_text(self, delta: timedelta) -> str:
        minutes = int(delta.total_seconds() // 60)
        if minutes < 1:
            return self.tr("under a minute")
        if minutes < 60:
            return self.tr("%n min", "", minutes)
        hours, minutes = divmod(minutes, 60)
        if hours < 24:
            return self.tr("%1 h %2 min").replace("%1", str(hours)).replace("%2", str(minutes))
        days, hours = divmod(hours, 24)
        return self.tr("%1 d %2 h").replace("%1", str(days)).replace("%2", str(hours))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if index.isValid() and index.column() == self.SPENT:
            spent = self.spent_at(index.row())
            if spent is None:
                return None
            status, delta = spent
            if role == Qt.ItemDataRole.DisplayRole:
                return self.spent_text(delta)
            if role == Qt.ItemDataRole.ToolTipRole:
                return (
                    self.tr("Time in “%1”: %2")
                    .replace("%1", STATUSES.get(status, status))
                    .replace("%2", self.spent_text(delta))
                )
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().data(index, role)

    def cell(self, e: EventView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TIME:
                return local_time(e.at)
            if column == self.ACTOR:
                return e.actor_name
            if column == self.SUMMARY:
                return e.summary
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.ACTOR and e.actor_name != e.actor:
                return e.actor
            if column == self.SUMMARY:
                return self._details(e)
        if role == Qt.ItemDataRole.UserRole:
            return e.kind
        return None

    def _details(self, e: EventView) -> str:
        """The summary with the reason and each change (before → after) when the event has them."""
        lines = [e.summary]
        reason = e.data.get("reason")
        if reason:
            lines.append(self.tr("Reason: %1").replace("%1", str(reason)))
        changes = e.data.get("changes")
        if isinstance(changes, dict):
            for what, pair in changes.items():
                if isinstance(pair, list | tuple) and len(pair) == 2:
                    before = "" if pair[0] is None else str(pair[0])
                    after = "" if pair[1] is None else str(pair[1])
                    lines.append(f"{what}：{before} → {after}")
        return "\n".join(lines)


class DispatchesModel(RowsTableModel[DispatchView]):
    """A case's dispatches, newest first: unit, deadline, signing, return and feedback."""

    UNIT, DISPATCHED, DUE, SIGNED, RETURNED, FEEDBACK, ASKED = range(7)
    HEADERS = (
        QT_TRANSLATE_NOOP("DispatchesModel", "Unit"),
        QT_TRANSLATE_NOOP("DispatchesModel", "Dispatched"),
        QT_TRANSLATE_NOOP("DispatchesModel", "Due"),
        QT_TRANSLATE_NOOP("DispatchesModel", "Signed"),
        QT_TRANSLATE_NOOP("DispatchesModel", "Returned"),
        QT_TRANSLATE_NOOP("DispatchesModel", "Feedback"),
        QT_TRANSLATE_NOOP("DispatchesModel", "Asked"),
    )

    def cell(self, r: DispatchView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.UNIT:
                return f"{r.unit_name}（{r.unit_code}）" + (
                    self.tr("\nSlip %1").replace("%1", r.slip_no) if r.slip_no else ""
                )
            if column == self.RETURNED and r.returned_at is not None:
                return r.return_reason or None
            if column == self.FEEDBACK and r.feedback_at is not None:
                return r.feedback_text or None
            if column == self.ASKED:
                return r.asked or None
            return None
        if role == Qt.ItemDataRole.ForegroundRole and r.returned_at is not None:
            return dimmed_brush()
        return None

    def _display(self, r: DispatchView, column: int) -> str | None:
        if column == self.UNIT:
            role = self.tr("lead") if r.role == "lead" else self.tr("co-handling")
            return f"{r.unit_name}（{role}）"
        if column == self.DISPATCHED:
            return local_time(r.dispatched_at)
        if column == self.DUE:
            return local_day(r.due_at)
        if column == self.SIGNED:
            if r.signed_at is None:
                return ""
            when = local_time(r.signed_at)
            return when + (self.tr(" (by the center)") if r.signed_on_behalf else "")
        if column == self.RETURNED:
            if r.returned_at is None:
                return ""
            return f"{local_time(r.returned_at)} {r.return_reason}".strip()
        if column == self.FEEDBACK:
            if r.feedback_at is None:
                return ""
            return f"{local_time(r.feedback_at)} {r.feedback_text}".strip()
        if column == self.ASKED:
            return r.asked
        return None


# --- the view ----------------------------------------------------------------------------


def _table(model: QAbstractTableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.horizontalHeader().setHighlightSections(False)
    return view


def _read_only_text() -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setReadOnly(True)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * 3 + 12)
    return edit


class CaseDetailView(QWidget):
    """A case's visit, matter, parties, attachments and history, with Correct and Void."""

    correct_requested = Signal(object)  # uuid.UUID of the case
    void_requested = Signal(object)  # uuid.UUID of the case
    receipt_requested = Signal(object)  # CaseRef of the case, to print its receipt
    # The case on show has been (re)read: its `CaseDetail`.
    loaded = Signal(object)
    # A lifecycle action on the case on show was done: its `workflow.Outcome`.
    case_advanced = Signal(object)

    def __init__(
        self,
        desk: Desk,
        runner: TaskRunner,
        actor: Actor | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.runner = runner
        self.actor = actor
        self.case_id: uuid.UUID | None = None
        self.detail: CaseDetail | None = None
        self._request = 0

        self.parties_model = PartiesModel(self)
        self.attachments_model = AttachmentsModel(self)
        self.events_model = EventsModel(self)
        self.dispatches_model = DispatchesModel(self)
        self.action_buttons: dict[str, QPushButton] = {}
        # The open action dialog and routing-slip preview (for tests and screenshots).
        self.action_dialog: workflow_dialogs.ActionDialog | None = None
        self.slip_preview: QDialog | None = None

        self.stack = QStackedWidget()
        self.message = QLabel(self.tr("Open a case from the list to see it here."))
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.stack.addWidget(self.message)
        self.stack.addWidget(self._case_widget())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # --- layout -----------------------------------------------------------------------

    def _case_widget(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self._header())
        column.addWidget(self._action_bar())
        self.void_banner = QLabel()
        self.void_banner.setObjectName("void_banner")
        self.void_banner.setStyleSheet(ERROR_STYLE + "font-weight: bold;")
        self.void_banner.setWordWrap(True)
        self.void_banner.hide()
        column.addWidget(self.void_banner)
        # 重复来访: the earlier case this visit repeats, and later visits repeating this one.
        self.repeat_banner = QLabel()
        self.repeat_banner.setObjectName("repeat_banner")
        self.repeat_banner.setStyleSheet(
            "QLabel#repeat_banner { background: #fff4e5; border: 1px solid #f0c36d;"
            " border-radius: 4px; padding: 3px 8px; }"
        )
        self.repeat_banner.setWordWrap(True)
        self.repeat_banner.setTextFormat(Qt.TextFormat.RichText)
        self.repeat_banner.linkActivated.connect(lambda link: self.show_case(uuid.UUID(link)))
        self.repeat_banner.hide()
        column.addWidget(self.repeat_banner)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(self._overview())
        split.addWidget(self._tabs())
        # The texts wrap; the party table needs the width (no horizontal scrolling at 1366).
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        split.setSizes([380, 780])
        column.addWidget(split, 1)
        return page

    def _header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.case_no_label = QLabel()
        self.case_no_label.setObjectName("case_no")
        font = self.case_no_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.case_no_label.setFont(font)
        self.case_no_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.status_label.setObjectName("status")
        self.status_label.setStyleSheet(
            "QLabel#status { border: 1px solid palette(mid); border-radius: 3px;"
            " padding: 1px 6px; }"
        )
        self.title_label = QLabel()
        self.title_label.setObjectName("title")
        self.title_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.correct_button = QPushButton(self.tr("&Correct…"))
        self.correct_button.clicked.connect(self._ask_correct)
        self.void_button = QPushButton(self.tr("&Void…"))
        self.void_button.clicked.connect(self._ask_void)
        self.receipt_button = QPushButton(self.tr("Print &receipt…"))
        self.receipt_button.setObjectName("receipt_button")
        self.receipt_button.clicked.connect(self._ask_receipt)
        row.addWidget(self.case_no_label)
        row.addWidget(self.status_label)
        row.addSpacing(8)
        row.addWidget(self.title_label, 1)
        row.addWidget(self.receipt_button)
        row.addWidget(self.correct_button)
        row.addWidget(self.void_button)
        return row

    def _action_bar(self) -> QWidget:
        """The lifecycle steps open to the user (filled per case), and the routing slip."""
        self.action_bar = QWidget()
        self.action_bar.setObjectName("action_bar")
        column = QVBoxLayout(self.action_bar)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        row = QHBoxLayout()
        self.actions_caption = QLabel(self.tr("Next step:"))
        self.action_row = QHBoxLayout()
        self.no_actions = QLabel(self.tr("none open to you"))
        self.no_actions.setStyleSheet("color: palette(placeholder-text);")
        self.slip_button = QPushButton(self.tr("Print routing &slip…"))
        self.slip_button.setObjectName("slip_button")
        self.slip_button.clicked.connect(self.show_slip)
        self.joint_button = QPushButton(self.tr("&Joint mediation…"))
        self.joint_button.setObjectName("joint_button")
        self.joint_button.setToolTip(
            self.tr("Summon several units to an on-site mediation and record who came")
        )
        self.joint_button.clicked.connect(self.show_joint_mediation)
        self.supervision_button = QPushButton(self.tr("S&upervision…"))
        self.supervision_button.setObjectName("supervision_button")
        self.supervision_button.setToolTip(
            self.tr("Urge or supervise the units handling the case and record their answers")
        )
        self.supervision_button.clicked.connect(self.show_supervision)
        row.addWidget(self.actions_caption)
        row.addLayout(self.action_row)
        row.addWidget(self.no_actions)
        row.addStretch(1)
        row.addWidget(self.joint_button)
        row.addWidget(self.supervision_button)
        row.addWidget(self.slip_button)
        column.addLayout(row)
        self.action_message = QLabel()
        self.action_message.setObjectName("action_message")
        self.action_message.setWordWrap(True)
        self.action_message.hide()
        column.addWidget(self.action_message)
        return self.action_bar

    def _overview(self) -> QWidget:
        # The texts stretch to fill the column; when the routing rows leave too little height
        # (the detail under the search results at 768 pixels), the column scrolls rather than
        # squeezing the results list above it.
        scroll = QScrollArea()
        scroll.setObjectName("overview")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        inner.setMinimumWidth(280)
        scroll.setWidget(inner)
        scroll.setMinimumWidth(280 + scroll.verticalScrollBar().sizeHint().width())
        column = QVBoxLayout(inner)
        column.setContentsMargins(0, 0, 4, 0)
        form = QFormLayout()
        form.setVerticalSpacing(2)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, QLabel] = {}
        self.overview_form = form
        rows = (
            ("step", self.tr("Step")),
            ("supervision", self.tr("Supervision")),
            ("received", self.tr("Received at")),
            ("channel", self.tr("Channel")),
            ("registered_by", self.tr("Registered by")),
            ("visitors", self.tr("Visitors")),
            ("dispute_type", self.tr("Dispute type")),
            ("place", self.tr("Place")),
            ("flags", self.tr("Flags")),
            ("triage", self.tr("Triage")),
            ("units", self.tr("Units")),
            ("triage_note", self.tr("Triage reason")),
            ("outcome", self.tr("Outcome")),
        )
        for key, caption in rows:
            label = QLabel()
            label.setObjectName(f"field_{key}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = label
            form.addRow(caption, label)
        column.addLayout(form)
        self.facts = _read_only_text()
        self.facts.setObjectName("facts")
        self.claims = _read_only_text()
        self.claims.setObjectName("claims")
        column.addWidget(QLabel(self.tr("Facts")))
        column.addWidget(self.facts, 2)
        column.addWidget(QLabel(self.tr("Claims")))
        column.addWidget(self.claims, 1)
        return scroll

    def _tabs(self) -> QTabWidget:
        self.tabs = QTabWidget()
        self.parties_view = _table(self.parties_model)
        self.parties_view.setObjectName("parties")
        header = self.parties_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Address and notes share what is left, elided; their tooltips give them in full.
        header.setSectionResizeMode(PartiesModel.ADDRESS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PartiesModel.NOTES, QHeaderView.ResizeMode.Stretch)
        self.attachments_view = QListView()
        self.attachments_view.setObjectName("attachments")
        self.attachments_view.setModel(self.attachments_model)
        self.attachments_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.attachments_view.activated.connect(self._open_attachment)
        self.events_view = _table(self.events_model)
        self.events_view.setObjectName("events")
        header = self.events_view.horizontalHeader()
        header.setSectionResizeMode(EventsModel.TIME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(EventsModel.ACTOR, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(EventsModel.SUMMARY, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(EventsModel.SPENT, QHeaderView.ResizeMode.ResizeToContents)
        self.dispatches_view = _table(self.dispatches_model)
        self.dispatches_view.setObjectName("dispatches")
        header = self.dispatches_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for col in (DispatchesModel.RETURNED, DispatchesModel.FEEDBACK, DispatchesModel.ASKED):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.tabs.addTab(self.parties_view, "")
        self.tabs.addTab(self.attachments_view, "")
        self.tabs.addTab(self.events_view, "")
        self.tabs.addTab(self.dispatches_view, "")
        self._name_tabs()
        return self.tabs

    def _name_tabs(self) -> None:
        d = self.detail
        self.tabs.setTabText(
            0, self.tr("&Parties (%1)").replace("%1", str(len(d.parties) if d else 0))
        )
        self.tabs.setTabText(
            1, self.tr("&Attachments (%1)").replace("%1", str(len(d.attachments) if d else 0))
        )
        self.tabs.setTabText(
            2, self.tr("His&tory (%1)").replace("%1", str(len(d.events) if d else 0))
        )
        self.tabs.setTabText(
            3, self.tr("&Dispatches (%1)").replace("%1", str(len(d.dispatches) if d else 0))
        )

    # --- loading ------------------------------------------------------------------------

    def show_case(self, case_id: uuid.UUID) -> None:
        """Read the case on the runner and show it (a later call wins over an earlier one)."""
        if case_id != self.case_id:
            self.action_message.hide()
        self.case_id = case_id
        self.reload()

    def reload(self) -> None:
        """Read the case on show again (after a correction or a void)."""
        if self.case_id is None:
            return
        self._request += 1
        request = self._request
        case_id = self.case_id
        db, folder = self.desk.db, self.desk.dirs.attachments
        if self.detail is None or self.detail.id != case_id:
            self._show_message(self.tr("Loading…"))
        self.runner.run(
            lambda: search.case_detail(db, folder, case_id),
            lambda detail: self._loaded(request, detail),
            lambda exc: self._failed(request, exc),
        )

    def clear(self) -> None:
        self._request += 1
        self.case_id = None
        self.detail = None
        self.action_message.hide()
        self._show_message(self.tr("Open a case from the list to see it here."))

    def _show_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.stack.setCurrentWidget(self.message)

    def _failed(self, request: int, exc: DeskError) -> None:
        if request != self._request:
            return
        self.detail = None
        self._show_message(exc.message, error=True)

    def _loaded(self, request: int, detail: CaseDetail) -> None:
        if request != self._request:
            return  # another case was asked for meanwhile
        self.set_detail(detail)
        self.loaded.emit(detail)

    def set_detail(self, d: CaseDetail) -> None:
        """Show `d` (already read)."""
        self.detail = d
        self.case_id = d.id
        self.case_no_label.setText(d.case_no)
        self.status_label.setText(self.tr("Voided") if d.voided else d.status_label)
        self.title_label.setText(d.title)
        self.title_label.setToolTip(d.title)
        if d.voided:
            self.void_banner.setText(
                self.tr("Voided at %1: %2")
                .replace("%1", local_time(d.voided_at))
                .replace("%2", d.void_reason)
            )
        self.void_banner.setVisible(d.voided)
        repeat_text = self._repeat_text(d)
        self.repeat_banner.setText(repeat_text)
        self.repeat_banner.setVisible(bool(repeat_text))
        f = self.fields
        f["received"].setText(local_time(d.received_at))
        f["channel"].setText(d.channel_label + (f"（{d.channel_note}）" if d.channel_note else ""))
        f["registered_by"].setText(
            d.registered_by_name
            if d.registered_by_name == d.registered_by
            else f"{d.registered_by_name}（{d.registered_by}）"
        )
        visitors = self.tr("%n person(s)", "", d.visitor_count)
        if d.group_visit:
            visitors += self.tr(", group visit")
        f["visitors"].setText(visitors)
        f["dispute_type"].setText(
            d.dispute_type + (f" / {d.dispute_subtype}" if d.dispute_subtype else "")
        )
        f["place"].setText(d.place)
        f["flags"].setText(self._flags(d))
        self.facts.setPlainText(d.facts)
        self.claims.setPlainText(d.claims)
        self.parties_model.set_rows(d.parties)
        self.attachments_model.set_rows(d.attachments)
        self.events_model.set_rows(d.events)
        self.events_view.scrollToBottom()
        self.dispatches_model.set_rows(d.dispatches)
        self._show_workflow(d)
        self._name_tabs()
        allowed = not d.voided and (self.actor is None or search.may_change(self.actor, d))
        if d.voided:
            why = self.tr("This case has been voided: it cannot be changed.")
        elif not allowed:
            why = self.tr("Only its clerk, an officer or an administrator can change this case.")
        else:
            why = ""
        for button in (self.correct_button, self.void_button):
            button.setEnabled(allowed)
            button.setToolTip(why)
        self.receipt_button.setEnabled(not d.voided)
        self.receipt_button.setToolTip(self.tr("A voided case has no receipt.") if d.voided else "")
        self.stack.setCurrentIndex(1)

    def _show_workflow(self, d: CaseDetail) -> None:
        """The step and its deadline, the triage result, and the actions open to the user."""
        f = self.fields
        step = self._step_text(d)
        f["step"].setText(step)
        f["step"].setStyleSheet(
            OVERDUE_STYLE
            if d.due_state == "overdue"
            else DUE_SOON_STYLE
            if d.due_state == "soon"
            else ""
        )
        f["step"].setToolTip(
            self.tr("Overdue")
            if d.due_state == "overdue"
            else self.tr("Due soon")
            if d.due_state == "soon"
            else ""
        )
        triage = ""
        if d.level:
            triage = " · ".join(
                label
                for label in (
                    workflow.LEVELS.get(d.level, d.level),
                    workflow.TRACKS.get(d.track, d.track),
                    workflow.COMPLEXITIES.get(d.complexity, d.complexity),
                )
                if label
            )
        f["triage"].setText(triage)
        units = ""
        if d.units:
            (_code, lead), *co = d.units
            units = lead
            if co:
                units += self.tr("; co-handling: %1").replace("%1", "、".join(n for _c, n in co))
        f["units"].setText(units)
        f["triage_note"].setText(d.triage_note)
        outcome = workflow.OUTCOMES.get(d.outcome, d.outcome)
        if d.referral:
            outcome += "，" + workflow.REFERRALS.get(d.referral, d.referral)
        f["outcome"].setText(outcome)
        f["supervision"].setText(self._supervision_text(d))
        for key in ("step", "supervision", "triage", "units", "triage_note", "outcome"):
            self.overview_form.setRowVisible(f[key], bool(f[key].text()))
        self._fill_actions(d)

    def _supervision_text(self, d: CaseDetail) -> str:
        """2 次（最近：督办，2026-11-20）；1 条未答复 — or nothing when none was raised."""
        sv = d.supervised
        if sv is None:
            return ""
        text = (
            self.tr("%n time(s) (latest: %1, %2)", "", sv.count)
            .replace("%1", supervision.LEVELS.get(sv.latest_level, sv.latest_level))
            .replace("%2", local_day(sv.latest_at))
        )
        if sv.unanswered:
            text += self.tr("; %n awaiting an answer", "", sv.unanswered)
        return text

    def _step_text(self, d: CaseDetail) -> str:
        """办理 · 期限 2026-06-23（剩 3 天）, or the pause, or just the step."""
        if not d.step:
            return ""
        step = workflow.STEPS.get(d.step, d.step)
        if d.due_at is None:
            return step
        due = local_day(d.due_at)
        if d.paused_at is not None:
            return (
                self.tr("%1 · due %2 · clock paused since %3")
                .replace("%1", step)
                .replace("%2", due)
                .replace("%3", local_day(d.paused_at))
            )
        left = d.days_left
        if left is None:
            return self.tr("%1 · due %2").replace("%1", step).replace("%2", due)
        if left > 0:
            rest = (
                self.tr("%n working day(s) left", "", left)
                if d.due_working_days
                else self.tr("%n day(s) left", "", left)
            )
        elif left == 0:
            rest = self.tr("due today")
        else:
            rest = (
                self.tr("%n working day(s) overdue", "", -left)
                if d.due_working_days
                else self.tr("%n day(s) overdue", "", -left)
            )
        return (
            self.tr("%1 · due %2 (%3)").replace("%1", step).replace("%2", due).replace("%3", rest)
        )

    def _fill_actions(self, d: CaseDetail) -> None:
        for button in self.action_buttons.values():
            self.action_row.removeWidget(button)
            button.deleteLater()
        self.action_buttons = {}
        names: list[str] = []
        if self.actor is not None and not d.voided:
            names = workflow.available(d.status, self.actor, paused=d.paused_at is not None)
        for name in names:
            button = QPushButton(workflow.ACTIONS[name].label + "…")
            button.setObjectName(f"action_{name}")
            button.clicked.connect(lambda _checked=False, n=name: self.start_action(n))
            self.action_row.addWidget(button)
            button.show()  # now, not when the event loop gets to it
            self.action_buttons[name] = button
        self.actions_caption.setVisible(self.actor is not None and not d.voided)
        self.no_actions.setVisible(self.actor is not None and not d.voided and not names)
        self.slip_button.setVisible(bool(d.dispatches) and not d.voided)
        self.slip_button.setEnabled(self.actor is not None)
        # Joint mediations are convened for open matters; their records stay viewable.
        self.joint_button.setVisible(
            self.actor is not None and not d.voided and (d.status in workflow.OPEN_STATUSES
                                                         or d.joint_mediations > 0)
        )  # fmt: skip
        # Officers urge the units of an open, dispatched case; the rungs and their answers
        # stay viewable, and a unit's mediator records its answers there.
        dispatched = any(r.returned_at is None for r in d.dispatches)
        officer = self.actor is not None and self.actor.has(Role.ADMIN, Role.OFFICER)
        mediator = self.actor is not None and self.actor.has(Role.MEDIATOR)
        self.supervision_button.setVisible(
            not d.voided
            and (
                (officer and d.status in workflow.OPEN_STATUSES and dispatched)
                or ((officer or mediator) and d.supervised is not None)
            )
        )

    # --- lifecycle ----------------------------------------------------------------------

    def start_action(self, action: str) -> workflow_dialogs.ActionDialog | None:
        """Open the dialog of a lifecycle action on the case on show."""
        d = self.detail
        if d is None or self.actor is None:
            return None
        dialog = workflow_dialogs.run_action(
            self, self.desk, self.actor, self.runner, d.id, action, d
        )
        dialog.action_done.connect(lambda outcome: self._action_done(action, outcome))
        self.action_dialog = dialog
        return dialog

    def _action_done(self, action: str, outcome: workflow.Outcome) -> None:
        text = (
            self.tr("%1 done: the case is now “%2”.")
            .replace("%1", workflow.ACTIONS[action].label)
            .replace("%2", STATUSES.get(outcome.status, outcome.status))
        )
        warnings = "\n".join(outcome.warnings)
        self.action_message.setText(text + ("\n" + warnings if warnings else ""))
        self.action_message.setStyleSheet(DUE_SOON_STYLE if warnings else "")
        self.action_message.show()
        self.case_advanced.emit(outcome)
        if outcome.case_id == self.case_id:
            self.reload()
        if action == "dispatch":
            self.show_slip()

    def show_joint_mediation(self) -> QDialog | None:
        """The case's joint mediations (中心吹哨、部门报到): convene, confirm, record."""
        d, actor = self.detail, self.actor
        if d is None or actor is None:
            return None
        from desk_app.views.joint_dialog import open_joint_mediation

        dialog = open_joint_mediation(self, self.desk, actor, self.runner, d.id)
        dialog.changed.connect(self.reload)
        self.joint_dialog = dialog
        return dialog

    def show_supervision(self) -> QDialog | None:
        """The case's supervision ladder (催办, 督办 …): raise a rung, record an answer."""
        d, actor = self.detail, self.actor
        if d is None or actor is None:
            return None
        from desk_app.views.supervision_dialog import open_supervision

        dialog = open_supervision(self, self.desk, actor, self.runner, d.id)
        dialog.changed.connect(self.reload)
        self.supervision_dialog = dialog
        return dialog

    def show_slip(self) -> QDialog | None:
        """Preview the routing slip (交办单) of the case's latest dispatch, to print it."""
        d, actor = self.detail, self.actor
        if d is None or actor is None:
            return None
        # Imported when first used: ReportLab and QtPdf would slow the window's start.
        from desk_app.services.printing import dispatch as slip
        from desk_app.views.print_preview import PrintPreviewDialog

        desk, case_id = self.desk, d.id
        dialog = PrintPreviewDialog(
            self.runner,
            lambda: slip.slip_pdf(desk, actor, case_id),
            self.tr("Routing slip %1").replace("%1", d.case_no),
            f"交办单_{d.case_no}",
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.slip_preview = dialog
        dialog.open()
        return dialog

    def _repeat_text(self, d: CaseDetail) -> str:
        """Links to the earlier case this visit repeats and to later repeat visits, or ""."""

        def link(c: CaseLink) -> str:
            if not c.case_no:
                return self.tr("an earlier case not on this desk")
            text = html.escape(c.case_no) + (self.tr(" (voided)") if c.voided else "")
            return f'<a href="{c.id}">{text}</a>'

        lines = []
        if d.repeat_of is not None:
            lines.append(self.tr("Repeat visit, earlier case %1").replace("%1", link(d.repeat_of)))
        if d.repeats:
            lines.append(
                self.tr("Later repeat visits: %1").replace("%1", "、".join(map(link, d.repeats)))
            )
        return "<br>".join(lines)

    def _flags(self, d: CaseDetail) -> str:
        flags = []
        if d.urgent:
            flags.append(self.tr("Urgent"))
        if d.police_risk:
            text = self.tr("Risk of a police matter")
            if d.police_reported_to:
                text += (
                    self.tr(": reported to %1 at %2")
                    .replace("%1", d.police_reported_to)
                    .replace("%2", local_time(d.police_reported_at))
                )
            flags.append(text)
        if d.group_matter:
            flags.append(self.tr("Group matter"))
        if d.foreign_related:
            flags.append(self.tr("Foreign-related"))
        return "；".join(flags) or self.tr("None")

    # --- actions --------------------------------------------------------------------------

    def _ask_correct(self) -> None:
        if self.detail is not None and not self.detail.voided:
            self.correct_requested.emit(self.detail.id)

    def _ask_void(self) -> None:
        if self.detail is not None and not self.detail.voided:
            self.void_requested.emit(self.detail.id)

    def _ask_receipt(self) -> None:
        d = self.detail
        if d is not None and not d.voided:
            self.receipt_requested.emit(CaseRef(d.id, d.case_no, d.status))

    def _open_attachment(self, index: QModelIndex) -> None:
        attachment = self.attachments_model.row_at(index.row())

        def opened(path: Path) -> None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

        def failed(exc: DeskError) -> None:
            QMessageBox.information(self, self.tr("Attachments"), exc.message)

        self.runner.run(lambda: search.viewable_copy(attachment, VIEWER_FOLDER), opened, failed)
