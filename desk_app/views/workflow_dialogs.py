"""One dialog per step of a case's lifecycle: 研判, 交办, 签收 … 回访, 归档.

`run_action(parent, desk, actor, runner, case_id, action, detail)` opens the
dialog of an action (a name of `workflow.ACTIONS`) and returns it. A dialog
reads its widgets into the service's input dataclass and runs the action in a
unit of work on the task runner: on success it emits `action_done(Outcome)` and
closes; a `ValidationError` shows each message beside its field and keeps the
dialog open, nothing saved; a `Conflict` or `PermissionDenied` shows its
message under the form. Ctrl+Enter accepts from anywhere (Enter too, outside
multi-line text), Esc cancels.

The services decide; the dialogs only prefill: the routing suggestion
(`workflow.suggest`) and the handling limits (`workflow.handle_limit`) are read
on the runner when the dialog opens.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desk_app.services import deadlines, search, workflow
from desk_app.services.deadlines import HandleChoice, Rule
from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError
from desk_app.services.numbering import SHANGHAI
from desk_app.services.roles import Actor
from desk_app.services.search import CaseDetail, UnitOption
from desk_app.services.workcalendar import WorkCalendar, load_calendar
from desk_app.views.intake.party import combo_value, searchable, set_combo_data
from desk_app.views.widgets.form import ServiceDialog
from desk_app.workers.tasks import TaskRunner

HINT_STYLE = "color: palette(placeholder-text);"


def perform(desk: Desk, actor: Actor, case_id: uuid.UUID, action: str, data: Any) -> Any:
    """Run one workflow action in a unit of work of its own (on the runner's thread)."""
    with desk.uow(actor) as uow:
        return workflow.RUNNERS[action](uow, case_id, data)


def translated(text: object) -> str:
    """A string marked with QT_TRANSLATE_NOOP("ActionDialog", …), translated ("" stays "")."""
    return QCoreApplication.translate("ActionDialog", str(text)) if text else ""


def local_date(at: datetime | None) -> str:
    return "" if at is None else at.astimezone(SHANGHAI).strftime("%Y-%m-%d")


# --- widgets ----------------------------------------------------------------------------------


def text_edit(lines: int = 3, placeholder: str = "") -> QPlainTextEdit:
    """A multi-line text whose Tab moves on (keyboard-first forms)."""
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 12)
    return edit


def code_combo(items: Mapping[str, str]) -> QComboBox:
    combo = QComboBox()
    for code, label in items.items():
        combo.addItem(label, code)
    return combo


