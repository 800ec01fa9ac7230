"""Scenarios across desks: resent and reordered batches, clocks, corrections, concurrency,
a desk restored from an old backup. Each ends with the full convergence check."""

from __future__ import annotations

import sqlite3
import subprocess
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
import sqlalchemy as sa

from desk_app.models import Base
from desk_app.services import numbering
from desk_app.services.sync.store import CentralStore, Op
from tests.faults.helpers import (
    CITY,
    MENGLONG,
    YUNJINGHONG,
    Center,
    FaultDesk,
    Gate,
    RowLock,
    World,
    assert_converged,
    install_gate,
    settle,
    wait_for_waiters,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _pending_ops(desk: FaultDesk) -> tuple[list[Op], dict[tuple[str, int], int]]:
    outbox = Base.metadata.tables["outbox"]
    with desk.read() as conn:
        rows = conn.execute(
            sa.select(outbox).where(outbox.c.state == "pending").order_by(outbox.c.seq)
        ).all()
    ops = [
        Op(r.op_id, r.entity, r.entity_id, r.kind, r.payload, r.base, r.user_id, r.created_at)
        for r in rows
    ]
    return ops, desk.counters()


def _central_case(center: Center, case_id: uuid.UUID) -> sa.Row:
    return center.rows(
        "SELECT title, place_detail, claims, voided_at, version, updated_at FROM cases "
        "WHERE id = :i",
        {"i": case_id},
    )[0]


# --- a batch delivered twice and out of order ------------------------------------------------


def test_a_batch_delivered_twice_the_second_time_reversed_changes_nothing(world: World) -> None:
    center = world.center
    a = world.desk("D01", CITY)
    b = world.desk("D02", MENGLONG)
    a.register(3)
    ops, counters = _pending_ops(a)
    store = CentralStore(center.engine, "D01")
    first = store.push(ops, counters)
    assert all(r.result == "applied" for r in first)
    seq = center.sequence()
    second = store.push(list(reversed(ops)), counters)
    assert second == list(reversed(first)), "a resent op must get its stored result"
    assert center.sequence() == seq
    assert center.scalar("SELECT count(*) FROM applied_op") == len(ops)
    assert center.scalar("SELECT count(*) FROM change_log") == seq
    # The desk never recorded the results: it sends the same ops a third time.
    run = a.sync()
    assert f"推送 {len(ops)} 项（成功 {len(ops)}，冲突 0" in run.stdout, run.stdout
    assert center.sequence() == seq
    settle([a, b], center)
    assert_converged(center, [a, b], scenario="batch twice, reversed")


def test_a_batch_arriving_children_first_still_reaches_every_desk(world: World) -> None:
    """Out of order on first delivery: parties and history before their case, in one batch."""
    center = world.center
    a = world.desk("D01", CITY)
    b = world.desk("D02", MENGLONG)
    c = world.desk("D05", YUNJINGHONG)  # not its scope: must not get the rows
    settle([a, b, c], center)
    a.register(2)
    ops, counters = _pending_ops(a)
    results = CentralStore(center.engine, "D01").push(list(reversed(ops)), counters)
    assert all(r.result == "applied" for r in results)
    a.sync()  # resends them in order: stored results
    b.sync()
    c.sync()
    settle([a, b, c], center)
    assert_converged(center, [a, b, c], scenario="children before their case in one batch")


# --- pull pages whose tables come in an unusual order ----------------------------------------


def test_a_new_case_pulled_after_rows_of_another_cases_children_keeps_its_own(
    world: World,
) -> None:
    """One page: a party and an event of an older case, then a new case with its parties.

    A pull page must write a case before its parties and history, whatever table
    happens to come first in the page.
    """
    center = world.center
    a = world.desk("D01", CITY)
    b = world.desk("D02", MENGLONG)
    (old,) = a.register(1)
    settle([a, b], center)
    a.add_party(old.id, "clerk1", "岩罕")  # a party create and an event; the case as it is
    (new,) = a.register(1)
    a.sync()
    b.sync()
    with b.read() as conn:
        parties = conn.execute(
            sa.text("SELECT count(*) FROM parties WHERE case_id = :c"), {"c": new.id.hex}
        ).scalar()
    assert parties == 2, "the new case reached D02 without its parties (pulled past, dropped)"
    settle([a, b], center)
    assert_converged(center, [a, b], scenario="page with children of an old case before a new case")


# --- clocks hours and days apart, across New Year --------------------------------------------


def _at(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    when = datetime.fromisoformat(text)
    monkeypatch.setattr("desk_app.services.uow.utcnow", lambda: when.astimezone(ZoneInfo("UTC")))


def test_desk_clocks_hours_and_days_apart_across_new_year(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    center = world.center
    d01 = world.desk("D01", CITY)
    d02 = world.desk("D02", MENGLONG)
    d05 = world.desk("D05", MENGLONG)
    settle([d01, d02, d05], center)
    with monkeypatch.context() as m:
        _at(m, "2026-12-31T23:50:00+08:00")
        (p,) = d01.register(1)
        _at(m, "2027-01-01T00:10:00+08:00")  # the same desk twenty minutes later
        (q,) = d01.register(1)
        _at(m, "2026-12-31T19:40:00+08:00")  # hours behind D01
        (r,) = d02.register(1)
        _at(m, "2027-01-03T23:50:00+08:00")  # days ahead
        (s,) = d05.register(1)
    assert p.case_no.endswith("〔2026〕D01-00001") and q.case_no.endswith("〔2027〕D01-00001")
    assert r.case_no.endswith("〔2026〕D02-00001") and s.case_no.endswith("〔2027〕D05-00001")
    for desk in (d05, d02, d01):  # pushed in the opposite order of their clocks
        desk.sync()
    settle([d01, d02, d05], center)
    # Two corrections of R: D01's clock says 2027-01-01, D05's days later; D01 pushes
    # first and wins. Last-writer-wins by clock would pick D05's.
    with monkeypatch.context() as m:
        _at(m, "2027-01-01T00:10:00+08:00")
        d01.correct(r.id, "admin", "按申请人更正", title="甲方更正的标题")
        _at(m, "2027-01-03T23:55:00+08:00")
        d05.correct(r.id, "admin", "按被申请人更正", title="丙方更正的标题")
    d01.sync()
    d05.sync()
    settle([d01, d02, d05], center)
    assert_converged(
        center, [d01, d02, d05], [("D05", "cases", "field", "title")], scenario="clocks"
    )
    assert _central_case(center, r.id).title == "甲方更正的标题"
    (conflict,) = center.rows("SELECT desk_at, desk_value, central_value FROM sync_conflict")
    assert conflict.desk_at == datetime.fromisoformat("2027-01-03T23:55:00+08:00")
    assert (conflict.desk_value, conflict.central_value) == ("丙方更正的标题", "甲方更正的标题")
    # Each number carries its own desk's year (Asia/Shanghai) and desk code.
    numbers = center.rows("SELECT case_no, origin_desk, created_at FROM cases")
    assert len({n.case_no for n in numbers}) == 4
    for n in numbers:
        year = n.created_at.astimezone(SHANGHAI).year
        assert n.case_no.endswith(f"〔{year}〕{n.origin_desk}-00001"), n
    counters = {
        (row.desk_code, row.year): row.value
        for row in center.rows("SELECT desk_code, year, value FROM desk_counter WHERE name='case'")
    }
    assert counters == {("D01", 2026): 1, ("D01", 2027): 1, ("D02", 2026): 1, ("D05", 2027): 1}


# --- two desks correcting the same case --------------------------------------------------------

CORRECTIONS = {
    # variant: (A's change, B's change, expected conflicts, expected central values)
    "different_fields": (
        {"place_detail": "三组"}, {"title": "宅基地边界纠纷"}, [],
        {"place_detail": "三组", "title": "宅基地边界纠纷"},
    ),
    "same_field_same_value": (
        {"claims": "确认边界"}, {"claims": "确认边界"}, [], {"claims": "确认边界"},
    ),
    "same_field_different_values": (
        {"title": "甲的标题"}, {"title": "乙的标题"}, [("D02", "cases", "field", "title")],
        {"title": "甲的标题"},
    ),
    "void_against_correction": (
        None, {"title": "改过的标题"}, [("D02", "cases", "voided", None)],
        {"title": "D01 第1件"},
    ),
}  # fmt: skip


@pytest.mark.parametrize("variant", list(CORRECTIONS))
def test_two_desks_correct_the_same_case(world: World, variant: str) -> None:
    center = world.center
    a = world.desk("D01", CITY)
    b = world.desk("D02", MENGLONG)
    (ref,) = a.register(1)
    a.sync()
    b.sync()
    mine, theirs, conflicts, expected = CORRECTIONS[variant]
    if mine is None:
        a.void(ref.id, "clerk1", "重复登记")
    else:
        a.correct(ref.id, "clerk1", "甲窗口更正", **mine)
    b.correct(ref.id, "admin", "乙窗口更正", **theirs)
    assert "冲突 0" in a.sync().stdout
    run = b.sync()
    assert f"冲突 {len(conflicts)}" in run.stdout, run.stdout
    settle([a, b], center)
    assert_converged(center, [a, b], conflicts, scenario=f"corrections: {variant}")
    row = _central_case(center, ref.id)
    for name, value in expected.items():
        assert getattr(row, name) == value, (name, getattr(row, name))
    assert (row.voided_at is not None) == (mine is None)


def test_a_correction_made_while_a_pull_is_in_flight_then_conflicting(world: World) -> None:
    """B edits a case while its pull is on the way; the pull keeps B's row (ops pending),
    B's push then conflicts. B must still end up with the central row."""
    center = world.center
    a = world.desk("D01", CITY)
    b = world.desk("D02", MENGLONG)
    (ref,) = a.register(1)
    settle([a, b], center)
    a.correct(ref.id, "clerk1", "甲窗口更正", title="甲的标题", place_detail="三组")
    a.sync()
    # Hold B's pull at its first read of the change log (push had nothing to send).
    lock = psycopg.connect(center.pg.conninfo(center.db))
    lock.execute("LOCK TABLE change_log IN ACCESS EXCLUSIVE MODE")
    try:
        proc = b.start_sync()
        wait_for_waiters(center, 1, [proc])
        b.correct(ref.id, "admin", "乙窗口更正", title="乙的标题")
    finally:
        lock.rollback()
        lock.close()
    run = b.finish(proc)
    assert run.returncode == 0, run.describe()
    assert "暂保留本地值" in run.stdout, run.stdout  # the row was kept: an op is pending
    b.sync()
    settle([a, b], center)
    assert_converged(
        center, [a, b], [("D02", "cases", "field", "title")],
        scenario="row kept local during a pull, then its op conflicted",
    )  # fmt: skip


# --- two concurrent pushes, one held before commit, while a third desk pulls -----------------


@pytest.mark.parametrize("hold", ["inside_the_first_push", "on_the_sequence_row"])
def test_concurrent_pushes_one_delayed_while_a_third_desk_pulls(world: World, hold: str) -> None:
    center = world.center
    a = world.desk("D01", MENGLONG)
    b = world.desk("D02", MENGLONG)
    c = world.desk("D05", CITY)
    settle([a, b, c], center)
    made = {ref.id for ref in a.register(2)} | {ref.id for ref in b.register(2)}
    before = center.sequence()
    holder: Gate | RowLock
    procs: list[subprocess.Popen[str]] = []
    if hold == "inside_the_first_push":
        # A takes the sequence lock and its server_seqs, then waits before its commit.
        install_gate(center, "applied_op", "NEW.desk_code = 'D01'")
        holder = Gate(center)
    else:
        holder = RowLock(center)  # the test holds the sequence row: both pushes wait
    try:
        procs.append(a.start_sync())
        wait_for_waiters(center, 1, procs)
        procs.append(b.start_sync())
        wait_for_waiters(center, 2, procs)
        pulled = c.sync()  # must finish while both pushes are held
        assert all(p.poll() is None for p in procs), "a push finished while held"
        assert c.cursor() == before, "C read past rows that were not committed"
        with c.read() as conn:
            seen = set(conn.execute(sa.text("SELECT id FROM cases")).scalars())
        assert not {i.hex for i in made} & seen, pulled.stdout
    finally:
        holder.release()
    runs = [desk.finish(p) for desk, p in zip((a, b), procs, strict=True)]
    assert all(r.returncode == 0 for r in runs), "\n".join(r.describe() for r in runs)
    if hold == "inside_the_first_push":
        seqs = center.rows(
            "SELECT desk_code, min(server_seq) AS low, max(server_seq) AS high FROM applied_op "
            "WHERE server_seq > :before GROUP BY desk_code ORDER BY desk_code",
            {"before": before},
        )
        assert [r.desk_code for r in seqs] == ["D01", "D02"]
        assert seqs[0].high < seqs[1].low, "the held push must keep the lower sequence numbers"
    assert c.sync().pulled > 0
    assert c.cursor() == center.sequence()
    settle([a, b, c], center)
    assert_converged(center, [a, b, c], scenario=f"concurrent pushes held {hold}")


# --- a desk restored from an old backup --------------------------------------------------------


def test_a_desk_restored_from_an_old_backup(world: World) -> None:
    center = world.center
    a = world.desk("D01", CITY)
    b = world.desk("D02", MENGLONG)
    settle([a, b], center)
    first = a.register(2)
    backup = Path(a.cli("backup").strip().splitlines()[-1])
    with sqlite3.connect(backup) as conn:
        in_backup = {uuid.UUID(hex=h) for (h,) in conn.execute("SELECT op_id FROM outbox")}
    old_pending = a.pending()
    a.sync()
    a.correct(first[0].id, "clerk1", "更正标题", title="备份之后改的标题")
    later = a.register(2)
    a.sync()
    assert later[-1].case_no.endswith("-00004")
    lost = a.op_ids() - in_backup  # applied centrally; the restored desk will not have them
    year = numbering.local_year()

    a.cli("restore", str(backup))
    assert a.counters()[("case", year)] == 4, "restore keeps the higher counter"
    assert a.pending() == old_pending
    seq, applied = center.sequence(), center.scalar("SELECT count(*) FROM applied_op")
    run = a.sync()
    # The old ops go again: answered from applied_op, nothing applied a second time.
    assert f"推送 {old_pending} 项（成功 {old_pending}，冲突 0" in run.stdout, run.stdout
    assert (center.sequence(), center.scalar("SELECT count(*) FROM applied_op")) == (
        seq, applied)  # fmt: skip
    (fifth,) = a.register(1)
    assert fifth.case_no.endswith("-00005")
    settle([a, b], center)
    assert_converged(center, [a, b], lost_ops=lost, scenario="restored from an old backup")
    row = _central_case(center, first[0].id)
    assert row.title == "备份之后改的标题"

    # A restore that lost its counters (an old copy put back by hand): hello raises them.
    with sqlite3.connect(a.root / "desk.db") as conn:
        conn.execute("UPDATE desk_counters SET value = 2 WHERE name = 'case'")
    assert a.counters()[("case", year)] == 2
    a.sync()
    assert a.counters()[("case", year)] == 5
    (sixth,) = a.register(1)
    assert sixth.case_no.endswith("-00006")
    highest = max(
        int(no.rsplit("-", 1)[1])
        for (no,) in center.rows("SELECT case_no FROM cases WHERE origin_desk = 'D01'")
    )
    assert int(sixth.case_no.rsplit("-", 1)[1]) > highest
    settle([a, b], center)
    assert_converged(center, [a, b], lost_ops=lost, scenario="counters lost, raised by hello")
