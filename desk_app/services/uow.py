"""The unit of work: one user action, one local transaction.

Inside a unit of work a service changes ORM rows as usual. When the session
flushes, every change to a synced row is stamped (desk, user, time) and
written to the outbox in the same transaction: a new row as a create (or an
append, for history), a changed field as a patch with its value before the
edit, a status change as a transition with its expected from-state, and a
void as a void. A failure anywhere rolls all of it back.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault

from desk_app.models import CaseEvent, Outbox, SyncedRow, new_id, utcnow
from desk_app.models.db import Database
from desk_app.services.roles import Actor

log = logging.getLogger(__name__)

CommitListener = Callable[[], None]


def jsonable(value: Any) -> Any:
    """A value as it travels in an op (JSON): times as ISO text, ids as text."""
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


# --- recording ops at flush time ------------------------------------------------


def _column_keys(obj: SyncedRow) -> list[str]:
    return [attr.key for attr in inspect(type(obj)).column_attrs]


def _apply_defaults(obj: SyncedRow) -> None:
    """Fill Python-side column defaults now, so the create op carries the full row."""
    mapper = inspect(type(obj))
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        if getattr(obj, attr.key) is not None or column.default is None:
            continue
        default = column.default
        if isinstance(default, ScalarElementColumnDefault):
            setattr(obj, attr.key, default.arg)
        elif isinstance(default, CallableColumnDefault):
            # Our callable defaults (new_id, utcnow) take no execution context.
            setattr(obj, attr.key, default.arg(None))  # type: ignore[arg-type]


def _payload(obj: SyncedRow) -> dict[str, Any]:
    skip = type(obj).__sync_local_fields__
    return {k: jsonable(getattr(obj, k)) for k in _column_keys(obj) if k not in skip}


def _op(
    uow: UnitOfWork,
    obj: SyncedRow,
    kind: str,
    payload: dict[str, Any],
    base: dict[str, Any] | None = None,
) -> Outbox:
    table = obj.__table__.name  # type: ignore[attr-defined]
    return Outbox(
        op_id=new_id(),
        entity=table,
        entity_id=obj.id,
        kind=kind,
        payload=payload,
        base=base or {},
        user_id=uow.actor.username,
        created_at=uow.now,
        state="pending",
    )


def _changes(obj: SyncedRow) -> dict[str, tuple[Any, Any]]:
    out: dict[str, tuple[Any, Any]] = {}
    state = inspect(obj)
    for key in _column_keys(obj):
        hist = state.attrs[key].history
        if not hist.has_changes():
            continue
        before = hist.deleted[0] if hist.deleted else None
        after = hist.added[0] if hist.added else None
        if before != after:
            out[key] = (before, after)
    return out


@event.listens_for(Session, "before_flush")
def _record_ops(session: Session, _ctx: object, _instances: object) -> None:
    uow = session.info.get("uow")
    if uow is None:
        return
    assert isinstance(uow, UnitOfWork)
    ops: list[Outbox] = []
    for obj in list(session.new):
        if not isinstance(obj, SyncedRow):
            continue
        if obj.id is None:
            obj.id = new_id()
        _apply_defaults(obj)
        obj.created_at = obj.updated_at = uow.now
        obj.origin_desk = uow.desk_code
        obj.updated_by = uow.actor.username
        obj.version = 0
        ops.append(_op(uow, obj, type(obj).__sync_create_kind__, _payload(obj)))
    for obj in list(session.dirty):
        if not isinstance(obj, SyncedRow) or not session.is_modified(obj):
            continue
        cls = type(obj)
        changes = {
            k: v
            for k, v in _changes(obj).items()
            if k not in SyncedRow.SYNC_META_FIELDS and k not in cls.__sync_local_fields__
        }
        if not changes:
            continue
        if cls.__sync_create_kind__ == "append":
            raise RuntimeError(f"{cls.__name__} is append-only and cannot be changed")
        if "voided_at" in changes:
            before, after = changes.pop("voided_at")
            changes.pop("void_reason", None)
            if before is not None or after is None:
                raise RuntimeError("a void cannot be undone")
            ops.append(
                _op(
                    uow, obj, "void", {"voided_at": jsonable(after), "void_reason": obj.void_reason}
                )
            )
        for key in sorted(cls.__sync_transition_fields__ & changes.keys()):
            before, after = changes.pop(key)
            ops.append(_op(uow, obj, "transition", {key: jsonable(after)}, {key: jsonable(before)}))
        if changes:
            ops.append(
                _op(
                    uow,
                    obj,
                    "patch",
                    {k: jsonable(after) for k, (_, after) in changes.items()},
                    {k: jsonable(before) for k, (before, _) in changes.items()},
                )
            )
        obj.updated_at = uow.now
        obj.updated_by = uow.actor.username
    for obj in session.deleted:
        if isinstance(obj, SyncedRow):
            raise RuntimeError("synced rows are never deleted: void them instead")
    for op in ops:
        session.add(op)
