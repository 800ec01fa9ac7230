"""The lifecycle from the case detail: the action bar, each action's dialog, the slip."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from shiboken6 import isValid
from sqlalchemy import func, select

from desk_app.models import Case, CaseEvent
from desk_app.services import workflow
from desk_app.services.desk import Desk
from desk_app.services.roles import Actor, Role
from desk_app.views.case_detail import DUE_SOON_STYLE, OVERDUE_STYLE, CaseDetailView, EventsModel
from desk_app.views.intake.party import combo_value
from desk_app.views.workflow_dialogs import ActionDialog, TriageDialog
from desk_app.workers.tasks import TaskRunner
from tests.gui.conftest import type_text

OFFICER = Actor("officer1", "研判员", frozenset({Role.OFFICER}), uuid.uuid4())
MEDIATOR = Actor("mediator1", "调解员", frozenset({Role.MEDIATOR}), uuid.uuid4())

VILLAGE = "532801103201-CWH"  # 景龙村民委员会: the suggested lead unit of the sample case
SFS = "532801103-SFS"  # 景洪市司法局勐龙镇司法所
SFS_NAME = "景洪市司法局勐龙镇司法所"

# Typing into a searchable combo opens its completer popup; the offscreen platform then
# says it cannot raise the popup or grab the keyboard. Those notices are its own, not ours.
pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (raise\(\)|grabbing the keyboard)$"
)


def open_detail(qtbot, desk: Desk, runner: TaskRunner, actor: Actor, case_id) -> CaseDetailView:
    view = CaseDetailView(desk, runner, actor)
    qtbot.addWidget(view)
    view.resize(1180, 700)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.show_case(case_id)
    return view


def case_row(desk: Desk, case_id) -> Case:
    with desk.db.read() as s:
        case = s.get(Case, case_id)
        assert case is not None
        s.expunge(case)
        return case


def event_count(desk: Desk, case_id) -> int:
    with desk.db.read() as s:
        return s.scalar(select(func.count()).where(CaseEvent.case_id == case_id)) or 0


def open_action(qtbot, view: CaseDetailView, action: str) -> ActionDialog:
    """Click the action's button; the dialog, once its own data has arrived."""
    view.action_buttons[action].click()
    dialog = view.action_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.activateWindow()  # as the window system does: its shortcuts work in it
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10_000)
    return dialog


def accept(qtbot, view: CaseDetailView, dialog: ActionDialog) -> workflow.Outcome:
    """Ctrl+Enter: the action runs, the dialog closes and the case is read again."""
    with (
        qtbot.waitSignal(view.loaded, timeout=10_000),
        qtbot.waitSignal(view.case_advanced, timeout=10_000) as done,
    ):
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    outcome = done.args[0]
    assert isinstance(outcome, workflow.Outcome)
    return outcome


# --- 研判 ----------------------------------------------------------------------------------


def test_triage_prefills_the_suggestion_and_shows_errors_beside_fields(
    qtbot, desk: Desk, runner: TaskRunner, make_case
) -> None:
    ref = make_case()
    view = open_detail(qtbot, desk, runner, OFFICER, ref.id)
    assert list(view.action_buttons) == ["triage", "dispatch", "escalate"]
    dialog = open_action(qtbot, view, "triage")
    assert isinstance(dialog, TriageDialog)

    # The suggestion for a 宅基地 dispute in a village: the village committee, with its reason.
    assert dialog.level.currentData() == "village"
    assert dialog.track.currentData() == "mediation"
    assert dialog.complexity.currentData() == "ordinary"
    assert combo_value(dialog.lead) == VILLAGE
    assert "就地化解" in dialog.suggestion_label.text()

    # A co-handling unit typed by name: Enter in the picker adds it (and does not submit).
    picker = dialog.co_picker.lineEdit()
    assert picker is not None
    type_text(picker, SFS_NAME)
    completer = dialog.co_picker.completer()
    assert completer is not None
    completer.popup().hide()
    qtbot.keyClick(picker, Qt.Key.Key_Return)
    assert dialog.co_codes() == (SFS,)
    assert dialog.isVisible()

    # No reasoning: Enter accepts, the service refuses, the message shows beside the field.
    before = event_count(desk, ref.id)
    dialog.level.setFocus()
    qtbot.keyClick(dialog.level, Qt.Key.Key_Return)
    error = dialog.errors.error_label("note")
    qtbot.waitUntil(error.isVisible, timeout=10_000)
    assert error.text() == "请填写研判意见（理由）"
    assert dialog.isVisible() and not dialog.busy
    assert event_count(desk, ref.id) == before  # nothing written
    assert case_row(desk, ref.id).level == ""

    type_text(dialog.note, "邻里宅基地纠纷，由村委会就地调处，司法所协助")
    outcome = accept(qtbot, view, dialog)
    assert outcome.status == "pending_triage"
    case = case_row(desk, ref.id)
    assert (case.level, case.track, case.complexity) == ("village", "mediation", "ordinary")
    assert (case.lead_unit_code, case.unit_codes) == (VILLAGE, f"{VILLAGE},{SFS}")
    assert case.triage_note.startswith("邻里宅基地纠纷")
    assert event_count(desk, ref.id) == before + 1
    # The overview shows the result.
    assert view.fields["triage"].text() == "村（社区） · 人民调解 · 一般"
    assert "景龙村民委员会" in view.fields["units"].text()
    assert SFS_NAME in view.fields["units"].text()
    assert view.action_message.isVisible()