class RadioRow(QWidget):
    """Radio buttons in a row, one per code: arrow keys move between them."""

    def __init__(self, items: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for code, label in items.items():
            button = QRadioButton(label)
            button.setObjectName(f"radio_{code}")
            self.group.addButton(button)
            self.buttons[code] = button
            row.addWidget(button)
        row.addStretch(1)
        if self.buttons:
            self.setFocusProxy(next(iter(self.buttons.values())))
        self.group.buttonToggled.connect(self._follow)

    def _follow(self, button: QRadioButton, checked: bool) -> None:
        if checked:  # focus (and an error's setFocus) lands on the chosen one
            self.setFocusProxy(button)

    def value(self) -> str:
        return next((c for c, b in self.buttons.items() if b.isChecked()), "")

    def set_value(self, code: str) -> None:
        button = self.buttons.get(code)
        if button is not None:
            button.setChecked(True)


# --- the dialogs ------------------------------------------------------------------------------


class ActionDialog(ServiceDialog):
    """The frame of every action's dialog: title, OK named after the action, errors, busy."""

    # The action was done: the service's `workflow.Outcome`.
    action_done = Signal(object)

    ACTION: ClassVar[str] = ""

    def __init__(
        self,
        desk: Desk,
        actor: Actor,
        runner: TaskRunner,
        case_id: uuid.UUID,
        detail: CaseDetail | None = None,
        parent: QWidget | None = None,
    ) -> None:
        action = self.ACTION
        super().__init__(runner, lambda data: perform(desk, actor, case_id, action, data), parent)
        self.desk = desk
        self.actor = actor
        self.case_id = case_id
        self.detail = detail
        self.busy = False
        self.outcome: workflow.Outcome | None = None
        spec = workflow.ACTIONS[action]
        self.setObjectName(f"workflow_{action}")
        case_no = detail.case_no if detail is not None else ""
        self.setWindowTitle(
            self.tr("%1: case %2").replace("%1", spec.label).replace("%2", case_no)
            if case_no
            else spec.label
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(spec.label)
        self.ok_button.setObjectName("ok_button")
        self.ok_button.setDefault(True)  # Enter accepts (outside multi-line text)
        self.message.setObjectName("dialog_message")
        self.form.setFieldGrowthPolicy(self.form.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        hint = QLabel(self.tr("Ctrl+Enter: %1 · Esc: cancel").replace("%1", spec.label))
        hint.setStyleSheet(HINT_STYLE)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.count() - 1, hint)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.submit)
        # A programming error in the action reaches the runner, not `_failed`: let the
        # dialog be used (and closed) again; the window shows the error.
        runner.unexpected_error.connect(self._unexpected)
        self.setMinimumWidth(520)

    # --- running -------------------------------------------------------------------------

    def submit(self) -> None:
        if self.busy or not self.ok_button.isEnabled():
            return
        self.busy = True
        super().submit()
        if self.buttons.isEnabled():  # collect() said no: nothing runs
            self.busy = False

    def _done(self, result: Any) -> None:
        if not isValid(self):
            return
        self.busy = False
        self.outcome = result
        self.action_done.emit(result)
        super()._done(result)

    def _failed(self, exc: DeskError) -> None:
        if not isValid(self):
            return
        self.busy = False
        super()._failed(exc)

    def _unexpected(self, _message: str, _traceback: str) -> None:
        if isValid(self) and self.busy:
            self.busy = False
            self.buttons.setEnabled(True)

    def reject(self) -> None:
        if self.busy:  # the action is on its way: its answer decides
            return
        super().reject()

    def set_loading(self, loading: bool) -> None:
        """While the dialog's own data is read, OK waits."""
        self.ok_button.setEnabled(not loading)

    def load_failed(self, exc: DeskError) -> None:
        """The prefill could not be read: say why; OK lets the service judge what is typed."""
        if isValid(self):
            self.message.setText(exc.message)
            self.set_loading(False)


# --- 研判 ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TriageContext:
    units: list[UnitOption]
    suggestion: workflow.Suggestion
    detail: CaseDetail


def triage_context(desk: Desk, case_id: uuid.UUID, detail: CaseDetail | None) -> TriageContext:
    """The units to pick from and the routing suggestion (on the runner)."""
    if detail is None:
        detail = search.case_detail(desk.db, desk.dirs.attachments, case_id)
    with desk.db.read() as s:
        units = search.routing_units(s)
        suggestion = workflow.suggest(s, detail.dispute_type_code, detail.division_code)
    return TriageContext(units, suggestion, detail)


class TriageDialog(ActionDialog):
    """研判: level, track, complexity, the responsible and co-handling units, the reasoning."""

    ACTION = "triage"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.context: TriageContext | None = None
        self._names: dict[str, str] = {}
        self.suggestion_label = self.intro(self.tr("Reading the routing suggestion…"))
        self.suggestion_label.setObjectName("suggestion")
        self.level = code_combo(workflow.LEVELS)
        self.level.setObjectName("level")
        self.track = code_combo(workflow.TRACKS)
        self.track.setObjectName("track")
        self.complexity = code_combo(workflow.COMPLEXITIES)
        self.complexity.setObjectName("complexity")
        self.lead = searchable(QComboBox())
        self.lead.setObjectName("unit_code")
        self.lead.setMinimumContentsLength(18)
        lead_edit = self.lead.lineEdit()
        assert lead_edit is not None
        lead_edit.setPlaceholderText(self.tr("Type part of a unit's name"))

        self.co_picker = searchable(QComboBox())
        self.co_picker.setObjectName("co_picker")
        self.co_picker.setMinimumContentsLength(14)
        co_edit = self.co_picker.lineEdit()
        assert co_edit is not None
        co_edit.setPlaceholderText(self.tr("Type part of a unit's name"))
        self.co_add = QPushButton(self.tr("&Add"))
        self.co_add.setAutoDefault(False)
        self.co_add.clicked.connect(self.add_co_unit)
        co_edit.installEventFilter(self)  # Enter there adds the unit, not the triage
        self.co_list = QListWidget()
        self.co_list.setObjectName("co_units")
        self.co_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.co_list.setFixedHeight(self.co_list.fontMetrics().lineSpacing() * 3 + 10)
        self.co_remove = QPushButton(self.tr("Re&move"))
        self.co_remove.setAutoDefault(False)
        self.co_remove.clicked.connect(self.remove_co_unit)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.co_list, self.remove_co_unit)
        co_box = QWidget()
        co_column = QVBoxLayout(co_box)
        co_column.setContentsMargins(0, 0, 0, 0)
        co_column.setSpacing(2)
        pick_row = QHBoxLayout()
        pick_row.addWidget(self.co_picker, 1)
        pick_row.addWidget(self.co_add)
        list_row = QHBoxLayout()
        list_row.addWidget(self.co_list, 1)
        list_row.addWidget(self.co_remove, 0, Qt.AlignmentFlag.AlignTop)
        co_column.addLayout(pick_row)
        co_column.addLayout(list_row)
        co_box.setFocusProxy(self.co_picker)

        self.note = text_edit(4, self.tr("Why this level and these units"))
        self.note.setObjectName("note")
        e = self.errors
        e.add_row("level", self.tr("&Level"), self.level)
        e.add_row("track", self.tr("&Track"), self.track)
        e.add_row("complexity", self.tr("C&omplexity"), self.complexity)
        e.add_row("unit_code", self.tr("Responsible &unit"), self.lead)
        e.add_row("co_unit_codes", self.tr("Co-&handling units"), co_box)
        e.add_row("note", self.tr("&Reasoning"), self.note)
        self.level.currentIndexChanged.connect(self._level_changed)
        self.resize(640, self.sizeHint().height())

        self.set_loading(True)
        desk, case_id, detail = self.desk, self.case_id, self.detail
        self.runner.run(
            lambda: triage_context(desk, case_id, detail), self._loaded, self._load_failed
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.co_picker.lineEdit()
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and self.co_picker.currentText().strip()
        ):
            self.add_co_unit()
            return True
        return super().eventFilter(watched, event)

    def _load_failed(self, exc: DeskError) -> None:
        if isValid(self):
            self.suggestion_label.clear()
            self.load_failed(exc)

    def _loaded(self, context: TriageContext) -> None:
        if not isValid(self):
            return
        self.context = context
        self.detail = context.detail
        s = context.suggestion
        counts: dict[str, int] = {}
        for u in context.units:
            counts[u.name] = counts.get(u.name, 0) + 1
        suggested = [u for code in s.units for u in context.units if u.code == code]
        rest = [u for u in context.units if u.code not in set(s.units)]
        for combo in (self.lead, self.co_picker):
            combo.clear()
            combo.addItem("", "")
            for u in suggested + rest:
                text = u.name if counts[u.name] == 1 else f"{u.name}（{u.code}）"
                combo.addItem(text, u.code)
                combo.setItemData(combo.count() - 1, u.code, Qt.ItemDataRole.ToolTipRole)
        self._names = {u.code: u.name for u in context.units}
        names = "、".join(self._names.get(c, c) for c in s.units[:4])
        if len(s.units) > 4:
            names += self.tr(" and %n more", "", len(s.units) - 4)
        self.suggestion_label.setText(
            self.tr("Suggested: %1 · %2 · %3; units: %4. %5")
            .replace("%1", workflow.LEVELS.get(s.level, s.level))
            .replace("%2", workflow.TRACKS.get(s.track, s.track))
            .replace("%3", workflow.COMPLEXITIES.get(s.complexity, s.complexity))
            .replace("%4", names or self.tr("none"))
            .replace("%5", s.reason)
        )
        self._prefill(context)
        self.set_loading(False)
        self.note.setFocus()

    def _prefill(self, context: TriageContext) -> None:
        d, s = context.detail, context.suggestion
        if d.level and (d.units or d.level == "upper"):  # a triage of its own stands: keep it
            level, track, complexity = d.level, d.track, d.complexity
            lead = d.units[0][0] if d.units else ""
            co = [code for code, _name in d.units[1:]]
            self.note.setPlainText(d.triage_note)
        else:
            level, track, complexity = s.level, s.track, s.complexity
            lead, co = (s.units[0] if s.units else ""), []
        set_combo_data(self.level, level)
        set_combo_data(self.track, track)
        set_combo_data(self.complexity, complexity)
        set_combo_data(self.lead, lead)
        self.co_list.clear()
        for code in co:
            self._add_co(code)
        self._level_changed()

    def _level_changed(self) -> None:
        with_units = self.level.currentData() in workflow.UNIT_LEVELS
        for widget in (self.lead, self.co_picker, self.co_add, self.co_list, self.co_remove):
            widget.setEnabled(with_units)

    def _add_co(self, code: str) -> None:
        item = QListWidgetItem(self._names.get(code, code))
        item.setData(Qt.ItemDataRole.UserRole, code)
        item.setToolTip(code)
        self.co_list.addItem(item)

    def co_codes(self) -> tuple[str, ...]:
        return tuple(
            str(self.co_list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.co_list.count())
        )

    def add_co_unit(self) -> None:
        code = combo_value(self.co_picker)
        if not code:
            return
        if code not in self._names:
            self.errors.show({"co_unit_codes": self.tr("Choose a unit from the list.")})
            return
        self.errors.clear()
        if code not in self.co_codes():
            self._add_co(code)
        self.co_picker.setCurrentIndex(0)
        self.co_picker.setEditText("")
        self.co_picker.setFocus()

    def remove_co_unit(self) -> None:
        row = self.co_list.currentRow()
        if row >= 0:
            self.co_list.takeItem(row)

    def collect(self) -> workflow.TriageInput:
        with_units = self.level.currentData() in workflow.UNIT_LEVELS
        return workflow.TriageInput(
            level=str(self.level.currentData() or ""),
            track=str(self.track.currentData() or ""),
            complexity=str(self.complexity.currentData() or ""),
            unit_code=combo_value(self.lead) if with_units else "",
            co_unit_codes=self.co_codes() if with_units else (),
            note=self.note.toPlainText(),
        )


