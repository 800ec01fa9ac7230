"""The network and the server failing under a desk process: restart, dropped connection, outage.

The push is held mid-batch deterministically, not by timing: a test-only trigger makes
the central insert of the second batch's change-log rows wait for an advisory lock the
test holds (helpers.install_gate). The test waits, by polling pg_locks with a deadline,
until the desk process really waits there, then restarts PostgreSQL or ends the desk's
session.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.faults.helpers import (
    BATCH_SIZE,
    CITY,
    MENGLONG,
    FaultDesk,
    Gate,
    World,
    assert_converged,
    install_gate,
    remove_gate,
    settle,
    wait_for_waiters,
    wait_until,
)
from tests.integration.conftest import PgServer

SEED = 7


def _held_mid_second_batch(world: World) -> tuple[FaultDesk, FaultDesk, set, Gate, object]:
    """D01 with a backlog of several batches, its sync process held inside batch 2."""
    center = world.center
    a = world.desk("D01", CITY)
    b = world.desk("D02", MENGLONG)
    a.demo(150, SEED)
    ops = a.op_ids()
    assert len(ops) > 3 * BATCH_SIZE, "the backlog must span several push batches"
    # Every op of the backlog logs one change: batch 2 owns server_seq 201..400.
    install_gate(center, "change_log", f"NEW.server_seq > {center.sequence() + BATCH_SIZE + 50}")
    gate = Gate(center)
    proc = a.start_sync()
    wait_for_waiters(center, 1, [proc])
    # Batch 1 is committed and recorded; batch 2 is inside its transaction.
    assert center.applied_count(ops) == BATCH_SIZE
    return a, b, ops, gate, proc


def _after_failure(world: World, a: FaultDesk, b: FaultDesk, ops: set, proc) -> None:  # type: ignore[no-untyped-def]
    run = a.finish(proc)
    assert run.returncode == 1, f"the sync process should fail with status 1:\n{run.describe()}"
    assert run.stderr.startswith("desk-app: "), run.stderr
    remove_gate(world.center, "change_log")
    # The interrupted batch left nothing behind, on either side.
    assert world.center.applied_count(ops) == BATCH_SIZE
    assert a.done() == BATCH_SIZE
    a.sync()
    assert a.pending() == 0
    settle([a, b], world.center)
    assert_converged(world.center, [a, b], scenario="interrupted mid-batch, then rerun")


def test_postgres_restarted_mid_batch(world: World, pg_server: PgServer) -> None:
    a, b, ops, gate, proc = _held_mid_second_batch(world)
    try:
        pg_server.restart()
    finally:
        gate.release()
    _after_failure(world, a, b, ops, proc)


def test_connection_dropped_mid_push(world: World) -> None:
    a, b, ops, gate, proc = _held_mid_second_batch(world)
    try:
        # Only the desk process's sessions (pg_server.terminate_backends would also end the
        # gate's own session and let the batch run on for a moment before its end).
        assert world.center.terminate_desk_backends() >= 1
    finally:
        gate.release()
    _after_failure(world, a, b, ops, proc)


def test_one_transient_failure_then_no_local_activity_retries_by_itself(
    world: World, pg_server: PgServer, tmp_path: Path
) -> None:
    a = world.desk("D01", CITY)
    b = world.desk("D02", MENGLONG)
    a.register(3)
    pending = a.pending()
    assert pending > 0
    log = tmp_path / "loop.out"
    pg_server.stop()
    try:
        with log.open("w", encoding="utf-8") as out:
            loop = a.start_sync(loop_interval=1, stdout=out)
        try:
            wait_until(
                "the sync loop to report a failed round",
                lambda: "同步失败" in log.read_text(encoding="utf-8"),
                timeout=30,
            )
            assert loop.poll() is None, "the loop must keep running after a failure"
            assert a.pending() == pending
            pg_server.start()
            # Nothing is done on the desk from here on: the loop must retry by itself.
            wait_until("the loop to push everything by itself", lambda: a.pending() == 0, 60)
            wait_until(
                "the loop to report its successful round",
                lambda: "推送" in log.read_text(encoding="utf-8"),
                timeout=30,
            )
            assert loop.poll() is None
        finally:
            loop.terminate()
            try:
                loop.wait(timeout=10)
            except subprocess.TimeoutExpired:
                loop.kill()
                loop.wait()
    finally:
        if not pg_server.running:
            pg_server.start()
    assert "秒后重试" in log.read_text(encoding="utf-8")
    settle([a, b], world.center)
    assert_converged(world.center, [a, b], scenario="transient failure, no local activity")
