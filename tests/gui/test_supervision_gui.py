"""Supervision (催办 -> 督办 …) from the case detail: the ladder in the dialog, the answers."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from desk_app.models import CaseEvent, Supervision
from desk_app.services import supervision, workflow
from desk_app.services.desk import Desk
from desk_app.services.numbering import SHANGHAI
from desk_app.services.roles import Actor, Role
from desk_app.services.supervision import SuperviseInput, Target
from desk_app.views.case_detail import CaseDetailView
from desk_app.views.supervision_dialog import (
    GREY,
    RaiseDialog,
    SupervisionDialog,
    SupervisionModel,
    SupervisionPanel,
    VoidDialog,
)
from desk_app.workers.tasks import TaskRunner
from tests.gui.conftest import type_text

OFFICER = Actor("officer1", "研判员", frozenset({Role.OFFICER}), uuid.uuid4())
MEDIATOR = Actor("mediator1", "调解员", frozenset({Role.MEDIATOR}), uuid.uuid4())
LEAD = "532801103-TWH"
LEAD_NAME = "勐龙镇人民调解委员会"
CO = "532801103-SFS"

TRIAGE = workflow.TriageInput(
    level="town", track="mediation", complexity="ordinary", unit_code=LEAD,
    co_unit_codes=(CO,), note="宅基地边界纠纷，属地调处",
)  # fmt: skip


def triage(desk: Desk, case_id: uuid.UUID) -> None:
    with desk.uow(OFFICER) as uow:
        workflow.triage(uow, case_id, TRIAGE)


def dispatch(desk: Desk, case_id: uuid.UUID) -> None:
    with desk.uow(OFFICER) as uow:
        workflow.dispatch(uow, case_id, workflow.DispatchInput(asked="请组织双方调解"))


def urge(desk: Desk, case_id: uuid.UUID, level: str = "urge") -> uuid.UUID:
    with desk.uow(OFFICER) as uow:
        return supervision.raise_supervision(
            uow, case_id, SuperviseInput(level, LEAD, "请于三日内报告办理进展")
        )


def written(desk: Desk, case_id: uuid.UUID) -> tuple[list[str], int]:
    """The case's rungs (levels, oldest first) and its supervision events."""
    with desk.db.read() as s:
        levels = s.scalars(
            select(Supervision.level).where(Supervision.case_id == case_id).order_by(Supervision.at)
        ).all()
        events = s.scalar(
            select(func.count()).where(
                CaseEvent.case_id == case_id, CaseEvent.kind.like("supervision%")
            )
        )
    return list(levels), int(events or 0)