# --- 交办 ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DispatchContext:
    choice: HandleChoice
    calendar: WorkCalendar


def dispatch_context(desk: Desk, case_id: uuid.UUID) -> DispatchContext:
    """The handling limits a dispatch may grant and the holiday table to preview them."""
    with desk.db.read() as s:
        return DispatchContext(workflow.handle_limit(s, case_id), load_calendar(s))


class DispatchDialog(ActionDialog):
    """交办: what the units are asked to do and the handling time, with its deadline."""

    ACTION = "dispatch"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.context: DispatchContext | None = None
        d = self.detail
        if d is not None and d.units:
            lead, *co = d.units
            text = self.tr("To: %1").replace("%1", lead[1])
            if co:
                text += self.tr("; co-handling: %1").replace("%1", "、".join(n for _c, n in co))
            self.intro(text)
        self.asked = text_edit(4, self.tr("What the unit is asked to do, and what to report"))
        self.asked.setObjectName("asked")
        self.days = QSpinBox()
        self.days.setObjectName("handle_days")
        self.days.setRange(1, 999)
        self.days.setSuffix(self.tr(" days"))
        self.rule_note = QLabel()
        self.rule_note.setObjectName("rule_note")
        self.rule_note.setWordWrap(True)
        self.rule_note.setStyleSheet(HINT_STYLE)
        self.due_preview = QLabel()
        self.due_preview.setObjectName("due_preview")
        days_box = QWidget()
        days_column = QVBoxLayout(days_box)
        days_column.setContentsMargins(0, 0, 0, 0)
        days_column.setSpacing(2)
        days_row = QHBoxLayout()
        days_row.addWidget(self.days)
        days_row.addWidget(self.due_preview, 1)
        days_column.addLayout(days_row)
        days_column.addWidget(self.rule_note)
        days_box.setFocusProxy(self.days)
        self.longer_reason = text_edit(2, self.tr("Why the longer limit applies"))
        self.longer_reason.setObjectName("longer_reason")
        e = self.errors
        e.add_row("asked", self.tr("&What is asked"), self.asked)
        e.add_row("handle_days", self.tr("&Handling time"), days_box)
        e.add_row("longer_reason", self.tr("&Reason for the longer time"), self.longer_reason)
        self._longer_row_visible(False)
        self.days.valueChanged.connect(self._days_changed)
        self.resize(600, self.sizeHint().height())

        self.set_loading(True)
        desk, case_id = self.desk, self.case_id
        self.runner.run(lambda: dispatch_context(desk, case_id), self._loaded, self.load_failed)

    def _longer_row_visible(self, visible: bool) -> None:
        box = self.longer_reason.parentWidget()
        assert box is not None
        self.form.setRowVisible(box, visible)

    def _loaded(self, context: DispatchContext) -> None:
        if not isValid(self):
            return
        self.context = context
        default, longer = context.choice.default, context.choice.longer
        if default is None:
            self.days.setEnabled(False)
            self.rule_note.setText(self.tr("No handling rule applies: the service decides."))
        else:
            self.days.setRange(1, longer.days if longer is not None else default.days)
            self.days.setValue(default.days)
            note = self.tr("Default %1 (%2).").replace("%1", self._span(default))
            note = note.replace("%2", default.basis or default.code)
            if longer is not None:
                more = self.tr("Up to %1 with a reason (%2).").replace("%1", self._span(longer))
                note += " " + more.replace("%2", longer.basis or longer.code)
            self.rule_note.setText(note)
        self._days_changed()
        self.set_loading(False)
        self.asked.setFocus()

    def _span(self, rule: Rule) -> str:
        if rule.working_days:
            return self.tr("%n working day(s)", "", rule.days)
        return self.tr("%n day(s)", "", rule.days)

    def rule_for(self, days: int) -> Rule | None:
        """The rule a handling time counts on: the longer rule's beyond the default."""
        if self.context is None:
            return None
        default, longer = self.context.choice.default, self.context.choice.longer
        if default is not None and days > default.days and longer is not None:
            return longer
        return default

    def _days_changed(self) -> None:
        rule = self.rule_for(self.days.value())
        default = self.context.choice.default if self.context is not None else None
        longer = default is not None and self.days.value() > default.days
        self._longer_row_visible(longer)
        if rule is None or self.context is None:
            self.due_preview.clear()
            return
        due = deadlines.compute_due(
            self.context.calendar, datetime.now(UTC), self.days.value(), rule.working_days
        )
        unit = self.tr("working days") if rule.working_days else self.tr("calendar days")
        text = self.tr("%1, due %2").replace("%1", unit).replace("%2", local_date(due.due_at))
        if due.warnings:
            text += "\n" + "\n".join(due.warnings)
        self.due_preview.setText(text)

    def collect(self) -> workflow.DispatchInput:
        default = self.context.choice.default if self.context is not None else None
        return workflow.DispatchInput(
            asked=self.asked.toPlainText(),
            handle_days=self.days.value() if default is not None else None,
            longer_reason=self.longer_reason.toPlainText()
            if default is not None and self.days.value() > default.days
            else "",
        )


