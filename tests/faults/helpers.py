"""Fault-injection harness: desks as separate processes, one real PostgreSQL, a convergence check.

A desk here is a data folder (a copy of the template database with its own desk code,
enrolled centrally). Every sync under test runs as its own process, `python -m desk_app
--data-dir DIR sync --once`, optionally with `DESK_APP_FAULT=<point>[:N]` so that it
kills itself with SIGKILL at a named point (desk_app/services/sync/faults.py). Business
data is written in this process through the services (and the generator behind
`desk-app demo`), with every desk closed again before a sync process starts; the
quiescence rounds before the check run `sync_once` in this process too (`settle`).

`check_convergence()` is the oracle of every scenario (see tests/faults/README.md):

1. every op of every desk's outbox is in `applied_op` exactly once and nothing else is;
   each desk's op state agrees with the central result; `change_log` has no duplicate
   (entity, id, version), no gap in `server_seq`, and every row's versions 1..v each
   come from exactly one applied op (an op applied twice would show as a version more);
2. no case number twice, centrally or on any desk, and no counter below a number its
   desk has already used centrally;
3. per synced table, each desk's rows within its scope equal the central rows within
   it: same count and same hash of the sorted (id, version) pairs; no desk row that
   never reached the center and none outside the desk's scope;
4. no op left pending on any desk;
5. the central conflicts are exactly the ones the scenario made.

The same functions drive the quick form (pytest, tests/faults) and the long form
(tools/fault_soak.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from desk_app import __version__
from desk_app.models import Base, DeskIdentity, SyncState, User
from desk_app.models import central as schema
from desk_app.models.db import backup_to
from desk_app.services import cases, demo, users
from desk_app.services.cases import CaseInput, CaseRef, PartyInput, register_case
from desk_app.services.desk import Desk, InitInput, initialise, open_desk
from desk_app.services.roles import Actor, Role
from desk_app.services.settings import SYNC_PAGE_SIZE
from desk_app.services.sync import central, enroll
from desk_app.services.sync.engine import BATCH_SIZE, SyncEngine, SyncSummary
from desk_app.services.sync.store import CASE_CHILDREN, CentralStore

ROOT = Path(__file__).resolve().parents[2]
VERSION = __version__
#: The `desk` role's password (tests/integration/conftest.py); sync processes get it by env.
DESK_PASSWORD = "desk"
KILLED = -signal.SIGKILL
PUSH_POINTS = ("push.before_send", "push.after_central_commit", "push.before_local_commit")
#: Pull pages of the desks under test: small, so a backlog of 150 cases spans several.
PAGE_SIZE = 500
PULL_POINTS = ("pull.mid_page", "pull.after_page")
KILL_POINTS = PUSH_POINTS + PULL_POINTS
#: Seconds any single sync process may take before the harness calls it hung.
PROCESS_TIMEOUT = 120.0

CITY = "532801"  # 景洪市
MENGLONG = "532801103"  # 勐龙镇
YUNJINGHONG = "532801001"  # 允景洪街道
MENGLONG_VILLAGE = "532801103201"

_PULLED_RE = re.compile(r"拉取 (\d+) 行")
_CASE_NO_RE = re.compile(r"〔(\d{4})〕([A-Z0-9]+)-(\d+)$")


# --- the central database ------------------------------------------------------------------


@dataclass
class Center:
    """The central database of one scenario: its name, desk-role URL and an engine."""

    pg: Any  # tests.integration.conftest.PgServer
    db: str
    url: str

    def __post_init__(self) -> None:
        self.engine: Engine = central.connect(central.central_url(self.url))

    @classmethod
    def create(cls, pg: Any, url: str) -> Center:
        db = url.rsplit("/", 1)[1]
        made = cls(pg, db, url)
        central.upgrade(made.engine)
        return made

    def dispose(self) -> None:
        self.engine.dispose()

    def rows(self, query: str, params: dict[str, Any] | None = None) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(sa.text(query), params or {}))

    def scalar(self, query: str, params: dict[str, Any] | None = None) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(sa.text(query), params or {}).scalar()

    def superuser(self, query: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        """One statement as the `postgres` superuser on this database (autocommit)."""
        rows: list[tuple[Any, ...]] = self.pg.execute(query, params, db=self.db)
        return rows

    def sequence(self) -> int:
        return int(self.scalar("SELECT value FROM sync_sequence WHERE id = 1"))

    def applied_count(self, op_ids: Iterable[uuid.UUID]) -> int:
        ids = list(op_ids)
        if not ids:
            return 0
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count())
                    .select_from(schema.applied_op)
                    .where(schema.applied_op.c.op_id.in_(ids))
                ).scalar_one()
            )

    def desk_backends_waiting(self) -> int:
        """Sessions of desk processes on this database waiting for a lock right now."""
        rows = self.superuser(
            "SELECT count(DISTINCT l.pid) FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
            "WHERE NOT l.granted AND a.datname = %s AND a.application_name = 'desk_app'",
            (self.db,),
        )
        return int(rows[0][0])

    def terminate_desk_backends(self) -> int:
        """End the desk processes' sessions (a dropped connection), not the test's own."""
        rows = self.superuser(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND application_name = 'desk_app'",
            (self.db,),
        )
        return sum(1 for (ok,) in rows if ok)


# --- gates: holding a desk's push at a chosen statement ------------------------------------

GATE_KEY = 424242


def install_gate(center: Center, table: str, condition: str) -> None:
    """Make inserts into `table` for which `condition` (SQL on NEW) holds wait for the gate.

    The wait is `pg_advisory_xact_lock_shared(GATE_KEY)`: free unless a `Gate` holds the
    key, and then it blocks inside the pushing transaction, exactly there.
    """
    center.superuser(
        f"""
        CREATE OR REPLACE FUNCTION fault_gate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF {condition} THEN PERFORM pg_advisory_xact_lock_shared({GATE_KEY}); END IF;
            RETURN NEW;
        END $$;
        """
    )
    center.superuser(f"DROP TRIGGER IF EXISTS fault_gate ON {table}")
    center.superuser(
        f"CREATE TRIGGER fault_gate BEFORE INSERT ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION fault_gate()"
    )


def remove_gate(center: Center, table: str) -> None:
    center.superuser(f"DROP TRIGGER IF EXISTS fault_gate ON {table}")


class Gate:
    """Holds the gate key (a superuser session) until `release()`."""

    def __init__(self, center: Center) -> None:
        self.conn = psycopg.connect(center.pg.conninfo(center.db), autocommit=True)
        self.conn.execute("SELECT pg_advisory_lock(%s)", (GATE_KEY,))
        self.pid = self.conn.info.backend_pid

    def release(self) -> None:
        with contextlib.suppress(psycopg.Error):  # the server may have been restarted
            self.conn.close()


class RowLock:
    """`BEGIN; SELECT value FROM sync_sequence WHERE id = 1 FOR UPDATE` until `release()`."""

    def __init__(self, center: Center) -> None:
        self.conn = psycopg.connect(center.pg.conninfo(center.db))
        self.value = self.conn.execute(
            "SELECT value FROM sync_sequence WHERE id = 1 FOR UPDATE"
        ).fetchone()

    def release(self) -> None:
        with contextlib.suppress(psycopg.Error):
            self.conn.rollback()
            self.conn.close()


def wait_until(
    what: str, condition: Callable[[], bool], timeout: float = 60.0, every: float = 0.05
) -> None:
    """Poll `condition` until it holds; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def wait_for_waiters(
    center: Center, count: int, procs: Sequence[subprocess.Popen[str]] = (), timeout: float = 60
) -> None:
    """Until `count` desk sessions wait on a lock; fail early if a process exits instead."""

    def ready() -> bool:
        for proc in procs:
            if proc.poll() is not None:
                out, err = proc.communicate()
                raise AssertionError(
                    f"sync process ended ({proc.returncode}) instead of waiting:\n{out}{err}"
                )
        return center.desk_backends_waiting() >= count

    wait_until(f"{count} desk session(s) waiting on a lock", ready, timeout)


