"""`desk-app bench`: sync figures against PostgreSQL on loopback, each beside a bare baseline.

Starts a throwaway cluster (`desk_app.devtools.pgserver`; without the PostgreSQL server
binaries the figures are skipped with a line saying why) and, for each run:

* push: a copy of the demo desk, enrolled in a fresh central database, pushes the first
  `PUSH_OPS` ops of its outbox (`SyncEngine.push`, batches of 200, one PostgreSQL
  transaction each). Baseline: the rows of the same ops, decoded from their payloads and
  written straight into a second fresh database with the same schema, in one
  transaction (an executemany per table).
* first pull: a fresh desk (a copy of a newly initialised one, another desk code, scope
  `PULL_SCOPE`) pulls everything from a central database holding the demo's whole
  outbox until caught up (`SyncEngine.pull`, pages of 500, one SQLite transaction each).
  Baseline: `SELECT *` of each table the change log names, fetched into Python, and an
  executemany per table into an empty copy of the desk schema, in one SQLite
  transaction. Afterwards the desk must hold every case row the center holds.

The central database for the pulls is the first run's push database after the rest of
the outbox has been pushed to it (untimed). The target of both figures is at most twice
the baseline of the same run. With a small demo folder the figures cover the ops and
cases there are; their notes say so.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from desk_app import __version__
from desk_app.devtools import pgserver
from desk_app.models import Base, Case, Outbox, SyncState
from desk_app.models import central as schema
from desk_app.models.db import backup_to
from desk_app.services.desk import Desk, InitInput, initialise, open_desk
from desk_app.services.sync import central, enroll
from desk_app.services.sync.codec import decode_row
from desk_app.services.sync.engine import BATCH_SIZE, PAGE_SIZE, SyncEngine
from desk_app.services.sync.store import CentralStore

if TYPE_CHECKING:  # bench imports this module: take Figure from it only when called
    from desk_app.bench import Figure

Progress = Callable[[str], None]

PUSH_OPS = 50_000
PULL_CASES = 100_000
PULL_SCOPE = "532801"
TARGET_RATIO = 2.0
#: Tables of matters (a fresh desk has no rows of its own in them).
CASE_TABLES = ("cases", "parties", "case_events", "attachments", "enquiries")
#: How often a long untimed step reports how far it is.
PROGRESS_SECONDS = 15.0


class _OpRow(NamedTuple):
    entity: str
    kind: str
    entity_id: uuid.UUID
    payload: dict[str, Any]


@dataclass(frozen=True)
class _PushRun:
    ms: float
    baseline_ms: float
    ops: int
    applied: int
    inserted: int
    updated: int


@dataclass(frozen=True)
class _PullRun:
    ms: float
    baseline_ms: float
    read_ms: float
    write_ms: float
    pulled: int
    read_rows: int
    cases: int
    clashes: int
    tables: tuple[str, ...]
    #: Rows of a case table the center holds and the desk did not get, per table.
    missing: dict[str, int]


def _throttled(progress: Progress, prefix: str) -> Progress:
    last = [time.monotonic()]

    def report(message: str) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_SECONDS:
            last[0] = now
            progress(f"{prefix}{message}")

    return report


def _central_engine(server: pgserver.PgServer, db: str) -> Engine:
    """The `desk` role over TCP on 127.0.0.1, as a desk connects."""
    return central.connect(central.central_url(server.url(db)))


def _new_central(server: pgserver.PgServer, db: str) -> Engine:
    server.create_database(db)
    engine = _central_engine(server, db)
    central.upgrade(engine)
    return engine


def _warm(engine: Engine) -> None:
    """A pooled connection ready, so no timing includes logging in (scram-sha-256)."""
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))


def _enroll(desk: Desk, server: pgserver.PgServer, db: str, scope: str) -> None:
    # Over the superuser's socket URL, which has no password: enroll keeps a URL's
    # password in the system keyring where there is one, and the bench leaves none behind.
    # The timed engines are the `desk` role's over TCP.
    url = central.central_url(server.superuser_url(db))
    enroll.enroll(desk, url, desk.identity.desk_code, (scope,), __version__)


def _copy_desk(src_db: Path, folder: Path) -> Desk:
    folder.mkdir(parents=True)
    backup_to(src_db, folder / "desk.db")
    return open_desk(folder)


# --- push ------------------------------------------------------------------------------


def _hold_back(desk: Desk, limit: int) -> tuple[list[_OpRow], int | None]:
    """Every op pending and the cursor at 0, then all but the first `limit` ops acked.

    Returns the ops left pending (entity, kind, entity_id, payload, in order) and the
    last of their seqs (None when the outbox has no more than `limit` ops).
    """
    with desk.db.write_session() as s, s.begin():
        s.execute(
            sa.update(Outbox)
            .where(Outbox.state != "pending")
            .values(state="pending", attempts=0, last_error=None)
            .execution_options(synchronize_session=False)
        )
        state = s.get(SyncState, 1)
        assert state is not None
        state.pull_cursor = 0
        cut = s.scalar(sa.select(Outbox.seq).order_by(Outbox.seq).offset(limit - 1).limit(1))
        last = s.scalar(sa.select(sa.func.max(Outbox.seq)))
        if cut is not None and last is not None and last > cut:
            s.execute(
                sa.update(Outbox)
                .where(Outbox.seq > cut)
                .values(state="acked")
                .execution_options(synchronize_session=False)
            )
        else:
            cut = None
        ops = s.execute(
            sa.select(Outbox.entity, Outbox.kind, Outbox.entity_id, Outbox.payload)
            .where(Outbox.state == "pending")
            .order_by(Outbox.seq)
        ).all()
    return [_OpRow(*op) for op in ops], cut


def _release(desk: Desk, cut: int) -> int:
    """The ops `_hold_back` acked pending again; how many."""
    with desk.db.write_session() as s, s.begin():
        done = s.execute(
            sa.update(Outbox)
            .where(Outbox.seq > cut, Outbox.state == "acked")
            .values(state="pending")
            .execution_options(synchronize_session=False)
        )
        return int(getattr(done, "rowcount", 0) or 0)


def _bare_push(engine: Engine, ops: Sequence[_OpRow]) -> tuple[float, int, int]:
    """Milliseconds to decode the ops' rows and write them in one transaction.

    Creates and appends become an executemany INSERT per table (version 1, as the
    central side sets it); patches and voids an executemany UPDATE by id per table and
    column set. Returns (ms, rows inserted, rows updated).
    """
    tables = schema.central_metadata.tables
    started = time.perf_counter()
    inserts: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
    updates: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
    for entity, kind, entity_id, payload in ops:
        row = decode_row(tables[entity], payload)
        if kind in ("create", "append"):
            row["version"] = 1
            inserts.setdefault((entity, tuple(row)), []).append(row)
        else:
            updates.setdefault((entity, tuple(row)), []).append({**row, "b_id": entity_id})
    with engine.begin() as conn:
        for (entity, _keys), rows in inserts.items():
            conn.execute(tables[entity].insert(), rows)
        for (entity, _keys), rows in updates.items():
            table = tables[entity]
            conn.execute(table.update().where(table.c.id == sa.bindparam("b_id")), rows)
    ms = (time.perf_counter() - started) * 1000.0
    return (
        ms,
        sum(len(r) for r in inserts.values()),
        sum(len(r) for r in updates.values()),
    )


def _push_run(
    server: pgserver.PgServer, root: Path, tmp: Path, i: int, progress: Progress, keep: bool
) -> tuple[_PushRun, str | None]:
    """One timed push and its baseline. With `keep`, the rest of the outbox is then pushed
    too (untimed) and the database kept for the pull figure: its name is returned."""
    db, bare_db = f"bench_push_{i}", f"bench_bare_{i}"
    engine = _new_central(server, db)
    folder = tmp / f"push-{i}"
    desk = _copy_desk(root / "desk.db", folder)
    try:
        _enroll(desk, server, db, PULL_SCOPE)
        ops, cut = _hold_back(desk, PUSH_OPS)
        sync = SyncEngine(desk, CentralStore(engine, desk.identity.desk_code), __version__)
        progress(f"  sync run {i + 1}: pushing {len(ops)} ops …")
        _warm(engine)
        started = time.perf_counter()
        summary = sync.push()
        ms = (time.perf_counter() - started) * 1000.0
        if summary.pushed != len(ops):
            raise RuntimeError(f"pushed {summary.pushed} ops, expected {len(ops)}")
        bare_engine = _new_central(server, bare_db)
        try:
            _warm(bare_engine)
            baseline_ms, inserted, updated = _bare_push(bare_engine, ops)
        finally:
            bare_engine.dispose()
            server.drop_database(bare_db)
        run = _PushRun(ms, baseline_ms, len(ops), summary.applied, inserted, updated)
        if not keep:
            return run, None
        if cut is not None:
            held = _release(desk, cut)
            progress(f"  pushing the other {held} ops of the outbox for the pull (untimed) …")
            rest = SyncEngine(
                desk,
                CentralStore(engine, desk.identity.desk_code),
                __version__,
                progress=_throttled(progress, "    "),
            )
            started = time.perf_counter()
            done = rest.push()
            progress(f"  pushed {done.pushed} more ops in {time.perf_counter() - started:.0f} s")
        return run, db
    finally:
        desk.close()
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)
        if not keep:
            server.drop_database(db)


# --- pull ------------------------------------------------------------------------------


def _template(folder: Path, code: str) -> Path:
    """A newly initialised desk (its own code, its own administrator): its database."""
    desk = open_desk(folder)
    try:
        initialise(
            desk,
            InitInput(
                center_name="景洪市综治中心",
                desk_code=code,
                admin_username="admin",
                admin_password=uuid.uuid4().hex,
            ),
        )
    finally:
        desk.close()
    return folder / "desk.db"


def _logged_tables(engine: Engine) -> list[str]:
    """The synced tables the change log names, parents first (reference tables the central
    migrations fill, and no desk changed, are not pulled)."""
    with engine.connect() as conn:
        named = set(conn.execute(sa.select(schema.change_log.c.entity).distinct()).scalars())
    return [name for name in schema.SYNCED_TABLES if name in named]


def _bare_pull(engine: Engine, desk: Desk, tables: Sequence[str]) -> tuple[float, float, int]:
    """SELECT * of each of `tables` fetched into Python, and an executemany per table
    into the desk (INSERT OR IGNORE, as a pull keeps the desk's own clashing rows), in
    one SQLite transaction. Returns (read ms, write ms, rows read)."""
    read = write = 0.0
    rows_read = 0
    with engine.connect() as conn, desk.db.write_session() as s, s.begin():
        for name in tables:
            started = time.perf_counter()
            result = conn.execute(sa.select(schema.central_metadata.tables[name]))
            rows = [dict(r) for r in result.mappings()]
            read += time.perf_counter() - started
            rows_read += len(rows)
            if rows:
                started = time.perf_counter()
                s.execute(Base.metadata.tables[name].insert().prefix_with("OR IGNORE"), rows)
                write += time.perf_counter() - started
        started = time.perf_counter()
    write += time.perf_counter() - started  # the commit
    return read * 1000.0, write * 1000.0, rows_read


def _count(conn: sa.Connection, table: sa.Table) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def _missing(engine: Engine, desk: Desk, tables: Sequence[str]) -> dict[str, int]:
    """Rows of the case tables the center holds that a fresh desk lacks after its pull
    (it has none of its own): every one of them should have arrived."""
    names = [name for name in tables if name in CASE_TABLES]
    with engine.connect() as conn:
        held = {name: _count(conn, schema.central_metadata.tables[name]) for name in names}
    with desk.db.read() as s:
        conn = s.connection()
        got = {name: _count(conn, Base.metadata.tables[name]) for name in names}
    return {name: held[name] - got[name] for name in names if held[name] > got[name]}


def _pull_run(
    server: pgserver.PgServer, db: str, template: Path, tmp: Path, i: int, progress: Progress
) -> _PullRun:
    engine = _central_engine(server, db)
    tables = _logged_tables(engine)
    folder, bare_folder = tmp / f"pull-{i}", tmp / f"bare-{i}"
    try:
        desk = _copy_desk(template, folder)
        try:
            _enroll(desk, server, db, PULL_SCOPE)
            sync = SyncEngine(
                desk,
                CentralStore(engine, desk.identity.desk_code),
                __version__,
                progress=_throttled(progress, "    "),
            )
            progress(f"  sync run {i + 1}: first pull by a fresh desk …")
            _warm(engine)
            started = time.perf_counter()
            summary = sync.pull()
            ms = (time.perf_counter() - started) * 1000.0
            missing = _missing(engine, desk, tables)
            with desk.db.read() as s:
                cases = s.scalar(sa.select(sa.func.count()).select_from(Case)) or 0
        finally:
            desk.close()
        shutil.rmtree(folder, ignore_errors=True)
        bare = _copy_desk(template, bare_folder)
        try:
            read_ms, write_ms, rows_read = _bare_pull(engine, bare, tables)
        finally:
            bare.close()
    finally:
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(bare_folder, ignore_errors=True)
    return _PullRun(
        ms=ms,
        baseline_ms=read_ms + write_ms,
        read_ms=read_ms,
        write_ms=write_ms,
        pulled=summary.pulled,
        read_rows=rows_read,
        cases=cases,
        clashes=len(summary.clashes),
        tables=tuple(tables),
        missing=missing,
    )


def _central_cases(server: pgserver.PgServer, db: str) -> int:
    rows = server.execute("SELECT count(*) FROM cases", db=db)
    return int(rows[0][0])


# --- the figures -----------------------------------------------------------------------


def sync_figures(root: Path, runs: int, progress: Progress) -> list[Figure]:
    """Push of the demo desk's first 50,000 ops and a fresh desk's first pull of its cases.

    Returns [] (after saying why through `progress`) when no PostgreSQL cluster can be
    started here.
    """
    bindir = pgserver.find_bindir()
    if bindir is None:
        progress(f"sync figures skipped: {pgserver.INSTALL_HINT}")
        return []
    try:
        server = pgserver.start_cluster(bindir)
    except (RuntimeError, OSError, subprocess.SubprocessError, psycopg.Error) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        progress(f"sync figures skipped: no PostgreSQL cluster from {bindir}: {reason}")
        return []
    progress(f"PostgreSQL cluster on 127.0.0.1:{server.port} ({server.startup_seconds:.1f} s)")
    tmp = Path(tempfile.mkdtemp(prefix="desk-bench-sync-"))
    try:
        return _figures(server, root, tmp, max(1, runs), progress)
    finally:
        pgserver.remove_cluster(server)
        shutil.rmtree(tmp, ignore_errors=True)


def _desk_code(db: Path) -> str:
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        row = conn.execute("SELECT desk_code FROM desk_identity WHERE id = 1").fetchone()
    if row is None:
        raise RuntimeError(f"{db} is not an initialised desk")
    return str(row[0])


def _figures(
    server: pgserver.PgServer, root: Path, tmp: Path, runs: int, progress: Progress
) -> list[Figure]:
    from desk_app.bench import Figure

    code = "D02" if _desk_code(root / "desk.db") != "D02" else "D03"
    template = _template(tmp / "template", code)
    pushes: list[_PushRun] = []
    pulls: list[_PullRun] = []
    pull_db: str | None = None
    for i in range(runs):
        progress(f"  sync run {i + 1}/{runs}")
        push, kept = _push_run(server, root, tmp, i, progress, keep=pull_db is None)
        pushes.append(push)
        pull_db = pull_db or kept
        assert pull_db is not None
        pulls.append(_pull_run(server, pull_db, template, tmp, i, progress))
    assert pull_db is not None
    held = _central_cases(server, pull_db)

    push = pushes[-1]
    push_note = (
        f"SyncEngine.push of {push.ops} outbox ops of a copy of the demo desk "
        f"({push.applied} applied; batches of {BATCH_SIZE}, one transaction each) into a "
        "fresh central database on 127.0.0.1 (the desk role over TCP); baseline: the same "
        f"ops' rows decoded (decode_row) and written in one transaction into a second "
        f"fresh database with the same schema: an executemany INSERT per table "
        f"({push.inserted} rows) and an executemany UPDATE by id per table and column set "
        f"({push.updated} patches and voids)"
    )
    if push.ops < PUSH_OPS:
        push_note += f"; only {push.ops} ops in the demo outbox (fewer than {PUSH_OPS:,})"
    pull = pulls[-1]
    pull_note = (
        f"SyncEngine.pull until caught up by a fresh desk ({code}, scope {PULL_SCOPE}) from "
        f"a central database holding the demo desk's whole outbox: {pull.cases} cases "
        f"arrive, {pull.pulled} rows in all (pages of {PAGE_SIZE}, one SQLite transaction "
        f"each; rows kept local for a clashing unique value: {pull.clashes}); baseline: "
        f"SELECT * of each table the change log names ({', '.join(pull.tables)}) fetched "
        f"into Python through SQLAlchemy Core ({pull.read_rows} rows, "
        f"median {statistics.median(p.read_ms for p in pulls):.0f} ms) plus an executemany "
        "INSERT OR IGNORE per table into an empty copy of the same fresh desk's schema in "
        f"one SQLite transaction (median {statistics.median(p.write_ms for p in pulls):.0f} ms)"
    )
    if held < PULL_CASES:
        pull_note += f"; only {held} cases in the demo folder (fewer than {PULL_CASES:,})"
    if pull.cases != held:
        pull_note += f"; the desk got {pull.cases} of the {held} central cases (a bug)"
    if pull.missing:
        lost = ", ".join(f"{name} {n}" for name, n in pull.missing.items())
        pull_note += f"; rows the center holds that did not arrive: {lost} (a bug)"
    return [
        Figure(
            "sync_push_50k_ops",
            "ms",
            [p.ms for p in pushes],
            target=TARGET_RATIO * statistics.median(p.baseline_ms for p in pushes),
            baseline_runs=[p.baseline_ms for p in pushes],
            note=push_note,
        ),
        Figure(
            "sync_first_pull_100k_cases",
            "ms",
            [p.ms for p in pulls],
            target=TARGET_RATIO * statistics.median(p.baseline_ms for p in pulls),
            baseline_runs=[p.baseline_ms for p in pulls],
            note=pull_note,
        ),
    ]


__all__ = ["PULL_CASES", "PUSH_OPS", "TARGET_RATIO", "sync_figures"]
