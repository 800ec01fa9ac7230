"""The supervision ladder under SIGKILL: rungs raised, answered and voided on two desks, one
sync process killed at each named point, then a clean rerun.

Desk D01 (the whole city) triages and dispatches cases of 勐龙镇 and raises 催办 and 督办
against both units of each (synced to D02, 勐龙镇). Then, both offline: D01 answers the
催办s, raises a heavier rung (挂牌督办, 通报 or 约谈) and answers some of them, raises a
second 催办 and voids it; D02 answers the 督办s. Push points kill D01's sync (its backlog
spans three push batches), pull points kill D02's (two pages). After the rerun and the
quiescence rounds, the center and both desks hold exactly the rungs written, each with
its answer and void (no loss, no duplicate: the version of each row is one more than its
changes), the history has each supervision event once, and the convergence check
(`check_convergence`, which compares every table of `SYNCED_TABLES`, `supervisions`
included) holds with no conflict.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from desk_app.models import Base, Supervision, utcnow
from desk_app.models import central as schema
from desk_app.services import supervision, workflow
from desk_app.services.roles import Actor, Role
from desk_app.services.uow import UnitOfWork
from tests.faults.helpers import (
    CITY,
    KILL_POINTS,
    MENGLONG,
    PUSH_POINTS,
    FaultDesk,
    World,
    _state_at_kill,
    assert_converged,
    settle,
)

#: Cases walked through triage and dispatch; each gets rungs against two units.
CASES = 40
LEAD, CO = "532801103-TWH", "532801103-SFS"
TRIAGE = workflow.TriageInput(
    level="town", track="mediation", complexity="ordinary", unit_code=LEAD,
    co_unit_codes=(CO,), note="属地调处",
)  # fmt: skip
HEAVIER = ("listed", "notice", "interview")
#: The columns of a rung that must arrive as written (the sync stamps aside).
FIELDS = ("case_id", "level", "unit_code", "unit_name", "at", "by", "message", "respond_by",
          "response", "responded_at", "responded_by", "response_on_behalf", "voided_at",
          "void_reason", "origin_desk", "created_at")  # fmt: skip
EVENT_KINDS = ("supervision", "supervision_response", "supervision_voided")


def officer(desk: FaultDesk) -> Actor:
    return Actor(f"officer-{desk.code}", "研判员", frozenset({Role.OFFICER}), None)


def each(desk: FaultDesk, steps: list[Callable[[UnitOfWork], Any]]) -> list[Any]:
    """Each step in a unit of work of its own (one user action each), by the desk's officer."""
    with desk.open() as opened:
        out = []
        for step in steps:
            with opened.uow(officer(desk)) as uow:
                out.append(step(uow))
        return out


def rung(case_id: uuid.UUID, level: str, unit: str, text: str) -> Callable[[UnitOfWork], Any]:
    due = utcnow() + timedelta(days=5)
    data = supervision.SuperviseInput(level, unit, text, due)
    return lambda uow: supervision.raise_supervision(uow, case_id, data)


def answer(rung_id: uuid.UUID, text: str) -> Callable[[UnitOfWork], Any]:
    return lambda uow: supervision.respond(uow, rung_id, text, True)


def void(rung_id: uuid.UUID, reason: str) -> Callable[[UnitOfWork], Any]:
    return lambda uow: supervision.void_supervision(uow, rung_id, reason)


def rungs(conn: sa.Connection, table: sa.Table) -> dict[uuid.UUID, dict[str, Any]]:
    return {
        row["id"]: dict(row)
        for row in conn.execute(sa.select(table).order_by(table.c.id)).mappings()
    }


def local_rungs(desk: FaultDesk) -> dict[uuid.UUID, dict[str, Any]]:
    with desk.open() as opened, opened.db.read() as s:
        return rungs(s.connection(), Base.metadata.tables[Supervision.__tablename__])


def event_ids(desk: FaultDesk) -> set[uuid.UUID]:
    with desk.open() as opened, opened.db.read() as s:
        table = Base.metadata.tables["case_events"]
        return set(s.scalars(sa.select(table.c.id).where(table.c.kind.in_(EVENT_KINDS))))