# --- 签收, 开始办理, 退单, 反馈 -----------------------------------------------------------------


class UnitStepDialog(ActionDialog):
    """A step of the unit's, recorded by the unit or for it by center staff (代为登记)."""

    #: The text's caption, placeholder and whether the service requires it (None: no text).
    TEXT: ClassVar[tuple[Any, Any] | None] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        d = self.detail
        if d is not None and d.units:
            self.intro(self.tr("Unit: %1").replace("%1", d.units[0][1]))
        self.on_behalf = QCheckBox(
            self.tr("Record on the unit's behalf (the unit has no desk; the center handles it)")
        )
        self.on_behalf.setObjectName("on_behalf")
        self.on_behalf.setChecked(True)
        self.text: QPlainTextEdit | None = None
        if self.TEXT is not None:
            caption, placeholder = self.TEXT
            self.text = text_edit(4, translated(placeholder))
            self.text.setObjectName("text")
            self.errors.add_row("text", translated(caption), self.text)
        self.errors.add_row("on_behalf", "", self.on_behalf)
        self.resize(560, self.sizeHint().height())
        (self.text or self.on_behalf).setFocus()

    def collect(self) -> workflow.UnitStepInput:
        return workflow.UnitStepInput(
            on_behalf=self.on_behalf.isChecked(),
            text=self.text.toPlainText() if self.text is not None else "",
        )


