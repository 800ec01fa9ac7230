"""The supervision ladder: 催办 -> 督办 -> 挂牌督办/通报/约谈 per unit and case, with responses."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event, func, select

from desk_app.models import Case, CaseEvent, Outbox, Supervision, Unit
from desk_app.services import accountability, search, supervision, workflow
from desk_app.services.desk import Desk
from desk_app.services.errors import Conflict, DeskError, PermissionDenied, ValidationError
from desk_app.services.numbering import SHANGHAI
from desk_app.services.roles import Actor, Role
from desk_app.services.supervision import SuperviseInput

OFFICER = Actor("officer1", "研判员", frozenset({Role.OFFICER}), uuid.uuid4())
MEDIATOR = Actor("mediator1", "调解员", frozenset({Role.MEDIATOR}), uuid.uuid4())
CLERK = Actor("clerk9", "受理员", frozenset({Role.CLERK}), uuid.uuid4())
#: A Monday in an ordinary working week (no holiday near it).
MONDAY = datetime(2026, 6, 8, 9, 0, tzinfo=SHANGHAI).astimezone(UTC)

LEAD = "532801103-TWH"
LEAD_NAME = "勐龙镇人民调解委员会"
CO = "532801103-SFS"
CO_NAME = "景洪市司法局勐龙镇司法所"
OTHER = "532801101-TWH"  # a unit the case is not dispatched to

TRIAGE = workflow.TriageInput(
    level="town", track="mediation", complexity="ordinary", unit_code=LEAD,
    co_unit_codes=(CO,), note="宅基地边界纠纷，属地调处",
)  # fmt: skip
BEHALF = workflow.UnitStepInput(on_behalf=True, text="已组织双方调解")


def at(hours: float) -> datetime:
    return MONDAY + timedelta(hours=hours)


def in_uow(desk: Desk, actor: Actor, when: datetime, fn: Any) -> Any:
    with desk.uow(actor) as uow:
        uow.now = when
        return fn(uow)


def dispatch(desk: Desk, case_id: uuid.UUID, *, sign: bool = True) -> None:
    """Triage and dispatch on the Monday morning (the unit signs and starts if `sign`)."""
    in_uow(desk, OFFICER, at(1), lambda uow: workflow.triage(uow, case_id, TRIAGE))
    data = workflow.DispatchInput(asked="请组织双方调解并于期限内反馈")
    in_uow(desk, OFFICER, at(1.2), lambda uow: workflow.dispatch(uow, case_id, data))
    if sign:
        in_uow(desk, OFFICER, at(1.4), lambda uow: workflow.sign(uow, case_id, BEHALF))
        in_uow(desk, OFFICER, at(1.6), lambda uow: workflow.start(uow, case_id, BEHALF))


def raise_(
    desk: Desk, case_id: uuid.UUID, level: str, unit: str = LEAD, *, actor: Actor = OFFICER,
    when: datetime | None = None, message: str = "请加快办理并报告进展",
    respond_by: datetime | None = None,
) -> uuid.UUID:  # fmt: skip
    data = SuperviseInput(level, unit, message, respond_by)
    result: uuid.UUID = in_uow(
        desk, actor, when or at(30), lambda uow: supervision.raise_supervision(uow, case_id, data)
    )
    return result


def respond(desk: Desk, sid: uuid.UUID, text: str, on_behalf: bool, actor: Actor = OFFICER) -> None:
    in_uow(desk, actor, at(50), lambda uow: supervision.respond(uow, sid, text, on_behalf))


def footprint(desk: Desk) -> tuple[int, int, int]:
    """Supervision rows, case events and outbox ops: a refused command changes none."""
    with desk.db.read() as s:
        return (
            s.scalar(select(func.count()).select_from(Supervision)) or 0,
            s.scalar(select(func.count()).select_from(CaseEvent)) or 0,
            s.scalar(select(func.count()).select_from(Outbox)) or 0,
        )


def refused(desk: Desk, case_id: uuid.UUID, level: str, unit: str = LEAD, **kw: Any) -> str:
    """Raise a rung that must be refused; nothing may be written. The level field's message."""
    before = footprint(desk)
    with pytest.raises(ValidationError) as err:
        raise_(desk, case_id, level, unit, **kw)
    assert footprint(desk) == before
    return err.value.fields.get("level", "")


