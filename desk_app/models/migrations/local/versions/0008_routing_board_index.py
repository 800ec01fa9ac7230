"""routing board index

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As models.case has them at this revision (a later change there needs a new migration).
OPEN_STATUSES_SQL = (
    "'pending_triage', 'dispatched', 'signed', 'in_progress', 'fed_back', 'escalated'"
)
BOARD_URGENCY_SQL = (
    "CASE WHEN paused_at IS NOT NULL OR step = '' OR due_at IS NULL "
    "THEN 'z' || received_at ELSE due_at END"
)


def upgrade() -> None:
    op.create_index(
        "ix_cases_board",
        "cases",
        [
            sa.text(f"({BOARD_URGENCY_SQL})"),
            "status",
            "level",
            "lead_unit_code",
            "feedback_due_at",
            "warn_at",
            "dispute_type_code",
            "division_code",
            "channel",
            "received_at",
            "paused_at",
            "step",
            "due_at",
        ],
        unique=False,
        sqlite_where=sa.text(f"status IN ({OPEN_STATUSES_SQL}) AND voided_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_cases_board", table_name="cases")