class SignDialog(UnitStepDialog):
    ACTION = "sign"


class StartDialog(UnitStepDialog):
    ACTION = "start"
    TEXT = (
        QT_TRANSLATE_NOOP("ActionDialog", "&Note"),
        QT_TRANSLATE_NOOP("ActionDialog", "How the unit will handle it (optional)"),
    )


class ReturnDialog(UnitStepDialog):
    ACTION = "return"
    TEXT = (
        QT_TRANSLATE_NOOP("ActionDialog", "&Reason for returning"),
        QT_TRANSLATE_NOOP("ActionDialog", "Why the matter is outside the unit's remit"),
    )


class FeedbackDialog(UnitStepDialog):
    ACTION = "feedback"
    TEXT = (
        QT_TRANSLATE_NOOP("ActionDialog", "&Result"),
        QT_TRANSLATE_NOOP("ActionDialog", "What the unit did and the result"),
    )


# --- 办结 ----------------------------------------------------------------------------------


class CloseDialog(ActionDialog):
    """办结 with the outcome; a failed mediation may go on to arbitration, review or court."""

    ACTION = "close"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        d = self.detail
        outcomes = dict(workflow.OUTCOMES)
        if d is not None and d.status != "escalated":
            outcomes.pop("upper", None)  # 上级办结 only closes a matter reported up
        self.outcome_choice = RadioRow(outcomes)
        self.outcome_choice.setObjectName("outcome")
        self.referral = QComboBox()
        self.referral.setObjectName("referral")
        self.referral.addItem(self.tr("Not referred"), "")
        for code, label in workflow.REFERRALS.items():
            self.referral.addItem(label, code)
        self.note = text_edit(3, self.tr("Required when the mediation failed or was terminated"))
        self.note.setObjectName("note")
        e = self.errors
        e.add_row("outcome", self.tr("&Outcome"), self.outcome_choice)
        e.add_row("referral", self.tr("Re&ferred to"), self.referral)
        e.add_row("note", self.tr("&Note"), self.note)
        self.outcome_choice.group.buttonToggled.connect(self._outcome_changed)
        self.outcome_choice.set_value("upper" if "upper" in outcomes else "mediated")
        self._outcome_changed()
        self.resize(560, self.sizeHint().height())
        self.outcome_choice.setFocus()

    def _outcome_changed(self) -> None:
        failed = self.outcome_choice.value() == "failed"
        self.referral.setEnabled(failed)
        if not failed:
            self.referral.setCurrentIndex(0)

    def collect(self) -> workflow.CloseInput:
        return workflow.CloseInput(
            outcome=self.outcome_choice.value(),
            referral=str(self.referral.currentData() or "") if self.referral.isEnabled() else "",
            note=self.note.toPlainText(),
        )


