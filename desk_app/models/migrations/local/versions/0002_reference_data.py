"""shipped reference data: divisions, dispute types, units

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

from desk_app.models.refdata import load_reference_data

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    load_reference_data(op.get_bind())


def downgrade() -> None:
    for table in ("units", "dispute_types", "divisions"):
        op.execute(f"DELETE FROM {table} WHERE updated_by = 'reference'")
