"""The central PostgreSQL schema (its own Alembic line, `desk-app central upgrade`).

The entity tables have the same names and columns as on the desks (built from
the desk models, so the two cannot drift apart; a test compares them with the
central migrations), without foreign keys (ops arrive per desk in their own
order) and without desk-local columns. Beside them: the ops already applied,
the commit-ordered change log desks pull from, conflicts, the desk registry,
per-desk number counters and a one-row sequence that hands out `server_seq`
inside the pushing transaction (so sequence order is commit order).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from desk_app.models import Base
from desk_app.models.base import NAMING_CONVENTION, UTCDateTime

#: Desk tables whose rows sync, in the order parents come before children.
SYNCED_TABLES = (
    "divisions",
    "dispute_types",
    "units",
    "users",
    "cases",
    "parties",
    "case_events",
    "attachments",
    "enquiries",
    "deadline_rules",
    "holiday_years",
    "assignments",
    "joint_mediations",
    "joint_mediation_units",
    "supervisions",
)
#: Columns that stay on the desk that has them.
LOCAL_COLUMNS = {"users": {"failed_attempts", "last_failed_at", "locked_until"}}

central_metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(JSONB(), "postgresql")


def _entity_table(name: str) -> sa.Table:
    local = Base.metadata.tables[name]
    columns = [
        sa.Column(
            c.name,
            _json() if isinstance(c.type, sa.JSON) else c.type,
            primary_key=c.primary_key,
            nullable=c.nullable,
            server_default=c.server_default.arg if c.server_default is not None else None,  # type: ignore[attr-defined]
        )
        for c in local.columns
        if c.name not in LOCAL_COLUMNS.get(name, set())
    ]
    table = sa.Table(name, central_metadata, *columns)
    for constraint in local.constraints:
        if isinstance(constraint, sa.UniqueConstraint):
            table.append_constraint(sa.UniqueConstraint(*[c.name for c in constraint.columns]))
    for index in local.indexes:
        if index.info.get("desk_only"):
            continue
        sa.Index(index.name, *[table.c[c.name] for c in index.columns], unique=bool(index.unique))
    return table


for _name in SYNCED_TABLES:
    _entity_table(_name)

applied_op = sa.Table(
    "applied_op",
    central_metadata,
    sa.Column("op_id", sa.Uuid(), primary_key=True),
    sa.Column("desk_code", sa.String(16), nullable=False),
    sa.Column("entity", sa.String(32), nullable=False),
    sa.Column("entity_id", sa.Uuid(), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    #: applied | conflict | rejected
    sa.Column("result", sa.String(16), nullable=False),
    sa.Column("detail", sa.Text(), nullable=True),
    sa.Column("server_seq", sa.BigInteger(), nullable=True),
    sa.Column("applied_at", UTCDateTime(), nullable=False),
)

change_log = sa.Table(
    "change_log",
    central_metadata,
    sa.Column("server_seq", sa.BigInteger(), primary_key=True, autoincrement=False),
    sa.Column("entity", sa.String(32), nullable=False),
    sa.Column("entity_id", sa.Uuid(), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    #: The 12-digit division code of the matter (cases and their rows), "" for all desks.
    sa.Column("scope", sa.String(12), nullable=False),
    #: The desk that made the row (a desk keeps what it registered until it is closed).
    sa.Column("origin_desk", sa.String(16), nullable=False),
    #: The place before this change, when the change moved the case elsewhere: desks whose
    #: scope held the old place (and not the new) remove the case.
    sa.Column("prev_scope", sa.String(12), nullable=True),
    #: The units the case is assigned to (`store.case_units`), for desks whose scope names
    #: a unit.
    sa.Column("units", _json(), nullable=False, server_default=sa.text("'[]'")),
    #: Its units before this change, when the change assigned it to other units: desks
    #: whose scope held an old unit (and not a new one, nor its place) remove the case.
    sa.Column("prev_units", _json(), nullable=True),
)
sa.Index("ix_change_log_entity", change_log.c.entity, change_log.c.entity_id)

sync_conflict = sa.Table(
    "sync_conflict",
    central_metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("op_id", sa.Uuid(), nullable=False),
    sa.Column("desk_code", sa.String(16), nullable=False),
    sa.Column("entity", sa.String(32), nullable=False),
    sa.Column("entity_id", sa.Uuid(), nullable=False),
    #: field | voided | missing | number_clash | transition
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("field", sa.String(64), nullable=True),
    sa.Column("desk_value", _json(), nullable=True),
    sa.Column("central_value", _json(), nullable=True),
    sa.Column("base_value", _json(), nullable=True),
    sa.Column("desk_user", sa.String(64), nullable=False),
    sa.Column("desk_at", UTCDateTime(), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("resolved_at", UTCDateTime(), nullable=True),
    sa.Column("resolution", _json(), nullable=True),
    #: Who changed the central row last before the clash, and when.
    sa.Column("central_user", sa.String(64), nullable=True),
    sa.Column("central_at", UTCDateTime(), nullable=True),
    sa.Column("resolved_by", sa.String(64), nullable=True),
)
sa.Index("ix_sync_conflict_open", sync_conflict.c.resolved_at, sync_conflict.c.entity_id)

desk = sa.Table(
    "desk",
    central_metadata,
    sa.Column("desk_code", sa.String(16), primary_key=True),
    sa.Column("install_id", sa.Uuid(), nullable=False),
    sa.Column("center_name", sa.String(100), nullable=False),
    #: Division codes at their level (6, 9 or 12 digits) and/or unit codes.
    sa.Column("scope", _json(), nullable=False),
    sa.Column("enrolled_at", UTCDateTime(), nullable=False),
    sa.Column("last_seen", UTCDateTime(), nullable=True),
    sa.Column("app_version", sa.String(32), nullable=False, server_default=""),
)

desk_counter = sa.Table(
    "desk_counter",
    central_metadata,
    sa.Column("desk_code", sa.String(16), primary_key=True),
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("year", sa.Integer(), primary_key=True),
    #: The highest number this desk is known to have issued.
    sa.Column("value", sa.Integer(), nullable=False),
)

sync_sequence = sa.Table(
    "sync_sequence",
    central_metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
    sa.Column("value", sa.BigInteger(), nullable=False),
)

#: Attachment files by content, sent in chunks so an interrupted transfer resumes.
attachment_file = sa.Table(
    "attachment_file",
    central_metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.BigInteger(), nullable=False),
    sa.Column("chunk_size", sa.Integer(), nullable=False),
    sa.Column("chunks", sa.Integer(), nullable=False),
    sa.Column("complete", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)

attachment_chunk = sa.Table(
    "attachment_chunk",
    central_metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("idx", sa.Integer(), primary_key=True, autoincrement=False),
    sa.Column("data", sa.LargeBinary(), nullable=False),
)

central_info = sa.Table(
    "central_info",
    central_metadata,
    sa.Column("key", sa.String(32), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
)
