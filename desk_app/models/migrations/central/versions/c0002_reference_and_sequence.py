"""shipped reference rows, the sequence row and the central's identity

Revision ID: c0002
Revises: c0001
Create Date: 2026-11-27
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desk_app.models.refdata import load_reference_data

revision: str = "c0002"
down_revision: str | None = "c0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    load_reference_data(op.get_bind())
    op.execute("INSERT INTO sync_sequence (id, value) VALUES (1, 0)")
    info = sa.table("central_info", sa.column("key", sa.String), sa.column("value", sa.String))
    op.bulk_insert(
        info,
        [
            # A new epoch means a new central database: desks then pull from the start.
            {"key": "epoch", "value": str(uuid.uuid4())},
            # Desks older than this pause sync and say so (their outbox is kept).
            {"key": "min_desk_version", "value": "0.1.0"},
        ],
    )


def downgrade() -> None:
    op.execute("DELETE FROM central_info")
    op.execute("DELETE FROM sync_sequence")
    for table in ("units", "dispute_types", "divisions"):
        op.execute(f"DELETE FROM {table} WHERE updated_by = 'reference'")