def next_levels(desk: Desk, case_id: uuid.UUID, unit: str = LEAD) -> list[str]:
    with desk.db.read() as s:
        return supervision.next_levels(s, case_id, unit)


@pytest.fixture
def case_id(desk: Desk, make_case) -> uuid.UUID:
    ref = make_case()
    dispatch(desk, ref.id)
    return ref.id


# --- the ladder ---------------------------------------------------------------------------


def test_levels_are_in_ladder_order() -> None:
    assert list(supervision.LEVELS.values()) == ["催办", "督办", "挂牌督办", "通报", "约谈"]


def test_the_ladder_is_climbed_in_order_and_each_skipped_rung_is_named(desk: Desk, case_id) -> None:
    assert next_levels(desk, case_id) == ["urge"]
    assert refused(desk, case_id, "supervise") == (f"尚未对{LEAD_NAME}催办：须先催办，才能督办")
    for level, label in (("listed", "挂牌督办"), ("notice", "通报"), ("interview", "约谈")):
        # The message names the rung just below (督办), though 催办 is missing too.
        assert refused(desk, case_id, level) == f"尚未对{LEAD_NAME}督办：须先督办，才能{label}"

    raise_(desk, case_id, "urge", when=at(30))
    assert next_levels(desk, case_id) == ["urge", "supervise"]
    assert refused(desk, case_id, "listed") == f"尚未对{LEAD_NAME}督办：须先督办，才能挂牌督办"
    # The ladder is per unit: the lead unit's 催办 does not open 督办 against the co unit.
    assert next_levels(desk, case_id, CO) == ["urge"]
    assert refused(desk, case_id, "supervise", CO) == f"尚未对{CO_NAME}催办：须先催办，才能督办"

    raise_(desk, case_id, "supervise", when=at(50))
    assert next_levels(desk, case_id) == list(supervision.LEVELS)
    for i, level in enumerate(("listed", "notice", "interview", "urge")):
        raise_(desk, case_id, level, when=at(60 + i))  # any rung again once reached
    with desk.db.read() as s:
        rows = supervision.for_case(s, case_id)
    assert [r.level for r in rows] == [
        "urge", "supervise", "listed", "notice", "interview", "urge",
    ]  # fmt: skip
    assert {r.unit_code for r in rows} == {LEAD}


def test_a_rung_writes_its_row_and_an_event_with_who_and_to_whom(desk: Desk, case_id) -> None:
    _rows, events, ops = footprint(desk)
    due = datetime(2026, 6, 12, tzinfo=SHANGHAI) + timedelta(days=1, microseconds=-1)
    sid = raise_(desk, case_id, "urge", "", when=at(30), respond_by=due)  # "": the lead unit
    with desk.db.read() as s:
        row = s.get(Supervision, sid)
        assert row is not None
        assert (row.level, row.unit_code, row.unit_name) == ("urge", LEAD, LEAD_NAME)
        assert (row.by, row.at, row.respond_by) == ("officer1", at(30), due)
        assert row.message == "请加快办理并报告进展" and row.responded_at is None
        ev = s.scalars(select(CaseEvent).where(CaseEvent.kind == "supervision")).one()
        assert ev.actor == "officer1" and ev.at == at(30)
        assert ev.summary == (
            f"督办：研判员对{LEAD_NAME}催办：请加快办理并报告进展（限 2026-06-12 前答复）"
        )
        assert ev.data["unit"] == LEAD and ev.data["level"] == "urge"
        assert "to" not in ev.data  # the history would take it for a status change
        new_ops = s.execute(select(Outbox.entity, Outbox.kind).where(Outbox.seq > ops)).all()
    assert sorted(new_ops) == [("case_events", "append"), ("supervisions", "create")]
    assert footprint(desk)[1] == events + 1


def test_a_rung_needs_a_message_a_unit_of_the_case_and_a_future_deadline(
    desk: Desk, case_id
) -> None:
    before = footprint(desk)
    with pytest.raises(ValidationError) as err:
        raise_(desk, case_id, "urge", message="  ")
    assert err.value.fields == {"message": "请填写督办内容：要求该单位做什么、何时答复"}
    with pytest.raises(ValidationError) as err:
        raise_(desk, case_id, "urge", OTHER)
    assert "该单位未承办本案" in err.value.fields["unit_code"]
    with pytest.raises(ValidationError) as err:
        raise_(desk, case_id, "warn")
    assert "请选择督办方式" in err.value.fields["level"]
    with pytest.raises(ValidationError) as err:
        raise_(desk, case_id, "urge", when=at(30), respond_by=at(29))
    assert err.value.fields == {"respond_by": "答复期限不能早于现在"}
    assert footprint(desk) == before
    assert next_levels(desk, case_id, OTHER) == []


