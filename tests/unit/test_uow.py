"""One user action, one transaction: business rows, history and outbox ops together."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from desk_app.models import Case, CaseEvent, DeskCounter, Outbox, Party
from desk_app.services.cases import register_case
from desk_app.services.desk import Desk
from desk_app.services.roles import Actor
from tests.conftest import sample_case


def _counts(desk: Desk) -> dict[str, int]:
    with desk.db.read() as s:
        return {
            model.__tablename__: s.scalar(select(func.count()).select_from(model)) or 0
            for model in (Case, Party, CaseEvent, Outbox)
        } | {"counter": s.scalar(select(func.coalesce(func.sum(DeskCounter.value), 0))) or 0}


def test_registering_writes_rows_history_and_ops_in_one_go(desk: Desk, clerk: Actor) -> None:
    before = _counts(desk)
    ref = register_case(desk, clerk, sample_case())
    after = _counts(desk)
    assert after["cases"] - before["cases"] == 1
    assert after["parties"] - before["parties"] == 2
    assert after["case_events"] - before["case_events"] == 1
    assert after["counter"] - before["counter"] == 1
    with desk.db.read() as s:
        ops = s.scalars(
            select(Outbox).where(Outbox.seq > before["outbox"]).order_by(Outbox.seq)
        ).all()
        case = s.get(Case, ref.id)
    assert [(op.entity, op.kind) for op in ops] == [
        ("cases", "create"),
        ("parties", "create"),
        ("parties", "create"),
        ("case_events", "append"),
    ]
    assert {op.user_id for op in ops} == {"clerk1"}
    assert all(op.state == "pending" for op in ops)
    assert ops[0].payload["case_no"] == ref.case_no
    assert ops[0].payload["status"] == "pending_triage"
    assert case is not None and case.origin_desk == "D03" and case.updated_by == "clerk1"


def test_a_failure_in_the_middle_leaves_nothing(desk: Desk, clerk: Actor, monkeypatch) -> None:
    from desk_app.services import uow as uow_module

    register_case(desk, clerk, sample_case())  # the counter row exists: its bump must roll back
    before = _counts(desk)

    def broken_event(self, *args, **kwargs):
        self.session.flush()  # the case, parties and counter are written by now
        raise OSError("disk unplugged")

    monkeypatch.setattr(uow_module.UnitOfWork, "event", broken_event)
    with pytest.raises(OSError, match="disk unplugged"):
        register_case(desk, clerk, sample_case())
    assert _counts(desk) == before


def test_a_patch_carries_the_values_before_the_edit(desk: Desk, clerk: Actor, make_case) -> None:
    ref = make_case()
    with desk.uow(clerk) as uow:
        case = uow.session.get(Case, ref.id)
        assert case is not None
        case.title = "宅基地边界争议（更正）"
        case.urgent = True
    with desk.db.read() as s:
        op = s.scalars(select(Outbox).order_by(Outbox.seq.desc())).first()
    assert op is not None and op.kind == "patch"
    assert op.payload == {"title": "宅基地边界争议（更正）", "urgent": True}
    assert op.base == {"title": "宅基地边界争议", "urgent": False}


def test_a_status_change_is_one_transition_op_with_its_from_state_and_data(
    desk: Desk, clerk: Actor, make_case
) -> None:
    ref = make_case()
    with desk.uow(clerk) as uow:
        case = uow.session.get(Case, ref.id)
        assert case is not None
        old_title = case.title
        case.status = "dispatched"
        case.title = "新标题"
    with desk.db.read() as s:
        ops = s.scalars(select(Outbox).where(Outbox.entity_id == ref.id, Outbox.kind != "create"))
        (op,) = ops.all()
    # The status and the data changed with it travel as one op, applied all or nothing.
    assert op.kind == "transition"
    assert op.payload == {"status": "dispatched", "title": "新标题"}
    assert op.base == {"status": "pending_triage", "title": old_title}


def test_voiding_is_a_void_op_and_cannot_be_undone(desk: Desk, clerk: Actor, make_case) -> None:
    ref = make_case()
    with desk.uow(clerk) as uow:
        case = uow.session.get(Case, ref.id)
        assert case is not None
        case.voided_at = uow.now
        case.void_reason = "重复登记"
    with desk.db.read() as s:
        op = s.scalars(select(Outbox).order_by(Outbox.seq.desc())).first()
    assert op is not None and op.kind == "void"
    assert op.payload["void_reason"] == "重复登记"
    with pytest.raises(RuntimeError, match="cannot be undone"), desk.uow(clerk) as uow:
        case = uow.session.get(Case, ref.id)
        assert case is not None
        case.voided_at = None


def test_synced_rows_are_never_deleted_and_history_never_changes(
    desk: Desk, clerk: Actor, make_case
) -> None:
    ref = make_case()
    with pytest.raises(RuntimeError, match="never deleted"), desk.uow(clerk) as uow:
        uow.session.delete(uow.session.get(Case, ref.id))
    with pytest.raises(RuntimeError, match="append-only"), desk.uow(clerk) as uow:
        event = uow.session.scalars(select(CaseEvent).where(CaseEvent.case_id == ref.id)).one()
        event.summary = "改写历史"
    with desk.db.read() as s:
        assert s.get(Case, ref.id) is not None


def test_commit_listeners_run_after_commit_only(desk: Desk, clerk: Actor) -> None:
    calls: list[int] = []
    desk.on_commit(lambda: calls.append(desk.pending_ops()))
    register_case(desk, clerk, sample_case())
    assert len(calls) == 1 and calls[0] > 0
    with pytest.raises(IntegrityError), desk.uow(clerk) as uow:
        uow.add(Case())  # missing required fields: the flush fails
        uow.session.flush()
    assert len(calls) == 1
