"""Supervision (督办) on a case: raise the next rung against a unit, record the unit's answer.

`open_supervision(parent, desk, actor, runner, case_id)` opens the list of a
case's rungs (`services.supervision.for_case`): who raised which rung against
which unit, when, the message, the deadline and the answer. From it:
催办/督办… (`RaiseDialog`: the unit among those the case is dispatched to, the
rung among those the ladder allows for that unit (`Target.next_levels`), the
message and an optional answer-by date), 记录回复… for the selected rung
(`RespondDialog`: the answer and 代为登记 when center staff record it for a
unit) and 撤销… for a rung raised in error (`VoidDialog`: the reason; the rung
stays in the list, greyed and struck through, marked 已撤销 with the reason).
Every write runs in the background through the services; field errors show
beside their fields. The dialog emits `changed` after each write, so a case
view can read the case again.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from desk_app.models import Case, Unit
from desk_app.models.db import Database
from desk_app.services import supervision
from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError, ValidationError
from desk_app.services.numbering import SHANGHAI
from desk_app.services.roles import Actor, Role
from desk_app.services.supervision import SuperviseInput, SupervisionView, Target
from desk_app.services.uow import UnitOfWork
from desk_app.services.workflow import OPEN_STATUSES
from desk_app.views.widgets.form import ERROR_STYLE, ServiceDialog
from desk_app.views.widgets.table import RowsTableModel, row_table
from desk_app.views.workflow_dialogs import HINT_STYLE, text_edit
from desk_app.workers.tasks import TaskRunner

R = TypeVar("R")
RED = "#c62828"
#: Voided rungs: greyed (and struck through but for the 已撤销 note).
GREY = "#8a8a8a"
#: Days from today the answer-by date starts at.
DEFAULT_ANSWER_DAYS = 3


# --- reading (on the task runner) ----------------------------------------------------------


@dataclass(frozen=True)
class SupervisionState:
    case_no: str
    case_open: bool
    #: The units the case is dispatched to now, with the rungs open against each.
    targets: list[Target]
    #: The case's rungs, oldest first.
    rows: list[SupervisionView]
    #: Whether each unit named above has a desk of its own (it then answers itself).
    has_desk: dict[str, bool]


def load_state(db: Database, case_id: uuid.UUID) -> SupervisionState:
    with db.read() as s:
        case = s.get(Case, case_id)
        if case is None:
            raise DeskError("找不到该案件，可能已被删除或尚未同步到本窗口")
        targets = supervision.targets(s, case_id)
        rows = supervision.for_case(s, case_id)
        codes = {t.unit_code for t in targets} | {r.unit_code for r in rows}
        has_desk = {
            code: bool(flag)
            for code, flag in s.execute(
                select(Unit.code, Unit.has_desk).where(Unit.code.in_(sorted(codes)))
            )
        }
        return SupervisionState(
            case.case_no,
            case.status in OPEN_STATUSES and case.voided_at is None,
            targets,
            rows,
            has_desk,
        )


def in_uow(desk: Desk, actor: Actor, fn: Callable[[UnitOfWork], R]) -> R:
    """Run a service command in a unit of work of its own (on the task runner)."""
    with desk.uow(actor) as uow:
        return fn(uow)


def when(at: datetime | None) -> str:
    return "" if at is None else at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def day(at: datetime | None) -> str:
    return "" if at is None else at.astimezone(SHANGHAI).strftime("%Y-%m-%d")


def end_of_day(d: date) -> datetime:
    """A deadline day as the moment it ends, Beijing time (DOMAIN.md: deadlines)."""
    return (
        datetime.combine(d + timedelta(days=1), time(0), tzinfo=SHANGHAI)
        - timedelta(microseconds=1)
    ).astimezone(UTC)


def default_level(levels: tuple[str, ...]) -> str:
    """The rung to offer first: the highest step the ladder has just opened."""
    depth = {"urge": 0, "supervise": 1}
    best = max(levels, key=lambda lv: depth.get(lv, 2), default="")
    return best


class _FormDialog(ServiceDialog):
    """A ServiceDialog that Ctrl+Enter submits and that grows to show the messages."""

    def __init__(
        self, runner: TaskRunner, action: Callable[[Any], Any], parent: QWidget | None
    ) -> None:
        super().__init__(runner, action, parent)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.submit)

    def _failed(self, exc: DeskError) -> None:
        super()._failed(exc)
        # The messages take room the form did not have: grow rather than overlap the fields.
        layout = self.layout()
        if layout is not None:
            layout.activate()
        if self.height() < self.sizeHint().height():
            self.resize(self.width(), self.sizeHint().height())


# --- 催办 / 督办 -----------------------------------------------------------------------------


class RaiseDialog(_FormDialog):
    """Raise a rung against one of the case's units; emits `raised(supervision_id)`."""

    raised = Signal(object)  # uuid.UUID of the new rung

    def __init__(
        self,
        desk: Desk,
        actor: Actor,
        runner: TaskRunner,
        case_id: uuid.UUID,
        targets: list[Target],
        parent: QWidget | None = None,
        *,
        case_no: str = "",
        unit_code: str = "",
    ) -> None:
        super().__init__(
            runner,
            lambda data: in_uow(
                desk, actor, lambda uow: supervision.raise_supervision(uow, case_id, data)
            ),
            parent,
        )
        self.targets = {t.unit_code: t for t in targets}
        self.setWindowTitle(
            self.tr("Urge or supervise a unit — %1").replace("%1", case_no)
            if case_no
            else self.tr("Urge or supervise a unit")
        )
        self.intro(
            self.tr(
                "The ladder: urge (催办) first; supervise (督办) only after urging the same "
                "unit; list (挂牌督办), circulate (通报) or summon (约谈) only after "
                "supervising. Each step counts in the unit's assessment."
            ),
            "note",
        )

        self.unit = QComboBox()
        self.unit.setObjectName("unit")
        for t in targets:
            role = self.tr("lead unit") if t.lead else self.tr("co-handling unit")
            self.unit.addItem(f"{t.unit_name}（{role}）", t.unit_code)
        self.level = QComboBox()
        self.level.setObjectName("level")
        self.locked = QLabel()
        self.locked.setObjectName("locked_levels")
        self.locked.setStyleSheet(HINT_STYLE)
        self.locked.setWordWrap(True)
        level_box = QWidget()
        column = QVBoxLayout(level_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.level)
        column.addWidget(self.locked)
        level_box.setFocusProxy(self.level)

        self.message_text = text_edit(
            4, self.tr("What the unit is asked to do, and by when it is to answer")
        )
        self.message_text.setObjectName("message")

        self.ask_answer = QCheckBox(self.tr("Answer &by"))
        self.ask_answer.setObjectName("ask_answer")
        self.ask_answer.setChecked(True)
        self.respond_by = QDateEdit()
        self.respond_by.setObjectName("respond_by")
        self.respond_by.setCalendarPopup(True)
        self.respond_by.setDisplayFormat("yyyy-MM-dd")
        today = datetime.now(SHANGHAI).date()
        later = today + timedelta(days=DEFAULT_ANSWER_DAYS)
        self.respond_by.setMinimumDate(QDate(today.year, today.month, today.day))
        self.respond_by.setDate(QDate(later.year, later.month, later.day))
        self.ask_answer.toggled.connect(self.respond_by.setEnabled)
        answer_box = QWidget()
        row = QHBoxLayout(answer_box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.ask_answer)
        row.addWidget(self.respond_by)
        row.addWidget(QLabel(self.tr("(Beijing time, end of the day)")))
        row.addStretch(1)

        self.errors.add_row("unit_code", self.tr("&Unit"), self.unit)
        self.errors.add_row("level", self.tr("&Step"), level_box)
        self.errors.add_row("message", self.tr("&Message"), self.message_text)
        self.errors.add_row("respond_by", self.tr("Deadline"), answer_box)
        for name, edited in (
            ("unit_code", self.unit.currentIndexChanged),
            ("level", self.level.currentIndexChanged),
            ("message", self.message_text.textChanged),
            ("respond_by", self.respond_by.dateChanged),
            ("respond_by", self.ask_answer.toggled),
        ):
            edited.connect(self.errors.error_label(name).hide)
        self.unit.currentIndexChanged.connect(self._fill_levels)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("&Issue"))
        if unit_code and self.unit.findData(unit_code) >= 0:
            self.unit.setCurrentIndex(self.unit.findData(unit_code))
        self._fill_levels()
        self.resize(560, self.sizeHint().height())
        self.message_text.setFocus()

    def levels(self) -> list[str]:
        """The rungs offered for the chosen unit."""
        return [str(self.level.itemData(i)) for i in range(self.level.count())]

    def _fill_levels(self, *_args: object) -> None:
        target = self.targets.get(str(self.unit.currentData() or ""))
        open_levels = target.next_levels if target is not None else ()
        self.level.clear()
        for code in open_levels:
            self.level.addItem(supervision.LEVELS[code], code)
        first = default_level(open_levels)
        if first:
            self.level.setCurrentIndex(self.level.findData(first))
        locked = [
            self.tr("%1 (after a %2)")
            .replace("%1", label)
            .replace("%2", supervision.LEVELS[str(supervision.REQUIRES[code])])
            for code, label in supervision.LEVELS.items()
            if code not in open_levels and supervision.REQUIRES[code] is not None
        ]
        self.locked.setText(
            self.tr("Not open yet: %1").replace("%1", "、".join(locked)) if locked else ""
        )
        self.locked.setVisible(bool(locked))
        self.ok.setEnabled(bool(open_levels))

    def collect(self) -> SuperviseInput:
        d = self.respond_by.date()
        respond_by = (
            end_of_day(date(d.year(), d.month(), d.day())) if self.ask_answer.isChecked() else None
        )
        return SuperviseInput(
            level=str(self.level.currentData() or ""),
            unit_code=str(self.unit.currentData() or ""),
            message=self.message_text.toPlainText(),
            respond_by=respond_by,
        )

    def _done(self, result: Any) -> None:
        self.raised.emit(result)
        super()._done(result)


