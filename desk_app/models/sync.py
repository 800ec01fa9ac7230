"""Local sync bookkeeping: the outbox, the pull cursor, desk identity and counters.

These rows never sync themselves.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from desk_app.models.base import Base, new_id, utcnow

OUTBOX_STATES = ("pending", "acked", "conflict", "rejected")
OP_KINDS = ("create", "patch", "transition", "append", "void", "resolve")


class Outbox(Base):
    """One change made on this desk, waiting to be (or already) pushed."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state_seq", "state", "seq"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[uuid.UUID] = mapped_column(Uuid(as_uuid=True), unique=True, default=new_id)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(String(16))
    #: create/append: the full row; patch: changed fields; transition: {field: to}; void: reason.
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: patch: the values before the edit; transition: the expected from-state.
    base: Mapped[dict[str, Any]] = mapped_column(default=dict)
    user_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The workflow step (one user action) that wrote the op, if any: the center applies
    #: the ops of a step whose transition fails none of them, and a batch never splits one.
    txn_id: Mapped[uuid.UUID | None] = mapped_column(Uuid(as_uuid=True), default=None)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)


class SyncState(Base):
    """A single row: where pulling stands and what the central side said last."""

    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    desk_code: Mapped[str] = mapped_column(String(16), default="")
    pull_cursor: Mapped[int] = mapped_column(Integer, default=0)
    central_epoch: Mapped[str | None] = mapped_column(String(64), default=None)
    last_success_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)


class DeskCounter(Base):
    """Per-desk, per-year number counters (case numbers, document numbers).

    Bumped inside the transaction that prints the number, so a number once
    committed is never issued again, even after a power cut.
    """

    __tablename__ = "desk_counters"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SyncConflict(Base):
    """A change the center could not apply as it stood, with both values (from the center).

    Made centrally when a desk's op meets a row that changed meanwhile (or a voided
    row, or a taken number) and pulled to every desk whose scope holds the matter, so
    staff anywhere can settle it. Settled by a `resolve` op: its row comes back with
    `resolved_at` on every desk. Not a synced business row: never edited here except
    by that op's local echo.
    """

    __tablename__ = "sync_conflict"
    __table_args__ = (Index("ix_sync_conflict_open", "resolved_at", "entity_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    op_id: Mapped[uuid.UUID]
    desk_code: Mapped[str] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[uuid.UUID]
    #: field | voided | missing | number_clash | transition | integrity
    kind: Mapped[str] = mapped_column(String(16))
    field: Mapped[str | None] = mapped_column(String(64), default=None)
    desk_value: Mapped[Any] = mapped_column(JSON, nullable=True, default=None)
    central_value: Mapped[Any] = mapped_column(JSON, nullable=True, default=None)
    base_value: Mapped[Any] = mapped_column(JSON, nullable=True, default=None)
    #: Who made the desk's change, and when by that desk's clock.
    desk_user: Mapped[str] = mapped_column(String(64))
    desk_at: Mapped[datetime]
    #: Who changed the central row last before the clash, and when (None if unknown).
    central_user: Mapped[str | None] = mapped_column(String(64), default=None)
    central_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_by: Mapped[str | None] = mapped_column(String(64), default=None)
    #: {"value": the value kept, "note": why} as the resolving officer gave it.
    resolution: Mapped[Any] = mapped_column(JSON, nullable=True, default=None)


class DeskIdentity(Base):
    """A single row: the center and this desk, set at first start (`init`)."""

    __tablename__ = "desk_identity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    center_name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(16))
    desk_code: Mapped[str] = mapped_column(String(16))
    #: Case number template, e.g. "{center}〔{year}〕{desk}-{seq:05d}".
    case_no_template: Mapped[str] = mapped_column(String(100))
    #: This installation's own id, so a restored copy on another PC can be told apart.
    install_id: Mapped[uuid.UUID] = mapped_column(default=new_id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
