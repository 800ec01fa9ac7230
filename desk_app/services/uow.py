"""The unit of work: one user action, one local transaction.

Inside a unit of work a service changes ORM rows as usual. When the session
flushes, every change to a synced row is stamped (desk, user, time) and
written to the outbox in the same transaction: a new row as a create (or an
append, for history), a changed field as a patch with its value before the
edit, a status change as a transition with its expected from-state, and a
void as a void. A failure anywhere rolls all of it back.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault

from desk_app.models import Base, CaseEvent, Outbox, SyncedRow, new_id, utcnow
from desk_app.models.db import Database
from desk_app.services.roles import Actor

log = logging.getLogger(__name__)

CommitListener = Callable[[], None]


def jsonable(value: Any) -> Any:
    """A value as it travels in an op (JSON): times as ISO text, ids as text."""
    if value is None or type(value) in (str, int, bool, float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


class UnitOfWork:
    """One transaction that writes business rows, their history and their outbox ops."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        desk_code: str,
        listeners: list[CommitListener] | None = None,
    ) -> None:
        self.db = db
        self.actor = actor
        self.desk_code = desk_code
        self._listeners = listeners or []
        self._session: Session | None = None
        self.now = utcnow()
        #: While set, names the ops written as one action the center applies whole or not at
        #: all (a workflow step: see `Outbox.txn_id`); None for plain ops.
        self.txn_id: uuid.UUID | None = None
        #: Rows whose state this action relies on though it does not change it (see
        #: `expect_state`): (table, id) -> the transition fields to assert.
        self.expected: dict[tuple[str, uuid.UUID], frozenset[str]] = {}

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work used outside its `with` block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self.db.write_session()
        self._session.info["uow"] = self
        self._session.begin()
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        session = self.session
        try:
            if exc_type is None:
                session.commit()
            else:
                session.rollback()
        finally:
            session.close()
            self._session = None
        if exc_type is None:
            for listener in self._listeners:
                try:
                    listener()
                except Exception:  # a listener must never undo a committed action
                    log.exception("commit listener failed")

    def expect_state(self, row: SyncedRow) -> None:
        """This action relies on `row`'s state (its status) though it may not change it: its
        changes to the row go as a transition asserting the current state, which the center
        refuses (with the rest of the action) if the row has meanwhile moved on."""
        info = _info(type(row))
        self.expected[(info.table.name, row.id)] = info.transition_fields

    def add(self, row: object) -> None:
        self.session.add(row)

    def event(
        self, case_id: uuid.UUID, kind: str, summary: str = "", data: dict[str, Any] | None = None
    ) -> CaseEvent:
        """Append a history event to a case, by the acting user, now."""
        ev = CaseEvent(
            case_id=case_id,
            kind=kind,
            at=self.now,
            actor=self.actor.username,
            summary=summary,
            data=jsonable(data or {}),
        )
        self.session.add(ev)
        return ev

    def op(self, entity: str, entity_id: uuid.UUID, kind: str, payload: dict[str, Any]) -> None:
        """Write an op that no row change makes (settling a conflict), after the changes
        made so far in this unit of work."""
        self.session.flush()
        row = _op_row(self, entity, entity_id, kind, jsonable(payload))
        self.session.connection().execute(_OUTBOX.insert(), [row])

    def bulk_insert(self, model: type[SyncedRow], rows: Sequence[dict[str, Any]]) -> None:
        """Insert many new rows of `model` at once (Core), for bulk paths such as the demo.

        Each row is stamped and gets its create (or append) op exactly as a row
        added to the session would; pending ORM changes are flushed first so
        foreign keys find their rows. `rows` are filled in place (ids, defaults).
        """
        if not rows:
            return
        self.session.flush()
        info = _info(model)
        ops = [_new_row_op(self, info, values) for values in rows]
        conn = self.session.connection()
        conn.execute(info.table.insert(), list(rows))
        conn.execute(_OUTBOX.insert(), ops)


# --- recording ops -----------------------------------------------------------------

