"""Reference data: divisions, dispute types and responsible units.

Shipped rows get deterministic ids (see `reference_id`) so every desk and the
central database agree on them without syncing them first. Units are also
editable by a center administrator and sync like any other row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desk_app.models.base import Base, SyncedRow


class Division(SyncedRow, Base):
    """An administrative division: the city, a township-level unit or a village.

    `code` is always the 12-digit statistical code (NBS); `level` is city, town or village.
    """

    __tablename__ = "divisions"

    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    short_name: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32), default="")
    parent_code: Mapped[str | None] = mapped_column(String(12), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class DisputeType(SyncedRow, Base):
    """A dispute type (codes 01-23, 99) or one of its sub-types (parent_code set)."""

    __tablename__ = "dispute_types"

    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    parent_code: Mapped[str | None] = mapped_column(String(8), index=True)
    usual_units: Mapped[list[Any]] = mapped_column(default=list)
    legal_notes: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Unit(SyncedRow, Base):
    """A responsible unit a matter can be routed to (city department, township, village)."""

    __tablename__ = "units"
    __table_args__ = (Index("ix_units_level_kind", "level", "kind"),)

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    short_name: Mapped[str] = mapped_column(String(64), default="")
    level: Mapped[str] = mapped_column(String(16))  # city | town | village
    kind: Mapped[str] = mapped_column(String(32))
    division_code: Mapped[str] = mapped_column(String(12), index=True)
    parent_code: Mapped[str | None] = mapped_column(String(32))
    dispute_types: Mapped[list[Any]] = mapped_column(default=list)
    #: Whether the unit works in the system itself; if not, center staff act for it.
    has_desk: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
