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

import functools
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import psycopg
import sqlalchemy as sa
from psycopg.types.json import set_json_dumps
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from desk_app.models import central as schema
from desk_app.models import utcnow
from desk_app.models.base import UTCDateTime
from desk_app.services.sync import central
from desk_app.services.sync.codec import decode_row, jsonable

#: Tables whose rows belong to a case: their scope is the case's place.
CASE_CHILDREN = {
    "parties": "case_id",
    "case_events": "case_id",
    "attachments": "case_id",
    "assignments": "case_id",
    "joint_mediations": "case_id",
    "joint_mediation_units": "case_id",
    "supervisions": "case_id",
}
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
    #: The user action (unit of work) the op belongs to; see `CentralStore._push`.
    txn_id: uuid.UUID | None = None


#: Results whose row the desk takes back from the center: an action refused as a whole
#: (its transition found the case in another state: "transition"; its other ops: "skipped").
REFUSED = frozenset({"transition", "skipped"})


@dataclass(frozen=True)
class OpResult:
    op_id: uuid.UUID
    result: str  # applied | conflict | rejected
    detail: str | None = None
    server_seq: int | None = None
    #: For a refused action's op (`REFUSED`): True, with the row as it stands centrally in
    #: `current` (None when the center has no such row): the desk takes it back.
    refresh: bool = False
    current: dict[str, Any] | None = None


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
    #: A case's units before the op (`case_units`), when the op changed them.
    prev_units: list[str] | None = None
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def _copy_type(column: sa.Column[Any]) -> str:
    """The PostgreSQL type a column takes in binary COPY (its exact wire format).

    Binary COPY sends each value in its type's own format and the server checks only the
    lengths, so the type must be the column's real one (a test compares the central schema
    with its migrations). JSON goes as jsonb, serialised with json.dumps as SQLAlchemy
    does (a Python None too: JSON null, as SQLAlchemy's JSON type stores it).
    """
    kind = column.type
    if isinstance(kind, sa.Uuid):
        return "uuid"
    if isinstance(kind, sa.BigInteger):
        return "int8"
    if isinstance(kind, sa.SmallInteger):
        return "int2"
    if isinstance(kind, sa.Integer):
        return "int4"
    if isinstance(kind, sa.Boolean):
        return "bool"
    if isinstance(kind, UTCDateTime):
        return "timestamptz"
    if isinstance(kind, sa.DateTime):
        return "timestamptz" if kind.timezone else "timestamp"
    if isinstance(kind, sa.Date):
        return "date"
    if isinstance(kind, sa.JSON):
        return "jsonb"  # the central JSON columns are JSONB (`central._json`)
    if isinstance(kind, sa.String | sa.Text):
        return "text"  # the same wire format as varchar
    raise TypeError(f"no COPY type for {column}")


def _driver(conn: Connection) -> psycopg.Connection[Any]:
    """The psycopg connection under `conn`, in the same transaction.

    A push talks to it directly on its hot paths: SQLAlchemy costs a few hundred
    microseconds a statement (compiling from its cache, processing every parameter and
    result value), which over a backlog of thousands of batches adds up to seconds.
    """
    raw = conn.connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    return raw


