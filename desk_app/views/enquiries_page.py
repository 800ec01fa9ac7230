"""咨询登记: advice-only visits registered in a few fields, listed and counted by period.

The form on the left registers a visit through `enquiries.register_enquiry`;
the list on the right shows a period's enquiries and their counts. A visit
that turns out to be a dispute is handed on (`convert_requested`) with a
prefilled case input; the intake form completes it and the main window calls
`enquiries.convert_to_case`, then `refresh()`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDate,
    QItemSelection,
    QItemSelectionModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.models.db import Database
from desk_app.services import enquiries, numbering, users
from desk_app.services.desk import Desk
from desk_app.services.drafts import SavedDraft
from desk_app.services.enquiries import EnquiryInput, EnquiryRow
from desk_app.services.errors import DeskError, ValidationError
from desk_app.services.reference import load_intake_reference
from desk_app.services.roles import Actor
from desk_app.views.widgets.drafts import DraftOffer, saved_time
from desk_app.views.widgets.form import ERROR_STYLE, FieldErrors
from desk_app.views.widgets.table import RowsTableModel
from desk_app.workers.drafts import DraftKeeper
from desk_app.workers.tasks import TaskRunner

# Shown in the "case" column of an enquiry turned into a case.
CONVERTED_MARK = "✓"
# The name of this form's drafts (`services.drafts`), and the version of their layout.
DRAFT_FORM = "enquiry"
SNAPSHOT_VERSION = 1


def topic_labels() -> dict[str, str]:
    """Each topic of `enquiries.TOPICS` as shown in the UI language."""
    shown = {
        "legal": QCoreApplication.translate("EnquiriesPage", "Legal advice"),
        "policy": QCoreApplication.translate("EnquiriesPage", "Policy advice"),
        "other": QCoreApplication.translate("EnquiriesPage", "Other advice"),
    }
    return {code: shown.get(code, label) for code, label in enquiries.TOPICS.items()}


# --- background reads (run on the runner's thread only) -------------------------------------


def dispute_type_choices(db: Database) -> list[tuple[str, str]]:
    """The top-level dispute types as (code, name), in their official order."""
    return [(k.code, k.name) for k in load_intake_reference(db).dispute_types]


@dataclass(frozen=True)
class PeriodData:
    """What the list shows for one period."""

    start: date
    end: date
    rows: list[EnquiryRow]
    counts: dict[str, int]
    # User name -> the person's name, for the "answered by" column.
    names: dict[str, str] = field(default_factory=dict)


def load_period(db: Database, start: date, end: date) -> PeriodData:
    rows = enquiries.list_enquiries(db, start, end)
    counts = enquiries.count_enquiries(db, start, end)
    names = {u.username: u.full_name for u in users.list_users(db)}
    return PeriodData(start, end, rows, counts, names)


def beijing_today() -> date:
    return datetime.now(numbering.SHANGHAI).date()


def today_period() -> tuple[date, date]:
    today = beijing_today()
    return today, today


def year_of(day: date) -> tuple[date, date]:
    return day.replace(month=1, day=1), day.replace(month=12, day=31)


def month_of(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


# --- the list --------------------------------------------------------------------------------


class EnquiriesModel(RowsTableModel[EnquiryRow]):
    """A period's enquiries, newest first (one row each)."""

    RECEIVED, VISITOR, PHONE, TOPIC, QUESTION, ANSWERED_BY, REFERRED_TO, CONVERTED = range(8)
    HEADERS = (
        QT_TRANSLATE_NOOP("EnquiriesModel", "Received"),
        QT_TRANSLATE_NOOP("EnquiriesModel", "Visitor"),
        QT_TRANSLATE_NOOP("EnquiriesModel", "Phone"),
        QT_TRANSLATE_NOOP("EnquiriesModel", "Topic"),
        QT_TRANSLATE_NOOP("EnquiriesModel", "Question"),
        QT_TRANSLATE_NOOP("EnquiriesModel", "Answered by"),
        QT_TRANSLATE_NOOP("EnquiriesModel", "Referred to"),
        QT_TRANSLATE_NOOP("EnquiriesModel", "Case"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names: dict[str, str] = {}
        self._topics = topic_labels()

    def set_rows(self, rows: Iterable[EnquiryRow], names: Mapping[str, str] | None = None) -> None:
        """The rows, and the full names of the users who answered (by user name)."""
        self._names = dict(names or {})
        super().set_rows(rows)

    def row_of(self, enquiry_id: uuid.UUID) -> int:
        """The row showing `enquiry_id`, or -1."""
        for i, r in enumerate(self._rows):
            if r.id == enquiry_id:
                return i
        return -1

    def cell(self, row: EnquiryRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.QUESTION, self.REFERRED_TO):
            if column == self.REFERRED_TO:
                return row.referred_to or None
            return (
                self.tr("Question: %1").replace("%1", row.question)
                + "\n\n"
                + self.tr("Answer: %1").replace("%1", row.answer)
            )
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and column == self.CONVERTED
            and row.converted_case_id is not None
        ):
            return self.tr("Turned into a case")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.CONVERTED:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, row: EnquiryRow, column: int) -> str | None:
        if column == self.RECEIVED:
            return row.received_at.astimezone(numbering.SHANGHAI).strftime("%Y-%m-%d %H:%M")
        if column == self.VISITOR:
            return row.visitor_name
        if column == self.PHONE:
            return row.visitor_phone
        if column == self.TOPIC:
            return self._topics.get(row.topic, row.topic_label)
        if column == self.QUESTION:
            lines = row.question.strip().splitlines()
            return lines[0] if lines else ""
        if column == self.ANSWERED_BY:
            return self._names.get(row.answered_by, row.answered_by)
        if column == self.REFERRED_TO:
            return row.referred_to
        if column == self.CONVERTED:
            return CONVERTED_MARK if row.converted_case_id is not None else ""
        return None