def open_panel(qtbot, desk: Desk, actor: Actor, runner, case_id) -> SupervisionDialog:
    dialog = SupervisionDialog(desk, actor, runner, case_id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.show()
    return dialog


def open_detail(qtbot, desk: Desk, runner: TaskRunner, actor: Actor, case_id) -> CaseDetailView:
    view = CaseDetailView(desk, runner, actor)
    qtbot.addWidget(view)
    view.resize(1180, 700)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.show_case(case_id)
    return view


def test_urging_then_supervising_through_the_dialog(
    qtbot, desk: Desk, runner: TaskRunner, make_case
) -> None:
    case = make_case()
    triage(desk, case.id)
    dispatch(desk, case.id)
    dialog = open_panel(qtbot, desk, OFFICER, runner, case.id)
    panel = dialog.panel
    assert panel.model.rowCount() == 0
    assert panel.raise_button.isEnabled() and not panel.respond_button.isEnabled()

    raising = panel.open_raise()
    assert isinstance(raising, RaiseDialog)
    # The lead unit first; only 催办 is open against it, the rest are shown as locked.
    assert raising.unit.currentData() == LEAD and raising.unit.count() == 2
    assert raising.levels() == ["urge"]
    assert "督办" in raising.locked.text() and raising.locked.isVisibleTo(raising)
    # No message: refused beside the field, nothing written.
    raising.ok.click()
    message_error = raising.errors.error_label("message")
    qtbot.waitUntil(lambda: message_error.isVisibleTo(raising), timeout=10_000)
    assert message_error.text() == "请填写督办内容：要求该单位做什么、何时答复"
    assert written(desk, case.id) == ([], 0) and raising.isVisible()

    type_text(raising.message_text, "请于三日内报告调解进展")
    assert not message_error.isVisibleTo(raising)  # gone once the field is edited
    with qtbot.waitSignals([raising.raised, panel.loaded], timeout=10_000):
        raising.ok.click()
    assert written(desk, case.id) == (["urge"], 1)
    with desk.db.read() as s:
        row = s.scalars(select(Supervision)).one()
        # The form's default: answer by the end of the day three days from today.
        day = datetime.now(SHANGHAI).date() + timedelta(days=3)
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=SHANGHAI)
        assert row.respond_by == end - timedelta(microseconds=1)
        assert (row.unit_code, row.by) == (LEAD, "officer1")
    assert panel.model.rowCount() == 1
    assert panel.model.index(0, SupervisionModel.LEVEL).data() == "催办"

    # Now 督办 is open, and offered first.
    raising = panel.open_raise()
    assert isinstance(raising, RaiseDialog)
    assert raising.levels() == ["urge", "supervise"]
    assert raising.level.currentData() == "supervise"
    raising.ask_answer.setChecked(False)  # no deadline this time
    assert not raising.respond_by.isEnabled()
    type_text(raising.message_text, "逾期未报告进展，予以督办")
    with qtbot.waitSignals([raising.raised, panel.loaded], timeout=10_000):
        raising.ok.click()
    assert written(desk, case.id) == (["urge", "supervise"], 2)
    assert [panel.model.row_at(r).level for r in range(2)] == ["urge", "supervise"]
    assert panel.current_row() is not None and panel.current_row().level == "supervise"
    assert panel.model.row_at(1).respond_by is None

    raising = panel.open_raise()
    assert isinstance(raising, RaiseDialog)
    assert raising.levels() == list(supervision.LEVELS)
    assert raising.level.currentData() == "listed" and not raising.locked.isVisibleTo(raising)
    # The co-handling unit has its own ladder.
    raising.unit.setCurrentIndex(raising.unit.findData(CO))
    assert raising.levels() == ["urge"]
    raising.reject()


def test_a_rung_out_of_order_is_refused_beside_the_level(
    qtbot, desk: Desk, runner: TaskRunner, make_case
) -> None:
    case = make_case()
    triage(desk, case.id)
    dispatch(desk, case.id)
    # A form offering more than the ladder allows (a stale list, say): the service decides.
    stale = [Target(LEAD, LEAD_NAME, True, tuple(supervision.LEVELS))]
    dialog = RaiseDialog(desk, OFFICER, runner, case.id, stale)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.level.setCurrentIndex(dialog.level.findData("listed"))
    type_text(dialog.message_text, "挂牌督办")
    dialog.ok.click()
    level_error = dialog.errors.error_label("level")
    qtbot.waitUntil(lambda: level_error.isVisibleTo(dialog), timeout=10_000)
    assert level_error.text() == f"尚未对{LEAD_NAME}督办：须先督办，才能挂牌督办"
    assert not dialog.errors.error_label("message").isVisibleTo(dialog)
    assert written(desk, case.id) == ([], 0)
    assert dialog.isVisible()