# --- desks -----------------------------------------------------------------------------------


def make_template(root: Path) -> Path:
    """The template desk database (as tests/conftest.py's template_db): admin, clerk1."""
    desk = open_desk(root)
    admin = initialise(
        desk,
        InitInput(
            center_name="景洪市综治中心",
            desk_code="D03",
            admin_username="admin",
            admin_full_name="管理员甲",
            admin_password="admin-pass-1",
        ),
    )
    with desk.uow(admin) as uow:
        users.add_user(
            uow, users.UserInput("clerk1", "岩温", "clerk-pass-1", frozenset({Role.CLERK}))
        )
    desk.close()
    return root / "desk.db"


def actor_of(desk: Desk, username: str) -> Actor:
    with desk.db.read() as s:
        user = s.scalars(sa.select(User).where(User.username == username)).one()
        return Actor(user.username, user.full_name, frozenset(Role(r) for r in user.roles), user.id)


def sample_case(title: str = "宅基地边界争议", division: str = MENGLONG_VILLAGE) -> CaseInput:
    return CaseInput(
        title=title,
        dispute_type_code="03",
        division_code=division,
        facts="双方因宅基地边界发生争议。",
        parties=(
            PartyInput(
                name="玉香",
                role="applicant",
                id_type="resident_id",
                id_number="11010519491231002X",
                phone="13800138000",
            ),
            PartyInput(name="岩温", role="respondent"),
        ),
    )