def test_only_a_dispatched_open_case_is_supervised(desk: Desk, make_case) -> None:
    ref = make_case()
    with pytest.raises(Conflict, match="尚未交办"):
        raise_(desk, ref.id, "urge")
    # Triaged (the units are chosen) but not yet dispatched: still nothing to urge.
    in_uow(desk, OFFICER, at(1), lambda uow: workflow.triage(uow, ref.id, TRIAGE))
    with pytest.raises(Conflict, match="尚未交办"):
        raise_(desk, ref.id, "urge")
    assert next_levels(desk, ref.id) == []
    data = workflow.DispatchInput(asked="请调解")
    in_uow(desk, OFFICER, at(1.2), lambda uow: workflow.dispatch(uow, ref.id, data))
    assert next_levels(desk, ref.id) == ["urge"]  # 已交办, not yet signed: may be urged
    raise_(desk, ref.id, "urge", when=at(5))

    # A returned case (退单) is no longer the unit's.
    back = workflow.UnitStepInput(on_behalf=True, text="不属于本单位职责")
    in_uow(desk, OFFICER, at(6), lambda uow: workflow.return_case(uow, ref.id, back))
    with pytest.raises(Conflict, match="尚未交办"):
        raise_(desk, ref.id, "urge", when=at(7))

    closed = make_case("已办结的案件")
    dispatch(desk, closed.id)
    for step, data2 in (
        (workflow.feedback, workflow.UnitStepInput(on_behalf=True, text="双方达成协议")),
        (workflow.close, workflow.CloseInput(outcome="mediated")),
    ):
        in_uow(desk, OFFICER, at(3), lambda uow, f=step, d=data2: f(uow, closed.id, d))
    before = footprint(desk)
    with pytest.raises(Conflict, match="已办结"):
        raise_(desk, closed.id, "urge")
    assert footprint(desk) == before
    assert next_levels(desk, closed.id) == []


@pytest.mark.parametrize("actor", [CLERK, MEDIATOR], ids=["clerk", "mediator"])
def test_only_officers_and_administrators_supervise(desk: Desk, case_id, actor, admin) -> None:
    before = footprint(desk)
    with pytest.raises(PermissionDenied):
        raise_(desk, case_id, "urge", actor=actor)
    assert footprint(desk) == before
    raise_(desk, case_id, "urge", actor=admin)
    assert footprint(desk)[0] == before[0] + 1


# --- responses ----------------------------------------------------------------------------


def test_a_unit_without_a_desk_answers_through_the_center(desk: Desk, case_id) -> None:
    sid = raise_(desk, case_id, "urge")
    before = footprint(desk)
    with pytest.raises(ValidationError) as err:
        respond(desk, sid, "", on_behalf=False)
    assert err.value.fields == {
        "response": "请填写单位的答复：做了什么、结果如何",
        "on_behalf": f"{LEAD_NAME}没有自己的窗口：请勾选“代为登记”，由中心工作人员代为登记",
    }
    with pytest.raises(ValidationError) as err:  # a mediator, but the unit has no desk
        respond(desk, sid, "已约双方周五调解", on_behalf=False, actor=MEDIATOR)
    assert "没有自己的窗口" in err.value.fields["on_behalf"]
    with pytest.raises(PermissionDenied):
        respond(desk, sid, "已约双方周五调解", on_behalf=True, actor=CLERK)
    assert footprint(desk) == before

    respond(desk, sid, "  已约双方周五调解  ", on_behalf=True)
    with desk.db.read() as s:
        (view,) = supervision.for_case(s, case_id)
        ev = s.scalars(select(CaseEvent).where(CaseEvent.at == at(50))).one()
    assert (view.response, view.responded_at, view.responded_by) == (
        "已约双方周五调解", at(50), "officer1",
    )  # fmt: skip
    assert view.response_on_behalf and view.answered
    assert ev.kind == "supervision_response"
    assert ev.summary == f"催办答复（中心代{LEAD_NAME}登记）：已约双方周五调解"
    # Answered once: a second answer is refused.
    with pytest.raises(Conflict, match="已于 2026-06-10 答复"):
        respond(desk, sid, "再次答复", on_behalf=True)