# --- 记录回复 ---------------------------------------------------------------------------------


class RespondDialog(_FormDialog):
    """Record a unit's answer to a rung; emits `responded(supervision_id)`."""

    responded = Signal(object)  # uuid.UUID of the rung

    def __init__(
        self,
        desk: Desk,
        actor: Actor,
        runner: TaskRunner,
        row: SupervisionView,
        parent: QWidget | None = None,
        *,
        unit_has_desk: bool = False,
    ) -> None:
        sid = row.id
        super().__init__(
            runner,
            lambda data: in_uow(
                desk, actor, lambda uow: supervision.respond(uow, sid, data[0], data[1])
            ),
            parent,
        )
        self.supervision_id = sid
        self.setWindowTitle(self.tr("Record the unit's answer — %1").replace("%1", row.case_no))
        intro = (
            self.tr("%1 to %2 on %3 by %4:")
            .replace("%1", row.level_label)
            .replace("%2", row.unit_name)
            .replace("%3", when(row.at))
            .replace("%4", row.by_name)
        )
        lines = [f"<b>{html.escape(intro)}</b>", html.escape(row.message)]
        if row.respond_by is not None:
            lines.append(
                html.escape(self.tr("Answer due by %1").replace("%1", day(row.respond_by)))
            )
        self.intro("<br>".join(lines), "rung", rich=True)

        self.response = text_edit(4, self.tr("What the unit did about it, and the result"))
        self.response.setObjectName("response")
        self.on_behalf = QCheckBox(
            self.tr("Record on the unit's &behalf (the center records the unit's answer)")
        )
        self.on_behalf.setObjectName("on_behalf")
        # A unit with its own desk answers there, through its mediator; otherwise the center
        # records the answer for it.
        self.on_behalf.setChecked(not (unit_has_desk and actor.has(Role.MEDIATOR)))
        self.errors.add_row("response", self.tr("&Answer"), self.response)
        self.errors.add_row("on_behalf", "", self.on_behalf)
        self.response.textChanged.connect(self.errors.error_label("response").hide)
        self.on_behalf.toggled.connect(self.errors.error_label("on_behalf").hide)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("&Record"))
        self.resize(520, self.sizeHint().height())
        self.response.setFocus()

    def collect(self) -> tuple[str, bool]:
        return self.response.toPlainText(), self.on_behalf.isChecked()

    def _done(self, result: Any) -> None:
        self.responded.emit(self.supervision_id)
        super()._done(result)