_OUTBOX = cast(Table, Outbox.__table__)
_PLAIN = (str, int, float, bool, type(None))


@dataclass(frozen=True)
class _ClassInfo:
    """What op recording needs to know of a synced class, worked out once."""

    table: Table
    keys: tuple[str, ...]
    payload_keys: tuple[str, ...]
    #: Payload keys whose values are JSON as they are (text, numbers, flags), and the rest.
    plain_keys: tuple[str, ...]
    converted_keys: tuple[str, ...]
    scalar_defaults: tuple[tuple[str, Any], ...]
    callable_defaults: tuple[tuple[str, Callable[[], Any]], ...]
    create_kind: str
    transition_fields: frozenset[str]
    local_fields: frozenset[str]


_INFO: dict[type[SyncedRow], _ClassInfo] = {}


def _info(cls: type[SyncedRow]) -> _ClassInfo:
    known = _INFO.get(cls)
    if known is None:
        known = _INFO[cls] = _class_info(cls)
    return known


def _class_info(cls: type[SyncedRow]) -> _ClassInfo:
    mapper = inspect(cls)
    keys: list[str] = []
    scalars: list[tuple[str, Any]] = []
    callables: list[tuple[str, Callable[[], Any]]] = []
    for attr in mapper.column_attrs:
        keys.append(attr.key)
        default = attr.columns[0].default
        if isinstance(default, ScalarElementColumnDefault):
            scalars.append((attr.key, default.arg))
        elif isinstance(default, CallableColumnDefault):
            # Our callable defaults (new_id, utcnow) take no execution context.
            fn = default.arg
            callables.append((attr.key, functools.partial(fn, None)))  # type: ignore[arg-type]
    payload_keys = tuple(k for k in keys if k not in cls.__sync_local_fields__)
    plain = {
        attr.key
        for attr in mapper.column_attrs
        if attr.columns[0].type.python_type in (str, int, float, bool)
    }
    return _ClassInfo(
        table=cast(Table, mapper.local_table),
        keys=tuple(keys),
        payload_keys=payload_keys,
        plain_keys=tuple(k for k in payload_keys if k in plain),
        converted_keys=tuple(k for k in payload_keys if k not in plain),
        scalar_defaults=tuple(scalars),
        callable_defaults=tuple(callables),
        create_kind=cls.__sync_create_kind__,
        transition_fields=cls.__sync_transition_fields__,
        local_fields=cls.__sync_local_fields__,
    )


_DEFAULTS: dict[str, _ClassInfo | None] = {}


def fill_defaults(table_name: str, values: dict[str, Any]) -> None:
    """Give a row written outside the ORM (a pulled row) its Python-side defaults."""
    if table_name not in _DEFAULTS:
        _DEFAULTS[table_name] = next(
            (
                _info(mapper.class_)
                for mapper in Base.registry.mappers
                if issubclass(mapper.class_, SyncedRow)
                and mapper.class_.__tablename__ == table_name  # type: ignore[attr-defined]
            ),
            None,
        )
    info = _DEFAULTS[table_name]
    if info is None:
        return
    for key, value in info.scalar_defaults:
        if key not in values:
            values[key] = value
    for key, make in info.callable_defaults:
        if key not in values:
            values[key] = make()


def _json(value: Any) -> Any:
    return value if isinstance(value, _PLAIN) else jsonable(value)


def _op_row(
    uow: UnitOfWork,
    table: str,
    entity_id: uuid.UUID,
    kind: str,
    payload: dict[str, Any],
    base: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "op_id": new_id(),
        "entity": table,
        "entity_id": entity_id,
        "kind": kind,
        "payload": payload,
        "base": base or {},
        "user_id": uow.actor.username,
        "created_at": uow.now,
        "txn_id": uow.txn_id,
        "state": "pending",
        "attempts": 0,
        "last_error": None,
    }


def _stamp_new(uow: UnitOfWork, values: dict[str, Any]) -> None:
    values["version"] = 0
    values["created_at"] = values["updated_at"] = uow.now
    values["origin_desk"] = uow.desk_code
    values["updated_by"] = uow.actor.username