def test_a_units_own_mediator_answers_for_it(desk: Desk, case_id) -> None:
    with desk.db.write_session() as s, s.begin():
        s.execute(sa.update(Unit).where(Unit.code == LEAD).values(has_desk=True))
    first = raise_(desk, case_id, "urge", when=at(30))
    second = raise_(desk, case_id, "supervise", when=at(31))
    # Center staff answering for a unit with its own desk must say they do it for the unit.
    with pytest.raises(ValidationError) as err:
        respond(desk, first, "已调解", on_behalf=False)
    assert err.value.fields["on_behalf"].startswith(f"{LEAD_NAME}的窗口未登记此事")
    respond(desk, first, "已调解", on_behalf=False, actor=MEDIATOR)
    respond(desk, second, "已报告", on_behalf=True)
    with desk.db.read() as s:
        views = {v.id: v for v in supervision.for_case(s, case_id)}
        summaries = s.scalars(
            select(CaseEvent.summary).where(CaseEvent.kind == "supervision_response")
        ).all()
    assert views[first].responded_by == "mediator1" and not views[first].response_on_behalf
    assert views[second].response_on_behalf
    assert f"催办答复（{LEAD_NAME}）：已调解" in summaries


# --- reading ------------------------------------------------------------------------------


def test_for_unit_keeps_the_period_and_the_unit(
    desk: Desk, case_id, make_case, admin: Actor
) -> None:
    raise_(desk, case_id, "urge", when=at(24))  # Tuesday
    raise_(desk, case_id, "supervise", actor=admin, when=at(48))  # Wednesday
    raise_(desk, case_id, "urge", CO, when=at(49))
    other = make_case("另一起纠纷")
    dispatch(desk, other.id)
    raise_(desk, other.id, "urge", when=at(72))  # Thursday
    with desk.db.read() as s:
        assert [(v.level, v.at) for v in supervision.for_unit(s, LEAD)] == [
            ("urge", at(24)), ("supervise", at(48)), ("urge", at(72)),
        ]  # fmt: skip
        # [since, until): the Wednesday rung is in, Thursday's (at `until`) is not.
        period = supervision.for_unit(s, LEAD, at(48), at(72))
        assert [(v.level, v.case_id) for v in period] == [("supervise", case_id)]
        assert period[0].case_no
        assert (period[0].by, period[0].by_name) == ("admin", "管理员甲")
        assert [v.unit_code for v in supervision.for_unit(s, CO, at(0), at(100))] == [CO]
        assert supervision.for_unit(s, LEAD, at(100)) == []


def test_latest_levels_gives_the_highest_rung_in_one_query(desk: Desk, case_id, make_case) -> None:
    second = make_case("第二起纠纷")
    dispatch(desk, second.id)
    untouched = make_case("未督办的纠纷")
    raise_(desk, case_id, "urge", when=at(30))
    raise_(desk, case_id, "supervise", when=at(31))
    raise_(desk, case_id, "notice", when=at(32))
    raise_(desk, case_id, "urge", when=at(33))  # a later, lower rung does not lower the mark
    raise_(desk, second.id, "urge", CO, when=at(30))
    ids = [case_id, second.id, untouched.id]
    with desk.db.read() as s:
        assert supervision.latest_levels(s, ids) == {case_id: "notice", second.id: "urge"}
        assert supervision.latest_levels(s, []) == {}
        # A board's worth of ids: one statement, no per-id loop, and SQLite's variable limit
        # is no matter.
        board = [uuid.uuid4() for _ in range(50_000)] + ids
        statements: list[str] = []

        def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            statements.append(statement)

        engine = s.get_bind()
        event.listen(engine, "before_cursor_execute", count)
        try:
            marks = supervision.latest_levels(s, board)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert marks == {case_id: "notice", second.id: "urge"}
    assert len(statements) == 1 and "GROUP BY" in statements[0]


def test_the_case_detail_sums_up_its_supervision(desk: Desk, case_id) -> None:
    def detail() -> search.CaseDetail:
        return search.case_detail(desk.db, desk.dirs.attachments, case_id)

    assert detail().supervised is None
    raise_(desk, case_id, "urge", when=at(30))
    sid = raise_(desk, case_id, "supervise", when=at(50))
    respond(desk, sid, "已整改", on_behalf=True)
    summary = detail().supervised
    assert summary == supervision.Summary(2, "supervise", at(50), 1)