# --- 撤销 -------------------------------------------------------------------------------------


def may_void(actor: Actor, row: SupervisionView) -> bool:
    """Whether `actor` may void the rung (as `supervision.void_supervision` checks): who
    raised it, an officer or an administrator; never twice."""
    return not row.voided and (row.by == actor.username or actor.has(Role.ADMIN, Role.OFFICER))


class VoidDialog(_FormDialog):
    """Void (撤销) a rung raised in error, with the reason; emits `voided(supervision_id)`."""

    voided = Signal(object)  # uuid.UUID of the rung

    def __init__(
        self,
        desk: Desk,
        actor: Actor,
        runner: TaskRunner,
        row: SupervisionView,
        parent: QWidget | None = None,
    ) -> None:
        sid = row.id
        super().__init__(
            runner,
            lambda reason: in_uow(
                desk, actor, lambda uow: supervision.void_supervision(uow, sid, reason)
            ),
            parent,
        )
        self.supervision_id = sid
        self.setWindowTitle(self.tr("Void a supervision step — %1").replace("%1", row.case_no))
        intro = (
            self.tr("%1 to %2 on %3 by %4:")
            .replace("%1", row.level_label)
            .replace("%2", row.unit_name)
            .replace("%3", when(row.at))
            .replace("%4", row.by_name)
        )
        hint = self.tr(
            "A voided step stays in the case's list, marked as voided with the reason, but "
            "no longer counts in the ladder, on the board or in the unit's assessment. "
            "Void the higher steps against the unit first."
        )
        self.intro(f"<b>{html.escape(intro)}</b><br>{html.escape(row.message)}", "rung", rich=True)
        self.intro(hint, "hint", at=1).setStyleSheet(HINT_STYLE)

        self.reason = text_edit(
            3, self.tr("Why the step was raised in error (the wrong unit, say)")
        )
        self.reason.setObjectName("void_reason")
        self.errors.add_row("reason", self.tr("&Reason"), self.reason)
        self.reason.textChanged.connect(self.errors.error_label("reason").hide)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("&Void"))
        self.resize(520, self.sizeHint().height())
        self.reason.setFocus()

    def collect(self) -> str | None:
        reason = self.reason.toPlainText()
        if not reason.strip():
            self._failed(ValidationError({"reason": self.tr("Give the reason for voiding")}))
            return None
        return reason

    def _done(self, result: Any) -> None:
        self.voided.emit(self.supervision_id)
        super()._done(result)


