"""The desk side of sync: push the outbox, pull what changed, both crash-safe.

Push sends pending ops in `seq` order, a batch at a time; the central side applies
each batch in one transaction and answers a result per op, and the desk records
all of them in one SQLite transaction. A crash between the two means a resend,
which the central side answers with the same results.

Pull asks for rows changed after this desk's cursor, a page at a time, and
applies each page together with the new cursor in one SQLite transaction. A row
with ops still pending here keeps its local values until they are pushed (its
own change comes back on a later pull).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desk_app.models import (
    Assignment,
    Attachment,
    Base,
    Case,
    CaseEvent,
    DeskCounter,
    Enquiry,
    JointMediation,
    JointMediationUnit,
    Outbox,
    Party,
    Supervision,
    SyncState,
    utcnow,
)
from desk_app.services import numbering
from desk_app.services.cases import attachment_path
from desk_app.services.desk import Desk
from desk_app.services.settings import SYNC_PAGE_SIZE, SYNC_SCOPE
from desk_app.services.sync import central, faults
from desk_app.services.sync.store import CentralStore, FileStatus, Op, OpResult
from desk_app.services.uow import fill_defaults

Progress = Callable[[str], None]
#: Rows that belong to a case, children before the rows they point to.
_CASE_CHILDREN: tuple[type[Party | CaseEvent | Attachment | Assignment | JointMediationUnit
                           | JointMediation | Supervision], ...] = (
    Party, CaseEvent, Attachment, Assignment, JointMediationUnit, JointMediation, Supervision,
)  # fmt: skip
BATCH_SIZE = 200
#: Rows per pulled page (one SQLite transaction each): large pages amortise the commit,
#: small ones hold the write lock for less time. The settings' [sync] page_size.
PAGE_SIZE = SYNC_PAGE_SIZE.default
CHUNK_SIZE = 256 * 1024


#: A full-collection threshold no round reaches (see `no_full_collections`).
_NEVER = 1_000_000


@contextlib.contextmanager
def no_full_collections() -> Iterator[None]:
    """Python's full cyclic collections wait until the push or pull is over.

    A full pass walks every object alive; in a process with a large heap (the app, the
    bench) it starts again and again while thousands of rows are in flight and costs
    more than the rows. Young collections go on, so short-lived cycles are still freed;
    the rest wait for the next full pass after the round.
    """
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, _NEVER)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, old)


#: The outbox columns a push reads: `seq`, then `Op`'s fields in their order.
_OUTBOX_COLUMNS = ("seq", "op_id", "entity", "entity_id", "kind", "payload", "base", "user_id",
                   "created_at", "txn_id")  # fmt: skip


@functools.cache
def _outbox_readers(dialect: sa.Dialect) -> tuple[Callable[[Any], Any] | None, ...]:
    """For each of `_OUTBOX_COLUMNS`, the conversion SQLAlchemy applies to the value SQLite
    returns (ids, JSON, UTC datetimes), or None where the value is taken as it is."""
    outbox = cast(sa.Table, Outbox.__table__)
    return tuple(
        outbox.c[name].type.dialect_impl(dialect).result_processor(dialect, None)
        for name in _OUTBOX_COLUMNS
    )


def _sqlite(session: Session) -> sqlite3.Connection:
    """The sqlite3 connection under `session`, inside the session's transaction."""
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


@dataclass
class _Batch:
    """Ops read from the outbox for one push, with what goes along with them."""

    ops: list[Op] = field(default_factory=list)
    #: The seq of each op, by op id.
    seqs: dict[uuid.UUID, int] = field(default_factory=dict)
    #: The desk's counters, read with the ops: at least every number they carry.
    counters: dict[tuple[str, int], int] = field(default_factory=dict)


class SyncStopped(Exception):
    """A round ended early because `should_stop` said so; nothing is half applied."""