# --- the page --------------------------------------------------------------------------------


class EnquiriesPage(QWidget):
    """Register advice-only visits; list and count them by period; hand one on as a case."""

    # The visitor's matter is a dispute: (enquiry id, prefilled `cases.CaseInput`).
    convert_requested = Signal(uuid.UUID, object)
    # A visit was registered (its id).
    enquiry_registered = Signal(uuid.UUID)
    # The list and counts now show the chosen period.
    enquiries_loaded = Signal()

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
        self.desk = desk
        self.actor = actor
        self.runner = runner
        self._saving = False
        # With `keep_drafts`, what is typed is kept every few seconds and offered back.
        self.keeper: DraftKeeper | None = None
        self.draft_offer: DraftOffer | None = None
        if keep_drafts:
            self.keeper = DraftKeeper(
                runner, desk.db, actor.user_id, DRAFT_FORM, self.draft_snapshot, parent=self
            )
            self.draft_offer = DraftOffer(
                self, self.keeper, SNAPSHOT_VERSION, self._ask_restore, self.restore_snapshot
            )
            self.keeper.failed.connect(lambda text: self._show_form_message(text, error=True))
        self._generation = 0
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.refresh)

        layout = QHBoxLayout(self)
        layout.addWidget(self._form_box())
        layout.addWidget(self._list_box(), 1)

        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.save)

        self.set_period(*month_of(beijing_today()))
        self._dispute_types: list[tuple[str, str]] | None = None
        self._pending_snapshot: dict[str, Any] | None = None
        self.runner.run(lambda: dispute_type_choices(self.desk.db), self._dispute_types_loaded)

    # --- the form ---------------------------------------------------------------------------

    def _form_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Register an enquiry"))
        # Narrow enough to leave the list room for the question at 1366x768 with the navigation.
        box.setMinimumWidth(300)
        box.setMaximumWidth(340)
        column = QVBoxLayout(box)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.errors = FieldErrors(form)
        self.visitor_name = QLineEdit()
        self.visitor_phone = QLineEdit()
        self.visitor_phone.setPlaceholderText(self.tr("Mobile or landline, may be left empty"))
        self.topic = QComboBox()
        for code, label in topic_labels().items():
            self.topic.addItem(label, code)
        self.dispute_type = QComboBox()
        self.dispute_type.addItem(self.tr("(none)"), "")
        self.question = QPlainTextEdit()
        self.answer = QPlainTextEdit()
        for edit in (self.question, self.answer):
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.question.setPlaceholderText(self.tr("What the visitor asked"))
        self.answer.setPlaceholderText(self.tr("The advice given, and the law or policy cited"))
        self.referred_to = QLineEdit()
        self.referred_to.setPlaceholderText(self.tr("e.g. a township justice office"))
        self.errors.add_row("visitor_name", self.tr("&Visitor"), self.visitor_name)
        self.errors.add_row("visitor_phone", self.tr("P&hone"), self.visitor_phone)
        self.errors.add_row("topic", self.tr("To&pic"), self.topic)
        self.errors.add_row("dispute_type_code", self.tr("&Dispute type"), self.dispute_type)
        self.errors.add_row("question", self.tr("&Question"), self.question)
        self.errors.add_row("answer", self.tr("&Answer given"), self.answer)
        self.errors.add_row("referred_to", self.tr("&Referred to"), self.referred_to)
        form.addRow(self.tr("Answered by"), QLabel(self.actor.display_name))
        column.addLayout(form, 1)

        self.form_message = QLabel()
        self.form_message.setWordWrap(True)
        self.form_message.hide()
        column.addWidget(self.form_message)
        row = QHBoxLayout()
        self.clear_button = QPushButton(self.tr("C&lear"))
        self.clear_button.clicked.connect(self._clear_clicked)
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setDefault(True)
        self.save_button.setToolTip(
            self.tr("Save the enquiry (%1)").replace(
                "%1",
                QKeySequence(QKeySequence.StandardKey.Save).toString(
                    QKeySequence.SequenceFormat.NativeText
                ),
            )
        )
        self.save_button.clicked.connect(self.save)
        row.addStretch(1)
        row.addWidget(self.clear_button)
        row.addWidget(self.save_button)
        column.addLayout(row)
        return box

    def _dispute_types_loaded(self, choices: list[tuple[str, str]]) -> None:
        for code, name in choices:
            self.dispute_type.addItem(name, code)
        self._dispute_types = choices
        if self._pending_snapshot is not None:
            snap, self._pending_snapshot = self._pending_snapshot, None
            self.restore_snapshot(snap)
        if self.draft_offer is not None:  # a draft goes back onto a form with its lists
            self.draft_offer.start()

    def collect(self) -> EnquiryInput:
        """The form as service input."""
        return EnquiryInput(
            visitor_name=self.visitor_name.text(),
            visitor_phone=self.visitor_phone.text(),
            topic=str(self.topic.currentData()),
            dispute_type_code=str(self.dispute_type.currentData() or ""),
            question=self.question.toPlainText(),
            answer=self.answer.toPlainText(),
            referred_to=self.referred_to.text(),
        )

    def clear_form(self) -> None:
        for line in (self.visitor_name, self.visitor_phone, self.referred_to):
            line.clear()
        self.question.clear()
        self.answer.clear()
        self.topic.setCurrentIndex(0)
        self.dispute_type.setCurrentIndex(0)
        self.errors.clear()
        self.visitor_name.setFocus()

    def save(self) -> None:
        """Register the visit on the form (Ctrl+S)."""
        if self._saving:
            return
        self.errors.clear()
        self._show_form_message("")
        data = self.collect()
        self._set_saving(True)
        draft = DRAFT_FORM if self.keeper is not None else ""

        def run() -> None:
            self.runner.run(
                lambda: enquiries.register_enquiry(self.desk, self.actor, data, draft),
                lambda enquiry_id: self._saved(enquiry_id, data.visitor_name.strip()),
                self._save_failed,
            )

        if self.keeper is not None:
            # After a draft write still running: the registration deletes the draft.
            self.keeper.when_idle(run)
        else:
            run()

    def _clear_clicked(self) -> None:
        self.clear_form()
        if self.keeper is not None:
            self.keeper.discard()

    # --- drafts -----------------------------------------------------------------------------

    def draft_snapshot(self) -> dict[str, Any] | None:
        """The form's fields as plain values, or None while nothing is typed."""
        texts = {
            "visitor_name": self.visitor_name.text(),
            "visitor_phone": self.visitor_phone.text(),
            "question": self.question.toPlainText(),
            "answer": self.answer.toPlainText(),
            "referred_to": self.referred_to.text(),
        }
        dispute_type = str(self.dispute_type.currentData() or "")
        if not any(v.strip() for v in texts.values()) and not dispute_type:
            return None
        return {
            "version": SNAPSHOT_VERSION,
            **texts,
            "topic": str(self.topic.currentData()),
            "dispute_type_code": dispute_type,
        }

    def restore_snapshot(self, snap: dict[str, Any]) -> None:
        """Put a draft back on the form (once the dispute types are there)."""
        if self._dispute_types is None:
            self._pending_snapshot = snap
            return

        def text(key: str) -> str:
            value = snap.get(key)
            return value if isinstance(value, str) else ""

        self.clear_form()
        self.visitor_name.setText(text("visitor_name"))
        self.visitor_phone.setText(text("visitor_phone"))
        self.question.setPlainText(text("question"))
        self.answer.setPlainText(text("answer"))
        self.referred_to.setText(text("referred_to"))
        self.topic.setCurrentIndex(max(0, self.topic.findData(text("topic"))))
        self.dispute_type.setCurrentIndex(
            max(0, self.dispute_type.findData(text("dispute_type_code")))
        )

    def _ask_restore(self, saved: SavedDraft) -> tuple[str, str]:
        snap = saved.payload
        what = str(snap.get("visitor_name") or "").strip() or self.tr("no name yet")
        return (
            self.tr("Unsaved enquiry"),
            self.tr("An enquiry you typed at %1 was not saved (%2). Restore it to the form?")
            .replace("%1", saved_time(saved))
            .replace("%2", what),
        )

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        if self.keeper is not None:
            if saving:
                self.keeper.pause()
            else:
                self.keeper.resume()
        self.save_button.setEnabled(not saving)
        self.clear_button.setEnabled(not saving)

    def _saved(self, enquiry_id: uuid.UUID, visitor: str) -> None:
        self._set_saving(False)
        if self.keeper is not None:
            self.keeper.forget()  # deleted with the enquiry
        self.clear_form()
        self._show_form_message(self.tr("Saved the enquiry of %1.").replace("%1", visitor))
        self.enquiry_registered.emit(enquiry_id)
        self.refresh()

    def _save_failed(self, exc: DeskError) -> None:
        self._set_saving(False)
        if isinstance(exc, ValidationError):
            unplaced = self.errors.show(exc.fields)
            self._show_form_message("\n".join(unplaced), error=True)
        else:
            self._show_form_message(exc.message, error=True)

    def _show_form_message(self, text: str, *, error: bool = False) -> None:
        self.form_message.setText(text)
        self.form_message.setStyleSheet(ERROR_STYLE if error else "")
        self.form_message.setVisible(bool(text))

    # --- the list ---------------------------------------------------------------------------

    def _list_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Enquiries"))
        column = QVBoxLayout(box)
        period = QHBoxLayout()
        self.start = self._date_edit()
        self.end = self._date_edit()
        start_label = QLabel(self.tr("&From"))
        start_label.setBuddy(self.start)
        end_label = QLabel(self.tr("T&o"))
        end_label.setBuddy(self.end)
        period.addWidget(start_label)
        period.addWidget(self.start)
        period.addWidget(end_label)
        period.addWidget(self.end)
        period.addSpacing(12)
        self.today_button = QPushButton(self.tr("Today"))
        self.month_button = QPushButton(self.tr("This month"))
        self.year_button = QPushButton(self.tr("This year"))
        self.today_button.clicked.connect(lambda: self.set_period(*today_period()))
        self.month_button.clicked.connect(lambda: self.set_period(*month_of(beijing_today())))
        self.year_button.clicked.connect(lambda: self.set_period(*year_of(beijing_today())))
        for button in (self.today_button, self.month_button, self.year_button):
            period.addWidget(button)
        period.addStretch(1)
        column.addLayout(period)

        self.model = EnquiriesModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(EnquiriesModel.QUESTION, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        # Widths from typical contents, not from the rows: a year of rows would be slow to
        # measure, and a long "referred to" would push the question out of sight.
        fm = self.fontMetrics()
        pad = 2 * fm.averageCharWidth() + 8
        for col, samples in (
            (EnquiriesModel.RECEIVED, ["2026-12-31 23:59"]),
            (EnquiriesModel.VISITOR, ["岩温·香"]),
            (EnquiriesModel.PHONE, ["13800138000"]),
            (EnquiriesModel.TOPIC, list(topic_labels().values())),
            (EnquiriesModel.ANSWERED_BY, ["岩温香"]),
            (EnquiriesModel.REFERRED_TO, ["勐龙镇司法所"]),
            (EnquiriesModel.CONVERTED, [CONVERTED_MARK]),
        ):
            title = str(self.model.headerData(col, Qt.Orientation.Horizontal))
            header.resizeSection(col, max(fm.horizontalAdvance(t) for t in [*samples, title]) + pad)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        column.addWidget(self.table, 1)

        self.list_message = QLabel()
        self.list_message.setStyleSheet(ERROR_STYLE)
        self.list_message.setWordWrap(True)
        self.list_message.hide()
        column.addWidget(self.list_message)
        bottom = QHBoxLayout()
        self.counts = QLabel()
        self.counts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.counts.setWordWrap(True)
        self.convert_button = QPushButton(self.tr("&Turn into a case…"))
        self.convert_button.setToolTip(
            self.tr("The matter is a dispute: open the intake form filled from this enquiry")
        )
        self.convert_button.setEnabled(False)
        self.convert_button.clicked.connect(self.request_conversion)
        bottom.addWidget(self.counts, 1)
        bottom.addWidget(self.convert_button)
        column.addLayout(bottom)
        return box

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setDateRange(QDate(2000, 1, 1), QDate(2099, 12, 31))
        edit.dateChanged.connect(self._date_changed)
        return edit

    def period(self) -> tuple[date, date]:
        """The chosen period (Beijing dates, both included)."""
        return self.start.date().toPython(), self.end.date().toPython()  # type: ignore[return-value]

    def set_period(self, start: date, end: date) -> None:
        for edit, day in ((self.start, start), (self.end, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        self._refresh_timer.start()

    def _date_changed(self) -> None:
        # Keep the period the right way round: moving one end past the other drags it along.
        start, end = self.start.date(), self.end.date()
        if start > end:
            other = self.end if self.sender() is self.start else self.start
            other.blockSignals(True)
            other.setDate(start if other is self.end else end)
            other.blockSignals(False)
        self._refresh_timer.start()

    def refresh(self) -> None:
        """Reload the list and counts of the chosen period (in the background)."""
        self._refresh_timer.stop()
        self._generation += 1
        generation = self._generation
        start, end = self.period()
        self.runner.run(
            lambda: load_period(self.desk.db, start, end),
            lambda data: self._loaded(generation, data),
            self._load_failed,
        )

    def _loaded(self, generation: int, data: PeriodData) -> None:
        if generation != self._generation:  # a newer period was asked for meanwhile
            return
        selected = self.selected_enquiry()
        self.model.set_rows(data.rows, data.names)
        self.list_message.hide()
        self.counts.setText(self._counts_text(data.counts))
        if selected is not None:
            row = self.model.row_of(selected.id)
            if row >= 0:
                self.table.selectionModel().select(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
        self._selection_changed()
        self.enquiries_loaded.emit()

    def _counts_text(self, counts: Mapping[str, int]) -> str:
        labels = topic_labels()
        items = [(labels[code], counts.get(code, 0)) for code in enquiries.TOPICS]
        items.append((self.tr("Total"), counts.get("total", 0)))
        items.append((self.tr("Turned into cases"), counts.get("converted", 0)))
        pattern = self.tr("%1: %2")  # a label and its number
        return " · ".join(pattern.replace("%1", label).replace("%2", str(n)) for label, n in items)

    def _load_failed(self, exc: DeskError) -> None:
        self.list_message.setText(exc.message)
        self.list_message.show()

    # --- turning into a case ----------------------------------------------------------------

    def selected_enquiry(self) -> EnquiryRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selection_changed(
        self, _selected: QItemSelection | None = None, _deselected: QItemSelection | None = None
    ) -> None:
        row = self.selected_enquiry()
        self.convert_button.setEnabled(row is not None and row.converted_case_id is None)

    def request_conversion(self) -> None:
        """Ask for the selected enquiry to become a case (the intake form completes it)."""
        row = self.selected_enquiry()
        if row is None or row.converted_case_id is not None:
            return
        self.convert_requested.emit(row.id, enquiries.case_input_from(row))