# --- the list ---------------------------------------------------------------------------------


class SupervisionModel(RowsTableModel[SupervisionView]):
    AT, LEVEL, UNIT, BY, MESSAGE, DUE, ANSWER = range(7)
    HEADERS = (
        QT_TRANSLATE_NOOP("SupervisionModel", "Time"),
        QT_TRANSLATE_NOOP("SupervisionModel", "Step"),
        QT_TRANSLATE_NOOP("SupervisionModel", "Unit"),
        QT_TRANSLATE_NOOP("SupervisionModel", "By"),
        QT_TRANSLATE_NOOP("SupervisionModel", "Message"),
        QT_TRANSLATE_NOOP("SupervisionModel", "Answer due"),
        QT_TRANSLATE_NOOP("SupervisionModel", "Answer"),
    )

    def cell(self, r: SupervisionView, column: int, role: int) -> Any:
        if r.voided:
            voided = self._voided_cell(r, column, role)
            if voided is not None:
                return voided
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.AT:
                return when(r.at)
            if column == self.LEVEL:
                return r.level_label
            if column == self.UNIT:
                return r.unit_name
            if column == self.BY:
                return r.by_name
            if column == self.MESSAGE:
                return r.message
            if column == self.DUE:
                return day(r.respond_by)
            if column == self.ANSWER:
                return self._answer(r)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.ANSWER and self._late(r):
            return QBrush(QColor(RED))
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        return None

    def _voided_cell(self, r: SupervisionView, column: int, role: int) -> Any:
        """A voided rung: greyed, struck through but for the answer column, which says
        已撤销 and why (None: as a live rung)."""
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(GREY))
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            if column == self.ANSWER:
                font.setItalic(True)
            else:
                font.setStrikeOut(True)
            return font
        if column == self.ANSWER and role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return (
                self.tr("Voided %1: %2")
                .replace("%1", day(r.voided_at))
                .replace("%2", r.void_reason)
            )
        return None

    def _answer(self, r: SupervisionView) -> str:
        if not r.answered:
            return self.tr("overdue, no answer") if self._late(r) else self.tr("awaiting")
        behalf = self.tr(" (recorded by the center)") if r.response_on_behalf else ""
        return f"{day(r.responded_at)}{behalf}：{r.response}"

    @staticmethod
    def _late(r: SupervisionView) -> bool:
        return (
            not r.voided
            and not r.answered
            and r.respond_by is not None
            and datetime.now(UTC) > r.respond_by
        )