def test_recording_an_answer_on_the_units_behalf(
    qtbot, desk: Desk, runner: TaskRunner, make_case
) -> None:
    case = make_case()
    triage(desk, case.id)
    dispatch(desk, case.id)
    urge(desk, case.id)
    dialog = open_panel(qtbot, desk, OFFICER, runner, case.id)
    panel: SupervisionPanel = dialog.panel
    assert panel.current_row() is not None  # the newest rung is selected
    assert panel.respond_button.isEnabled()
    answering = panel.open_respond()
    assert answering is not None
    # The unit has no desk: the center records its answer, ticked from the start.
    assert answering.on_behalf.isChecked()
    answering.on_behalf.setChecked(False)
    type_text(answering.response, "已约双方本周五到村委会调解")
    answering.buttons.button(answering.buttons.StandardButton.Ok).click()
    behalf_error = answering.errors.error_label("on_behalf")
    qtbot.waitUntil(lambda: behalf_error.isVisibleTo(answering), timeout=10_000)
    assert behalf_error.text() == (
        f"{LEAD_NAME}没有自己的窗口：请勾选“代为登记”，由中心工作人员代为登记"
    )
    assert written(desk, case.id) == (["urge"], 1)

    answering.on_behalf.setChecked(True)
    assert not behalf_error.isVisibleTo(answering)
    with qtbot.waitSignals([answering.responded, panel.loaded], timeout=10_000):
        answering.buttons.button(answering.buttons.StandardButton.Ok).click()
    assert written(desk, case.id) == (["urge"], 2)
    row = panel.current_row()
    assert row is not None and row.answered and row.response_on_behalf
    assert row.response == "已约双方本周五到村委会调解"
    assert "已约双方本周五到村委会调解" in panel.model.index(0, SupervisionModel.ANSWER).data()
    assert "已约双方本周五到村委会调解" in panel.detail.text()
    assert not panel.respond_button.isEnabled()  # answered once
    assert panel.open_respond() is None


def test_the_case_detail_offers_supervision_only_when_it_should(
    qtbot, desk: Desk, runner: TaskRunner, clerk: Actor, make_case
) -> None:
    case = make_case()
    view = open_detail(qtbot, desk, runner, OFFICER, case.id)
    assert not view.supervision_button.isVisible()  # not triaged
    assert not view.fields["supervision"].isVisible()

    triage(desk, case.id)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.reload()
    assert not view.supervision_button.isVisible()  # units chosen, not yet dispatched

    dispatch(desk, case.id)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.reload()
    assert view.supervision_button.isVisible()
    for other in (clerk, MEDIATOR):  # nothing raised yet: nothing for them to see or answer
        assert not open_detail(qtbot, desk, runner, other, case.id).supervision_button.isVisible()

    # The button opens the list; a rung raised there reloads the case and its overview line.
    dialog = view.show_supervision()
    assert isinstance(dialog, SupervisionDialog)
    qtbot.waitUntil(lambda: dialog.panel.state is not None, timeout=10_000)
    raising = dialog.panel.open_raise()
    assert raising is not None
    type_text(raising.message_text, "请于三日内报告调解进展")
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        raising.ok.click()
    line = view.fields["supervision"]
    assert line.isVisible()
    assert "1" in line.text() and "催办" in line.text()
    assert datetime.now(SHANGHAI).strftime("%Y-%m-%d") in line.text()
    assert view.detail is not None and view.detail.supervised is not None
    assert view.detail.supervised.unanswered == 1
    dialog.close()

    # The mediator now sees it (to record the unit's answer); a clerk still does not.
    assert open_detail(qtbot, desk, runner, MEDIATOR, case.id).supervision_button.isVisible()
    assert not open_detail(qtbot, desk, runner, clerk, case.id).supervision_button.isVisible()

    # A closed case keeps its record viewable; one never supervised shows no button.
    for step, data in (
        (workflow.sign, workflow.UnitStepInput(on_behalf=True)),
        (workflow.start, workflow.UnitStepInput(on_behalf=True)),
        (workflow.feedback, workflow.UnitStepInput(on_behalf=True, text="双方达成协议")),
        (workflow.close, workflow.CloseInput(outcome="mediated")),
    ):
        with desk.uow(OFFICER) as uow:
            step(uow, case.id, data)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.reload()
    assert view.detail is not None and view.detail.status == "closed"
    assert view.supervision_button.isVisible()

    quiet = make_case("未督办的纠纷")
    triage(desk, quiet.id)
    dispatch(desk, quiet.id)
    for step, data in (
        (workflow.sign, workflow.UnitStepInput(on_behalf=True)),
        (workflow.start, workflow.UnitStepInput(on_behalf=True)),
        (workflow.feedback, workflow.UnitStepInput(on_behalf=True, text="双方达成协议")),
        (workflow.close, workflow.CloseInput(outcome="mediated")),
    ):
        with desk.uow(OFFICER) as uow:
            step(uow, quiet.id, data)
    assert not open_detail(qtbot, desk, runner, OFFICER, quiet.id).supervision_button.isVisible()


