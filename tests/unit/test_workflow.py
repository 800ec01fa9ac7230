"""The case lifecycle: every allowed and forbidden transition and role, with its data."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from desk_app.models import Assignment, Case, CaseEvent, Outbox, Unit
from desk_app.services import warnings, workflow
from desk_app.services.cases import STATUSES, first_clock
from desk_app.services.desk import Desk
from desk_app.services.errors import Conflict, PermissionDenied, ValidationError
from desk_app.services.numbering import SHANGHAI
from desk_app.services.roles import Actor, Role

OFFICER = Actor("officer1", "研判员", frozenset({Role.OFFICER}), uuid.uuid4())
MEDIATOR = Actor("mediator1", "调解员", frozenset({Role.MEDIATOR}), uuid.uuid4())
CLERK = Actor("clerk9", "受理员", frozenset({Role.CLERK}), uuid.uuid4())
#: A Monday in an ordinary working week (no holiday near it).
MONDAY = datetime(2026, 6, 8, 9, 0, tzinfo=SHANGHAI).astimezone(UTC)

LEAD = "532801103-TWH"  # 勐龙镇人民调解委员会
CO = "532801103-SFS"  # 勐龙镇司法所

TRIAGE = workflow.TriageInput(
    level="town", track="mediation", complexity="ordinary", unit_code=LEAD,
    co_unit_codes=(CO,), note="宅基地边界纠纷，属地调处",
)  # fmt: skip
UP = workflow.TriageInput(
    level="upper", track="petition", complexity="complex", note="涉及州级部门职权"
)
BEHALF = workflow.UnitStepInput(on_behalf=True, text="已组织双方调解")

#: Valid data for each action (the happy path of the tests below).
DATA: dict[str, Any] = {
    "triage": TRIAGE,
    "dispatch": workflow.DispatchInput(asked="请组织双方调解并于期限内反馈"),
    "escalate": workflow.NoteInput(note="超出本级权限"),
    "sign": BEHALF,
    "start": BEHALF,
    "return": workflow.UnitStepInput(on_behalf=True, text="属于林业部门职责"),
    "feedback": workflow.UnitStepInput(on_behalf=True, text="双方达成协议"),
    "rework": workflow.NoteInput(note="协议条款不明确"),
    "close": workflow.CloseInput(outcome="mediated"),
    "send_back": workflow.NoteInput(note="由市级办理"),
    "visit": workflow.VisitInput(satisfaction="satisfied"),
    "archive": workflow.NoteInput(),
    "pause": workflow.PauseInput(reason="citizen", note="等待申请人补交土地证"),
    "resume": workflow.NoteInput(note="材料已补齐"),
    "extend": workflow.ExtendInput(days=10, reason="双方同意继续调解", parties_consent=True),
}

#: The path to each status (actions from 待研判).
PATHS: dict[str, list[str]] = {
    "pending_triage": [],
    "dispatched": ["triage", "dispatch"],
    "signed": ["triage", "dispatch", "sign"],
    "in_progress": ["triage", "dispatch", "sign", "start"],
    "fed_back": ["triage", "dispatch", "sign", "start", "feedback"],
    "closed": ["triage", "dispatch", "sign", "start", "feedback", "close"],
    "visited": ["triage", "dispatch", "sign", "start", "feedback", "close", "visit"],
    "archived": ["triage", "dispatch", "sign", "start", "feedback", "close", "visit", "archive"],
    "escalated": ["up", "escalate"],
}


def act(
    desk: Desk, actor: Actor, action: str, case_id: uuid.UUID, data: Any = None,
    at: datetime | None = None,
) -> workflow.Outcome:  # fmt: skip
    with desk.uow(actor) as uow:
        uow.now = at or MONDAY + timedelta(hours=1)
        if action == "up":
            return workflow.triage(uow, case_id, UP)
        result: workflow.Outcome = workflow.RUNNERS[action](uow, case_id, data or DATA[action])
        return result


def walk(desk: Desk, case_id: uuid.UUID, status: str) -> None:
    at = MONDAY + timedelta(hours=1)
    for step in PATHS[status]:
        act(desk, OFFICER, step, case_id, at=at)
        at += timedelta(minutes=10)


def footprint(desk: Desk, case_id: uuid.UUID) -> tuple[int, int, list[str]]:
    with desk.db.read() as s:
        events = s.scalar(select(func.count()).where(CaseEvent.case_id == case_id))
        ops = s.scalar(select(func.count()).select_from(Outbox))
        case = s.get(Case, case_id)
        assert case is not None
        return int(events or 0), int(ops or 0), [case.status]


@pytest.fixture
def case_id(desk: Desk, make_case) -> uuid.UUID:
    ref = make_case()
    with desk.db.write_session() as s, s.begin():
        # Registered on the Monday morning (the triage clock starts then).
        clock = first_clock(s, MONDAY)
        s.execute(sa.update(Case).where(Case.id == ref.id).values(received_at=MONDAY, **clock))
    return ref.id


@pytest.mark.parametrize("status", list(STATUSES))
@pytest.mark.parametrize("action", [a for a in workflow.ACTIONS if a not in ("pause", "resume")])
def test_every_action_from_every_status(desk: Desk, case_id, status: str, action: str) -> None:
    walk(desk, case_id, status)
    if action == "dispatch" and status == "pending_triage":
        act(desk, OFFICER, "triage", case_id)
    before = footprint(desk, case_id)
    spec = workflow.ACTIONS[action]
    if status not in spec.sources:
        with pytest.raises(Conflict):
            act(desk, OFFICER, action, case_id, at=MONDAY + timedelta(hours=3))
        assert footprint(desk, case_id) == before  # nothing written
        return
    with desk.db.read() as s:
        seq = s.scalar(select(func.max(Outbox.seq))) or 0
    outcome = act(desk, OFFICER, action, case_id, at=MONDAY + timedelta(hours=3))
    assert outcome.status == (spec.target or status)
    events, _ops, (now_status,) = footprint(desk, case_id)
    assert events == before[0] + 1 and now_status == outcome.status
    with desk.db.read() as s:
        new_ops = s.execute(
            select(Outbox.entity, Outbox.kind, Outbox.base).where(Outbox.seq > seq)
        ).all()
    on_case = [op for op in new_ops if op.entity == "cases"]
    assert len(on_case) == 1, new_ops
    if spec.target is not None:
        # One transition op, with the expected from-state, carrying the action's data.
        assert on_case[0].kind == "transition" and on_case[0].base["status"] == status
    else:
        # A step that keeps the status still asserts it (the center refuses it if another
        # desk moved the case on meanwhile).
        assert on_case[0].kind == "transition" and on_case[0].base["status"] == status
    assert [op.kind for op in new_ops if op.entity == "case_events"] == ["append"]
    others = {op.entity for op in new_ops} - {"cases", "case_events"}
    assert others <= {"assignments"}


@pytest.mark.parametrize("action", list(workflow.ACTIONS))
@pytest.mark.parametrize("actor", [CLERK, MEDIATOR, OFFICER], ids=["clerk", "mediator", "officer"])
def test_roles(desk: Desk, case_id, action: str, actor: Actor) -> None:
    spec = workflow.ACTIONS[action]
    source = {
        "pause": "in_progress", "resume": "in_progress", "rework": "fed_back",
        "close": "fed_back", "send_back": "escalated", "escalate": "pending_triage",
        "dispatch": "pending_triage", "triage": "pending_triage", "extend": "in_progress",
        "return": "dispatched",
    }.get(action) or next(s for s in STATUSES if s in spec.sources)  # fmt: skip
    walk(desk, case_id, source)
    if action == "dispatch":
        act(desk, OFFICER, "triage", case_id)
    if action == "resume":
        act(desk, OFFICER, "pause", case_id)
    before = footprint(desk, case_id)
    if actor.roles & spec.roles:
        act(desk, actor, action, case_id, at=MONDAY + timedelta(hours=3))
        assert footprint(desk, case_id)[0] == before[0] + 1
    else:
        with pytest.raises(PermissionDenied):
            act(desk, actor, action, case_id, at=MONDAY + timedelta(hours=3))
        assert footprint(desk, case_id) == before


def test_available_actions_follow_status_and_role() -> None:
    assert workflow.available("pending_triage", OFFICER) == ["triage", "dispatch", "escalate"]
    assert workflow.available("pending_triage", CLERK) == []
    assert workflow.available("dispatched", MEDIATOR) == ["sign", "return"]
    assert workflow.available("in_progress", OFFICER, paused=True)[-2:] == ["resume", "extend"]
    assert "pause" not in workflow.available("in_progress", OFFICER, paused=True)
    assert workflow.available("closed", CLERK) == ["visit"]


def test_a_full_walk_records_history_deadlines_and_dispatch(desk: Desk, case_id) -> None:
    with desk.db.read() as s:
        case = s.get(Case, case_id)
        assert case is not None
        # Registered Monday 09:00; triage the same day.
        assert case.step == "triage"
        assert case.due_at == datetime(2026, 6, 9, tzinfo=SHANGHAI) - timedelta(microseconds=1)
    act(desk, OFFICER, "triage", case_id)
    act(desk, OFFICER, "dispatch", case_id)
    with desk.db.read() as s:
        case = s.get(Case, case_id)
        assert case is not None
        assert (case.status, case.step, case.lead_unit_code) == ("dispatched", "sign", LEAD)
        assert case.unit_codes == f"{LEAD},{CO}"
        # Sign within 1 working day (Tuesday); handle in 15 days (ordinary, shorter than
        # the mediation track's 30): Tuesday 23 June; feedback 3 working days later.
        assert case.due_at.astimezone(SHANGHAI).date().isoformat() == "2026-06-09"
        assert case.handle_due_at.astimezone(SHANGHAI).date().isoformat() == "2026-06-23"
        assert case.feedback_due_at.astimezone(SHANGHAI).date().isoformat() == "2026-06-26"
        rows = s.scalars(select(Assignment).order_by(Assignment.role.desc())).all()
        assert [(r.unit_code, r.role) for r in rows] == [(LEAD, "lead"), (CO, "co")]
        assert rows[0].slip_no.endswith("-1") and rows[0].asked.startswith("请组织")
    for step in ("sign", "start", "feedback", "close", "visit", "archive"):
        act(desk, OFFICER, step, case_id)
    with desk.db.read() as s:
        kinds = s.scalars(
            select(CaseEvent.kind).where(CaseEvent.case_id == case_id).order_by(CaseEvent.at)
        ).all()
        case = s.get(Case, case_id)
        assert case is not None
        assert (case.status, case.outcome, case.step, case.due_at) == (
            "archived", "mediated", "", None,
        )  # fmt: skip
        lead = s.scalars(select(Assignment).where(Assignment.role == "lead")).one()
        assert lead.signed_on_behalf and lead.feedback_text == "双方达成协议"
    # (Registered at the real time of the test run; the steps at fixed times before it.)
    steps = ["triage", "dispatch", "sign", "start", "feedback", "close", "visit", "archive"]
    assert [k for k in kinds if k != "registered"] == steps


def test_triage_refuses_missing_data_and_writes_nothing(desk: Desk, case_id) -> None:
    before = footprint(desk, case_id)
    with pytest.raises(ValidationError) as err:
        bad = workflow.TriageInput(level="town", track="", complexity="ordinary", note="")
        act(desk, OFFICER, "triage", case_id, bad)
    assert set(err.value.fields) == {"track", "note", "unit_code"}
    with pytest.raises(ValidationError) as err:
        same = workflow.TriageInput(
            level="town", track="mediation", complexity="simple", unit_code=LEAD,
            co_unit_codes=(LEAD,), note="x",
        )  # fmt: skip
        act(desk, OFFICER, "triage", case_id, same)
    assert "co_unit_codes" in err.value.fields
    assert footprint(desk, case_id) == before


def test_dispatch_needs_triage_and_a_reason_for_the_longer_limit(desk: Desk, case_id) -> None:
    with pytest.raises(Conflict, match="先研判"):
        act(desk, OFFICER, "dispatch", case_id)
    act(desk, OFFICER, "triage", case_id)
    # Ordinary (15) and mediation (30) both apply: 30 only with a reason.
    with pytest.raises(ValidationError) as err:
        act(
            desk, OFFICER, "dispatch", case_id, workflow.DispatchInput(asked="调解", handle_days=30)
        )
    assert "longer_reason" in err.value.fields
    with pytest.raises(ValidationError) as err:
        act(
            desk, OFFICER, "dispatch", case_id, workflow.DispatchInput(asked="调解", handle_days=31)
        )
    assert "handle_days" in err.value.fields
    act(desk, OFFICER, "dispatch", case_id,
        workflow.DispatchInput(asked="调解", handle_days=30, longer_reason="涉及多户"))  # fmt: skip
    with desk.db.read() as s:
        case = s.get(Case, case_id)
        assert case is not None and case.handle_due_at is not None
        assert case.handle_due_at.astimezone(SHANGHAI).date().isoformat() == "2026-07-08"


def test_an_upper_level_matter_is_escalated_not_dispatched(desk: Desk, case_id) -> None:
    act(desk, OFFICER, "up", case_id)
    with pytest.raises(Conflict, match="上报上级"):
        act(desk, OFFICER, "dispatch", case_id)
    act(desk, OFFICER, "escalate", case_id)
    act(desk, OFFICER, "send_back", case_id)
    with desk.db.read() as s:
        case = s.get(Case, case_id)
        assert case is not None and (case.status, case.step) == ("pending_triage", "retriage")


def test_a_unit_returns_within_five_working_days_only(desk: Desk, case_id, make_case) -> None:
    walk(desk, case_id, "signed")
    # Dispatched Monday 8 June: the window ends Monday 15 June.
    late = datetime(2026, 6, 16, 9, 0, tzinfo=SHANGHAI)
    with pytest.raises(Conflict, match="退单时限"):
        act(desk, OFFICER, "return", case_id, at=late)
    act(desk, OFFICER, "return", case_id, at=datetime(2026, 6, 15, 17, 0, tzinfo=SHANGHAI))
    with desk.db.read() as s:
        case = s.get(Case, case_id)
        assert case is not None
        assert (case.status, case.step, case.lead_unit_code) == ("pending_triage", "retriage", "")
        assert all(r.returned_at is not None for r in s.scalars(select(Assignment)))
    # Back through triage to a second dispatch with its own slip number.
    act(desk, OFFICER, "triage", case_id, at=late)
    act(desk, OFFICER, "dispatch", case_id, at=late)
    with desk.db.read() as s:
        slips = sorted({r.slip_no for r in s.scalars(select(Assignment))})
    assert [n[-2:] for n in slips] == ["-1", "-2"]


def test_unit_steps_need_on_behalf_unless_the_units_own_desk(desk: Desk, case_id) -> None:
    walk(desk, case_id, "dispatched")
    with pytest.raises(ValidationError) as err:
        act(desk, MEDIATOR, "sign", case_id, workflow.UnitStepInput())
    assert "没有自己的窗口" in err.value.fields["on_behalf"]
    with desk.db.write_session() as s, s.begin():
        s.execute(sa.update(Unit).where(Unit.code == LEAD).values(has_desk=True))
    act(desk, MEDIATOR, "sign", case_id, workflow.UnitStepInput())
    with desk.db.read() as s:
        lead = s.scalars(select(Assignment).where(Assignment.role == "lead")).one()
        assert lead.signed_by == "mediator1" and not lead.signed_on_behalf


def test_pause_and_resume_move_the_deadline(desk: Desk, case_id) -> None:
    walk(desk, case_id, "in_progress")
    with desk.db.read() as s:
        case = s.get(Case, case_id)
        assert case is not None
        due, warn = case.due_at, case.warn_at
    assert due is not None and warn is not None
    with pytest.raises(ValidationError):  # appraisal pauses only the medical track
        act(desk, OFFICER, "pause", case_id, workflow.PauseInput(reason="appraisal", note="鉴定"))
    act(desk, OFFICER, "pause", case_id, at=MONDAY + timedelta(days=2))
    # A paused clock warns of nothing, even long past its deadline.
    with desk.db.read() as s:
        assert warnings.counts(s, due + timedelta(days=3)) == {
            "no_feedback": 0, "overdue": 0, "near_due": 0,
        }  # fmt: skip
    act(desk, OFFICER, "resume", case_id, at=MONDAY + timedelta(days=7))
    with desk.db.read() as s:
        case = s.get(Case, case_id)
        assert case is not None and case.due_at is not None
        # Paused Wednesday 10 June to Monday 15 June: 5 calendar days; 23 June + 5 is a
        # Sunday, so the deadline ends on Monday 29 June.
        assert case.due_at.astimezone(SHANGHAI).date().isoformat() == "2026-06-29"
        assert case.handle_due_at == case.due_at
        assert case.paused_at is None
        resumed = s.scalars(select(CaseEvent).where(CaseEvent.kind == "resume")).one()
        assert "等待当事人补充材料" in resumed.summary


def test_extension_limits_and_consent(desk: Desk, case_id) -> None:
    walk(desk, case_id, "in_progress")
    # The ordinary 15 days were granted; the extension follows the mediation rule
    # (up to 30 days, only with both parties' consent).
    with pytest.raises(ValidationError) as err:
        act(desk, OFFICER, "extend", case_id, workflow.ExtendInput(days=10, reason="继续调解"))
    assert "parties_consent" in err.value.fields
    act(desk, OFFICER, "extend", case_id)
    with pytest.raises(ValidationError) as err:
        act(desk, OFFICER, "extend", case_id,
            workflow.ExtendInput(days=21, reason="再延", parties_consent=True))  # fmt: skip
    assert "最多可再延长 20 天" in err.value.fields["days"]
    with desk.db.read() as s:
        case = s.get(Case, case_id)
        assert case is not None and case.handle_due_at is not None
        assert case.extended_days == 10
        assert case.handle_due_at.astimezone(SHANGHAI).date().isoformat() == "2026-07-03"


def test_warnings_near_due_overdue_and_no_feedback(desk: Desk, case_id) -> None:
    walk(desk, case_id, "in_progress")
    with desk.db.read() as s:
        case = s.get(Case, case_id)
        assert case is not None
        warn, due, fb = case.warn_at, case.due_at, case.feedback_due_at
        assert warn is not None and due is not None and fb is not None
        assert warnings.counts(s, warn - timedelta(minutes=1))["near_due"] == 0
        assert warnings.counts(s, warn + timedelta(minutes=1))["near_due"] == 1
        assert warnings.counts(s, due + timedelta(minutes=1))["overdue"] == 1
        late = warnings.counts(s, fb + timedelta(minutes=1))
        assert (late["no_feedback"], late["overdue"]) == (1, 0)
        (row,) = warnings.listing(s, fb + timedelta(minutes=1))
        assert (row.kind, row.unit_code, row.applicant) == ("no_feedback", LEAD, "玉香")
