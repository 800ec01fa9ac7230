"""Declarative base, column types and the SyncedRow mixin."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, DateTime, Integer, MetaData, String, Text, TypeDecorator, Uuid
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from uuid6 import uuid7

# Stable constraint names, so that migrations (batch mode on SQLite) can address them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Namespace of the deterministic ids of shipped reference rows (UUIDv5 of "<table>:<code>").
REFERENCE_NAMESPACE = uuid.UUID("6f1c2a4e-3b7d-5e21-9a0c-4d8e2f6b1a37")


def new_id() -> uuid.UUID:
    """A UUIDv7: time-ordered, made on the desk without coordination."""
    value: uuid.UUID = uuid7()
    return uuid.UUID(bytes=value.bytes)


def reference_id(table: str, code: str) -> uuid.UUID:
    """The id every desk and the central database give the shipped row `code` of `table`."""
    return uuid.uuid5(REFERENCE_NAMESPACE, f"{table}:{code}")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend (SQLite keeps no zone of its own)."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        return dialect.type_descriptor(DateTime(timezone=dialect.name != "sqlite"))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store aware UTC times only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        date: Date(),
        uuid.UUID: Uuid(as_uuid=True),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
        str: String(),
    }


class SyncedRow:
    """Columns every row that syncs carries (ARCHITECTURE.md, data model rules).

    `version` is advanced by the central side on each accepted change (0: never synced).
    Nothing is hard-deleted: `voided_at`/`void_reason` mark a row as void.
    """

    #: The outbox op kind for a new row: "create", or "append" for append-only history.
    __sync_create_kind__: ClassVar[str] = "create"
    #: Fields whose change is a state transition (with its expected from-state), not a patch.
    __sync_transition_fields__: ClassVar[frozenset[str]] = frozenset()
    #: Fields that never travel in ops (secrets, local-only state).
    __sync_local_fields__: ClassVar[frozenset[str]] = frozenset()

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    origin_desk: Mapped[str] = mapped_column(String(16), default="")
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    voided_at: Mapped[datetime | None] = mapped_column(default=None)
    void_reason: Mapped[str | None] = mapped_column(Text, default=None)

    SYNC_META_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"version", "created_at", "updated_at", "origin_desk", "updated_by"}
    )
