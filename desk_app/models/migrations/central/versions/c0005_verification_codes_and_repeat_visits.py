"""verification codes and repeat visits

Revision ID: c0005
Revises: c0004
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0005"
down_revision: str | None = "c0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "cases", sa.Column("verify_code", sa.String(length=12), server_default="", nullable=False)
    )
    op.add_column("cases", sa.Column("repeat_of_id", sa.Uuid(), nullable=True))
    op.create_index("ix_cases_repeat_of_id", "cases", ["repeat_of_id"], unique=False)
    op.create_index("ix_cases_verify_code", "cases", ["verify_code"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_cases_verify_code", table_name="cases")
    op.drop_index("ix_cases_repeat_of_id", table_name="cases")
    op.drop_column("cases", "repeat_of_id")
    op.drop_column("cases", "verify_code")
