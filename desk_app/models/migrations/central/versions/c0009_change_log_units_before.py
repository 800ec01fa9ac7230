"""change log: a case's units before the change

Revision ID: c0009
Revises: c0008
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "c0009"
down_revision: str | None = "c0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# The tables of a case's rows at this revision (services.sync.store.CASE_CHILDREN).
CASE_CHILDREN = (
    "parties",
    "case_events",
    "attachments",
    "assignments",
    "joint_mediations",
    "joint_mediation_units",
    "supervisions",
)


def upgrade() -> None:
    op.add_column(
        "change_log",
        sa.Column(
            "prev_units",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
    )
    # Entries logged before units were: each case's rows under its units now, so that a
    # desk enrolled for a unit finds the cases dispatched there on its first pull.
    units = "to_jsonb(string_to_array(c.unit_codes, ','))"
    op.execute(
        f"UPDATE change_log l SET units = {units} FROM cases c "
        "WHERE l.entity = 'cases' AND l.entity_id = c.id "
        "AND c.status <> 'pending_triage' AND c.unit_codes <> ''"
    )
    for table in CASE_CHILDREN:
        op.execute(
            f"UPDATE change_log l SET units = {units} FROM {table} r JOIN cases c "
            "ON c.id = r.case_id "
            f"WHERE l.entity = '{table}' AND l.entity_id = r.id "
            "AND c.status <> 'pending_triage' AND c.unit_codes <> ''"
        )


def downgrade() -> None:
    op.drop_column("change_log", "prev_units")