def test_targets_lists_the_case_units_lead_first_with_their_next_rungs(desk: Desk, case_id) -> None:
    raise_(desk, case_id, "urge", CO)
    with desk.db.read() as s:
        targets = supervision.targets(s, case_id)
        case = s.get(Case, case_id)
        assert case is not None and case.status == "in_progress"
    assert targets == [
        supervision.Target(LEAD, LEAD_NAME, True, ("urge",)),
        supervision.Target(CO, CO_NAME, False, ("urge", "supervise")),
    ]


# --- voiding (撤销) -------------------------------------------------------------------------


def void(
    desk: Desk, sid: uuid.UUID, reason: str, actor: Actor = OFFICER, hours: float = 70
) -> None:
    in_uow(desk, actor, at(hours), lambda uow: supervision.void_supervision(uow, sid, reason))


def test_a_rung_raised_in_error_is_voided_with_its_reason_and_a_void_op(
    desk: Desk, case_id
) -> None:
    sid = raise_(desk, case_id, "urge", when=at(30))
    _rows, events, ops = footprint(desk)
    void(desk, sid, "  误选了承办单位  ")
    with desk.db.read() as s:
        row = s.get(Supervision, sid)
        assert row is not None
        assert (row.voided_at, row.void_reason, row.updated_by) == (
            at(70), "误选了承办单位", "officer1",
        )  # fmt: skip
        new_ops = s.execute(
            select(Outbox.entity, Outbox.kind, Outbox.entity_id, Outbox.payload).where(
                Outbox.seq > ops
            )
        ).all()
        ev = s.scalars(select(CaseEvent).where(CaseEvent.kind == "supervision_voided")).one()
        (view,) = supervision.for_case(s, case_id)
    assert sorted((e, k) for e, k, _id, _p in new_ops) == [
        ("case_events", "append"), ("supervisions", "void"),
    ]  # fmt: skip
    (void_op,) = [(i, p) for e, k, i, p in new_ops if k == "void"]
    assert void_op[0] == sid and void_op[1]["void_reason"] == "误选了承办单位"
    assert footprint(desk)[1] == events + 1
    assert (ev.actor, ev.at) == ("officer1", at(70))
    assert ev.summary == f"撤销催办（{LEAD_NAME}）：误选了承办单位"
    assert ev.data["supervision_id"] == str(sid) and ev.data["reason"] == "误选了承办单位"
    # The case's list keeps it, marked; the unit's record, the board and the overview do not.
    assert view.voided and (view.voided_at, view.void_reason) == (at(70), "误选了承办单位")
    assert view.voided_by == "officer1"
    with desk.db.read() as s:
        assert supervision.latest_levels(s, [case_id]) == {}
        assert supervision.summary(s, case_id) is None
        assert supervision.for_unit(s, LEAD) == []
    # A voided rung is not answered any more.
    with pytest.raises(DeskError, match="已撤销"):
        respond(desk, sid, "已调解", on_behalf=True)


def test_a_voided_rung_no_longer_opens_the_ladder_which_can_be_climbed_again(
    desk: Desk, case_id
) -> None:
    first = raise_(desk, case_id, "urge", when=at(30))
    supervised = raise_(desk, case_id, "supervise", when=at(31))
    assert next_levels(desk, case_id) == list(supervision.LEVELS)
    void(desk, supervised, "督办对象有误", hours=40)
    assert next_levels(desk, case_id) == ["urge", "supervise"]
    with desk.db.read() as s:
        assert supervision.latest_levels(s, [case_id]) == {case_id: "urge"}
    void(desk, first, "催办对象有误", hours=41)
    assert next_levels(desk, case_id) == ["urge"]
    assert refused(desk, case_id, "supervise", when=at(42)) == (
        f"尚未对{LEAD_NAME}催办：须先催办，才能督办"
    )
    with desk.db.read() as s:
        targets = supervision.targets(s, case_id)
    assert targets[0] == supervision.Target(LEAD, LEAD_NAME, True, ("urge",))
    # Raised again, properly this time.
    raise_(desk, case_id, "urge", when=at(43))
    raise_(desk, case_id, "supervise", when=at(44))
    with desk.db.read() as s:
        views = supervision.for_case(s, case_id)
        assert supervision.latest_levels(s, [case_id]) == {case_id: "supervise"}
        assert supervision.summary(s, case_id) == supervision.Summary(2, "supervise", at(44), 2)
    assert [(v.level, v.voided) for v in views] == [
        ("urge", True), ("supervise", True), ("urge", False), ("supervise", False),
    ]  # fmt: skip


