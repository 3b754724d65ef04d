"""walk-in sessions at kiosks

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 23:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "walk_in_sessions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kiosk_id", sa.String(length=300), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=24), nullable=True),
        sa.Column("abandoned_items", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("customer_id"),
    )
    with op.batch_alter_table("walk_in_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_walk_in_sessions_kiosk_latest", ["kiosk_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("walk_in_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_walk_in_sessions_kiosk_latest")
    op.drop_table("walk_in_sessions")