def _copy_rows(
    conn: Connection, table: sa.Table, names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Write `rows` (values in the order of `names`) into `table` by binary COPY.

    Several times faster than a statement per row, on both sides. Server defaults fill
    the columns not named, and triggers fire, as for INSERT; a clash (a unique value
    already there) fails the whole COPY (psycopg's IntegrityError, since this goes
    round SQLAlchemy) and with it the transaction, up to a savepoint.
    """
    if not rows:
        return
    quote = conn.dialect.identifier_preparer.quote
    columns = ", ".join(quote(name) for name in names)
    statement = f"COPY {quote(table.name)} ({columns}) FROM STDIN (FORMAT BINARY)"
    with _driver(conn).cursor() as cursor:
        set_json_dumps(_dumps, cursor)
        with cursor.copy(statement) as copy:
            copy.set_types([_copy_type(table.c[name]) for name in names])
            for row in rows:
                copy.write_row(row)


def _dumps(value: Any) -> str:
    """`json.dumps`, at once for the empty list that the change-log entry of every row
    but a dispatched case's carries as its units."""
    return "[]" if value == [] else json.dumps(value)


#: The columns of a push's bookkeeping rows, in the order `_push` and `_log` build them.
_APPLIED_COLUMNS = ("op_id", "desk_code", "entity", "entity_id", "kind", "result", "detail",
                    "server_seq", "applied_at")  # fmt: skip
_LOG_COLUMNS = ("server_seq", "entity", "entity_id", "version", "scope", "origin_desk",
                "prev_scope", "units", "prev_units")  # fmt: skip


def _rows_by_key(
    conn: Connection, table: sa.Table, columns: Sequence[str], key: str, values: list[Any]
) -> list[tuple[Any, ...]]:
    """`columns` of the rows of `table` whose unique `key` is one of `values`.

    One probe of the key's index per value, whatever the table's size: the values go as
    one array parameter, each looked up in a LATERAL subquery (its LIMIT keeps the planner
    from turning it into a join). `key = ANY(array)` would be planned as a sequential scan
    as long as the table has no statistics (a new central database taking its first
    backlogs, before autovacuum analyzes it), a scan that grows with every batch.
    """
    values = [value for value in values if value is not None]
    if not values:  # (an empty array would have no element type)
        return []
    quote = conn.dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in columns)
    with _driver(conn).cursor() as cursor:
        cursor.execute(
            f"SELECT found.* FROM unnest(%s) AS wanted(value) CROSS JOIN LATERAL "
            f"(SELECT {names} FROM {quote(table.name)} WHERE {quote(key)} = wanted.value "
            "LIMIT 1) AS found",
            [values],
        )
        return cursor.fetchall()


def _one(row: tuple[Any, ...] | None) -> Any:
    """The value of a result that has exactly one row of one column."""
    if row is None:
        raise LookupError("no row where the central schema has one")
    return row[0]


@functools.cache
def _transition_fields(table_name: str) -> frozenset[str]:
    """The fields whose change is a state transition (`__sync_transition_fields__`)."""
    from desk_app.models import Base

    for mapper in Base.registry.mappers:
        if getattr(mapper.class_, "__tablename__", None) == table_name:
            return frozenset(getattr(mapper.class_, "__sync_transition_fields__", frozenset()))
    return frozenset()


def _central_side(current: sa.RowMapping) -> dict[str, Any]:
    """Who changed the central row last, and when: the other side of a conflict."""
    return {"central_user": current.get("updated_by"), "central_at": current.get("updated_at")}


#: Keys of a conflict row that `_record` stamps itself.
_CONFLICT_STAMPS = frozenset({"id", "op_id", "desk_code", "entity", "entity_id", "desk_user",
                              "desk_at", "created_at"})  # fmt: skip


#: A change-log entry to write: its seq, entity, the row, and for a case that the op moved
#: elsewhere or to other units, its place and units before (None otherwise).
_Logged = tuple[int, str, dict[str, Any], "tuple[str | None, list[str] | None] | None"]


#: A case's place (division code), the desk it came from and the units it is assigned to.
_Place = tuple[str, str, list[str]]


def case_units(row: Mapping[str, Any]) -> list[str]:
    """The units a case is assigned to (交办: its responsible and co-handling units), for
    desks whose scope names a unit; none while it waits for dispatch (a unit chosen at
    triage has not received it yet) and after it went back (退单, 上报: they clear them)."""
    if row.get("status") == "pending_triage":
        return []
    return [code for code in str(row.get("unit_codes") or "").split(",") if code]


