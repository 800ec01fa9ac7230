"""Reference lists the intake form offers: places (township -> village) and dispute types.

Read once, off the GUI thread, into plain frozen dataclasses that widgets can
keep without touching the database again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.models import DisputeType, Division
from desk_app.models.db import Database


@dataclass(frozen=True)
class Place:
    """A village or community committee: its 12-digit code and short name."""

    code: str
    short_name: str


@dataclass(frozen=True)
class Town:
    """A township-level unit (街道/镇/乡, or a statistical farm) with its villages."""

    code: str
    short_name: str
    villages: tuple[Place, ...]


@dataclass(frozen=True)
class DisputeKind:
    """A top-level dispute type and the names of its sub-types."""

    code: str
    name: str
    subtypes: tuple[str, ...]


@dataclass(frozen=True)
class IntakeReference:
    towns: tuple[Town, ...]
    dispute_types: tuple[DisputeKind, ...]


def intake_reference(session: Session) -> IntakeReference:
    """Towns with their villages and dispute types with their sub-types, in shipped order."""
    divisions = session.scalars(
        select(Division)
        .where(Division.voided_at.is_(None), Division.level.in_(("town", "village")))
        .order_by(Division.sort_order, Division.code)
    ).all()
    villages: dict[str, list[Place]] = {}
    for d in divisions:
        if d.level == "village" and d.parent_code:
            villages.setdefault(d.parent_code, []).append(Place(d.code, d.short_name))
    towns = tuple(
        Town(d.code, d.short_name, tuple(villages.get(d.code, ())))
        for d in divisions
        if d.level == "town"
    )
    types = session.scalars(
        select(DisputeType)
        .where(DisputeType.voided_at.is_(None))
        .order_by(DisputeType.sort_order, DisputeType.code)
    ).all()
    subtypes: dict[str, list[str]] = {}
    for t in types:
        if t.parent_code:
            subtypes.setdefault(t.parent_code, []).append(t.name)
    kinds = tuple(
        DisputeKind(t.code, t.name, tuple(subtypes.get(t.code, ())))
        for t in types
        if t.parent_code is None
    )
    return IntakeReference(towns=towns, dispute_types=kinds)


def load_intake_reference(db: Database) -> IntakeReference:
    """`intake_reference` in a read session of its own (for a background task)."""
    with db.read() as s:
        return intake_reference(s)
