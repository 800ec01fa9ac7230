"""Joint mediation (中心吹哨、部门报到) on a case: convene, confirm, record, cancel.

`open_joint_mediation(parent, desk, actor, runner, case_id)` opens the panel of a
case's meetings (`services.joint.for_case`) with each summoned unit's
confirmation and attendance. From it: 组织联合调解 (`ConveneDialog`: time in
Beijing time, place, matter, at least two units picked from the active ones with
type-to-filter, an optional expert video link), 确认参加 for the selected unit,
记录到场情况 (`RecordDialog`: per unit present or absent with the reason, and
the result) and 取消 (`CancelMeetingDialog`). Every write runs in the background
through the services; field errors show beside their fields. The panel emits
`changed` after each write, so a case view can read the case's history again.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QDate,
    QDateTime,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.models import Case
from desk_app.models.db import Database
from desk_app.services import joint, search
from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError, ValidationError
from desk_app.services.joint import Attendance, ConveneInput, MediationView, UnitView
from desk_app.services.numbering import SHANGHAI
from desk_app.services.roles import Actor, Role
from desk_app.services.uow import UnitOfWork
from desk_app.services.workflow import OPEN_STATUSES
from desk_app.views.widgets.form import ERROR_STYLE, ServiceDialog
from desk_app.views.widgets.table import RowsTableModel, row_table
from desk_app.workers.tasks import TaskRunner

R = TypeVar("R")
#: A unit item's code, and the text type-to-filter looks in (name, short name, code).
CODE_ROLE = Qt.ItemDataRole.UserRole
FILTER_ROLE = Qt.ItemDataRole.UserRole + 1
RED = "#c62828"


# --- reading (on the task runner) ----------------------------------------------------------


def active_units(db: Database) -> list[search.UnitOption]:
    """The units that may be summoned: active and not voided."""
    with db.read() as s:
        return search.routing_units(s)


@dataclass(frozen=True)
class JointState:
    case_no: str
    case_open: bool
    meetings: list[MediationView]


def load_state(db: Database, case_id: uuid.UUID) -> JointState:
    """The case's number, whether it is open, and its joint mediations (newest first)."""
    with db.read() as s:
        case = s.get(Case, case_id)
        if case is None:
            raise DeskError("找不到该案件，可能已被删除或尚未同步到本窗口")
        return JointState(
            case.case_no,
            case.status in OPEN_STATUSES and case.voided_at is None,
            joint.for_case(s, case_id),
        )


def in_uow(desk: Desk, actor: Actor, fn: Callable[[UnitOfWork], R]) -> R:
    """Run a service command in a unit of work of its own (on the task runner)."""
    with desk.uow(actor) as uow:
        return fn(uow)


def when(at: datetime | None) -> str:
    if at is None:
        return ""
    return (
        (at if at.tzinfo else at.replace(tzinfo=UTC))
        .astimezone(SHANGHAI)
        .strftime("%Y-%m-%d %H:%M")
    )


# --- 组织联合调解 -----------------------------------------------------------------------------