@dataclass
class _Accounts:
    """What a push has done so far: the bookkeeping written at its end."""

    seq: int
    now: datetime
    results: list[OpResult] = field(default_factory=list)
    applied: list[tuple[Any, ...]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    logged: list[_Logged] = field(default_factory=list)

    def mark(self) -> tuple[int, int, int, int, int]:
        return (self.seq, len(self.logged), len(self.conflicts), len(self.applied),
                len(self.results))  # fmt: skip

    def restore(self, mark: tuple[int, int, int, int, int]) -> None:
        self.seq = mark[0]
        del self.logged[mark[1] :], self.conflicts[mark[2] :], self.applied[mark[3] :]
        del self.results[mark[4] :]


def _action_at(ops: Sequence[Op], i: int) -> list[Op]:
    """The ops of the user action that starts at `i` when it holds a transition (a
    workflow step), else []. An action's ops are consecutive in the outbox."""
    txn = ops[i].txn_id
    if txn is None:
        return []
    j = i
    while j < len(ops) and ops[j].txn_id == txn:
        j += 1
    action = list(ops[i:j])
    return action if any(op.kind == "transition" for op in action) else []


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
        except (OperationalError, psycopg.OperationalError) as exc:
            # psycopg's own when a statement sent to it directly (`_driver`) lost the server.
            raise central.CentralError(central.explain(exc)) from exc

    def _push(
        self, conn: Connection, ops: Sequence[Op], counters: dict[tuple[str, int], int]
    ) -> list[OpResult]:
        with _driver(conn).cursor() as cursor:
            # The sequence row first: concurrent pushes queue here and commit in turn.
            cursor.execute(f"SELECT value FROM {schema.sync_sequence.name} WHERE id = 1 FOR UPDATE")
            seq = _one(cursor.fetchone())
        # Then, in a statement of its own (so it sees what a push that held the lock before
        # this one committed), the ops applied already.
        known = {
            row[0]: OpResult(*row)
            for row in _rows_by_key(
                conn, schema.applied_op, ("op_id", "result", "detail", "server_seq"), "op_id",
                [op.op_id for op in ops],
            )
        }  # fmt: skip
        acc = _Accounts(seq=seq, now=utcnow())
        i = 0
        while i < len(ops):
            op = ops[i]
            stored = known.get(op.op_id)
            if stored is not None:
                acc.results.append(stored)
                i += 1
                continue
            action = _action_at(ops, i)
            if action and not any(o.op_id in known for o in action):
                self._apply_action(conn, action, acc)
                i += len(action)
                continue
            i += self._apply_run(conn, ops, i, known, acc)
        if any(r.result == "conflict" and r.detail in REFUSED for r in acc.results):
            # (also on a resend: the stored results of a refused action)
            acc.results = self._with_current(conn, acc.results, ops)
        results, applied, conflicts, logged = acc.results, acc.applied, acc.conflicts, acc.logged
        seq, now = acc.seq, acc.now
        self._log(conn, logged)
        if conflicts:
            conn.execute(schema.sync_conflict.insert(), conflicts)
        _copy_rows(conn, schema.applied_op, _APPLIED_COLUMNS, applied)
        with _driver(conn).cursor() as cursor:
            cursor.execute(f"UPDATE {schema.sync_sequence.name} SET value = %s WHERE id = 1", [seq])
            self._raise_counters(cursor, counters)
            cursor.execute(
                f"UPDATE {schema.desk.name} SET last_seen = %s WHERE desk_code = %s",
                [now, self.desk_code],
            )
        return results

    def _apply_run(
        self, conn: Connection, ops: Sequence[Op], i: int, known: dict[uuid.UUID, OpResult],
        acc: _Accounts,
    ) -> int:  # fmt: skip
        """Apply the op at `i`, with the creates right after it in one go; how many."""
        op = ops[i]
        run = [op]
        if op.kind in ("create", "append"):
            # Consecutive creates (the bulk of any backlog) go in one statement per table.
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
            self._record(run_op, outcome, acc)
        return len(run)

    def _record(self, op: Op, outcome: _Outcome, acc: _Accounts) -> None:
        """The bookkeeping of one op: its change-log entry, conflicts, applied_op row."""
        server_seq: int | None = None
        if outcome.row is not None:
            acc.seq += 1
            server_seq = acc.seq
            prev = None
            if outcome.prev_scope is not None or outcome.prev_units is not None:
                prev = (outcome.prev_scope, outcome.prev_units)
            acc.logged.append((acc.seq, op.entity, outcome.row, prev))
        for conflict in outcome.conflicts:
            row = {
                "id": uuid.uuid4(), "op_id": op.op_id, "desk_code": self.desk_code,
                "entity": op.entity, "entity_id": op.entity_id,
                "desk_user": op.user_id, "desk_at": op.created_at,
                "created_at": acc.now, "field": None, "desk_value": None,
                "central_value": None, "base_value": None, "central_user": None,
                "central_at": None, "resolved_at": None, "resolved_by": None,
                "resolution": None, **conflict,
            }  # fmt: skip
            acc.conflicts.append(row)
            # Desks whose scope holds the matter pull it, to settle it there.
            acc.seq += 1
            acc.logged.append((acc.seq, CONFLICTS, {**row, "version": 1}, None))
        acc.applied.append(
            (op.op_id, self.desk_code, op.entity, op.entity_id, op.kind, outcome.result,
             outcome.detail, server_seq, acc.now)
        )  # fmt: skip
        acc.results.append(OpResult(op.op_id, outcome.result, outcome.detail, server_seq))

    def _apply_action(self, conn: Connection, action: list[Op], acc: _Accounts) -> None:
        """The ops of one user action (a workflow step: a transition with the rows written
        with it), all or none: if its transition finds the case in another state, the
        action is one conflict and every other op of it is refused ("skipped")."""
        mark = acc.mark()
        with _driver(conn).cursor() as cursor:
            cursor.execute("SAVEPOINT push_action")
        i = 0
        while i < len(action):
            i += self._apply_run(conn, action, i, {}, acc)
        outcomes = acc.results[mark[4] :]
        failed = next(
            (
                (op, r) for op, r in zip(action, outcomes, strict=True)
                if r.result == "conflict" and r.detail == "transition"
            ),
            None,
        )  # fmt: skip
        with _driver(conn).cursor() as cursor:
            if failed is None:
                cursor.execute("RELEASE SAVEPOINT push_action")
                return
            cursor.execute("ROLLBACK TO SAVEPOINT push_action")
        # Keep only the failed transition's own conflict; the rest is undone.
        failed_op = failed[0]
        own = [c for c in acc.conflicts[mark[2] :] if c["op_id"] == failed_op.op_id]
        acc.restore(mark)
        for op in action:
            if op is failed_op:
                self._record(op, _Outcome("conflict", "transition", conflicts=[
                    {k: v for k, v in c.items() if k not in _CONFLICT_STAMPS} for c in own
                ]), acc)  # fmt: skip
            else:
                self._record(op, _Outcome("conflict", "skipped"), acc)

    @staticmethod
    def _with_current(
        conn: Connection, results: list[OpResult], ops: Sequence[Op]
    ) -> list[OpResult]:
        """Results of refused actions carry their rows as they stand centrally (or None)."""
        wanted: dict[str, set[uuid.UUID]] = {}
        for result, op in zip(results, ops, strict=True):
            if result.result == "conflict" and result.detail in REFUSED:
                wanted.setdefault(op.entity, set()).add(op.entity_id)
        rows: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
        for entity, ids in wanted.items():
            table = schema.central_metadata.tables.get(entity)
            if table is None:
                continue
            for row in conn.execute(sa.select(table).where(table.c.id.in_(ids))).mappings():
                rows[(entity, row["id"])] = dict(row)
        return [
            replace(result, refresh=True, current=rows.get((op.entity, op.entity_id)))
            if result.result == "conflict" and result.detail in REFUSED
            else result
            for result, op in zip(results, ops, strict=True)
        ]

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

        The usual case (every row new) is one binary COPY under a savepoint (`_copy_rows`:
        several times faster than an INSERT per row, on both sides). Only when a row
        clashes (a resend whose rows are there already, a case number another desk
        holds) is the savepoint rolled back and the group inserted again skipping
        clashes with RETURNING, to learn which went in (far slower for a backlog, fine
        for the odd resend or clash).
        """
        from sqlalchemy.dialects.postgresql import insert

        names = list(group[0])
        with _driver(conn).cursor() as cursor:
            cursor.execute("SAVEPOINT push_rows")
            try:
                _copy_rows(conn, table, names, [[row[name] for name in names] for row in group])
            except psycopg.errors.IntegrityError:
                cursor.execute("ROLLBACK TO SAVEPOINT push_rows")
            else:
                cursor.execute("RELEASE SAVEPOINT push_rows")
                return [row["id"] for row in group]
        statement = insert(table).on_conflict_do_nothing().returning(table.c.id)
        return list(conn.execute(statement, group).scalars())

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

    def _raise_counters(
        self, cursor: psycopg.Cursor[Any], counters: dict[tuple[str, int], int]
    ) -> None:
        """This desk's central counters at least the desk's own: one statement for all."""
        if not counters:
            return
        rows = sorted(counters.items())  # the same order in every push: no deadlock
        table = schema.desk_counter.name
        cursor.execute(
            f"INSERT INTO {table} (desk_code, name, year, value) VALUES "
            + ", ".join(["(%s, %s, %s, %s)"] * len(rows))
            + " ON CONFLICT (desk_code, name, year)"
            f" DO UPDATE SET value = greatest({table}.value, excluded.value)",
            [v for (name, year), value in rows for v in (self.desk_code, name, year, value)],
        )

    def _log(self, conn: Connection, logged: list[_Logged]) -> None:
        """The change log entries of a batch, with each row's place, units and origin
        desk, and for a case that moved or went to other units, where it was before."""
        if not logged:
            return
        places: dict[uuid.UUID, _Place] = {}
        for _seq, entity, row, _prev in logged:
            if entity == "cases":
                places[row["id"]] = (
                    str(row["division_code"]),
                    str(row["origin_desk"]),
                    case_units(row),
                )
        wanted = {
            row[CASE_CHILDREN[entity]]
            for _seq, entity, row, _prev in logged
            if entity in CASE_CHILDREN and row.get(CASE_CHILDREN[entity]) not in places
        }
        matters = self._conflict_matters(conn, [row for _s, e, row, _p in logged if e == CONFLICTS])
        wanted |= {case_id for case_id in matters.values() if case_id not in places}
        if wanted:  # cases of earlier batches
            cases = schema.central_metadata.tables["cases"]
            columns = ("id", "division_code", "origin_desk", "status", "unit_codes")
            for case_id, division_code, origin_desk, status, unit_codes in _rows_by_key(
                conn, cases, columns, "id", list(wanted)
            ):
                units = case_units({"status": status, "unit_codes": unit_codes})
                places[case_id] = (str(division_code), str(origin_desk), units)
        entries: list[tuple[Any, ...]] = []
        for entry_seq, entity, row, prev in logged:
            if entity == CONFLICTS:
                case_id = matters.get(row["id"])
                place = places.get(case_id) if case_id is not None else None
                scope, origin = (place[0] if place else ""), str(row["desk_code"])
                units = place[2] if place else []
            else:
                scope, origin, units = self._scope_of(entity, row, places)
            prev_scope, prev_units = prev if prev is not None else (None, None)
            entries.append(
                (entry_seq, entity, row["id"], row["version"], scope, origin,
                 prev_scope if prev_scope != scope else None, units, prev_units)
            )  # fmt: skip
        _copy_rows(conn, schema.change_log, _LOG_COLUMNS, entries)

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
    def _scope_of(entity: str, row: dict[str, Any], places: dict[uuid.UUID, _Place]) -> _Place:
        """The place a row belongs to ("" for every desk), the desk it came from and the
        units its case is assigned to."""
        if entity == "cases":
            return str(row["division_code"]), str(row["origin_desk"]), case_units(row)
        if entity in CASE_CHILDREN:
            found = places.get(row[CASE_CHILDREN[entity]])
            if found is not None:
                return found
            return "", str(row["origin_desk"]), []
        if entity == "enquiries":
            return str(row.get("division_code") or ""), str(row["origin_desk"]), []
        return "", str(row.get("origin_desk") or ""), []

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
        if op.kind == "transition":
            # A transition applies only from its expected state, and then as a whole: the
            # status and the data recorded with it are one action. From another state it
            # is one conflict and changes nothing (the same target reached by someone
            # else is no conflict; its data are then compared field by field).
            for name in _transition_fields(table.name) & op.payload.keys():
                now, before, new = jsonable(current[name]), op.base.get(name), op.payload[name]
                if now != before and now != new:
                    return _Outcome(
                        "conflict", "transition",
                        conflicts=[{"kind": "transition", "field": name, "desk_value": new,
                                    "central_value": now, "base_value": before,
                                    **_central_side(current)}],
                    )  # fmt: skip
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
        row = {**dict(current), **values}
        before = case_units(dict(current)) if table.name == "cases" else []
        return _Outcome(
            row=row,
            prev_scope=str(current["division_code"]) if moved else None,
            prev_units=before if table.name == "cases" and case_units(row) != before else None,
        )

    # --- pull -----------------------------------------------------------------------------

    def pull(self, cursor: int, scope: Sequence[str], limit: int = 500) -> Page:
        """Rows changed after `cursor` that this desk may see, newest version of each.

        A case that came into this desk's scope (moved here, or dispatched to a unit of it)
        comes with every row of it (`CASE_CHILDREN`); one that left is named in
        `Page.removed`.
        """
        log = schema.change_log
        try:
            with self.engine.connect() as conn:
                entries = conn.execute(
                    sa.select(log.c.server_seq, log.c.entity, log.c.entity_id, log.c.scope,
                              log.c.origin_desk, log.c.prev_scope, log.c.units,
                              log.c.prev_units)
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
                entered: list[uuid.UUID] = []
                for e in entries:
                    moved = e.prev_scope or e.prev_units is not None
                    was = moved and self._visible(
                        e.prev_scope or e.scope, e.origin_desk,
                        e.units if e.prev_units is None else e.prev_units, scope,
                    )  # fmt: skip
                    if not self._visible(e.scope, e.origin_desk, e.units, scope):
                        if was:
                            removed.append((e.entity, e.entity_id))  # it left this scope
                        continue
                    if moved and not was and e.entity == "cases":
                        entered.append(e.entity_id)  # it came into this scope
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
                # A case that came into this scope (its place corrected, or dispatched to a
                # unit of it) brings its rows: they were logged under its old place or
                # units, which this desk does not see, so no later entry would (parties,
                # history, dispatches, supervision …).
                any_case = sa.any_(sa.bindparam("cases", entered, type_=ARRAY(sa.Uuid())))
                for entity, link in CASE_CHILDREN.items() if entered else ():
                    table = schema.central_metadata.tables[entity]
                    found = conn.execute(sa.select(table).where(table.c[link] == any_case))
                    for row in found.mappings().all():
                        key = (entity, row["id"])
                        if key not in seen:
                            seen.add(key)
                            order.append(key)
                            rows[key] = dict(row)
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

    def _visible(
        self, row_scope: str, origin: str, units: Sequence[str] | None, scope: Sequence[str]
    ) -> bool:
        """Whether a desk of `scope` sees a row: rows of every desk, its own, those of a
        place its division codes hold, and a case's rows while a unit of it has the case."""
        if not row_scope or origin == self.desk_code:
            return True
        if any(row_scope.startswith(code) for code in scope if code.isdigit()):
            return True
        held = set(units or ())
        return any(code in held for code in scope if not code.isdigit())
