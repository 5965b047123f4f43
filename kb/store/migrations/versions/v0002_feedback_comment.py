"""What was missing: an optional comment left with a "not helpful" vote.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A database may have the column already (a release that created it by hand).
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("guide_feedback")}
    if "comment" not in columns:
        op.add_column("guide_feedback", sa.Column("comment", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("guide_feedback") as batch:
        batch.drop_column("comment")