@dataclass(frozen=True)
class SyncRun:
    """One finished `desk-app sync --once` process."""

    desk: str
    returncode: int
    stdout: str
    stderr: str
    fault: str | None = None

    @property
    def killed(self) -> bool:
        return self.returncode == KILLED

    @property
    def pulled(self) -> int:
        found = _PULLED_RE.search(self.stdout)
        return int(found.group(1)) if found else 0

    def describe(self) -> str:
        fault = f" with {self.fault}" if self.fault else ""
        return (
            f"sync of {self.desk}{fault} ended with {self.returncode}\n"
            f"stdout: {self.stdout.strip()}\nstderr: {self.stderr.strip()[-2000:]}"
        )


@dataclass(frozen=True)
class FaultDesk:
    """A desk's data folder, its code and its scope."""

    code: str
    root: Path
    scope: tuple[str, ...]

    # --- processes ------------------------------------------------------------------------

    def env(self, fault: str | None = None) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("PG") and k not in ("DESK_APP_FAULT", "DESK_APP_DATA")
        }
        env["DESK_APP_CENTRAL_PASSWORD"] = DESK_PASSWORD
        if fault:
            env["DESK_APP_FAULT"] = fault
        return env

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "desk_app", "--data-dir", str(self.root), *args]

    def cli(self, *args: str, timeout: float = PROCESS_TIMEOUT) -> str:
        """Run a desk-app command on this folder; its stdout (fails on a non-zero exit)."""
        done = subprocess.run(
            self.command(*args), capture_output=True, text=True, env=self.env(),
            stdin=subprocess.DEVNULL, timeout=timeout, cwd=ROOT, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise AssertionError(
                f"desk-app {' '.join(args)} on {self.code} failed ({done.returncode}):\n"
                f"{done.stdout}{done.stderr}"
            )
        return done.stdout

    def start_sync(
        self, fault: str | None = None, *, loop_interval: float | None = None, stdout: Any = None
    ) -> subprocess.Popen[str]:
        args = ["sync", "--interval", str(loop_interval)] if loop_interval else ["sync", "--once"]
        return subprocess.Popen(
            self.command(*args), stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL, text=True, env=self.env(fault), cwd=ROOT,
        )  # fmt: skip

    def finish(
        self,
        proc: subprocess.Popen[str],
        fault: str | None = None,
        timeout: float = PROCESS_TIMEOUT,
    ) -> SyncRun:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            raise AssertionError(f"sync of {self.code} hung:\n{out}{err}") from None
        return SyncRun(self.code, proc.returncode, out or "", err or "", fault)

    def sync(self, fault: str | None = None, *, check: bool = True) -> SyncRun:
        """`desk-app sync --once`, in a process of its own (killed at `fault` if given)."""
        run = self.finish(self.start_sync(fault), fault)
        if check and run.returncode != 0:
            raise AssertionError(run.describe())
        return run

    # --- in this process (the desk must not be used by a process meanwhile) --------------

    @contextlib.contextmanager
    def open(self) -> Iterator[Desk]:
        desk = open_desk(self.root)
        try:
            yield desk
        finally:
            desk.close()

    def register(
        self, count: int = 1, *, division: str = MENGLONG_VILLAGE, user: str = "clerk1"
    ) -> list[CaseRef]:
        with self.open() as desk:
            actor = actor_of(desk, user)
            return [
                register_case(desk, actor, sample_case(f"{self.code} 第{i + 1}件", division))
                for i in range(count)
            ]

    def correct(self, case_id: uuid.UUID, user: str, reason: str, **changes: Any) -> None:
        """Correct a case here as `user` (a patch op per changed field, an event)."""
        with self.open() as desk:
            form = cases.load_input(desk.db, case_id)
            cases.correct_case(desk, actor_of(desk, user), case_id, replace(form, **changes),
                               reason)  # fmt: skip

    def add_party(self, case_id: uuid.UUID, user: str, name: str) -> None:
        """Add a third party to a case (a party create and an event; the case row as is)."""
        with self.open() as desk:
            form = cases.load_input(desk.db, case_id)
            form = replace(form, parties=(*form.parties, PartyInput(name=name, role="third_party")))
            cases.correct_case(desk, actor_of(desk, user), case_id, form, "补充第三人")

    def void(self, case_id: uuid.UUID, user: str, reason: str) -> None:
        with self.open() as desk:
            cases.void_case(desk, actor_of(desk, user), case_id, reason)

    def demo(self, count: int, seed: int) -> None:
        """What `desk-app demo --cases N --seed S` writes on this (initialised) folder: cases
        across the whole city by clerk1, with corrections, voids, enquiries, attachments."""
        with self.open() as desk:
            demo.generate(desk, count, seed)

    def sync_here(self, center: Center) -> SyncSummary:
        """`sync --once` in this process (what cmd_sync runs, without a process start)."""
        with self.open() as desk:
            return SyncEngine(
                desk, CentralStore(center.engine, self.code), VERSION, page_size=PAGE_SIZE
            ).sync_once()

    # --- reading the desk database directly -----------------------------------------------

    @contextlib.contextmanager
    def read(self) -> Iterator[sa.Connection]:
        engine = sa.create_engine(f"sqlite:///{self.root / 'desk.db'}")
        try:
            with engine.connect() as conn:
                yield conn
        finally:
            engine.dispose()

    def outbox(self) -> list[Any]:
        table = Base.metadata.tables["outbox"]
        with self.read() as conn:
            return list(
                conn.execute(
                    sa.select(table.c.seq, table.c.op_id, table.c.state, table.c.entity,
                              table.c.entity_id, table.c.kind).order_by(table.c.seq)
                )
            )  # fmt: skip

    def op_ids(self) -> set[uuid.UUID]:
        return {row.op_id for row in self.outbox()}

    def pending(self) -> int:
        return sum(1 for row in self.outbox() if row.state == "pending")

    def done(self) -> int:
        """Ops the desk has recorded a central result for."""
        return sum(1 for row in self.outbox() if row.state != "pending")

    def cursor(self) -> int:
        with self.read() as conn:
            return int(conn.execute(sa.text("SELECT pull_cursor FROM sync_state")).scalar_one())

    def counters(self) -> dict[tuple[str, int], int]:
        with self.read() as conn:
            return {
                (name, year): value
                for name, year, value in conn.execute(
                    sa.text("SELECT name, year, value FROM desk_counters")
                )
            }


def new_desk(
    root: Path, template_db: Path, code: str, scope: Sequence[str], center: Center
) -> FaultDesk:
    """A desk folder from the template (as tests/integration/test_sync.make_desk), enrolled."""
    folder = root / code
    folder.mkdir(parents=True)
    backup_to(template_db, folder / "desk.db")
    desk = open_desk(folder)
    try:
        with desk.db.write_session() as s, s.begin():
            identity = s.get(DeskIdentity, 1)
            assert identity is not None
            identity.desk_code = code
            identity.install_id = uuid.uuid4()
            state = s.get(SyncState, 1)
            assert state is not None
            state.desk_code = code
    finally:
        desk.close()
    desk = open_desk(folder)
    try:
        enroll.enroll(desk, central.central_url(center.url), code, tuple(scope), VERSION)
        desk.settings.set(SYNC_PAGE_SIZE, PAGE_SIZE)
    finally:
        desk.close()
    return FaultDesk(code, folder, tuple(scope))


def settle(desks: Sequence[FaultDesk], center: Center, max_rounds: int = 10) -> int:
    """Sync rounds until nothing is pending anywhere and two rounds in a row pulled nothing.

    The rounds run `sync --once` in this process (`FaultDesk.sync_here`): the faults
    under test happen in the desk processes before; starting a process per desk and
    round would cost about a second each. Returns the number of rounds it took.
    """
    quiet = 0
    for number in range(1, max_rounds + 1):
        pulled = [d.sync_here(center).pulled for d in desks]
        pending = sum(d.pending() for d in desks)
        quiet = quiet + 1 if pending == 0 and not any(pulled) else 0
        if quiet >= 2:
            return number
    raise AssertionError(f"desks did not become quiescent in {max_rounds} sync rounds")


# --- the convergence check -------------------------------------------------------------------

#: (desk code, entity, kind, field) of a central conflict.
ConflictKey = tuple[str, str, str, str | None]


def _scope_columns(name: str, table: sa.Table) -> list[sa.ColumnElement[Any]]:
    cols: list[sa.ColumnElement[Any]] = [table.c.id, table.c.version, table.c.origin_desk]
    if name in ("cases", "enquiries"):
        cols.append(table.c.division_code.label("division_code"))
    if name in CASE_CHILDREN:
        cols.append(table.c[CASE_CHILDREN[name]].label("case_id"))
    if name == "cases":
        cols.append(table.c.case_no)
    return cols


def _table_rows(conn: sa.Connection, tables: sa.MetaData, name: str) -> dict[uuid.UUID, Any]:
    table = tables.tables[name]
    return {row.id: row for row in conn.execute(sa.select(*_scope_columns(name, table)))}


def _place(name: str, row: Any, cases: dict[uuid.UUID, Any]) -> tuple[str, str] | None:
    """(division code, origin desk) that decides who sees a row; "" = every desk.

    None for a case's row whose case is unknown (an orphan).
    """
    if name == "cases":
        return str(row.division_code), str(row.origin_desk)
    if name in CASE_CHILDREN:
        case = cases.get(row.case_id)
        return None if case is None else (str(case.division_code), str(case.origin_desk))
    if name == "enquiries":
        return str(row.division_code or ""), str(row.origin_desk)
    return "", str(row.origin_desk or "")


def _visible(place: tuple[str, str], desk: FaultDesk) -> bool:
    division, origin = place
    if not division or origin == desk.code:
        return True
    return any(division.startswith(code) for code in desk.scope if code.isdigit())


def _digest(pairs: set[tuple[uuid.UUID, int]]) -> str:
    text = "\n".join(f"{i}:{v}" for i, v in sorted(pairs, key=lambda p: (str(p[0]), p[1])))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _few(items: Iterable[Any], n: int = 5) -> str:
    items = sorted(items, key=str)
    more = f" … and {len(items) - n} more" if len(items) > n else ""
    return ", ".join(str(i) for i in items[:n]) + more


def check_convergence(
    center: Center,
    desks: Sequence[FaultDesk],
    expected_conflicts: Iterable[ConflictKey] = (),
    *,
    lost_ops: Iterable[uuid.UUID] = (),
) -> list[str]:
    """Every violation of the five convergence properties (empty when all hold).

    `lost_ops` are ops applied centrally that no desk holds any more (a desk restored
    from a backup older than them).
    """
    problems: list[str] = []
    lost = set(lost_ops)

    # 1. ops applied exactly once ----------------------------------------------------------
    desk_ops: dict[uuid.UUID, list[tuple[str, str]]] = {}
    outboxes = {d.code: d.outbox() for d in desks}
    for code, rows in outboxes.items():
        for row in rows:
            desk_ops.setdefault(row.op_id, []).append((code, row.state))
    with center.engine.connect() as conn:
        applied = {r.op_id: r for r in conn.execute(sa.select(schema.applied_op))}
        log = list(
            conn.execute(sa.select(schema.change_log).order_by(schema.change_log.c.server_seq))
        )
        sequence = conn.execute(sa.select(schema.sync_sequence.c.value)).scalar_one()
        conflicts = list(conn.execute(sa.select(schema.sync_conflict)))
        central_rows = {name: _table_rows(conn, schema.central_metadata, name)
                        for name in schema.SYNCED_TABLES}  # fmt: skip
        central_counters = {
            (r.desk_code, r.name, r.year): r.value
            for r in conn.execute(sa.select(schema.desk_counter))
        }
    never = set(desk_ops) - set(applied)
    if never:
        problems.append(f"ops never applied centrally: {_few(never)}")
    unknown = set(applied) - set(desk_ops) - lost
    if unknown:
        problems.append(f"ops applied centrally that no desk made: {_few(unknown)}")
    states = {"applied": "acked", "conflict": "conflict", "rejected": "rejected"}
    disagree = [
        f"{op_id} ({code}: {state}, center: {applied[op_id].result})"
        for op_id, holders in desk_ops.items()
        if op_id in applied
        for code, state in holders
        if state != "pending" and state != states[applied[op_id].result]
    ]
    if disagree:
        problems.append(f"desk op states disagree with the center: {_few(disagree)}")
    seqs = [e.server_seq for e in log]
    if seqs != list(range(1, len(seqs) + 1)) or (seqs and seqs[-1] != sequence):
        gaps = sorted(set(range(1, (seqs[-1] if seqs else 0) + 1)) - set(seqs))
        problems.append(
            f"change_log server_seq not 1..{sequence} without gaps (missing {_few(gaps)}, "
            f"{len(seqs)} entries)"
        )
    versions = Counter((e.entity, e.entity_id, e.version) for e in log)
    doubled = [k for k, n in versions.items() if n > 1]
    if doubled:
        problems.append(f"change_log has (entity, id, version) twice: {_few(doubled)}")
    # Each conflict the center records goes out once in the change log (version 1), by no
    # op of its own; every other entry is the change of exactly one applied op.
    raised = [e for e in log if e.entity == "sync_conflict" and e.version == 1]
    if sorted(e.entity_id for e in raised) != sorted(c.id for c in conflicts):
        problems.append("not every conflict went out once in the change log")
    logged_seqs = {r.server_seq for r in applied.values() if r.server_seq is not None}
    if logged_seqs != set(seqs) - {e.server_seq for e in raised} or len(logged_seqs) != sum(
        1 for r in applied.values() if r.server_seq is not None
    ):
        problems.append("applied_op.server_seq and change_log entries do not match one to one")
    per_row = Counter((e.entity, e.entity_id) for e in log)
    for name, rows in central_rows.items():
        for row_id, row in rows.items():
            if per_row.get((name, row_id), 0) != row.version:
                problems.append(
                    f"central {name} {row_id} is at version {row.version} but "
                    f"{per_row.get((name, row_id), 0)} applied changes are logged for it"
                )

    # 2. no number twice; counters above every number used ---------------------------------
    central_cases = central_rows["cases"]
    twice = [no for no, n in Counter(r.case_no for r in central_cases.values()).items() if n > 1]
    if twice:
        problems.append(f"case numbers twice centrally: {_few(twice)}")
    used: dict[tuple[str, int], int] = {}
    for row in central_cases.values():
        found = _CASE_NO_RE.search(row.case_no)
        if found:
            key = (found.group(2), int(found.group(1)))
            used[key] = max(used.get(key, 0), int(found.group(3)))
    for desk in desks:
        with desk.read() as conn:
            local_numbers = list(conn.execute(sa.text("SELECT case_no FROM cases")).scalars())
        twice = [no for no, n in Counter(local_numbers).items() if n > 1]
        if twice:
            problems.append(f"case numbers twice on {desk.code}: {_few(twice)}")
        counters = desk.counters()
        for (code, year), top in used.items():
            if code != desk.code:
                continue
            if counters.get(("case", year), 0) < top:
                problems.append(
                    f"{desk.code}'s case counter for {year} is {counters.get(('case', year), 0)}"
                    f" but number {top} is already used centrally"
                )
            if central_counters.get((code, "case", year), 0) < top:
                problems.append(f"central counter of {code} for {year} is below {top}")

    # 3. each desk's rows in scope equal the central rows in scope ------------------------
    for name, rows in central_rows.items():
        if name in CASE_CHILDREN:
            orphans = [i for i, r in rows.items() if r.case_id not in central_cases]
            if orphans:
                problems.append(f"central {name} without their case: {_few(orphans)}")
    all_ids = Counter(i for rows in central_rows.values() for i in rows)
    twice_ids = [i for i, n in all_ids.items() if n > 1]
    if twice_ids:
        problems.append(f"ids used by rows of two tables centrally: {_few(twice_ids)}")
    last_seq = {(e.entity, e.entity_id): e.server_seq for e in log}
    cursors = {d.code: d.cursor() for d in desks}
    for desk in desks:
        with desk.read() as conn:
            local = {name: _table_rows(conn, Base.metadata, name) for name in schema.SYNCED_TABLES}
        for name in schema.SYNCED_TABLES:
            rows = central_rows[name]
            want = set()
            for row_id, row in rows.items():
                place = _place(name, row, central_cases)
                if place is not None and _visible(place, desk):
                    want.add((row_id, row.version))
            mine = local[name]
            never_sent = [i for i in mine if i not in rows]
            if never_sent:
                problems.append(
                    f"{desk.code} has {name} rows the center never got: {_few(never_sent)}"
                )
            wanted_ids = {i for i, _v in want}
            outside = [i for i in mine if i in rows and i not in wanted_ids]
            if outside:
                problems.append(f"{desk.code} holds {name} rows outside its scope: {_few(outside)}")
            have = {(i, r.version) for i, r in mine.items() if i in wanted_ids}
            if len(have) != len(want) or _digest(have) != _digest(want):
                missing = {i for i, _v in want} - {i for i, _v in have}
                passed = [i for i in missing if last_seq.get((name, i), 0) <= cursors[desk.code]]
                if passed:
                    problems.append(
                        f"{desk.code} pulled past {len(passed)} {name} rows of its scope "
                        f"(cursor {cursors[desk.code]} ≥ their last change) without keeping "
                        f"them: {_few(passed)}"
                    )
                stale = {
                    f"{i} v{mine[i].version}≠v{rows[i].version}"
                    for i, _v in have
                    if mine[i].version != rows[i].version
                }
                problems.append(
                    f"{desk.code} {name}: {len(have)} rows (hash {_digest(have)}) but the center "
                    f"has {len(want)} in its scope (hash {_digest(want)}); missing "
                    f"{_few(missing)}; other version {_few(stale)}"
                )

    # 4. nothing pending --------------------------------------------------------------------
    for code, rows in outboxes.items():
        left = [r.op_id for r in rows if r.state == "pending"]
        if left:
            problems.append(f"{code} has {len(left)} ops still pending: {_few(left)}")

    # 5. the conflicts the scenario made, no more, no fewer ---------------------------------
    got = Counter((c.desk_code, c.entity, c.kind, c.field) for c in conflicts)
    want_conflicts = Counter(expected_conflicts)
    if got != want_conflicts:
        problems.append(
            f"conflicts {sorted(got.elements(), key=str)} but the scenario made "
            f"{sorted(want_conflicts.elements(), key=str)}"
        )
    for c in conflicts:
        if c.op_id not in applied or applied[c.op_id].result != "conflict":
            problems.append(f"conflict {c.id} belongs to no op answered as a conflict")
    return problems


def assert_converged(
    center: Center,
    desks: Sequence[FaultDesk],
    expected_conflicts: Iterable[ConflictKey] = (),
    *,
    lost_ops: Iterable[uuid.UUID] = (),
    scenario: str = "",
) -> None:
    problems = check_convergence(center, desks, expected_conflicts, lost_ops=lost_ops)
    if problems:
        head = f"scenario {scenario!r}: " if scenario else ""
        raise AssertionError(
            f"{head}desks and center did not converge ({len(problems)} violations):\n- "
            + "\n- ".join(problems)
        )


def rows_beyond_cursor(center: Center, desk: FaultDesk) -> list[str]:
    """Pulled rows on `desk` that no change at or below its committed cursor brought.

    A page delivers rows whose change lies in (cursor, new cursor], with their current
    values, and commits them with the new cursor. So a pulled row (version > 0) must
    have its first change at or below the cursor; one beyond it means a page was
    written without its cursor.
    """
    cursor = desk.cursor()
    with center.engine.connect() as conn:
        first = {
            (entity, entity_id): seq
            for entity, entity_id, seq in conn.execute(
                sa.select(schema.change_log.c.entity, schema.change_log.c.entity_id,
                          sa.func.min(schema.change_log.c.server_seq))
                .group_by(schema.change_log.c.entity, schema.change_log.c.entity_id)
            )
        }  # fmt: skip
    found: list[str] = []
    with desk.read() as conn:
        for name in schema.SYNCED_TABLES:
            table = Base.metadata.tables[name]
            for row in conn.execute(
                sa.select(table.c.id, table.c.version).where(table.c.version > 0)
            ):
                seq = first.get((name, row.id))
                if seq is not None and seq > cursor:
                    found.append(
                        f"{desk.code} has {name} {row.id} v{row.version}, first logged at "
                        f"{seq}, beyond its committed cursor {cursor}"
                    )
    return found


# --- kill-point scenarios (the quick form runs them once; tools/fault_soak.py many times) ---


@dataclass
class World:
    """What a scenario needs: the center and a template to make desks from."""

    center: Center
    template_db: Path
    root: Path

    def desk(self, code: str, *scope: str) -> FaultDesk:
        return new_desk(self.root, self.template_db, code, scope, self.center)


@dataclass
class KillOutcome:
    point: str
    nth: int
    #: The first run died at its kill point (it may finish instead when N is not reached).
    killed: bool = False
    #: SIGKILLs in this scenario: the first and any chained ones.
    kills: int = 0
    faults: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _reach(point: str, victim: FaultDesk, center: Center) -> int:
    """How many times the victim's next sync reaches `point` (push batches or pull pages)."""
    if point in PUSH_POINTS:
        return max(1, -(-victim.pending() // BATCH_SIZE))
    # Each pushed op of the victim logs one change before its pull starts.
    entries = center.sequence() + victim.pending() - victim.cursor()
    return max(1, -(-entries // PAGE_SIZE))


def kill_point_scenario(
    world: World,
    point: str,
    nth: int,
    seed: int,
    *,
    backlog: int = 150,
    rng: random.Random | None = None,
    chain: float = 0.0,
) -> KillOutcome:
    """A sync process killed at `point` the `nth` time it gets there, then run again.

    Desk D01 (the whole city) carries a backlog of `backlog` demo cases (several push
    batches, several pull pages); D05 (the city too) has a few cases of its own and pulls
    D01's backlog; D02 (勐龙镇) sees only its township. Push points kill D01's first sync;
    pull points kill D05's sync after D01 has pushed everything.

    With `rng` (the long form): `nth` <= 0 picks N at random among the times the point
    will be reached, and with probability `chain` (repeatedly, up to 3 times) the rerun
    is killed again at a random point before the clean run.
    """
    a = world.desk("D01", CITY)
    b = world.desk("D02", MENGLONG)
    c = world.desk("D05", CITY)
    a.demo(backlog, seed)
    c.demo(max(backlog // 25, 3), seed + 1)
    b.register(2)
    victim = a if point in PUSH_POINTS else c
    if point in PULL_POINTS:
        a.sync()
    if nth <= 0:
        assert rng is not None, "a random N needs an rng"
        nth = rng.randint(1, _reach(point, victim, world.center))
    outcome = KillOutcome(point, nth)
    before_done = victim.done()
    before_cursor = victim.cursor()
    fault = f"{point}:{nth}"
    outcome.faults.append(fault)
    run = victim.sync(fault, check=False)
    outcome.killed = run.killed
    outcome.kills += int(run.killed)
    if run.returncode not in (0, KILLED):
        outcome.problems.append(run.describe())
        return outcome
    if run.killed:
        outcome.problems += _state_at_kill(world.center, victim, point, nth, before_done,
                                           before_cursor)  # fmt: skip
    while rng is not None and len(outcome.faults) < 4 and rng.random() < chain:
        extra_point = rng.choice(KILL_POINTS)
        extra = f"{extra_point}:{rng.randint(1, _reach(extra_point, victim, world.center))}"
        outcome.faults.append(extra)
        again = victim.sync(extra, check=False)
        outcome.kills += int(again.killed)
        if again.returncode not in (0, KILLED):
            outcome.problems.append(again.describe())
            return outcome
    victim.sync()  # without a fault: it must finish
    if victim.pending():
        outcome.problems.append(f"{victim.code} still has pending ops after a clean rerun")
    settle([a, b, c], world.center)
    outcome.problems += check_convergence(world.center, [a, b, c])
    return outcome


def _state_at_kill(
    center: Center, victim: FaultDesk, point: str, nth: int, before_done: int, before_cursor: int
) -> list[str]:
    """What the kill point promises about the state at the moment of death."""
    problems: list[str] = []
    ops = victim.op_ids()
    done = victim.done()
    on_center = center.applied_count(ops)
    if point == "push.before_send":
        # Batches 1..nth-1 went through; the nth was read but never sent.
        if on_center != done or done - before_done != (nth - 1) * BATCH_SIZE:
            problems.append(
                f"at {point}:{nth} the center has {on_center} of the desk's ops and the desk "
                f"recorded {done}; expected both {(nth - 1) * BATCH_SIZE} (+{before_done})"
            )
    elif point in ("push.after_central_commit", "push.before_local_commit"):
        # The nth batch is committed centrally; the desk has not recorded it.
        recorded = (nth - 1) * BATCH_SIZE
        if done - before_done != recorded or not 0 < on_center - done <= BATCH_SIZE:
            problems.append(
                f"at {point}:{nth} the center has {on_center} of the desk's ops and the desk "
                f"recorded {done} (expected {recorded} + {before_done} recorded and the "
                f"nth batch only centrally)"
            )
    else:
        # The cursor stands at a page boundary: whole pages only, the one being written
        # at a kill mid-page rolled back. (pull.mid_page may be reached more than once a
        # page, so its N-th time lies in page N or before.)
        cursor = victim.cursor()
        seqs = [
            s
            for (s,) in center.rows(
                "SELECT server_seq FROM change_log WHERE server_seq > :c ORDER BY server_seq",
                {"c": before_cursor},
            )
        ]
        bounds = [before_cursor] + [
            seqs[min(k * PAGE_SIZE, len(seqs)) - 1] for k in range(1, nth + 1) if seqs
        ]
        allowed = bounds[nth : nth + 1] if point == "pull.after_page" else bounds[:nth]
        if cursor not in allowed:
            problems.append(
                f"at {point}:{nth} the desk's cursor is {cursor}, expected one of {allowed} "
                f"(page boundaries of {PAGE_SIZE} entries after {before_cursor})"
            )
        problems += rows_beyond_cursor(center, victim)
    return problems