def voided(desk: Desk, case_id: uuid.UUID) -> list[tuple[str, str | None]]:
    """The case's rungs (level, void reason), oldest first."""
    with desk.db.read() as s:
        rows = s.scalars(
            select(Supervision).where(Supervision.case_id == case_id).order_by(Supervision.at)
        ).all()
        return [(r.level, r.void_reason) for r in rows]


def test_voiding_a_rung_raised_in_error_from_the_panel(
    qtbot, desk: Desk, runner: TaskRunner, make_case
) -> None:
    case = make_case()
    triage(desk, case.id)
    dispatch(desk, case.id)
    urge(desk, case.id)
    urge(desk, case.id, "supervise")
    dialog = open_panel(qtbot, desk, OFFICER, runner, case.id)
    panel: SupervisionPanel = dialog.panel
    assert panel.current_row() is not None and panel.current_row().level == "supervise"
    assert panel.void_button.isEnabled()

    # The 催办 under the live 督办: refused by the service, the message in the dialog.
    panel.table.selectRow(0)
    voiding = panel.open_void()
    assert isinstance(voiding, VoidDialog)
    type_text(voiding.reason, "误录")
    voiding.ok.click()
    qtbot.waitUntil(lambda: bool(voiding.message.text()), timeout=10_000)
    assert "请先撤销督办，再撤销催办" in voiding.message.text()
    assert voided(desk, case.id) == [("urge", None), ("supervise", None)]
    voiding.reject()

    # The 督办: no reason, refused beside the field; then voided with one.
    panel.table.selectRow(1)
    voiding = panel.open_void()
    assert isinstance(voiding, VoidDialog)
    voiding.ok.click()
    reason_error = voiding.errors.error_label("reason")
    assert reason_error.isVisibleTo(voiding) and reason_error.text()
    assert voided(desk, case.id) == [("urge", None), ("supervise", None)]
    type_text(voiding.reason, "督办对象有误，应先核实签收情况")
    assert not reason_error.isVisibleTo(voiding)
    with qtbot.waitSignals([voiding.voided, panel.loaded, dialog.changed], timeout=10_000):
        voiding.ok.click()
    assert voided(desk, case.id) == [
        ("urge", None),
        ("supervise", "督办对象有误，应先核实签收情况"),
    ]
    written_events = written(desk, case.id)[1]
    assert written_events == 3  # two rungs and the void

    # Still listed, greyed and struck through, saying why; no more answering or voiding it.
    assert panel.model.rowCount() == 2
    row = panel.current_row()
    assert row is not None and row.level == "supervise" and row.voided
    level = panel.model.index(1, SupervisionModel.LEVEL)
    answer = panel.model.index(1, SupervisionModel.ANSWER)
    assert level.data(Qt.ItemDataRole.FontRole).strikeOut()
    assert level.data(Qt.ItemDataRole.ForegroundRole).color().name() == GREY
    assert "督办对象有误，应先核实签收情况" in answer.data()
    assert not panel.model.index(0, SupervisionModel.LEVEL).data(Qt.ItemDataRole.FontRole)
    assert "督办对象有误，应先核实签收情况" in panel.detail.text()
    assert not panel.void_button.isEnabled() and not panel.respond_button.isEnabled()
    assert panel.open_void() is None and panel.open_respond() is None
    # The ladder is open again below it.
    assert panel.state is not None and panel.state.targets[0].next_levels == ("urge", "supervise")

    # The 催办 can go now; a mediator, who raised neither, may not void anything.
    panel.table.selectRow(0)
    assert panel.void_button.isEnabled()
    mediators = open_panel(qtbot, desk, MEDIATOR, runner, case.id)
    mediators.panel.table.selectRow(0)
    assert not mediators.panel.void_button.isEnabled() and mediators.panel.open_void() is None