def test_voiding_needs_a_reason_and_the_right_to_do_it(desk: Desk, case_id, admin) -> None:
    sid = raise_(desk, case_id, "urge", when=at(30))
    before = footprint(desk)
    for blank, message in (
        ("", "请填写撤销原因"), ("   ", "请填写撤销原因"), ("错", "请写明撤销原因（至少两个字）"),
    ):  # fmt: skip
        with pytest.raises(ValidationError) as err:
            void(desk, sid, blank)
        assert err.value.fields == {"reason": message}
    for actor in (CLERK, MEDIATOR):  # neither raised it, nor officers
        with pytest.raises(PermissionDenied):
            void(desk, sid, "误录", actor=actor)
    assert footprint(desk) == before
    # Who raised it may void it (even without the officer's role now), as may an admin.
    raiser = Actor("officer1", "研判员", frozenset({Role.CLERK}), OFFICER.user_id)
    void(desk, sid, "误录", actor=raiser)
    other = raise_(desk, case_id, "urge", when=at(71))
    void(desk, other, "重复催办", actor=admin, hours=72)
    # Only once.
    with pytest.raises(
        Conflict, match=r"这条催办已于 2026-06-1\d \d\d:\d\d 撤销（误录），无需再撤销"
    ):
        void(desk, sid, "再次撤销")


def test_rungs_are_voided_from_the_top_down(desk: Desk, case_id) -> None:
    first = raise_(desk, case_id, "urge", when=at(30))
    supervised = raise_(desk, case_id, "supervise", when=at(40))
    listed = raise_(desk, case_id, "listed", when=at(50))
    later = raise_(desk, case_id, "urge", when=at(55))  # a second 催办, after the 督办
    co = raise_(desk, case_id, "urge", CO, when=at(56))
    before = footprint(desk)
    with pytest.raises(Conflict) as err:
        void(desk, first, "误录")
    # The 催办 raised after the 督办 does not stand in for the one it relied on.
    assert err.value.message == (
        f"对{LEAD_NAME}的督办（2026-06-10）以这条催办为前提：请先撤销督办，再撤销催办"
    )
    with pytest.raises(Conflict, match="请先撤销挂牌督办，再撤销督办"):
        void(desk, supervised, "误录")
    assert footprint(desk) == before
    void(desk, co, "误选单位")  # another unit's ladder is its own
    void(desk, later, "重复催办")  # nothing relies on it
    void(desk, listed, "误录")
    void(desk, supervised, "误录")
    void(desk, first, "误录")
    with desk.db.read() as s:
        assert all(v.voided for v in supervision.for_case(s, case_id))


def test_an_earlier_rung_of_the_same_level_keeps_the_higher_one_standing(
    desk: Desk, case_id
) -> None:
    first = raise_(desk, case_id, "urge", when=at(30))
    second = raise_(desk, case_id, "urge", when=at(31))
    raise_(desk, case_id, "supervise", when=at(40))
    void(desk, first, "重复催办")  # the second 催办 still precedes the 督办
    with pytest.raises(Conflict, match="请先撤销督办"):
        void(desk, second, "误录")


def test_a_voided_rung_counts_nowhere_in_the_units_assessment(desk: Desk, case_id) -> None:
    raise_(desk, case_id, "urge", when=at(30))
    supervised = raise_(desk, case_id, "supervise", when=at(40))
    since, until = accountability.bounds(date(2026, 6, 1), date(2026, 6, 30))

    def counted() -> tuple[dict[str, int], list[str]]:
        with desk.db.read() as s:
            figures = {f.unit_code: f for f in accountability.unit_figures(s, since, until, at(80))}
            records = accountability.unit_records(s, LEAD, since, until)
        return (
            {k: v for k, v in figures[LEAD].supervisions.items() if v},
            [r.kind for r in records if r.kind in supervision.LEVELS],
        )

    assert counted() == ({"urge": 1, "supervise": 1}, ["urge", "supervise"])
    void(desk, supervised, "督办对象有误")
    assert counted() == ({"urge": 1}, ["urge"])