class ConveneDialog(ServiceDialog):
    """Summon units to an on-site mediation of a case; emits `convened(mediation_id)`."""

    convened = Signal(object)  # uuid.UUID of the new joint mediation
    units_loaded = Signal(int)

    def __init__(
        self,
        desk: Desk,
        actor: Actor,
        runner: TaskRunner,
        case_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        case_no: str = "",
    ) -> None:
        super().__init__(
            runner,
            lambda data: in_uow(desk, actor, lambda uow: joint.convene(uow, case_id, data)),
            parent,
        )
        self.setWindowTitle(
            self.tr("Convene a joint mediation — %1").replace("%1", case_no)
            if case_no
            else self.tr("Convene a joint mediation")
        )
        self.intro(
            self.tr(
                "The center summons the units concerned to mediate together "
                "(中心吹哨、部门报到). Each unit's confirmation and attendance are recorded."
            ),
            "note",
        )

        self.scheduled_at = QDateTimeEdit()
        self.scheduled_at.setObjectName("scheduled_at")
        self.scheduled_at.setCalendarPopup(True)
        self.scheduled_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        today = datetime.now(SHANGHAI).date()
        tomorrow = today + timedelta(days=1)
        self.scheduled_at.setMinimumDate(QDate(today.year, today.month, today.day))
        self.scheduled_at.setDateTime(
            QDateTime(QDate(tomorrow.year, tomorrow.month, tomorrow.day), QTime(9, 0))
        )
        self.place = QLineEdit()
        self.place.setObjectName("place")
        self.place.setPlaceholderText(self.tr("e.g. mediation room 2 of the center"))
        self.matter = QPlainTextEdit()
        self.matter.setObjectName("matter")
        self.matter.setTabChangesFocus(True)
        self.matter.setFixedHeight(self.matter.fontMetrics().lineSpacing() * 3 + 14)
        self.matter.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        self.unit_filter = QLineEdit()
        self.unit_filter.setObjectName("unit_filter")
        self.unit_filter.setPlaceholderText(self.tr("Type to filter units by name or code"))
        self.unit_filter.setClearButtonEnabled(True)
        self.units = QStandardItemModel(self)
        self.units.itemChanged.connect(self._show_chosen)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.units)
        self.proxy.setFilterRole(FILTER_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.unit_filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.unit_list = QListView()
        self.unit_list.setObjectName("unit_list")
        self.unit_list.setModel(self.proxy)
        self.unit_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.unit_list.setMinimumHeight(180)
        self.unit_list.activated.connect(self._toggle)
        self.chosen = QLabel()
        self.chosen.setObjectName("chosen_units")
        self.chosen.setWordWrap(True)
        units_box = QWidget()
        column = QVBoxLayout(units_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.unit_filter)
        column.addWidget(self.unit_list, 1)
        column.addWidget(self.chosen)
        units_box.setFocusProxy(self.unit_filter)

        self.expert_link = QLineEdit()
        self.expert_link.setObjectName("expert_link")
        self.expert_link.setPlaceholderText("https://…")

        self.errors.add_row("scheduled_at", self.tr("&Time (Beijing time)"), self.scheduled_at)
        self.errors.add_row("place", self.tr("Meeting &place"), self.place)
        self.errors.add_row("matter", self.tr("&What is to be mediated"), self.matter)
        self.errors.add_row("unit_codes", self.tr("&Units summoned"), units_box)
        self.errors.add_row(
            "expert_link", self.tr("&Expert video link (optional)"), self.expert_link
        )
        # A message goes once its field is edited.
        for name, edited in (
            ("scheduled_at", self.scheduled_at.dateTimeChanged),
            ("place", self.place.textChanged),
            ("matter", self.matter.textChanged),
            ("unit_codes", self.units.itemChanged),
            ("expert_link", self.expert_link.textChanged),
        ):
            edited.connect(self.errors.error_label(name).hide)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("&Convene"))
        self.ok.setEnabled(False)  # until the units are read
        self._show_chosen()
        self.resize(560, 640)
        runner.run(lambda: active_units(desk.db), self.set_units, self._failed)

    def set_units(self, units: list[search.UnitOption]) -> None:
        self.units.clear()
        for u in units:
            item = QStandardItem(u.name)
            item.setEditable(False)
            item.setCheckable(True)
            item.setData(u.code, CODE_ROLE)
            item.setData(f"{u.name} {u.short_name} {u.code}", FILTER_ROLE)
            item.setToolTip(u.code)
            self.units.appendRow(item)
        self.ok.setEnabled(True)
        self._show_chosen()
        self.units_loaded.emit(len(units))

    def unit_item(self, code: str) -> QStandardItem | None:
        for row in range(self.units.rowCount()):
            item = self.units.item(row)
            if item.data(CODE_ROLE) == code:
                return item
        return None

    def selected_codes(self) -> tuple[str, ...]:
        return tuple(
            str(self.units.item(r).data(CODE_ROLE))
            for r in range(self.units.rowCount())
            if self.units.item(r).checkState() == Qt.CheckState.Checked
        )

    def _toggle(self, index: QModelIndex) -> None:
        item = self.units.itemFromIndex(self.proxy.mapToSource(index))
        if item is not None:
            checked = item.checkState() == Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def _show_chosen(self, *_args: object) -> None:
        names = [
            self.units.item(r).text()
            for r in range(self.units.rowCount())
            if self.units.item(r).checkState() == Qt.CheckState.Checked
        ]
        if not names:
            self.chosen.setText(self.tr("No unit chosen yet: tick at least two."))
        else:
            self.chosen.setText(
                self.tr("%n unit(s) chosen: %1", "", len(names)).replace("%1", "、".join(names))
            )

    def collect(self) -> ConveneInput:
        d, t = self.scheduled_at.date(), self.scheduled_at.time()
        # The fields are Beijing time whatever the computer's own time zone is.
        at = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=SHANGHAI)
        return ConveneInput(
            scheduled_at=at,
            place=self.place.text(),
            matter=self.matter.toPlainText(),
            unit_codes=self.selected_codes(),
            expert_link=self.expert_link.text(),
        )

    def _done(self, result: Any) -> None:
        self.convened.emit(result)
        super()._done(result)


