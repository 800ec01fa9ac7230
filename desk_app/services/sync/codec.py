"""Rows and ops as they travel between desk and center: JSON values, decoded per column."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from desk_app.models.base import UTCDateTime
from desk_app.services.uow import jsonable

__all__ = ["decode_row", "encode_row", "jsonable"]


def _decoder(column: sa.Column[Any]) -> Any:
    kind = column.type
    if isinstance(kind, UTCDateTime | sa.DateTime):
        return datetime.fromisoformat
    if isinstance(kind, sa.Date):
        return date.fromisoformat
    if isinstance(kind, sa.Uuid):
        return uuid.UUID
    return None


_DECODERS: dict[sa.Table, dict[str, Any]] = {}


def _decoders(table: sa.Table) -> dict[str, Any]:
    """Column name -> decoder (None for values JSON carries as they are), per table."""
    found = _DECODERS.get(table)
    if found is None:
        found = _DECODERS[table] = {c.name: _decoder(c) for c in table.columns}
    return found


def decode_row(table: sa.Table, values: dict[str, Any]) -> dict[str, Any]:
    """JSON values of `table`'s columns back to Python values (unknown keys are dropped)."""
    decoders = _decoders(table)
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name not in decoders:
            continue
        decode = decoders[name]
        out[name] = decode(value) if decode is not None and isinstance(value, str) else value
    return out


def encode_row(row: sa.RowMapping | dict[str, Any]) -> dict[str, Any]:
    return {key: jsonable(value) for key, value in dict(row).items()}