def test_esc_cancels_and_a_conflict_keeps_the_dialog_open(
    qtbot, desk: Desk, runner: TaskRunner, make_case
) -> None:
    ref = make_case()
    view = open_detail(qtbot, desk, runner, OFFICER, ref.id)
    dialog = open_action(qtbot, view, "dispatch")
    type_text(dialog.asked, "请组织调解")
    before = event_count(desk, ref.id)
    dialog.ok_button.click()  # not triaged yet: the service refuses the dispatch
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=10_000)
    assert "请先研判" in dialog.message.text()
    assert dialog.isVisible() and event_count(desk, ref.id) == before
    with qtbot.waitSignal(dialog.rejected, timeout=5000):
        qtbot.keyClick(dialog.asked, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not isValid(dialog))  # deleted once closed
    assert case_row(desk, ref.id).status == "pending_triage"


# --- the whole way -----------------------------------------------------------------------


def test_a_case_walks_from_triage_to_archive_through_the_dialogs(
    qtbot, desk: Desk, runner: TaskRunner, make_case
) -> None:
    ref = make_case()
    view = open_detail(qtbot, desk, runner, OFFICER, ref.id)
    assert not view.slip_button.isVisible()

    def step(action: str, status: str, buttons: list[str]) -> None:
        assert case_row(desk, ref.id).status == status
        assert list(view.action_buttons) == buttons
        assert all(b.isVisible() for b in view.action_buttons.values())

    dialog = open_action(qtbot, view, "triage")
    type_text(dialog.note, "邻里纠纷，属地调处")
    accept(qtbot, view, dialog)
    step("triage", "pending_triage", ["triage", "dispatch", "escalate"])

    dialog = open_action(qtbot, view, "dispatch")
    # The handling time defaults to the shorter rule (一般 15 days), named with its basis.
    assert dialog.days.value() == 15 and dialog.days.maximum() == 30
    assert "一般 15" in dialog.rule_note.text()
    longer_row = dialog.longer_reason.parentWidget()
    assert not longer_row.isVisible()
    dialog.days.setValue(20)  # longer than the default: a reason is asked for
    assert longer_row.isVisible()
    dialog.days.setValue(15)
    assert not longer_row.isVisible()
    assert re.search(r"\d{4}-\d{2}-\d{2}", dialog.due_preview.text())
    type_text(dialog.asked, "请组织双方调解并于期限内反馈")
    accept(qtbot, view, dialog)
    step("dispatch", "dispatched", ["sign", "return", "extend"])
    case = case_row(desk, ref.id)
    assert case.step == "sign" and case.handle_due_at is not None
    # The routing slip's preview opens after the dispatch, and the button stays for later.
    preview = view.slip_preview
    assert preview is not None
    qtbot.waitUntil(lambda: preview.pdf is not None, timeout=30_000)
    assert preview.pdf.startswith(b"%PDF")
    with qtbot.waitSignal(preview.destroyed, timeout=5000):
        preview.close()
    assert view.slip_button.isVisible()
    assert view.dispatches_model.rowCount() == 1
    assert view.fields["step"].text().startswith("签收")

    dialog = open_action(qtbot, view, "sign")
    assert dialog.on_behalf.isChecked()  # the unit has no desk: the center records it
    accept(qtbot, view, dialog)
    step("sign", "signed", ["start", "return", "pause", "extend"])
    assert view.dispatches_model.row_at(0).signed_on_behalf

    dialog = open_action(qtbot, view, "start")
    accept(qtbot, view, dialog)
    step("start", "in_progress", ["escalate", "feedback", "pause", "extend"])

    dialog = open_action(qtbot, view, "feedback")
    type_text(dialog.text, "双方达成调解协议")
    accept(qtbot, view, dialog)
    step("feedback", "fed_back", ["rework", "close"])

    dialog = open_action(qtbot, view, "close")
    assert dialog.outcome_choice.value() == "mediated"
    assert "upper" not in dialog.outcome_choice.buttons
    assert not dialog.referral.isEnabled()
    dialog.outcome_choice.buttons["failed"].click()
    assert dialog.referral.isEnabled()  # only a failed mediation is referred on
    dialog.outcome_choice.buttons["mediated"].click()
    assert not dialog.referral.isEnabled()
    accept(qtbot, view, dialog)
    step("close", "closed", ["visit"])
    assert case_row(desk, ref.id).outcome == "mediated"
    assert view.fields["outcome"].text() == "调解成功"

    dialog = open_action(qtbot, view, "visit")
    dialog.satisfaction.buttons["satisfied"].click()
    accept(qtbot, view, dialog)
    step("visit", "visited", ["archive"])

    dialog = open_action(qtbot, view, "archive")
    accept(qtbot, view, dialog)
    step("archive", "archived", [])
    assert view.no_actions.isVisible()

    # The history says how long each status lasted: 交办 ended 待研判, 签收 ended 已交办 …
    model = view.events_model
    kinds = [model.row_at(r).kind for r in range(model.rowCount())]
    assert kinds == [
        "registered", "triage", "dispatch", "sign", "start", "feedback", "close", "visit",
        "archive",
    ]  # fmt: skip
    assert model.spent_at(0) is None and model.spent_at(1) is None  # triage keeps the status
    spent = model.spent_at(kinds.index("dispatch"))
    assert spent is not None and spent[0] == "pending_triage"
    assert model.index(kinds.index("sign"), EventsModel.SPENT).data()
    with desk.db.read() as s:
        assert s.scalar(select(func.count()).where(CaseEvent.case_id == ref.id)) == 9


