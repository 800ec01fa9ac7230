"""The routing board's service: columns, urgency, filters, warnings, cards and moves."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from desk_app.models import Case, Party
from desk_app.services import board, supervision, warnings, workflow
from desk_app.services.board import BoardFilter
from desk_app.services.cases import first_clock, register_case
from desk_app.services.desk import Desk
from desk_app.services.numbering import SHANGHAI
from desk_app.services.roles import Actor, Role
from tests.conftest import sample_case

OFFICER = Actor("officer1", "研判员", frozenset({Role.OFFICER}), uuid.uuid4())
CLERK = Actor("clerk9", "受理员", frozenset({Role.CLERK}), uuid.uuid4())
MEDIATOR = Actor("mediator1", "调解员", frozenset({Role.MEDIATOR}), uuid.uuid4())
#: A Monday in an ordinary working week.
MONDAY = datetime(2026, 6, 8, 9, 0, tzinfo=SHANGHAI).astimezone(UTC)
LEAD = "532801103-TWH"  # 勐龙镇人民调解委员会
CITY = "JH-FY"  # 景洪市人民法院
BEHALF = workflow.UnitStepInput(on_behalf=True, text="已组织双方调解")
DATA: dict[str, Any] = {
    "triage": workflow.TriageInput(
        level="town", track="mediation", complexity="simple", unit_code=LEAD, note="属地调处"
    ),
    "dispatch": workflow.DispatchInput(asked="请组织调解并按期反馈"),
    "sign": BEHALF,
    "start": BEHALF,
    "feedback": workflow.UnitStepInput(on_behalf=True, text="双方达成协议"),
    "close": workflow.CloseInput(outcome="mediated"),
    "escalate": workflow.NoteInput(note="超出本级权限"),
    "pause": workflow.PauseInput(reason="citizen", note="等待申请人补交材料"),
}
PATHS = {
    "pending_triage": [],
    "dispatched": ["triage", "dispatch"],
    "signed": ["triage", "dispatch", "sign"],
    "in_progress": ["triage", "dispatch", "sign", "start"],
    "fed_back": ["triage", "dispatch", "sign", "start", "feedback"],
    "closed": ["triage", "dispatch", "sign", "start", "feedback", "close"],
    "escalated": ["escalate"],
}


def act(desk: Desk, action: str, case_id: uuid.UUID, at: datetime, data: Any = None) -> None:
    with desk.uow(OFFICER) as uow:
        uow.now = at
        workflow.RUNNERS[action](uow, case_id, data or DATA[action])


def new_case(
    desk: Desk,
    clerk: Actor,
    status: str = "pending_triage",
    *,
    title: str = "宅基地边界争议",
    received: datetime = MONDAY,
    **values: Any,
) -> uuid.UUID:
    """A case registered at `received` and walked to `status` an hour later."""
    ref = register_case(desk, clerk, sample_case(title))
    with desk.db.write_session() as s, s.begin():
        clock = first_clock(s, received)
        s.execute(
            sa.update(Case).where(Case.id == ref.id).values(received_at=received, **clock, **values)
        )
    at = received + timedelta(hours=1)
    for step in PATHS[status]:
        act(desk, step, ref.id, at)
        at += timedelta(minutes=10)
    return ref.id


def snap(desk: Desk, now: datetime, f: BoardFilter = BoardFilter(), mode: str = "stage"):  # noqa: B008
    with desk.db.read() as s:
        return board.snapshot(s, now, f, mode, with_names=True)


def ids_in(desk: Desk, snapshot: board.Snapshot, key: str) -> list[uuid.UUID]:
    column = snapshot.column(key)
    assert column is not None
    with desk.db.read() as s:
        cards = board.fetch(s, snapshot.now, column.rows)
    return [cards[r].case_id for r in column.rows]


# --- moves ----------------------------------------------------------------------------------


def test_moves_are_the_workflow_transitions_and_nothing_else() -> None:
    assert board.MOVES[("pending_triage", "dispatched")] == "dispatch"
    assert board.MOVES[("dispatched", "pending_triage")] == "return"
    assert board.MOVES[("signed", "pending_triage")] == "return"
    assert board.MOVES[("fed_back", "in_progress")] == "rework"
    assert board.MOVES[("escalated", "pending_triage")] == "send_back"
    for (source, target), name in board.MOVES.items():
        action = workflow.ACTIONS[name]
        assert source in action.sources and action.target == target
    targets = {(s, a.target) for a in workflow.ACTIONS.values() if a.target for s in a.sources}
    assert set(board.MOVES) == targets
    assert board.STAGES == (
        "pending_triage", "dispatched", "signed", "in_progress", "fed_back", "escalated",
    )  # fmt: skip


def _card(**values: Any) -> board.Card:
    base: dict[str, Any] = dict(
        row=1, id=uuid.uuid4().hex, case_no="景综〔2026〕D03-00001", title="t",
        status="pending_triage", step="triage", dispute_type="03", division="532801103201",
        channel="walk_in", level="", lead_unit="", triaged=0, received=0.0, deadline=None,
        paused=0, kind="", applicant="玉香", repeat=0, police_risk=0, urgent=0,
        group_matter=0, supervision="",
    )  # fmt: skip
    base.update(values)
    return board.Card(**base)


def test_a_move_opens_its_action_or_says_what_is_possible() -> None:
    signed = _card(status="dispatched", triaged=1, lead_unit=LEAD, level="town")
    assert board.plan_move(signed, "signed", OFFICER).actions == ("sign",)
    assert board.plan_move(signed, "pending_triage", MEDIATOR).actions == ("return",)
    assert board.plan_move(signed, "dispatched", OFFICER) == board.MovePlan()  # its own column

    refused = board.plan_move(signed, "fed_back", OFFICER)
    assert not refused.allowed
    assert refused.refusal.startswith("不能把案件从“已交办”直接移到“已反馈”")
    assert "已签收（签收）" in refused.refusal and "待研判（退单）" in refused.refusal

    # A clerk may not route: refused with the role it takes.
    pending = _card()
    clerk = board.plan_move(pending, "escalated", CLERK)
    assert not clerk.allowed and "研判督办" in clerk.refusal


def test_dispatching_an_untriaged_case_triages_it_first() -> None:
    pending = _card()
    assert board.plan_move(pending, "dispatched", OFFICER).actions == ("triage", "dispatch")
    triaged = _card(triaged=1, lead_unit=LEAD, level="town", step="dispatch")
    assert board.plan_move(triaged, "dispatched", OFFICER).actions == ("dispatch",)
    upper = _card(triaged=1, level="upper", step="dispatch")
    plan = board.plan_move(upper, "dispatched", OFFICER)
    assert not plan.allowed and "上报上级" in plan.refusal
    # The context menu offers the same steps the workflow does.
    assert board.card_actions(pending, OFFICER) == ["triage", "dispatch", "escalate"]
    assert board.card_actions(pending, CLERK) == []


# --- snapshots --------------------------------------------------------------------------------


def test_columns_by_stage_hold_open_cases_most_urgent_first(desk: Desk, clerk: Actor) -> None:
    now = MONDAY + timedelta(days=40)
    late = new_case(desk, clerk, "in_progress", received=MONDAY)  # 3-day handling: overdue
    later = new_case(desk, clerk, "in_progress", received=MONDAY + timedelta(days=2))
    fresh = new_case(desk, clerk, "in_progress", received=now - timedelta(hours=2))
    paused = new_case(desk, clerk, "in_progress", received=MONDAY - timedelta(days=1))
    act(desk, "pause", paused, MONDAY + timedelta(hours=3))
    waiting = new_case(desk, clerk, received=now - timedelta(hours=1))
    closed = new_case(desk, clerk, "closed")
    up = new_case(desk, clerk, "escalated")

    shot = snap(desk, now)
    assert [c.key for c in shot.columns] == list(board.STAGES)
    assert shot.total == shot.shown == 6  # the closed case is not on the board
    # Overdue first (the most overdue first), then time left, then clocks standing still.
    assert ids_in(desk, shot, "in_progress") == [late, later, fresh, paused]
    assert ids_in(desk, shot, "pending_triage") == [waiting]
    assert ids_in(desk, shot, "escalated") == [up]
    assert closed not in [i for c in shot.columns for i in ids_in(desk, shot, c.key)]
    handling = shot.column("in_progress")
    assert handling is not None and handling.overdue == 2
    # The first cards come with the snapshot (the views' first screen needs no second read).
    assert set(shot.cards) == {r for c in shot.columns for r in c.rows}


def _urgency(card: board.Card) -> tuple[int, float]:
    """The board's order, from what a card shows: running deadlines (the feedback's when it
    is late), earliest first; then clocks standing still, by when the case came in."""
    if card.paused or card.deadline is None:
        return (1, card.received)
    return (0, card.deadline)


def test_late_feedback_takes_its_place_among_the_overdue_by_its_own_deadline(
    desk: Desk, clerk: Actor
) -> None:
    now = MONDAY + timedelta(days=60)
    handling = [
        new_case(desk, clerk, "in_progress", received=MONDAY + timedelta(days=d))
        for d in (0, 3, 6, 9, 12, 50, 59)
    ]
    with desk.db.read() as s:
        due = dict(s.execute(sa.select(Case.id, Case.due_at).where(Case.id.in_(handling))).all())
    assert due[handling[0]] + timedelta(hours=1) < due[handling[3]]
    # Feedback owed before every handling deadline, between two, and not yet.
    owed = {
        handling[1]: MONDAY - timedelta(days=5),
        handling[4]: due[handling[0]] + timedelta(hours=1),
        handling[5]: now + timedelta(days=1),  # not late: its handling deadline counts
    }
    with desk.db.write_session() as s, s.begin():
        s.execute(sa.update(Case).where(Case.id.in_(handling)).values(feedback_due_at=None))
        for case_id, due in owed.items():
            s.execute(sa.update(Case).where(Case.id == case_id).values(feedback_due_at=due))
    act(desk, "pause", handling[2], MONDAY + timedelta(days=6, hours=3))
    for mode in board.MODES:
        shot = snap(desk, now, mode=mode)
        with desk.db.read() as s:
            cards = board.fetch(s, now, [r for c in shot.columns for r in c.rows])
        for column in shot.columns:
            in_column = [cards[r] for r in column.rows]
            assert [_urgency(c) for c in in_column] == sorted(_urgency(c) for c in in_column)
            assert column.overdue == sum(c.kind in ("overdue", "no_feedback") for c in in_column)
    shot = snap(desk, now)
    order = ids_in(desk, shot, "in_progress")
    assert order[0] == handling[1]
    assert order.index(handling[0]) < order.index(handling[4]) < order.index(handling[3])
    assert order[-1] == handling[2]  # paused: after every running clock
    with desk.db.read() as s:
        kinds = {
            c.case_id: c.kind for c in board.fetch(s, now, shot.column("in_progress").rows).values()
        }  # type: ignore[union-attr]
    assert kinds[handling[1]] == kinds[handling[4]] == "no_feedback"
    assert kinds[handling[5]] == "overdue"


def test_the_card_warning_is_the_warnings_service_own(desk: Desk, clerk: Actor) -> None:
    cases = [new_case(desk, clerk, s, received=MONDAY + timedelta(days=i)) for i, s in
             enumerate(["pending_triage", "dispatched", "signed", "in_progress", "fed_back",
                        "escalated", "in_progress"])]  # fmt: skip
    act(desk, "pause", cases[-1], MONDAY + timedelta(days=6, hours=3))
    kinds_seen: set[str] = set()
    for days in (0.5, 1.2, 4, 7, 9, 12, 30):
        now = MONDAY + timedelta(days=days)
        with desk.db.read() as s:
            query = sa.select(Case.id, warnings.kind_column(now)).where(Case.id.in_(cases))
            expected = {k: v for k, v in s.execute(query)}
            shot = board.snapshot(s, now)
            cards = board.fetch(s, now, [r for c in shot.columns for r in c.rows])
        got = {c.case_id: c.kind for c in cards.values()}
        assert got == {k: v or "" for k, v in expected.items()}
        kinds_seen |= set(got.values())
        overdue = sum(c.overdue for c in shot.columns)
        assert overdue == sum(1 for k in got.values() if k in ("overdue", "no_feedback"))
    assert kinds_seen >= {"", "near_due", "overdue", "no_feedback"}


def test_the_card_shows_the_first_applicant_marks_and_supervision(desk: Desk, clerk: Actor) -> None:
    first = new_case(desk, clerk)
    repeat = new_case(desk, clerk, "in_progress", repeat_of_id=first, police_risk=True)
    with desk.db.write_session() as s, s.begin():
        # A later applicant with a lower sort order is the first one.
        s.add(Party(case_id=repeat, role="applicant", kind="person", name="岩罕", sort_order=-1))
    with desk.uow(OFFICER) as uow:
        uow.now = MONDAY + timedelta(days=4)
        for level in ("urge", "supervise"):
            supervision.raise_supervision(
                uow, repeat, supervision.SuperviseInput(level=level, message="请尽快办理")
            )
    with desk.db.read() as s:
        card = board.card_of(s, MONDAY + timedelta(days=5), repeat)
        assert board.card_of(s, MONDAY, uuid.uuid4()) is None
    assert card is not None
    assert (card.applicant, card.repeat, card.police_risk, card.urgent) == ("岩罕", 1, 1, 0)
    assert card.supervision == "supervise"  # the highest rung, as supervision says
    assert (card.status, card.step, card.lead_unit, card.triaged) == (
        "in_progress", "handle", LEAD, 1,
    )  # fmt: skip
    assert card.township == "532801103000"
    assert card.kind == "overdue" and card.deadline is not None
    assert card.deadline < (MONDAY + timedelta(days=5)).timestamp()


def test_filters_narrow_the_board(desk: Desk, clerk: Actor) -> None:
    now = MONDAY + timedelta(days=5)
    town = new_case(desk, clerk, "in_progress", title="承包地边界纠纷")
    city = new_case(desk, clerk, "pending_triage", channel="hotline_12345", dispute_type_code="11",
                    division_code="532801001003", received=now - timedelta(hours=1))  # fmt: skip
    with desk.db.read() as s:
        town_no = s.get(Case, town).case_no  # type: ignore[union-attr]

    def only(f: BoardFilter) -> set[uuid.UUID]:
        shot = snap(desk, now, f)
        assert shot.total == 2
        return {i for c in shot.columns for i in ids_in(desk, shot, c.key)}

    assert only(BoardFilter()) == {town, city}
    assert only(BoardFilter(unit=LEAD)) == {town}
    assert only(BoardFilter(level="town")) == {town}
    assert only(BoardFilter(level=board.NO_LEVEL)) == {city}
    assert only(BoardFilter(dispute_type="11")) == {city}
    assert only(BoardFilter(township="532801103000")) == {town}
    assert only(BoardFilter(township="532801001000")) == {city}
    assert only(BoardFilter(channel="hotline_12345")) == {city}
    assert only(BoardFilter(warning="overdue")) == {town}  # simple: 3 days to handle
    assert only(BoardFilter(warning=board.ANY_WARNING)) == {town}
    assert only(BoardFilter(warning=board.NO_WARNING)) == {city}
    monday = MONDAY.astimezone(SHANGHAI).date()
    assert only(BoardFilter(received_from=monday + timedelta(days=1))) == {city}
    assert only(BoardFilter(received_to=monday)) == {town}
    assert only(BoardFilter(received_from=monday, received_to=monday)) == {town}
    assert only(BoardFilter(received_to=date(2000, 1, 1))) == set()
    assert only(BoardFilter(text="承包地")) == {town}
    assert only(BoardFilter(text=town_no[-5:])) == {town}
    assert only(BoardFilter(text="玉香")) == {town, city}  # the applicant
    assert only(BoardFilter(text="不存在的人")) == set()


def test_columns_by_unit_and_by_level(desk: Desk, clerk: Actor) -> None:
    now = MONDAY + timedelta(days=1)
    for _ in range(2):
        new_case(desk, clerk, "dispatched")
    other = new_case(desk, clerk)
    act(desk, "triage", other, MONDAY + timedelta(hours=2), workflow.TriageInput(
        level="city", track="litigation", complexity="ordinary", unit_code=CITY, note="诉调对接"
    ))  # fmt: skip
    act(desk, "dispatch", other, MONDAY + timedelta(hours=3))
    new_case(desk, clerk)  # not routed yet

    by_unit = snap(desk, now, mode="unit")
    assert [(c.key, len(c.rows)) for c in by_unit.columns] == [("", 1), (LEAD, 2), (CITY, 1)]
    by_level = snap(desk, now, mode="level")
    assert [(c.key, len(c.rows)) for c in by_level.columns] == [
        ("", 1), ("village", 0), ("town", 2), ("city", 1), ("upper", 0),
    ]  # fmt: skip
    assert by_unit.names is not None and by_unit.names.unit(CITY) == "市法院"
    with pytest.raises(ValueError):
        snap(desk, now, mode="colour")


def test_reading_the_board_keeps_the_connections_memory_map_setting(
    desk: Desk, clerk: Actor
) -> None:
    new_case(desk, clerk, "in_progress")
    with desk.db.read() as s:
        raw = board._sqlite(s)
        (before,) = raw.execute("PRAGMA mmap_size").fetchone()
        shot = board.snapshot(s, MONDAY + timedelta(days=1))
        board.fetch(s, shot.now, [r for c in shot.columns for r in c.rows])
        (after,) = raw.execute("PRAGMA mmap_size").fetchone()
    assert before == after == 268435456  # models.db's, for fast lookups elsewhere