@dataclass
class SyncSummary:
    pushed: int = 0
    applied: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    kept_local: int = 0
    files_sent: int = 0
    files_received: int = 0
    #: Pulled rows not applied because a local row holds the same unique value.
    clashes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = (
            f"推送 {self.pushed} 项（成功 {self.applied}，冲突 {self.conflicts}，"
            f"拒绝 {self.rejected}），拉取 {self.pulled} 行"
        )
        if self.kept_local:
            text += f"（{self.kept_local} 行有待推送的本地更改，暂保留本地值）"
        if self.files_sent or self.files_received:
            text += f"；附件上传 {self.files_sent} 个、下载 {self.files_received} 个"
        if self.clashes:
            text += f"；{len(self.clashes)} 行与本地数据重复未采用：{'、'.join(self.clashes[:5])}"
        return text


def values_keys(rows: list[tuple[str, dict[str, Any]]], entity: str) -> set[str]:
    """The columns the center sent for `entity` (desk-local columns are not among them)."""
    return next((set(values) for name, values in rows if name == entity), set())


class SyncEngine:
    def __init__(
        self,
        desk: Desk,
        store: CentralStore,
        app_version: str,
        *,
        batch_size: int = BATCH_SIZE,
        page_size: int = PAGE_SIZE,
        progress: Progress | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> None:
        self.desk = desk
        self.store = store
        self.app_version = app_version
        self.batch_size = batch_size
        self.page_size = page_size
        self.progress = progress or (lambda _message: None)
        #: Asked between batches, pages and file chunks (each of them whole): True ends the
        #: round early with `SyncStopped` (the app is quitting); what was done stays done.
        self.should_stop = should_stop or (lambda: False)

    # --- the whole round -------------------------------------------------------------------

    def sync_once(self) -> SyncSummary:
        """hello, push everything pending, pull until caught up."""
        summary = SyncSummary()
        hello = self.store.hello(self.app_version)
        if hello.clock_warning:
            summary.warnings.append(hello.clock_warning)
        self._after_hello(hello)
        self.push(summary)
        self.push_files(summary)
        self.pull(summary)
        self.pull_files(summary)
        with self.desk.db.write_session() as s, s.begin():
            state = self._state(s)
            state.last_success_at = utcnow()
            state.last_error = None
        return summary

    def _after_hello(self, hello: central.Hello) -> None:
        """Counters at least the central maximum; a new central epoch restarts the pull."""
        with self.desk.db.write_session() as s, s.begin():
            for (name, year), value in hello.counters.items():
                numbering.raise_to(s, name, year, value)
            state = self._state(s)
            if state.central_epoch != hello.epoch:
                state.central_epoch = hello.epoch
                state.pull_cursor = 0

    def _state(self, session: sa.orm.Session) -> SyncState:
        state = session.get(SyncState, 1)
        if state is None:
            state = SyncState(id=1, desk_code=self.desk.identity.desk_code)
            session.add(state)
        return state

    # --- push --------------------------------------------------------------------------------

    def _check_stop(self) -> None:
        if self.should_stop():
            raise SyncStopped()

    def push(self, summary: SyncSummary | None = None) -> SyncSummary:
        with no_full_collections():
            return self._push(summary or SyncSummary())

    def _push(self, summary: SyncSummary) -> SyncSummary:
        while True:
            self._check_stop()
            batch = self._read_batch()
            if not batch.ops:
                return summary
            faults.point("push.before_send")
            try:
                results = self.store.push(batch.ops, batch.counters)
            except central.CentralError as exc:
                self._record_failure(list(batch.seqs.values()), exc.message)
                raise
            faults.point("push.after_central_commit")
            self._record_results(batch.seqs, results, {op.op_id: op for op in batch.ops})
            summary.pushed += len(results)
            for result in results:
                if result.result == "applied":
                    summary.applied += 1
                elif result.result == "conflict":
                    summary.conflicts += 1
                else:
                    summary.rejected += 1
            self.progress(f"已推送 {summary.pushed} 项")

    def _read_batch(self) -> _Batch:
        """The first pending ops (a batch at most, in seq order) and the desk's counters,
        read in one transaction (so the counters cover every number the ops carry).

        Straight from the sqlite3 connection: SQLAlchemy's result rows cost more than the
        rows here. Each value goes through its column type's own conversion, the one
        SQLAlchemy applies (`_outbox_readers`).
        """
        with self.desk.db.read() as s:
            raw = _sqlite(s)
            select = f"SELECT {', '.join(_OUTBOX_COLUMNS)} FROM {Outbox.__tablename__} "
            rows = raw.execute(
                select + "WHERE state = 'pending' ORDER BY seq LIMIT ?", (self.batch_size,)
            ).fetchall()
            if len(rows) == self.batch_size and rows[-1][-1] is not None:
                # A batch never splits a user action: the center applies or refuses an
                # action's ops together (the rest of it are the ops that follow).
                rows += raw.execute(
                    select + "WHERE state = 'pending' AND seq > ? AND txn_id = ? ORDER BY seq",
                    (rows[-1][0], rows[-1][-1]),
                ).fetchall()
            counters = {
                (name, year): value
                for name, year, value in raw.execute(
                    f"SELECT name, year, value FROM {DeskCounter.__tablename__}"
                )
            }
        readers = _outbox_readers(self.desk.db.engine.dialect)
        batch = _Batch(counters=counters)
        for row in rows:
            seq, *values = [
                read(v) if read is not None else v for read, v in zip(readers, row, strict=True)
            ]
            op = Op(*values)
            batch.ops.append(op)
            batch.seqs[op.op_id] = seq
        return batch

    def _record_results(
        self, seqs: dict[uuid.UUID, int], results: list[OpResult], batch_ops: dict[uuid.UUID, Op]
    ) -> None:
        """All results of a batch in one SQLite transaction, by seq (the rowid: the cheapest
        lookup there is); `seqs` maps the batch's op ids to their seqs."""
        states = {"applied": "acked", "conflict": "conflict", "rejected": "rejected"}
        with self.desk.db.write_session() as s, s.begin():
            _sqlite(s).executemany(
                f"UPDATE {Outbox.__tablename__} SET state = ?, attempts = attempts + 1, "
                "last_error = ? WHERE seq = ?",
                [
                    (states[r.result], None if r.result == "applied" else r.detail,
                     seqs[r.op_id])
                    for r in results
                ],
            )  # fmt: skip
            refused = [r for r in results if r.refresh]
            if refused:
                self._take_back(s, batch_ops, refused)
            faults.point("push.before_local_commit")

    def _take_back(self, s: Session, ops: dict[uuid.UUID, Op], refused: list[OpResult]) -> None:
        """The rows of an action the center refused as a whole become the center's again:
        its rows as they stand there, and rows it made that the center never took removed.

        A row with ops still pending here keeps its local values (as a pull leaves it); a
        later refused action of it takes it back then.
        """
        pending = {
            entity_id
            for (entity_id,) in s.execute(
                sa.select(Outbox.entity_id).where(Outbox.state == "pending")
            )
        }
        rank = {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}
        wanted: dict[tuple[str, uuid.UUID], dict[str, Any] | None] = {}
        for result in refused:
            op = ops[result.op_id]
            if op.entity in Base.metadata.tables and op.entity_id not in pending:
                wanted[(op.entity, op.entity_id)] = result.current
        conn = s.connection()
        # Children before parents when removing, parents before children when restoring.
        for (entity, entity_id), current in sorted(
            wanted.items(), key=lambda item: -rank[item[0][0]]
        ):
            if current is None:
                table = Base.metadata.tables[entity]
                conn.execute(sa.delete(table).where(table.c.id == entity_id))
        for (entity, _entity_id), current in sorted(wanted.items(), key=lambda i: rank[i[0][0]]):
            if current is not None:
                table = Base.metadata.tables[entity]
                row = {k: v for k, v in current.items() if k in table.c}
                fill_defaults(entity, row)
                statement = insert(table)
                conn.execute(
                    statement.on_conflict_do_update(
                        index_elements=["id"],
                        set_={k: statement.excluded[k] for k in row if k != "id"},
                    ),
                    [row],
                )

    def _record_failure(self, seqs: list[int], message: str) -> None:
        with self.desk.db.write_session() as s, s.begin():
            s.execute(
                sa.update(Outbox)
                .where(Outbox.seq.in_(seqs))
                .values(attempts=Outbox.attempts + 1, last_error=message)
            )
            self._state(s).last_error = message

    # --- attachment files ----------------------------------------------------------------------

    def _attachments(self) -> list[tuple[str, int]]:
        with self.desk.db.read() as s:
            rows = s.execute(
                sa.select(Attachment.sha256, Attachment.size)
                .where(Attachment.voided_at.is_(None))
                .distinct()
            ).all()
        return [(sha, size) for sha, size in rows]

    def push_files(self, summary: SyncSummary | None = None) -> SyncSummary:
        """Send the files the center lacks, chunk by chunk, resuming where it stopped."""
        summary = summary or SyncSummary()
        local = [
            (sha, size)
            for sha, size in self._attachments()
            if attachment_path(self.desk.dirs.attachments, sha).is_file()
        ]
        for start in range(0, len(local), 200):
            batch = local[start : start + 200]
            status = self.store.file_status([sha for sha, _ in batch])
            for sha, size in batch:
                known = status.get(sha)
                if known is not None and known.complete:
                    continue
                chunk_size = known.chunk_size if known is not None else CHUNK_SIZE
                first = known.present if known is not None else 0
                path = attachment_path(self.desk.dirs.attachments, sha)
                with path.open("rb") as fh:
                    total = max(1, -(-size // chunk_size))
                    for idx in range(first, total):
                        self._check_stop()
                        fh.seek(idx * chunk_size)
                        self.store.put_chunk(sha, size, chunk_size, idx, fh.read(chunk_size))
                summary.files_sent += 1
                self.progress(f"已上传附件 {summary.files_sent} 个")
        return summary

    def pull_files(self, summary: SyncSummary | None = None) -> SyncSummary:
        """Fetch files this desk lacks; a part file resumes an interrupted download."""
        summary = summary or SyncSummary()
        folder = self.desk.dirs.attachments
        missing = [
            (sha, size) for sha, size in self._attachments()
            if not attachment_path(folder, sha).is_file()
        ]  # fmt: skip
        for start in range(0, len(missing), 200):
            batch = missing[start : start + 200]
            status = self.store.file_status([sha for sha, _ in batch])
            for sha, _size in batch:
                known = status.get(sha)
                if known is None or not known.complete:
                    continue  # not yet uploaded by its desk: a later round fetches it
                if self._download(sha, known):
                    summary.files_received += 1
                    self.progress(f"已下载附件 {summary.files_received} 个")
        return summary

    def _download(self, sha: str, known: FileStatus) -> bool:
        target = attachment_path(self.desk.dirs.attachments, sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        done = part.stat().st_size // known.chunk_size if part.exists() else 0
        with part.open("ab") as fh:
            fh.truncate(done * known.chunk_size)  # drop a half-written chunk
            for idx in range(done, known.chunks):
                self._check_stop()
                data = self.store.get_chunk(sha, idx)
                if data is None:
                    return False
                fh.write(data)
        digest = hashlib.sha256()
        with part.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != sha:
            part.unlink()  # corrupt: fetch it afresh next time
            return False
        part.replace(target)
        return True

    # --- pull --------------------------------------------------------------------------------

    def pull(self, summary: SyncSummary | None = None) -> SyncSummary:
        with no_full_collections():
            return self._pull(summary or SyncSummary())

    def _pull(self, summary: SyncSummary) -> SyncSummary:
        scope = tuple(c for c in self.desk.settings.get(SYNC_SCOPE).split(",") if c)
        while True:
            self._check_stop()
            with self.desk.db.read() as s:
                cursor = self._state(s).pull_cursor
            page = self.store.pull(cursor, scope, self.page_size)
            applied, kept, clashes = self._apply_page(page.rows, page.cursor, page.removed)
            summary.pulled += applied
            summary.kept_local += kept
            summary.clashes += clashes
            faults.point("pull.after_page")
            self.progress(f"已拉取 {summary.pulled} 行")
            if kept or not page.more:
                # A page with rows kept local (ops pending on them) leaves the cursor where
                # it was: the next round pushes those ops first, then takes the page again.
                return summary

    def _apply_page(
        self,
        rows: list[tuple[str, dict[str, Any]]],
        cursor: int,
        removed: list[tuple[str, str]] | None = None,
    ) -> tuple[int, int, list[str]]:
        applied = kept = 0
        clashes: list[str] = []
        with self.desk.db.write_session() as s, s.begin():
            pending = {
                entity_id
                for (entity_id,) in s.execute(
                    sa.select(Outbox.entity_id).where(Outbox.state == "pending")
                )
            }
            # Rows of one table with the same columns go in one statement; if one of them
            # clashes with a unique value here, that group is applied row by row.
            groups: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
            known = {name: set(table.c.keys()) for name, table in Base.metadata.tables.items()}
            for entity, values in rows:
                # Columns this desk has (a newer center may send more); the rows are the
                # page's own, so they are taken over as they are when nothing is extra.
                columns = known[entity]
                row = (
                    values
                    if columns.issuperset(values)
                    else {k: v for k, v in values.items() if k in columns}
                )
                if row["id"] in pending:
                    kept += 1
                    continue
                fill_defaults(entity, row)
                groups.setdefault((entity, tuple(sorted(row))), []).append(row)
            conn = s.connection()
            half = max(1, len(rows) // 2)
            mid_page = False
            # Parents before children (a case before its parties), whatever came first.
            rank = {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}
            for (entity, keys), group in sorted(groups.items(), key=lambda g: rank[g[0][0]]):
                table = Base.metadata.tables[entity]
                central_keys = set(values_keys(rows, entity)) | {"id"}
                statement = insert(table)
                upsert = statement.on_conflict_do_update(
                    index_elements=["id"],
                    set_={
                        k: statement.excluded[k] for k in keys if k != "id" and k in central_keys
                    },
                )
                # Rows new here are plain inserts (on a first pull, nearly all of them: far
                # cheaper in SQLite than an upsert); rows this desk has are upserted.
                ids = [row["id"] for row in group]
                have = set(conn.execute(sa.select(table.c.id).where(table.c.id.in_(ids))).scalars())
                savepoint = conn.begin_nested()
                try:
                    fresh = [row for row in group if row["id"] not in have]
                    if fresh:
                        conn.execute(statement, fresh)
                    if have:
                        conn.execute(upsert, [row for row in group if row["id"] in have])
                    savepoint.commit()
                    applied += len(group)
                except IntegrityError:
                    savepoint.rollback()
                    for row in group:
                        one = conn.begin_nested()
                        try:
                            conn.execute(upsert, [row])
                            one.commit()
                            applied += 1
                        except IntegrityError:
                            # Another row here holds the same unique value (two desks each
                            # made a user "admin"): keep ours and say so.
                            one.rollback()
                            name = row.get("username") or row.get("code") or row["id"]
                            clashes.append(f"{entity} {name}")
                if applied >= half and not mid_page:
                    mid_page = True
                    faults.point("pull.mid_page")
            for entity, entity_id in removed or []:
                if entity == "cases":
                    kept += self._remove_case(s, uuid.UUID(entity_id), pending)
            if not kept:
                self._state(s).pull_cursor = cursor
        return applied, kept, clashes

    @staticmethod
    def _remove_case(s: Session, case_id: uuid.UUID, pending: set[uuid.UUID]) -> int:
        """A case moved out of this desk's scope: drop it here, unless ops are pending on it.

        Not a void: the case lives on centrally and at the desks whose scope holds it.
        Returns 1 if it was kept.
        """
        ids = {case_id}
        for model in _CASE_CHILDREN:
            ids |= set(s.scalars(sa.select(model.id).where(model.case_id == case_id)))
        linked = s.scalar(sa.select(Enquiry.id).where(Enquiry.converted_case_id == case_id))
        if ids & pending or linked is not None:
            return 1
        for model in _CASE_CHILDREN:
            s.execute(sa.delete(model).where(model.case_id == case_id))
        s.execute(sa.delete(Case).where(Case.id == case_id))
        return 0