# --- 上报上级, 上级交回, 退回重办, 归档, 恢复计时 ---------------------------------------


class NoteDialog(ActionDialog):
    """An action with a note (required for some: the service says which)."""

    NOTE: ClassVar[tuple[Any, Any]] = (QT_TRANSLATE_NOOP("ActionDialog", "&Note"), "")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        caption, placeholder = self.NOTE
        self.note = text_edit(4, translated(placeholder))
        self.note.setObjectName("note")
        self.to: QLineEdit | None = None
        self.add_fields()
        self.errors.add_row("note", translated(caption), self.note)
        self.resize(540, self.sizeHint().height())
        self.note.setFocus()

    def add_fields(self) -> None:
        """Rows above the note (上报: to whom)."""

    def collect(self) -> workflow.NoteInput:
        return workflow.NoteInput(
            note=self.note.toPlainText(), to=self.to.text() if self.to is not None else ""
        )


class EscalateDialog(NoteDialog):
    ACTION = "escalate"
    NOTE = (
        QT_TRANSLATE_NOOP("ActionDialog", "&Reason"),
        QT_TRANSLATE_NOOP("ActionDialog", "Why the matter is beyond this level's authority"),
    )

    def add_fields(self) -> None:
        self.to = QLineEdit(workflow.UPPER_CENTER)
        self.to.setObjectName("to")
        self.errors.add_row("to", self.tr("Report &to"), self.to)