class SupervisionPanel(QWidget):
    """A case's rungs, with 催办/督办…, and 记录回复… and 撤销… for the selected one."""

    #: Something was written (a rung raised, an answer recorded, a rung voided).
    changed = Signal()
    #: The case's rungs were (re)read: how many.
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
        self.state: SupervisionState | None = None
        #: The rung to select once the list is read again.
        self._select: uuid.UUID | None = None
        self.may_raise = actor.has(Role.ADMIN, Role.OFFICER)
        self.may_answer = actor.has(Role.ADMIN, Role.OFFICER, Role.MEDIATOR)
        self.raise_dialog: RaiseDialog | None = None
        self.respond_dialog: RespondDialog | None = None
        self.void_dialog: VoidDialog | None = None

        self.heading = QLabel()
        self.heading.setObjectName("supervision_heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.heading.setFont(font)
        self.model = SupervisionModel(self)
        self.table = row_table(
            self.model, "supervisions", SupervisionModel.MESSAGE, SupervisionModel.ANSWER
        )
        self.table.selectionModel().currentRowChanged.connect(self._show_current)
        self.table.activated.connect(lambda _index: self.open_respond())
        self.detail = QLabel()
        self.detail.setObjectName("supervision_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.raise_button = QPushButton(self.tr("Urge or &supervise…"))
        self.raise_button.setObjectName("raise_supervision")
        self.raise_button.clicked.connect(self.open_raise)
        self.respond_button = QPushButton(self.tr("Record the &answer…"))
        self.respond_button.setObjectName("respond_supervision")
        self.respond_button.setToolTip(self.tr("Record the selected unit's answer"))
        self.respond_button.clicked.connect(self.open_respond)
        self.void_button = QPushButton(self.tr("&Void…"))
        self.void_button.setObjectName("void_supervision")
        self.void_button.clicked.connect(self.open_void)
        for button in (self.raise_button, self.respond_button, self.void_button):
            button.setAutoDefault(False)
        actions = QHBoxLayout()
        actions.addWidget(self.raise_button)
        actions.addStretch(1)
        actions.addWidget(self.respond_button)
        actions.addWidget(self.void_button)
        self.message = QLabel()
        self.message.setObjectName("supervision_message")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        self._show_current()
        self.reload()

    # --- reading ------------------------------------------------------------------------------

    def reload(self) -> None:
        db, case_id = self.desk.db, self.case_id
        self.runner.run(lambda: load_state(db, case_id), self._loaded, self._failed)

    def _loaded(self, state: SupervisionState) -> None:
        current = self.current_row()
        keep = self._select or (current.id if current is not None else None)
        self._select = None
        self.state = state
        self.heading.setText(self.tr("Supervision of case %1").replace("%1", state.case_no))
        self.model.set_rows(state.rows)
        row = next(
            (i for i, r in enumerate(state.rows) if r.id == keep),
            len(state.rows) - 1,  # the newest
        )
        if row >= 0:
            self.table.selectRow(row)
        self._show_current()
        self.loaded.emit(len(state.rows))

    def _failed(self, exc: DeskError) -> None:
        self._enable()
        if isinstance(exc, ValidationError):
            self.message.setText("；".join(exc.fields.values()))
        else:
            self.message.setText(exc.message)

    # --- the selected rung --------------------------------------------------------------------

    def current_row(self) -> SupervisionView | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.row_at(index.row())

    def _show_current(self, *_args: object) -> None:
        self.detail.setText(self._detail_html(self.current_row()))
        self._enable()

    def _detail_html(self, r: SupervisionView | None) -> str:
        if r is None:
            if self.state is None:
                return html.escape(self.tr("Reading…"))
            if self.may_raise and self._raisable():
                return html.escape(
                    self.tr(
                        "No unit has been urged on this case yet: “Urge or supervise…” "
                        "starts with an urging (催办)."
                    )
                )
            return html.escape(self.tr("No unit has been urged on this case."))

        def line(label: str, value: str) -> str:
            return f"<b>{html.escape(label)}：</b>{html.escape(value)}"

        head = (
            self.tr("%1 to %2 on %3 by %4")
            .replace("%1", r.level_label)
            .replace("%2", r.unit_name)
            .replace("%3", when(r.at))
            .replace("%4", r.by_name)
        )
        lines = [f"<b>{html.escape(head)}</b>", line(self.tr("Message"), r.message)]
        if r.voided:
            caption = (
                self.tr("Voided (%1, %2)")
                .replace("%1", when(r.voided_at))
                .replace("%2", r.voided_by_name)
            )
            lines[0] = f"<s>{lines[0]}</s>"
            lines.insert(1, f"<span style='color:{GREY}'>{line(caption, r.void_reason)}</span>")
        if r.answered:
            by = r.responded_by_name
            if r.response_on_behalf:
                by = self.tr("%1, for the unit").replace("%1", by)
            caption = (
                self.tr("Answer (%1, %2)").replace("%1", when(r.responded_at)).replace("%2", by)
            )
            lines.append(line(caption, r.response))
        return "<br>".join(lines)

    def _raisable(self) -> bool:
        return (
            self.state is not None
            and self.state.case_open
            and any(t.next_levels for t in self.state.targets)
        )

    def _enable(self, *_args: object) -> None:
        current = self.current_row()
        self.raise_button.setEnabled(self.may_raise and self._raisable())
        if not self.may_raise:
            self.raise_button.setToolTip(
                self.tr("Only triage officers and administrators may urge or supervise")
            )
        elif self.state is not None and not self._raisable():
            self.raise_button.setToolTip(
                self.tr("Only an open case dispatched to a unit can be urged or supervised")
            )
        else:
            self.raise_button.setToolTip("")
        self.respond_button.setEnabled(
            self.may_answer and current is not None and not current.answered and not current.voided
        )
        self.void_button.setEnabled(current is not None and may_void(self.actor, current))
        if current is not None and current.voided:
            self.void_button.setToolTip(self.tr("This step is already voided"))
        elif current is not None and not may_void(self.actor, current):
            self.void_button.setToolTip(
                self.tr("Only who raised the step, triage officers and administrators may void it")
            )
        else:
            self.void_button.setToolTip(self.tr("Void the selected step, raised in error"))

    # --- commands -----------------------------------------------------------------------------

    def _written(self, supervision_id: uuid.UUID) -> None:
        self._select = supervision_id  # the rung just raised or answered
        self.message.clear()
        self.changed.emit()
        self.reload()

    def open_raise(self) -> RaiseDialog | None:
        state = self.state
        if state is None:
            return None
        current = self.current_row()
        dialog = RaiseDialog(
            self.desk, self.actor, self.runner, self.case_id, state.targets, self,
            case_no=state.case_no, unit_code=current.unit_code if current is not None else "",
        )  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.raised.connect(self._written)
        self.raise_dialog = dialog
        dialog.open()
        return dialog

    def open_respond(self) -> RespondDialog | None:
        row = self.current_row()
        if row is None or row.answered or row.voided or not self.may_answer or self.state is None:
            return None
        dialog = RespondDialog(
            self.desk, self.actor, self.runner, row, self,
            unit_has_desk=self.state.has_desk.get(row.unit_code, False),
        )  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.responded.connect(self._written)
        self.respond_dialog = dialog
        dialog.open()
        return dialog

    def open_void(self) -> VoidDialog | None:
        row = self.current_row()
        if row is None or not may_void(self.actor, row):
            return None
        dialog = VoidDialog(self.desk, self.actor, self.runner, row, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.voided.connect(self._written)
        self.void_dialog = dialog
        dialog.open()
        return dialog


class SupervisionDialog(QDialog):
    """The supervision panel of a case in a window of its own."""

    changed = Signal()
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
        self.setWindowTitle(self.tr("Supervision"))
        self.panel = SupervisionPanel(desk, actor, runner, case_id, self)
        self.panel.changed.connect(self.changed)
        self.panel.loaded.connect(self._loaded)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addWidget(close)
        self.resize(900, 480)

    def _loaded(self, count: int) -> None:
        state = self.panel.state
        if state is not None:
            self.setWindowTitle(self.tr("Supervision — %1").replace("%1", state.case_no))
        self.loaded.emit(count)


def open_supervision(
    parent: QWidget | None, desk: Desk, actor: Actor, runner: TaskRunner, case_id: uuid.UUID
) -> SupervisionDialog:
    """Open the supervision list of a case (window-modal; deleted when closed).

    Connect the returned dialog's `changed` to re-read the case after a write.
    """
    dialog = SupervisionDialog(desk, actor, runner, case_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