# --- 记录到场情况 -----------------------------------------------------------------------------


class RecordDialog(ServiceDialog):
    """After the meeting: each unit present or absent (with the reason), and the result."""

    recorded = Signal(object)  # uuid.UUID of the joint mediation
    UNIT, PRESENT, REASON = range(3)

    def __init__(
        self,
        desk: Desk,
        actor: Actor,
        runner: TaskRunner,
        meeting: MediationView,
        parent: QWidget | None = None,
    ) -> None:
        mediation_id = meeting.id
        super().__init__(
            runner,
            lambda data: in_uow(
                desk, actor, lambda uow: joint.record(uow, mediation_id, data[0], data[1])
            ),
            parent,
        )
        self.mediation_id = mediation_id
        self.setWindowTitle(self.tr("Record the joint mediation"))
        self.intro(
            self.tr(
                "Meeting of %1 at %2. Tick each unit that came or not; for a unit that "
                "did not come, double-click its reason cell and say why."
            )
            .replace("%1", when(meeting.scheduled_at))
            .replace("%2", meeting.place),
            "note",
        )

        self.attendance = QStandardItemModel(0, 3, self)
        self.attendance.setHorizontalHeaderLabels(
            [self.tr("Unit"), self.tr("Came"), self.tr("Reason for absence")]
        )
        self._updating = False
        for u in meeting.units:
            name = QStandardItem(u.unit_name)
            name.setEditable(False)
            name.setData(u.unit_code, CODE_ROLE)
            present = QStandardItem()
            present.setEditable(False)
            present.setCheckable(True)
            present.setCheckState(Qt.CheckState.PartiallyChecked)  # not recorded yet
            reason = QStandardItem()
            self.attendance.appendRow([name, present, reason])
            self._show_present(self.attendance.rowCount() - 1)
        self.attendance.itemChanged.connect(self._changed)
        self.table = QTableView()
        self.table.setObjectName("attendance")
        self.table.setModel(self.attendance)
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(self.UNIT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.PRESENT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.REASON, QHeaderView.ResizeMode.Stretch)
        rows = max(2, len(meeting.units))
        self.table.setMinimumHeight(
            header.sizeHint().height() + self.table.verticalHeader().defaultSectionSize() * rows + 6
        )
        self.result_text = QPlainTextEdit()
        self.result_text.setObjectName("result")
        self.result_text.setTabChangesFocus(True)
        self.result_text.setFixedHeight(self.result_text.fontMetrics().lineSpacing() * 4 + 14)
        self.result_text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.errors.add_row("attendance", self.tr("&Attendance"), self.table)
        self.errors.add_row("result", self.tr("&Result of the mediation"), self.result_text)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("&Save record"))
        self.resize(620, self.sizeHint().height())

    def set_present(self, unit_code: str, came: bool, reason: str = "") -> None:
        """Record one unit as present or absent (what ticking and typing do)."""
        for row in range(self.attendance.rowCount()):
            if self.attendance.item(row, self.UNIT).data(CODE_ROLE) == unit_code:
                state = Qt.CheckState.Checked if came else Qt.CheckState.Unchecked
                self.attendance.item(row, self.PRESENT).setCheckState(state)
                self.attendance.item(row, self.REASON).setText(reason)
                return
        raise KeyError(unit_code)

    def _changed(self, item: QStandardItem) -> None:
        if item.column() == self.PRESENT and not self._updating:
            self._show_present(item.row())

    def _show_present(self, row: int) -> None:
        present = self.attendance.item(row, self.PRESENT)
        reason = self.attendance.item(row, self.REASON)
        state = present.checkState()
        self._updating = True
        try:
            if state == Qt.CheckState.Checked:
                present.setText(self.tr("came"))
            elif state == Qt.CheckState.Unchecked:
                present.setText(self.tr("did not come"))
            else:
                present.setText(self.tr("not recorded"))
            # A reason is asked of an absent unit only.
            absent = state == Qt.CheckState.Unchecked
            flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
            reason.setFlags(flags | Qt.ItemFlag.ItemIsEditable if absent else flags)
            reason.setToolTip(
                self.tr("Double-click to say why the unit did not come") if absent else ""
            )
        finally:
            self._updating = False

    def collect(self) -> tuple[list[Attendance], str]:
        out = []
        for row in range(self.attendance.rowCount()):
            state = self.attendance.item(row, self.PRESENT).checkState()
            if state == Qt.CheckState.PartiallyChecked:
                continue  # not recorded: the service names what is missing
            came = state == Qt.CheckState.Checked
            code = str(self.attendance.item(row, self.UNIT).data(CODE_ROLE))
            reason = "" if came else self.attendance.item(row, self.REASON).text()
            out.append(Attendance(code, came, reason))
        return out, self.result_text.toPlainText()

    def _done(self, result: Any) -> None:
        self.recorded.emit(self.mediation_id)
        super()._done(result)


