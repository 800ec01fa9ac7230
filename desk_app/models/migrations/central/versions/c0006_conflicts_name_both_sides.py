"""conflicts name both sides and who settled them

Revision ID: c0006
Revises: c0005
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import desk_app.models.base

revision: str = "c0006"
down_revision: str | None = "c0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("sync_conflict", sa.Column("central_user", sa.String(length=64), nullable=True))
    op.add_column(
        "sync_conflict",
        sa.Column("central_at", desk_app.models.base.UTCDateTime(), nullable=True),
    )
    op.add_column("sync_conflict", sa.Column("resolved_by", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("sync_conflict", "resolved_by")
    op.drop_column("sync_conflict", "central_at")
    op.drop_column("sync_conflict", "central_user")