@pytest.mark.parametrize("point", KILL_POINTS)
def test_supervision_survives_a_kill_at_point(world: World, point: str) -> None:
    center = world.center
    a = world.desk("D01", CITY)
    b = world.desk("D02", MENGLONG)
    refs = a.register(CASES)
    ids = [ref.id for ref in refs]
    each(a, [s for case_id in ids for s in (
        lambda uow, c=case_id: workflow.triage(uow, c, TRIAGE),
        lambda uow, c=case_id: workflow.dispatch(uow, c, workflow.DispatchInput(asked="组织调解")),
    )])  # fmt: skip
    # 催办 then 督办 against both units of every case, known to both desks.
    first = each(a, [rung(c, level, unit, f"{level} {unit} {i}")
                     for i, c in enumerate(ids) for unit in (LEAD, CO)
                     for level in ("urge", "supervise")])  # fmt: skip
    urges, supervises = first[0::2], first[1::2]
    a.sync_here(center)
    b.sync_here(center)

    # Both offline. D01: answers its 催办s, climbs to a heavier rung (answering every other
    # one), and raises a second 催办 on every other unit only to void it. D02: the 督办s.
    steps: list[Callable[[UnitOfWork], Any]] = []
    heavier: list[tuple[int, int]] = []  # (index of the step raising it, unit number)
    seconds: list[int] = []
    for n, (case_id, urge) in enumerate(zip([c for c in ids for _u in (1, 2)], urges,
                                            strict=True)):  # fmt: skip
        unit = (LEAD, CO)[n % 2]
        steps.append(answer(urge, f"已答复催办 {n}"))
        heavier.append((len(steps), n))
        steps.append(rung(case_id, HEAVIER[n % 3], unit, f"加重 {n}"))
        if n % 2 == 0:
            seconds.append(len(steps))
            steps.append(rung(case_id, "urge", unit, f"重复催办 {n}"))
    made = each(a, steps)
    later = each(a, [answer(made[i], f"已答复加重 {n}") for i, n in heavier if n % 2]
                 + [void(made[i], "重复催办，误发") for i in seconds])  # fmt: skip
    assert len(later) == len(heavier) // 2 + len(seconds)
    each(b, [answer(sid, f"乙答复督办 {n}") for n, sid in enumerate(supervises)])

    # What the sync must carry: D01's rows, with D02's answers to the 督办s.
    expected = local_rungs(a)
    from_b = local_rungs(b)
    for sid in supervises:
        for name in ("response", "responded_at", "responded_by", "response_on_behalf"):
            expected[sid][name] = from_b[sid][name]
    changes = {sid: int(row["responded_at"] is not None) + int(row["voided_at"] is not None)
               for sid, row in expected.items()}  # fmt: skip
    events = event_ids(a) | event_ids(b)
    assert len(expected) == 4 * CASES + 2 * CASES + CASES  # 催办, 督办, heavier, second 催办

    victim, other = (a, b) if point in PUSH_POINTS else (b, a)
    if victim is b:
        a.sync()  # D02's pull then brings D01's whole backlog
    before_done, before_cursor = victim.done(), victim.cursor()
    run = victim.sync(f"{point}:2", check=False)
    assert run.killed, run.describe()
    problems = _state_at_kill(center, victim, point, 2, before_done, before_cursor)
    assert not problems, problems
    other.sync()  # the other desk meanwhile, with the victim's work half through
    victim.sync()
    settle([a, b], center)
    assert_converged(center, [a, b], [], scenario=f"supervision killed at {point}:2")

    table = schema.central_metadata.tables["supervisions"]
    with center.engine.connect() as conn:
        there = rungs(conn, table)
        events_there = set(
            conn.execute(
                sa.select(schema.central_metadata.tables["case_events"].c.id).where(
                    schema.central_metadata.tables["case_events"].c.kind.in_(EVENT_KINDS)
                )
            ).scalars()
        )
    assert set(there) == set(expected), "rungs lost or made up"
    for sid, want in expected.items():
        assert {k: there[sid][k] for k in FIELDS} == {k: want[k] for k in FIELDS}, sid
        assert there[sid]["version"] == 1 + changes[sid], sid  # each change applied once
    assert events_there == events  # every supervision event once
    for desk in (a, b):
        mine = local_rungs(desk)
        assert mine == there, desk.code
    # The board marks agree: the heavier rung on every case, the voided 催办s not counted.
    with a.open() as opened, opened.db.read() as s:
        marks = supervision.latest_levels(s, ids)
    assert set(marks) == set(ids)
    assert all(level in HEAVIER for level in marks.values())