# --- 取消 -------------------------------------------------------------------------------------


class CancelMeetingDialog(ServiceDialog):
    """Call off a joint mediation that has not been held; the reason is kept with it."""

    cancelled = Signal(object)  # uuid.UUID of the joint mediation

    def __init__(
        self,
        desk: Desk,
        actor: Actor,
        runner: TaskRunner,
        meeting: MediationView,
        parent: QWidget | None = None,
    ) -> None:
        mediation_id = meeting.id
        super().__init__(
            runner,
            lambda reason: in_uow(desk, actor, lambda uow: joint.cancel(uow, mediation_id, reason)),
            parent,
        )
        self.mediation_id = mediation_id
        self.setWindowTitle(self.tr("Cancel the joint mediation"))
        self.intro(
            self.tr("Cancel the meeting of %1 at %2? The units summoned should be told.")
            .replace("%1", when(meeting.scheduled_at))
            .replace("%2", meeting.place),
            "note",
        )
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.reason.fontMetrics().lineSpacing() * 3 + 14)
        self.reason.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.errors.add_row("reason", self.tr("&Reason for cancelling"), self.reason)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Cancel the &meeting"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("&Keep it"))
        self.resize(480, self.sizeHint().height())

    def collect(self) -> str:
        return self.reason.toPlainText()

    def _done(self, result: Any) -> None:
        self.cancelled.emit(self.mediation_id)
        super()._done(result)


# --- the panel --------------------------------------------------------------------------------