def _new_row_op(uow: UnitOfWork, info: _ClassInfo, values: dict[str, Any]) -> dict[str, Any]:
    """Fill a new row's defaults and stamps (in place) and return its create/append op."""
    for key, value in info.scalar_defaults:
        if values.get(key) is None:
            values[key] = value
    for key, make in info.callable_defaults:
        if values.get(key) is None:
            values[key] = make()
    _stamp_new(uow, values)
    payload = {k: values.get(k) for k in info.plain_keys}
    for k in info.converted_keys:
        payload[k] = jsonable(values.get(k))
    return _op_row(uow, info.table.name, values["id"], info.create_kind, payload)


def _changes(obj: SyncedRow, info: _ClassInfo) -> dict[str, tuple[Any, Any]]:
    out: dict[str, tuple[Any, Any]] = {}
    state = inspect(obj)
    for key in info.keys:
        hist = state.attrs[key].history
        if not hist.has_changes():
            continue
        before = hist.deleted[0] if hist.deleted else None
        after = hist.added[0] if hist.added else None
        if before != after:
            out[key] = (before, after)
    return out


def _new_object_op(uow: UnitOfWork, obj: SyncedRow) -> dict[str, Any]:
    info = _info(type(obj))
    values = {k: getattr(obj, k) for k in info.keys}
    op = _new_row_op(uow, info, values)
    for key in info.keys:  # write the filled defaults and stamps back to the object
        if getattr(obj, key) is None and values[key] is not None:
            setattr(obj, key, values[key])
    for key in SyncedRow.SYNC_META_FIELDS:
        setattr(obj, key, values[key])
    return op


def _changed_object_ops(uow: UnitOfWork, obj: SyncedRow) -> list[dict[str, Any]]:
    info = _info(type(obj))
    changes = {
        k: v
        for k, v in _changes(obj, info).items()
        if k not in SyncedRow.SYNC_META_FIELDS and k not in info.local_fields
    }
    if not changes:
        return []
    if info.create_kind == "append":
        raise RuntimeError(f"{type(obj).__name__} is append-only and cannot be changed")
    table = info.table.name
    ops: list[dict[str, Any]] = []
    if "voided_at" in changes:
        before, after = changes.pop("voided_at")
        changes.pop("void_reason", None)
        if before is not None or after is None:
            raise RuntimeError("a void cannot be undone")
        payload = {"voided_at": jsonable(after), "void_reason": obj.void_reason}
        ops.append(_op_row(uow, table, obj.id, "void", payload))
    if changes:
        for key in uow.expected.get((table, obj.id), frozenset()) - changes.keys():
            value = getattr(obj, key)  # the state relied on, unchanged: asserted as is
            changes[key] = (value, value)
        # A status change and the fields changed with it are one op: the center applies
        # all of it from the expected state, or none of it (a transition and its data
        # are one user action, on the center as on the desk).
        kind = "transition" if info.transition_fields & changes.keys() else "patch"
        payload = {k: _json(after) for k, (_, after) in changes.items()}
        base = {k: _json(before) for k, (before, _) in changes.items()}
        ops.append(_op_row(uow, table, obj.id, kind, payload, base))
    obj.updated_at = uow.now
    obj.updated_by = uow.actor.username
    return ops


@event.listens_for(Session, "before_flush")
def _record_ops(session: Session, _ctx: object, _instances: object) -> None:
    uow = session.info.get("uow")
    if uow is None:
        return
    assert isinstance(uow, UnitOfWork)
    for obj in session.deleted:
        if isinstance(obj, SyncedRow):
            raise RuntimeError("synced rows are never deleted: void them instead")
    ops = [_new_object_op(uow, obj) for obj in session.new if isinstance(obj, SyncedRow)]
    for obj in session.dirty:
        if isinstance(obj, SyncedRow) and session.is_modified(obj):
            ops.extend(_changed_object_ops(uow, obj))
    if ops:
        # Core, not ORM objects: one executemany, and no second flush of outbox rows.
        session.connection().execute(_OUTBOX.insert(), ops)
