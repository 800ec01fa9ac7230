"""The central side of sync: `CentralStore` with `hello()`, `push(batch)` and `pull(cursor)`.

Implemented directly over SQLAlchemy + psycopg 3. The interface is narrow (ops in,
as JSON; rows out, as column values that `codec` turns into JSON and back), so an
HTTP sync service could implement it later without touching the desk's engine.

Push applies a batch in one PostgreSQL transaction. It first locks the one-row
sequence, so batches commit in the order they take their `server_seq`s and a
desk reading `server_seq > cursor` never skips a row. An op already applied
returns its stored result (a resend after a crash changes nothing). Field
patches apply only where the central value still equals the op's value before
the edit; otherwise a conflict keeps both values. A transition applies only
from its expected state. A voided row is never changed again. Clocks decide
nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from desk_app.models import central as schema
from desk_app.models import utcnow
from desk_app.models.base import UTCDateTime
from desk_app.services.sync import central
from desk_app.services.sync.codec import decode_row, jsonable

#: Tables whose rows belong to a case: their scope is the case's place.
CASE_CHILDREN = {"parties": "case_id", "case_events": "case_id", "attachments": "case_id"}
#: Conflicts travel to desks like rows (in the change log, scoped by their matter) and are
#: settled by `resolve` ops.
CONFLICTS = "sync_conflict"


@dataclass(frozen=True)
class Op:
    """One outbox op as pushed (JSON values)."""

    op_id: uuid.UUID
    entity: str
    entity_id: uuid.UUID
    kind: str
    payload: dict[str, Any]
    base: dict[str, Any]
    user_id: str
    created_at: datetime


@dataclass(frozen=True)
class OpResult:
    op_id: uuid.UUID
    result: str  # applied | conflict | rejected
    detail: str | None = None
    server_seq: int | None = None


@dataclass(frozen=True)
class Page:
    """Rows changed after a cursor, in the desk's scope: (entity, column values).

    The values are Python values as SQLAlchemy reads them (aware UTC datetimes, UUIDs,
    dates, JSON as dicts and lists), taken over by the desk as they are. A transport
    between processes (an HTTP sync service) would carry them with `codec.encode_row`
    and `codec.decode_row`; in one process they need no conversion.
    """

    rows: list[tuple[str, dict[str, Any]]]
    cursor: int
    more: bool
    #: (entity, id) of cases that moved out of this desk's scope.
    removed: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class FileStatus:
    size: int
    chunk_size: int
    chunks: int
    present: int
    complete: bool


@dataclass
class _Outcome:
    result: str = "applied"
    detail: str | None = None
    row: dict[str, Any] | None = None  # the row after the op, when it changed
    prev_scope: str | None = None  # a case's place before the op, when the op changed it
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def _copy_type(column: sa.Column[Any]) -> str:
    """The PostgreSQL type a column takes in binary COPY (its exact wire format)."""
    kind = column.type
    if isinstance(kind, sa.Uuid):
        return "uuid"
    if isinstance(kind, sa.BigInteger):
        return "int8"
    if isinstance(kind, sa.Integer):
        return "int4"
    if isinstance(kind, UTCDateTime | sa.DateTime):
        return "timestamptz"
    if isinstance(kind, sa.String | sa.Text):
        return "text"  # the same wire format as varchar
    raise TypeError(f"no COPY type for {column}")


def _insert_columns(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows of plain columns (no JSON) by binary COPY, in the batch's transaction.

    The bookkeeping of a batch (an applied op and a change-log entry per op) is two
    narrow rows per op; COPY writes them several times faster than a statement per row.
    """
    if not rows:
        return
    names = list(rows[0])
    columns = ", ".join(conn.dialect.identifier_preparer.quote(name) for name in names)
    raw = conn.connection.driver_connection
    assert raw is not None
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN (FORMAT BINARY)") as copy,
    ):
        copy.set_types([_copy_type(table.c[name]) for name in names])
        for row in rows:
            copy.write_row([row[name] for name in names])