class MeetingsModel(RowsTableModel[MediationView]):
    WHEN, PLACE, STATE, UNITS, BY = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("MeetingsModel", "Time"),
        QT_TRANSLATE_NOOP("MeetingsModel", "Meeting place"),
        QT_TRANSLATE_NOOP("MeetingsModel", "State"),
        QT_TRANSLATE_NOOP("MeetingsModel", "Units"),
        QT_TRANSLATE_NOOP("MeetingsModel", "Convened by"),
    )

    def cell(self, m: MediationView, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.WHEN:
                return when(m.scheduled_at)
            if column == self.PLACE:
                return m.place
            if column == self.STATE:
                return joint.STATES.get(m.state, m.state)
            if column == self.UNITS:
                return self._units(m)
            if column == self.BY:
                return m.convened_by
        if role == Qt.ItemDataRole.UserRole:
            return m.id
        return None

    def _units(self, m: MediationView) -> str:
        n = len(m.units)
        if m.state == "held":
            came = sum(1 for u in m.units if u.attended)
            return self.tr("%n summoned, %1 came", "", n).replace("%1", str(came))
        confirmed = sum(1 for u in m.units if u.confirmed_at is not None)
        return self.tr("%n summoned, %1 confirmed", "", n).replace("%1", str(confirmed))


class UnitsModel(RowsTableModel[UnitView]):
    UNIT, CONFIRMED, CAME, REASON = range(4)
    HEADERS = (
        QT_TRANSLATE_NOOP("UnitsModel", "Unit"),
        QT_TRANSLATE_NOOP("UnitsModel", "Confirmed"),
        QT_TRANSLATE_NOOP("UnitsModel", "Came"),
        QT_TRANSLATE_NOOP("UnitsModel", "Reason for absence"),
    )

    def cell(self, u: UnitView, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.UNIT:
                return u.unit_name
            if column == self.CONFIRMED:
                if u.confirmed_at is None:
                    return self.tr("not yet")
                return f"{when(u.confirmed_at)}（{u.confirmed_by}）"
            if column == self.CAME:
                if u.attended is None:
                    return "—"
                if u.attended:
                    return self.tr("came")
                return self.tr("did not come")
            if column == self.REASON:
                return u.absence_reason
        if role == Qt.ItemDataRole.ForegroundRole and column == self.CAME and u.attended is False:
            return QBrush(QColor(RED))
        if role == Qt.ItemDataRole.UserRole:
            return u.unit_code
        return None


class JointMediationDialog(QDialog):
    """A case's joint mediations and, for the selected one, each unit's answer."""

    #: Something was written (convened, confirmed, recorded, cancelled).
    changed = Signal()
    #: The case's meetings were (re)read: how many.
    loaded = Signal(int)

    def __init__(
        self,
        desk: Desk,
        actor: Actor,
        runner: TaskRunner,
        case_id: uuid.UUID,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.actor = actor
        self.runner = runner
        self.case_id = case_id
        self.state: JointState | None = None
        self.may_convene = actor.has(Role.ADMIN, Role.OFFICER)
        self.may_confirm = actor.has(Role.ADMIN, Role.OFFICER, Role.MEDIATOR)
        self.convene_dialog: ConveneDialog | None = None
        self.record_dialog: RecordDialog | None = None
        self.cancel_dialog: CancelMeetingDialog | None = None
        self.setWindowTitle(self.tr("Joint mediation"))

        self.heading = QLabel()
        self.heading.setObjectName("joint_heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.heading.setFont(font)
        self.meetings = MeetingsModel(self)
        self.meetings_table = row_table(self.meetings, "meetings", MeetingsModel.PLACE)
        self.meetings_table.selectionModel().currentRowChanged.connect(self._show_current)
        self.detail = QLabel()
        self.detail.setObjectName("meeting_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setOpenExternalLinks(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.units = UnitsModel(self)
        self.units_table = row_table(self.units, "meeting_units", UnitsModel.REASON)
        self.units_table.selectionModel().currentRowChanged.connect(self._enable)

        self.new_button = QPushButton(self.tr("&Convene a joint mediation…"))
        self.new_button.setObjectName("convene")
        self.new_button.clicked.connect(self.open_convene)
        self.confirm_button = QPushButton(self.tr("Unit con&firms"))
        self.confirm_button.setObjectName("confirm")
        self.confirm_button.setToolTip(self.tr("Record that the selected unit will come"))
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.record_button = QPushButton(self.tr("&Record attendance…"))
        self.record_button.setObjectName("record")
        self.record_button.clicked.connect(self.open_record)
        self.cancel_button = QPushButton(self.tr("C&ancel the meeting…"))
        self.cancel_button.setObjectName("cancel_meeting")
        self.cancel_button.clicked.connect(self.open_cancel)
        for button in (
            self.new_button,
            self.confirm_button,
            self.record_button,
            self.cancel_button,
        ):
            button.setAutoDefault(False)
        if not self.may_convene:
            only = self.tr("Only triage officers and administrators may do this")
            for button in (self.new_button, self.record_button, self.cancel_button):
                button.setToolTip(only)
        actions = QHBoxLayout()
        actions.addWidget(self.new_button)
        actions.addStretch(1)
        actions.addWidget(self.confirm_button)
        actions.addWidget(self.record_button)
        actions.addWidget(self.cancel_button)

        self.message = QLabel()
        self.message.setObjectName("joint_message")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        top = QWidget()
        top_column = QVBoxLayout(top)
        top_column.setContentsMargins(0, 0, 0, 0)
        top_column.addWidget(self.meetings_table)
        bottom = QWidget()
        bottom_column = QVBoxLayout(bottom)
        bottom_column.setContentsMargins(0, 0, 0, 0)
        bottom_column.addWidget(self.detail)
        bottom_column.addWidget(self.units_table, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(split, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.resize(820, 560)
        self._show_current()
        self.reload()

    # --- reading ------------------------------------------------------------------------------

    def reload(self) -> None:
        db, case_id = self.desk.db, self.case_id
        self.runner.run(lambda: load_state(db, case_id), self._loaded, self._failed)

    def _loaded(self, state: JointState) -> None:
        keep = self.current_meeting()
        self.state = state
        self.setWindowTitle(self.tr("Joint mediation — %1").replace("%1", state.case_no))
        self.heading.setText(self.tr("Joint mediations of case %1").replace("%1", state.case_no))
        self.meetings.set_rows(state.meetings)
        row = next(
            (i for i, m in enumerate(state.meetings) if keep is not None and m.id == keep.id),
            0 if state.meetings else -1,
        )
        if row >= 0:
            self.meetings_table.selectRow(row)
        self._show_current()
        self.loaded.emit(len(state.meetings))

    def _failed(self, exc: DeskError) -> None:
        self._enable()
        if isinstance(exc, ValidationError):
            self.message.setText("；".join(exc.fields.values()))
        else:
            self.message.setText(exc.message)

    # --- the selected meeting -----------------------------------------------------------------

    def current_meeting(self) -> MediationView | None:
        index = self.meetings_table.currentIndex()
        if not index.isValid() or index.row() >= self.meetings.rowCount():
            return None
        return self.meetings.row_at(index.row())

    def current_unit(self) -> UnitView | None:
        index = self.units_table.currentIndex()
        if not index.isValid() or index.row() >= self.units.rowCount():
            return None
        return self.units.row_at(index.row())

    def _show_current(self, *_args: object) -> None:
        meeting = self.current_meeting()
        self.units.set_rows(meeting.units if meeting is not None else [])
        self.detail.setText(self._detail_html(meeting))
        self._enable()

    def _detail_html(self, m: MediationView | None) -> str:
        if m is None:
            if self.state is None:
                return self.tr("Reading…")
            return html.escape(
                self.tr("No joint mediation on this case yet.")
                if not self.may_convene or not self.state.case_open
                else self.tr(
                    "No joint mediation on this case yet: “Convene a joint mediation…” "
                    "summons the units concerned."
                )
            )

        def line(label: str, value: str) -> str:
            return f"<b>{html.escape(label)}：</b>{value}"

        lines = [line(self.tr("Matter"), html.escape(m.matter))]
        if m.expert_link:
            link = html.escape(m.expert_link, quote=True)
            lines.append(line(self.tr("Expert video link"), f'<a href="{link}">{link}</a>'))
        if m.state == "held":
            lines.append(line(self.tr("Result"), html.escape(m.result)))
        elif m.state == "cancelled":
            lines.append(line(self.tr("Reason for cancelling"), html.escape(m.result)))
        return "<br>".join(lines)

    def _enable(self, *_args: object) -> None:
        meeting = self.current_meeting()
        unit = self.current_unit()
        case_open = self.state is not None and self.state.case_open
        scheduled = meeting is not None and meeting.state == "scheduled"
        self.new_button.setEnabled(self.may_convene and case_open)
        self.confirm_button.setEnabled(
            self.may_confirm and scheduled and unit is not None and unit.confirmed_at is None
        )
        self.record_button.setEnabled(self.may_convene and scheduled)
        self.cancel_button.setEnabled(self.may_convene and scheduled)

    # --- commands -----------------------------------------------------------------------------

    def _written(self, *_args: object) -> None:
        self.message.clear()
        self.changed.emit()
        self.reload()

    def open_convene(self) -> ConveneDialog:
        case_no = self.state.case_no if self.state is not None else ""
        dialog = ConveneDialog(
            self.desk, self.actor, self.runner, self.case_id, self, case_no=case_no
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.convened.connect(self._written)
        self.convene_dialog = dialog
        dialog.open()
        return dialog

    def confirm_selected(self) -> None:
        meeting, unit = self.current_meeting(), self.current_unit()
        if meeting is None or unit is None:
            return
        self.message.clear()
        self.confirm_button.setEnabled(False)
        mediation_id, code = meeting.id, unit.unit_code
        self.runner.run(
            lambda: in_uow(
                self.desk, self.actor, lambda uow: joint.confirm(uow, mediation_id, code)
            ),
            self._written,
            self._failed,
        )

    def open_record(self) -> RecordDialog | None:
        meeting = self.current_meeting()
        if meeting is None:
            return None
        dialog = RecordDialog(self.desk, self.actor, self.runner, meeting, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.recorded.connect(self._written)
        self.record_dialog = dialog
        dialog.open()
        return dialog

    def open_cancel(self) -> CancelMeetingDialog | None:
        meeting = self.current_meeting()
        if meeting is None:
            return None
        dialog = CancelMeetingDialog(self.desk, self.actor, self.runner, meeting, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.cancelled.connect(self._written)
        self.cancel_dialog = dialog
        dialog.open()
        return dialog


def open_joint_mediation(
    parent: QWidget | None, desk: Desk, actor: Actor, runner: TaskRunner, case_id: uuid.UUID
) -> JointMediationDialog:
    """Open the joint-mediation panel of a case (window-modal; deleted when closed).

    Connect the returned dialog's `changed` to re-read the case after a write.
    """
    dialog = JointMediationDialog(desk, actor, runner, case_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