def test_the_step_line_is_red_when_overdue_and_amber_when_due_soon(
    qtbot, desk: Desk, runner: TaskRunner, make_case
) -> None:
    ref = make_case()
    now = datetime.now(UTC)
    with desk.db.write_session() as s, s.begin():
        s.execute(
            sa.update(Case)
            .where(Case.id == ref.id)
            .values(due_at=now - timedelta(days=3), warn_at=now - timedelta(days=4))
        )
    view = open_detail(qtbot, desk, runner, OFFICER, ref.id)
    assert view.detail is not None and view.detail.due_state == "overdue"
    assert view.detail.days_left is not None and view.detail.days_left < 0
    assert view.fields["step"].styleSheet() == OVERDUE_STYLE
    with desk.db.write_session() as s, s.begin():
        s.execute(
            sa.update(Case)
            .where(Case.id == ref.id)
            .values(due_at=now + timedelta(days=3), warn_at=now - timedelta(hours=1))
        )
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.reload()
    assert view.detail is not None and view.detail.due_state == "soon"
    assert view.fields["step"].styleSheet() == DUE_SOON_STYLE


# --- who may do what ---------------------------------------------------------------------


def test_a_clerk_is_not_offered_triage_and_a_mediator_only_the_units_steps(
    qtbot, desk: Desk, runner: TaskRunner, clerk: Actor, make_case
) -> None:
    ref = make_case()
    view = open_detail(qtbot, desk, runner, clerk, ref.id)
    assert view.action_buttons == {}
    assert view.findChild(type(view.correct_button), "action_triage") is None
    assert view.no_actions.isVisible()

    with desk.uow(OFFICER) as uow:
        workflow.triage(
            uow,
            ref.id,
            workflow.TriageInput("town", "mediation", "ordinary", "532801103-TWH", note="属地"),
        )
        workflow.dispatch(uow, ref.id, workflow.DispatchInput(asked="请调解"))
    mediator = open_detail(qtbot, desk, runner, MEDIATOR, ref.id)
    assert list(mediator.action_buttons) == ["sign", "return"]
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.reload()
    assert view.action_buttons == {}  # nothing for a clerk until the visit after closing
    assert view.slip_button.isVisible()  # anyone may print the slip
