"""Joint mediation (中心吹哨、部门报到) on a case: convene, confirm, record, cancel."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from desk_app.models import CaseEvent, JointMediation, JointMediationUnit
from desk_app.services import joint
from desk_app.services.desk import Desk
from desk_app.services.joint import ConveneInput
from desk_app.services.numbering import SHANGHAI
from desk_app.services.roles import Actor
from desk_app.views.joint_dialog import (
    CODE_ROLE,
    JointMediationDialog,
    RecordDialog,
    UnitsModel,
    open_joint_mediation,
)
from tests.gui.conftest import type_text

LEAD = "532801103-TWH"  # 勐龙镇人民调解委员会
CO = "532801103-SFS"  # 勐龙镇司法所


def _panel(qtbot, desk: Desk, actor: Actor, runner, case_id: uuid.UUID) -> JointMediationDialog:
    panel = JointMediationDialog(desk, actor, runner, case_id)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.show()
    return panel


def _written(desk: Desk, case_id: uuid.UUID) -> tuple[int, int, list[str]]:
    with desk.db.read() as s:
        meetings = s.scalar(select(func.count()).select_from(JointMediation)) or 0
        units = s.scalar(select(func.count()).select_from(JointMediationUnit)) or 0
        kinds = s.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case_id)).all()
    return meetings, units, [k for k in kinds if k.startswith("joint")]


def _convene(desk: Desk, actor: Actor, case_id: uuid.UUID) -> uuid.UUID:
    data = ConveneInput(
        scheduled_at=datetime.now(UTC) + timedelta(days=1),
        place="综治中心第二调解室",
        matter="宅基地边界争议",
        unit_codes=(LEAD, CO),
    )
    with desk.uow(actor) as uow:
        return joint.convene(uow, case_id, data)


def test_convening_refuses_one_unit_and_no_place_then_summons_two(
    qtbot, desk, admin, runner, make_case
) -> None:
    case = make_case()
    panel = _panel(qtbot, desk, admin, runner, case.id)
    assert panel.meetings.rowCount() == 0
    assert panel.new_button.isEnabled() and not panel.record_button.isEnabled()
    dialog = panel.open_convene()
    qtbot.waitUntil(lambda: dialog.units.rowCount() > 0, timeout=10_000)
    # Type-to-filter narrows the units to those matching.
    type_text(dialog.unit_filter, "勐龙镇")
    shown = [dialog.proxy.index(r, 0).data() for r in range(dialog.proxy.rowCount())]
    assert 0 < len(shown) < dialog.units.rowCount()
    assert "勐龙镇人民调解委员会" in shown
    dialog.unit_filter.clear()
    assert dialog.proxy.rowCount() == dialog.units.rowCount()

    lead = dialog.unit_item(LEAD)
    assert lead is not None
    lead.setCheckState(Qt.CheckState.Checked)
    type_text(dialog.matter, "宅基地边界争议，涉及林地权属")
    dialog.ok.click()
    unit_error = dialog.errors.error_label("unit_codes")
    place_error = dialog.errors.error_label("place")
    qtbot.waitUntil(lambda: unit_error.isVisibleTo(dialog), timeout=10_000)
    assert unit_error.text() == "联合调解至少通知两个单位"
    assert place_error.isVisibleTo(dialog) and place_error.text() == "请填写调解地点"
    assert not dialog.errors.error_label("matter").isVisibleTo(dialog)
    assert _written(desk, case.id) == (0, 0, [])  # nothing written
    assert dialog.isVisible()

    type_text(dialog.place, "综治中心第二调解室")
    assert not place_error.isVisibleTo(dialog)  # the message goes once the field is edited
    co = dialog.unit_item(CO)
    assert co is not None
    co.setCheckState(Qt.CheckState.Checked)
    assert "2" in dialog.chosen.text() and "勐龙镇人民调解委员会" in dialog.chosen.text()
    dialog.expert_link.setText("https://meet.example.cn/room/1")
    with qtbot.waitSignals([dialog.convened, panel.loaded], timeout=10_000):
        dialog.ok.click()
    assert _written(desk, case.id) == (1, 2, ["joint_convened"])
    with desk.db.read() as s:
        meeting = s.scalars(select(JointMediation)).one()
        # The form's default: 09:00 Beijing time tomorrow.
        tomorrow = datetime.now(SHANGHAI).date() + timedelta(days=1)
        assert meeting.scheduled_at == datetime.combine(tomorrow, time(9), tzinfo=SHANGHAI)
        assert (meeting.place, meeting.state) == ("综治中心第二调解室", "scheduled")
        assert meeting.expert_link == "https://meet.example.cn/room/1"
    assert panel.meetings.rowCount() == 1
    assert {panel.units.row_at(r).unit_code for r in range(panel.units.rowCount())} == {LEAD, CO}
    assert panel.record_button.isEnabled() and panel.cancel_button.isEnabled()
    assert "meet.example.cn/room/1" in panel.detail.text()


def test_confirming_and_recording_one_absent_unit_shows_it_to_supervision(
    qtbot, desk, admin, runner, make_case
) -> None:
    case = make_case()
    mediation_id = _convene(desk, admin, case.id)
    panel = _panel(qtbot, desk, admin, runner, case.id)
    assert panel.current_meeting() is not None and panel.current_meeting().id == mediation_id
    row = next(r for r in range(panel.units.rowCount()) if panel.units.row_at(r).unit_code == LEAD)
    panel.units_table.selectRow(row)
    assert panel.confirm_button.isEnabled()
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.confirm_button.click()
    confirmed = {u.unit_code: u.confirmed_at for u in panel.current_meeting().units}
    assert confirmed[LEAD] is not None and confirmed[CO] is None
    assert panel.units.data(panel.units.index(row, UnitsModel.CONFIRMED)).endswith("（admin）")

    dialog = panel.open_record()
    assert isinstance(dialog, RecordDialog)
    dialog.set_present(LEAD, True)  # the 司法所 is left unrecorded
    type_text(dialog.result_text, "双方就边界达成一致，签订调解协议。")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    attendance_error = dialog.errors.error_label("attendance")
    qtbot.waitUntil(lambda: attendance_error.isVisibleTo(dialog), timeout=10_000)
    assert attendance_error.text() == "请逐一记录每个被通知单位是否到场"
    with desk.db.read() as s:
        assert joint.absences(s) == []
        assert s.get(JointMediation, mediation_id).state == "scheduled"  # type: ignore[union-attr]

    # A reason can be typed for an absent unit only.
    rows = {
        dialog.attendance.item(r, RecordDialog.UNIT).data(CODE_ROLE): r
        for r in range(dialog.attendance.rowCount())
    }
    reason_of = {c: dialog.attendance.item(r, RecordDialog.REASON) for c, r in rows.items()}
    assert not reason_of[LEAD].isEditable()
    dialog.set_present(CO, False, "当日另有公务，未派员")
    assert reason_of[CO].isEditable()
    with qtbot.waitSignals([dialog.recorded, panel.loaded], timeout=10_000):
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    with desk.db.read() as s:
        (absence,) = joint.absences(s)
        held = s.get(JointMediation, mediation_id)
        assert held is not None and held.state == "held"
        assert held.result == "双方就边界达成一致，签订调解协议。"
    assert (absence.unit_code, absence.reason, absence.case_no) == (
        CO, "当日另有公务，未派员", case.case_no,
    )  # fmt: skip
    came = {u.unit_code: u.attended for u in panel.current_meeting().units}
    assert came == {LEAD: True, CO: False}
    assert not panel.record_button.isEnabled() and not panel.cancel_button.isEnabled()
    assert "双方就边界达成一致" in panel.detail.text()
    assert _written(desk, case.id)[2] == ["joint_convened", "joint_confirmed", "joint_held"]


def test_cancelling_needs_a_reason(qtbot, desk, admin, runner, make_case) -> None:
    case = make_case()
    mediation_id = _convene(desk, admin, case.id)
    panel = _panel(qtbot, desk, admin, runner, case.id)
    dialog = panel.open_cancel()
    assert dialog is not None
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    ok.click()
    reason_error = dialog.errors.error_label("reason")
    qtbot.waitUntil(lambda: reason_error.isVisibleTo(dialog), timeout=10_000)
    assert reason_error.text() == "请说明取消原因"
    type_text(dialog.reason, "申请人请求改期")
    with qtbot.waitSignals([dialog.cancelled, panel.loaded], timeout=10_000):
        ok.click()
    with desk.db.read() as s:
        meeting = s.get(JointMediation, mediation_id)
        assert meeting is not None and (meeting.state, meeting.result) == (
            "cancelled", "申请人请求改期",
        )  # fmt: skip
    assert panel.meetings.data(panel.meetings.index(0, 2)) == "已取消"
    assert not panel.confirm_button.isEnabled() and not panel.record_button.isEnabled()


def test_a_clerk_sees_the_meetings_but_cannot_convene(
    qtbot, desk, admin, clerk, runner, make_case
) -> None:
    case = make_case()
    _convene(desk, admin, case.id)
    panel = open_joint_mediation(None, desk, clerk, runner, case.id)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.meetings.rowCount() == 1, timeout=10_000)
    assert panel.isVisible() and panel.state is not None
    assert panel.state.case_no == case.case_no and case.case_no in panel.windowTitle()
    panel.units_table.selectRow(0)
    for button in (
        panel.new_button, panel.confirm_button, panel.record_button, panel.cancel_button,
    ):  # fmt: skip
        assert not button.isEnabled()