def _central_side(current: sa.RowMapping) -> dict[str, Any]:
    """Who changed the central row last, and when: the other side of a conflict."""
    return {"central_user": current.get("updated_by"), "central_at": current.get("updated_at")}


class CentralStore:
    def __init__(self, engine: Engine, desk_code: str) -> None:
        self.engine = engine
        self.desk_code = desk_code

    # --- hello ----------------------------------------------------------------------------

    def hello(self, app_version: str) -> central.Hello:
        return central.hello(self.engine, self.desk_code, app_version)

    # --- push -----------------------------------------------------------------------------

    def push(self, ops: Sequence[Op], counters: dict[tuple[str, int], int]) -> list[OpResult]:
        """Apply a batch in one transaction; returns a result per op, in order."""
        try:
            with self.engine.begin() as conn:
                return self._push(conn, ops, counters)
        except OperationalError as exc:
            raise central.CentralError(central.explain(exc)) from exc

    def _push(
        self, conn: Connection, ops: Sequence[Op], counters: dict[tuple[str, int], int]
    ) -> list[OpResult]:
        seq_table = schema.sync_sequence
        seq = conn.execute(
            sa.select(seq_table.c.value).where(seq_table.c.id == 1).with_for_update()
        ).scalar_one()
        known = {
            row.op_id: row
            for row in conn.execute(
                sa.select(schema.applied_op).where(
                    schema.applied_op.c.op_id.in_([op.op_id for op in ops])
                )
            )
        }
        now = utcnow()
        results: list[OpResult] = []
        applied: list[dict[str, Any]] = []
        conflicts: list[dict[str, Any]] = []
        logged: list[tuple[int, str, dict[str, Any], str | None]] = []
        i = 0
        while i < len(ops):
            op = ops[i]
            stored = known.get(op.op_id)
            if stored is not None:
                results.append(OpResult(op.op_id, stored.result, stored.detail, stored.server_seq))
                i += 1
                continue
            # Consecutive creates (the bulk of any backlog) go in one statement per table.
            run = [op]
            if op.kind in ("create", "append"):
                while (
                    i + len(run) < len(ops)
                    and ops[i + len(run)].kind in ("create", "append")
                    and ops[i + len(run)].op_id not in known
                ):
                    run.append(ops[i + len(run)])
                outcomes = self._create_many(conn, run)
            else:
                outcomes = [self._apply(conn, op)]
            for run_op, outcome in zip(run, outcomes, strict=True):
                server_seq: int | None = None
                if outcome.row is not None:
                    seq += 1
                    server_seq = seq
                    logged.append((seq, run_op.entity, outcome.row, outcome.prev_scope))
                for conflict in outcome.conflicts:
                    row = {
                        "id": uuid.uuid4(), "op_id": run_op.op_id, "desk_code": self.desk_code,
                        "entity": run_op.entity, "entity_id": run_op.entity_id,
                        "desk_user": run_op.user_id, "desk_at": run_op.created_at,
                        "created_at": now, "field": None, "desk_value": None,
                        "central_value": None, "base_value": None, "central_user": None,
                        "central_at": None, "resolved_at": None, "resolved_by": None,
                        "resolution": None, **conflict,
                    }  # fmt: skip
                    conflicts.append(row)
                    # Desks whose scope holds the matter pull it, to settle it there.
                    seq += 1
                    logged.append((seq, CONFLICTS, {**row, "version": 1}, None))
                applied.append(
                    {
                        "op_id": run_op.op_id, "desk_code": self.desk_code,
                        "entity": run_op.entity, "entity_id": run_op.entity_id,
                        "kind": run_op.kind, "result": outcome.result, "detail": outcome.detail,
                        "server_seq": server_seq, "applied_at": now,
                    }
                )  # fmt: skip
                results.append(OpResult(run_op.op_id, outcome.result, outcome.detail, server_seq))
            i += len(run)
        self._log(conn, logged)
        if conflicts:
            conn.execute(schema.sync_conflict.insert(), conflicts)
        _insert_columns(conn, schema.applied_op, applied)
        conn.execute(sa.update(seq_table).where(seq_table.c.id == 1).values(value=seq))
        self._raise_counters(conn, counters)
        conn.execute(
            sa.update(schema.desk)
            .where(schema.desk.c.desk_code == self.desk_code)
            .values(last_seen=now)
        )
        return results

    def _create_many(self, conn: Connection, run: list[Op]) -> list[_Outcome]:
        """Insert new rows, one statement per table; a row that cannot go in is examined."""

        values: list[dict[str, Any]] = []
        by_table: dict[str, list[dict[str, Any]]] = {}
        outcomes: list[_Outcome | None] = []
        for op in run:
            table = schema.central_metadata.tables.get(op.entity)
            if table is None or op.entity not in schema.SYNCED_TABLES:
                outcomes.append(_Outcome("rejected", f"unknown entity {op.entity}"))
                values.append({})
                continue
            row = decode_row(table, op.payload)
            row["version"] = 1
            values.append(row)
            by_table.setdefault(op.entity, []).append(row)
            outcomes.append(None)
        inserted: set[uuid.UUID] = set()
        for entity, rows in by_table.items():
            table = schema.central_metadata.tables[entity]
            # Rows of one statement need the same keys: group by their key sets.
            shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for row in rows:
                shapes.setdefault(tuple(sorted(row)), []).append(row)
            for group in shapes.values():
                inserted.update(self._insert_group(conn, table, group))
        result: list[_Outcome] = []
        for op, row, outcome in zip(run, values, outcomes, strict=True):
            if outcome is not None:
                result.append(outcome)
            elif row["id"] in inserted:
                result.append(_Outcome(row=row))
            else:
                result.append(self._not_inserted(conn, op))
        return result

    @staticmethod
    def _insert_group(
        conn: Connection, table: sa.Table, group: list[dict[str, Any]]
    ) -> list[uuid.UUID]:
        """Insert rows of one shape, skipping those that clash; the ids that went in.

        The usual case (every row new) is one plain pipelined executemany, whose short
        statement psycopg parses once. Only when a row clashes is the group taken back
        and inserted again skipping clashes with RETURNING, to learn which went in (a
        multi-row VALUES statement that psycopg parses afresh on every call: far slower
        for a backlog, fine for the odd resend or clash).
        """
        from sqlalchemy.dialects.postgresql import insert

        savepoint = conn.begin_nested()
        try:
            conn.execute(table.insert(), group)
        except IntegrityError:
            savepoint.rollback()
            statement = insert(table).on_conflict_do_nothing().returning(table.c.id)
            return list(conn.execute(statement, group).scalars())
        savepoint.commit()
        return [row["id"] for row in group]

    @staticmethod
    def _not_inserted(conn: Connection, op: Op) -> _Outcome:
        table = schema.central_metadata.tables[op.entity]
        exists = conn.execute(sa.select(table.c.id).where(table.c.id == op.entity_id)).first()
        if exists is not None:  # the same row came by another op: nothing to do
            return _Outcome("applied", "already present")
        clash = "case_no" in table.c and op.payload.get("case_no") is not None
        kind = "number_clash" if clash else "integrity"
        return _Outcome(
            "conflict", kind,
            conflicts=[{"kind": kind, "field": "case_no" if clash else None,
                        "desk_value": op.payload.get("case_no") if clash else None}],
        )  # fmt: skip

    def _raise_counters(self, conn: Connection, counters: dict[tuple[str, int], int]) -> None:
        from sqlalchemy.dialects.postgresql import insert

        if not counters:
            return
        table = schema.desk_counter
        statement = insert(table).values(
            [
                {"desk_code": self.desk_code, "name": name, "year": year, "value": value}
                for (name, year), value in sorted(counters.items())
            ]
        )
        conn.execute(
            statement.on_conflict_do_update(
                index_elements=[table.c.desk_code, table.c.name, table.c.year],
                set_={"value": sa.func.greatest(table.c.value, statement.excluded.value)},
            )
        )

    def _log(
        self, conn: Connection, logged: list[tuple[int, str, dict[str, Any], str | None]]
    ) -> None:
        """The change log entries of a batch, with each row's place and origin desk."""
        if not logged:
            return
        cases = schema.central_metadata.tables["cases"]
        places: dict[uuid.UUID, tuple[str, str]] = {}
        for _seq, entity, row, _prev in logged:
            if entity == "cases":
                places[row["id"]] = (str(row["division_code"]), str(row["origin_desk"]))
        wanted = {
            row[CASE_CHILDREN[entity]]
            for _seq, entity, row, _prev in logged
            if entity in CASE_CHILDREN and row.get(CASE_CHILDREN[entity]) not in places
        }
        matters = self._conflict_matters(conn, [row for _s, e, row, _p in logged if e == CONFLICTS])
        wanted |= {case_id for case_id in matters.values() if case_id not in places}
        if wanted:
            for found in conn.execute(
                sa.select(cases.c.id, cases.c.division_code, cases.c.origin_desk).where(
                    cases.c.id.in_(wanted)
                )
            ):
                places[found.id] = (str(found.division_code), str(found.origin_desk))
        entries = []
        for seq, entity, row, prev in logged:
            if entity == CONFLICTS:
                case_id = matters.get(row["id"])
                place = places.get(case_id) if case_id is not None else None
                scope, origin = (place[0] if place else ""), str(row["desk_code"])
            else:
                scope, origin = self._scope_of(entity, row, places)
            entries.append(
                {
                    "server_seq": seq, "entity": entity, "entity_id": row["id"],
                    "version": row["version"], "scope": scope, "origin_desk": origin,
                    "prev_scope": prev if prev != scope else None,
                }
            )  # fmt: skip
        _insert_columns(conn, schema.change_log, entries)

    @staticmethod
    def _conflict_matters(
        conn: Connection, rows: list[dict[str, Any]]
    ) -> dict[uuid.UUID, uuid.UUID]:
        """Conflict id -> the case it concerns (a case, or a row of one); others are left out."""
        out: dict[uuid.UUID, uuid.UUID] = {}
        children: dict[str, dict[uuid.UUID, list[uuid.UUID]]] = {}
        for row in rows:
            if row["entity"] == "cases":
                out[row["id"]] = row["entity_id"]
            elif row["entity"] in CASE_CHILDREN:
                children.setdefault(row["entity"], {}).setdefault(row["entity_id"], []).append(
                    row["id"]
                )
        for entity, by_row in children.items():
            table = schema.central_metadata.tables[entity]
            link = table.c[CASE_CHILDREN[entity]]
            for row_id, case_id in conn.execute(
                sa.select(table.c.id, link).where(table.c.id.in_(list(by_row)))
            ):
                for conflict_id in by_row[row_id]:
                    out[conflict_id] = case_id
        return out

    @staticmethod
    def _scope_of(
        entity: str, row: dict[str, Any], places: dict[uuid.UUID, tuple[str, str]]
    ) -> tuple[str, str]:
        """The place a row belongs to ("" for every desk) and the desk it came from."""
        if entity == "cases":
            return str(row["division_code"]), str(row["origin_desk"])
        if entity in CASE_CHILDREN:
            found = places.get(row[CASE_CHILDREN[entity]])
            if found is not None:
                return found
            return "", str(row["origin_desk"])
        if entity == "enquiries":
            return str(row.get("division_code") or ""), str(row["origin_desk"])
        return "", str(row.get("origin_desk") or "")

    # --- applying one op ------------------------------------------------------------------

    def _apply(self, conn: Connection, op: Op) -> _Outcome:
        if op.entity == CONFLICTS and op.kind == "resolve":
            return self._resolve(conn, op)
        table = schema.central_metadata.tables.get(op.entity)
        if table is None or op.entity not in schema.SYNCED_TABLES:
            return _Outcome("rejected", f"unknown entity {op.entity}")
        if op.kind in ("create", "append"):
            return self._create_many(conn, [op])[0]
        current = (
            conn.execute(sa.select(table).where(table.c.id == op.entity_id).with_for_update())
            .mappings()
            .first()
        )
        if current is None:
            return _Outcome(
                "conflict", "missing", conflicts=[{"kind": "missing", "desk_value": op.payload}]
            )
        if current["voided_at"] is not None:
            if op.kind == "void":
                return _Outcome("applied", "already voided")
            return _Outcome(
                "conflict", "voided",
                conflicts=[{"kind": "voided", "desk_value": op.payload,
                            "central_value": {"void_reason": current["void_reason"]},
                            **_central_side(current)}],
            )  # fmt: skip
        # Who changed the row last, and when by their desk's clock: shown, never compared.
        stamps = {"updated_at": op.created_at, "updated_by": op.user_id}
        if op.kind == "void":
            return self._update(conn, table, current, {**decode_row(table, op.payload), **stamps})
        if op.kind in ("patch", "transition"):
            return self._patch(conn, table, current, op, stamps)
        return _Outcome("rejected", f"unknown op kind {op.kind}")

    @staticmethod
    def _resolve(conn: Connection, op: Op) -> _Outcome:
        """Settle a conflict: the first resolution wins; the row goes back to the desks."""
        table = schema.sync_conflict
        done = (
            conn.execute(
                sa.update(table)
                .where(table.c.id == op.entity_id, table.c.resolved_at.is_(None))
                .values(resolved_at=utcnow(), resolved_by=op.user_id, resolution=op.payload)
                .returning(*table.c)
            )
            .mappings()
            .first()
        )
        if done is not None:
            return _Outcome(row={**dict(done), "version": 2})
        exists = conn.execute(sa.select(table.c.id).where(table.c.id == op.entity_id)).first()
        if exists is None:
            return _Outcome("rejected", "no such conflict")
        return _Outcome("applied", "already resolved")

    def _patch(
        self,
        conn: Connection,
        table: sa.Table,
        current: sa.RowMapping,
        op: Op,
        stamps: dict[str, Any],
    ) -> _Outcome:
        changes: dict[str, Any] = {}
        conflicts: list[dict[str, Any]] = []
        kind = "transition" if op.kind == "transition" else "field"
        for name, new in op.payload.items():
            if name not in table.c:
                continue
            now = jsonable(current[name])
            before = op.base.get(name)
            if now == before:
                changes[name] = new
            elif now != new:  # the same value on both sides is no conflict
                conflicts.append(
                    {"kind": kind, "field": name, "desk_value": new, "central_value": now,
                     "base_value": before, **_central_side(current)}
                )  # fmt: skip
        outcome = (
            self._update(conn, table, current, {**decode_row(table, changes), **stamps})
            if changes
            else _Outcome()
        )
        if conflicts:
            outcome.result, outcome.detail = "conflict", kind
            outcome.conflicts = conflicts
        return outcome

    @staticmethod
    def _update(
        conn: Connection, table: sa.Table, current: sa.RowMapping, values: dict[str, Any]
    ) -> _Outcome:
        values = {**values, "version": current["version"] + 1}
        conn.execute(sa.update(table).where(table.c.id == current["id"]).values(**values))
        moved = "division_code" in values and values["division_code"] != current.get(
            "division_code"
        )
        return _Outcome(
            row={**dict(current), **values},
            prev_scope=str(current["division_code"]) if moved else None,
        )

    # --- pull -----------------------------------------------------------------------------

    def pull(self, cursor: int, scope: Sequence[str], limit: int = 500) -> Page:
        """Rows changed after `cursor` that this desk may see, newest version of each."""
        log = schema.change_log
        try:
            with self.engine.connect() as conn:
                entries = conn.execute(
                    sa.select(log.c.server_seq, log.c.entity, log.c.entity_id, log.c.scope,
                              log.c.origin_desk, log.c.prev_scope)
                    .where(log.c.server_seq > cursor)
                    .order_by(log.c.server_seq)
                    .limit(limit + 1)
                ).all()  # fmt: skip
                more = len(entries) > limit
                entries = entries[:limit]
                wanted: dict[str, list[uuid.UUID]] = {}
                order: list[tuple[str, uuid.UUID]] = []
                seen: set[tuple[str, uuid.UUID]] = set()
                removed: list[tuple[str, uuid.UUID]] = []
                for e in entries:
                    if not self._visible(e.scope, e.origin_desk, scope):
                        if e.prev_scope and self._visible(e.prev_scope, "", scope):
                            removed.append((e.entity, e.entity_id))  # it left this scope
                        continue
                    key = (e.entity, e.entity_id)
                    if key in seen:
                        continue
                    # Once per page, at its first change in it, with its current values:
                    # a case is made before its parties, so parents come before children.
                    seen.add(key)
                    order.append(key)
                    wanted.setdefault(e.entity, []).append(e.entity_id)
                rows: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
                for entity, ids in wanted.items():
                    table = schema.central_metadata.tables[entity]
                    # One array parameter, not one per id: a short statement, parsed once.
                    any_id = sa.any_(sa.bindparam("ids", ids, type_=ARRAY(sa.Uuid())))
                    found = conn.execute(sa.select(table).where(table.c.id == any_id))
                    for row in found.mappings().all():
                        rows[(entity, row["id"])] = dict(row)
        except OperationalError as exc:
            raise central.CentralError(central.explain(exc)) from exc
        new_cursor = entries[-1].server_seq if entries else cursor
        visible = [(k[0], rows[k]) for k in order if k in rows]
        gone = [k for k in removed if k not in seen]
        return Page(visible, new_cursor, more, [(entity, str(i)) for entity, i in gone])

    # --- attachment files ------------------------------------------------------------------

    def file_status(self, shas: Sequence[str]) -> dict[str, FileStatus]:
        """What the center holds of each file: absent files are left out."""
        files, chunks = schema.attachment_file, schema.attachment_chunk
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    sa.select(files, sa.func.count(chunks.c.idx).label("present"))
                    .outerjoin(chunks, chunks.c.sha256 == files.c.sha256)
                    .where(files.c.sha256.in_(list(shas)))
                    .group_by(files.c.sha256)
                ).all()
        except OperationalError as exc:
            raise central.CentralError(central.explain(exc)) from exc
        return {
            r.sha256: FileStatus(r.size, r.chunk_size, r.chunks, r.present, r.complete)
            for r in rows
        }

    def put_chunk(self, sha256: str, size: int, chunk_size: int, idx: int, data: bytes) -> bool:
        """Store one chunk (idempotent); True once the file is complete."""
        from sqlalchemy.dialects.postgresql import insert

        files, chunks = schema.attachment_file, schema.attachment_chunk
        total = max(1, -(-size // chunk_size))
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(files)
                    .values(sha256=sha256, size=size, chunk_size=chunk_size, chunks=total,
                            created_at=utcnow())
                    .on_conflict_do_nothing()
                )  # fmt: skip
                conn.execute(
                    insert(chunks)
                    .values(sha256=sha256, idx=idx, data=data)
                    .on_conflict_do_nothing()
                )
                present = conn.execute(
                    sa.select(sa.func.count()).where(chunks.c.sha256 == sha256)
                ).scalar_one()
                complete = present >= total
                if complete:
                    conn.execute(
                        sa.update(files).where(files.c.sha256 == sha256).values(complete=True)
                    )
                return bool(complete)
        except OperationalError as exc:
            raise central.CentralError(central.explain(exc)) from exc

    def get_chunk(self, sha256: str, idx: int) -> bytes | None:
        chunks = schema.attachment_chunk
        try:
            with self.engine.connect() as conn:
                data = conn.execute(
                    sa.select(chunks.c.data).where(chunks.c.sha256 == sha256, chunks.c.idx == idx)
                ).scalar()
        except OperationalError as exc:
            raise central.CentralError(central.explain(exc)) from exc
        return bytes(data) if data is not None else None

    def _visible(self, row_scope: str, origin: str, scope: Sequence[str]) -> bool:
        if not row_scope or origin == self.desk_code:
            return True
        return any(row_scope.startswith(code) for code in scope if code.isdigit())