class SendBackDialog(NoteDialog):
    ACTION = "send_back"
    NOTE = (
        QT_TRANSLATE_NOOP("ActionDialog", "Upper center's &opinion"),
        QT_TRANSLATE_NOOP("ActionDialog", "What the upper center decided"),
    )


class ReworkDialog(NoteDialog):
    ACTION = "rework"
    NOTE = (
        QT_TRANSLATE_NOOP("ActionDialog", "&Reason"),
        QT_TRANSLATE_NOOP("ActionDialog", "What is missing from the unit's feedback"),
    )


class ArchiveDialog(NoteDialog):
    ACTION = "archive"
    NOTE = (
        QT_TRANSLATE_NOOP("ActionDialog", "&Note"),
        QT_TRANSLATE_NOOP("ActionDialog", "Optional"),
    )


class ResumeDialog(NoteDialog):
    ACTION = "resume"
    NOTE = (
        QT_TRANSLATE_NOOP("ActionDialog", "&Note"),
        QT_TRANSLATE_NOOP("ActionDialog", "Optional: what arrived or was done"),
    )

    def add_fields(self) -> None:
        d = self.detail
        if d is not None and d.pause_reason:
            self.intro(
                self.tr("Clock paused since %1: %2")
                .replace("%1", local_date(d.paused_at))
                .replace("%2", d.pause_reason)
            )


# --- 暂停计时, 延长期限, 回访 -------------------------------------------------------------------


class PauseDialog(ActionDialog):
    """暂停计时, for the reasons the rules allow; the deadline moves on resuming."""

    ACTION = "pause"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        d = self.detail
        reasons = dict(workflow.PAUSE_REASONS)
        if d is not None and d.track != "medical":
            reasons.pop("appraisal", None)  # 鉴定 is excluded from the limit on the medical track
        self.reason = RadioRow(reasons)
        self.reason.setObjectName("reason")
        if len(reasons) == 1:
            self.reason.set_value(next(iter(reasons)))
        self.note = text_edit(3, self.tr("What is awaited, from whom"))
        self.note.setObjectName("note")
        self.errors.add_row("reason", self.tr("&Reason"), self.reason)
        self.errors.add_row("note", self.tr("&Details"), self.note)
        self.resize(540, self.sizeHint().height())
        self.note.setFocus()

    def collect(self) -> workflow.PauseInput:
        return workflow.PauseInput(reason=self.reason.value(), note=self.note.toPlainText())


class ExtendDialog(ActionDialog):
    """延长期限 of handling, with a reason and, for people's mediation, both parties' consent."""

    ACTION = "extend"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        d = self.detail
        lead = next((x for x in d.dispatches if x.role == "lead"), None) if d else None
        if lead is not None and lead.due_at is not None:
            self.intro(self.tr("Handling deadline now: %1").replace("%1", local_date(lead.due_at)))
        self.days = QSpinBox()
        self.days.setObjectName("days")
        self.days.setRange(1, 365)
        self.days.setValue(15)
        self.days.setSuffix(self.tr(" days"))
        self.reason = text_edit(3, self.tr("Why more time is needed"))
        self.reason.setObjectName("reason")
        self.consent = QCheckBox(self.tr("Both parties agreed to the extension"))
        self.consent.setObjectName("parties_consent")
        e = self.errors
        e.add_row("days", self.tr("&Extend by"), self.days)
        e.add_row("reason", self.tr("&Reason"), self.reason)
        e.add_row("parties_consent", "", self.consent)
        self.resize(540, self.sizeHint().height())
        self.days.setFocus()
        self.days.selectAll()

    def collect(self) -> workflow.ExtendInput:
        return workflow.ExtendInput(
            days=self.days.value(),
            reason=self.reason.toPlainText(),
            parties_consent=self.consent.isChecked(),
        )


class VisitDialog(ActionDialog):
    """回访: how satisfied the parties are, and a note."""

    ACTION = "visit"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.satisfaction = RadioRow(workflow.SATISFACTION)
        self.satisfaction.setObjectName("satisfaction")
        self.note = text_edit(3, self.tr("Whom you reached, how the agreement is kept, any risk"))
        self.note.setObjectName("note")
        self.errors.add_row("satisfaction", self.tr("&Satisfaction"), self.satisfaction)
        self.errors.add_row("note", self.tr("&Note"), self.note)
        self.resize(560, self.sizeHint().height())
        self.satisfaction.setFocus()

    def collect(self) -> workflow.VisitInput:
        return workflow.VisitInput(
            satisfaction=self.satisfaction.value(), note=self.note.toPlainText()
        )


DIALOGS: dict[str, type[ActionDialog]] = {
    d.ACTION: d
    for d in (
        TriageDialog,
        DispatchDialog,
        EscalateDialog,
        SignDialog,
        StartDialog,
        ReturnDialog,
        FeedbackDialog,
        ReworkDialog,
        CloseDialog,
        SendBackDialog,
        VisitDialog,
        ArchiveDialog,
        PauseDialog,
        ResumeDialog,
        ExtendDialog,
    )
}


def run_action(
    parent: QWidget | None,
    desk: Desk,
    actor: Actor,
    runner: TaskRunner,
    case_id: uuid.UUID,
    action: str,
    detail: CaseDetail | None = None,
) -> ActionDialog:
    """Open (window-modal, not blocking) the dialog of `action` on a case; it deletes itself
    when closed. `detail`, when the caller has it, gives the dialog its context."""
    dialog = DIALOGS[action](desk, actor, runner, case_id, detail, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
