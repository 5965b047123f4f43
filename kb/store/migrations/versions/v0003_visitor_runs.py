"""The site's visitors' run tokens, kept on the server instead of in the session cookie.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Releases before the migrations created it on the fly.
    if "visitor_runs" not in sa.inspect(op.get_bind()).get_table_names():
        op.create_table(
            "visitor_runs",
            sa.Column("visitor", sa.Text(), primary_key=True),
            sa.Column("run_id", sa.Text(), primary_key=True),
            sa.Column("token", sa.Text(), nullable=False),
            sa.Column("at", sa.Float(), nullable=False))


def downgrade() -> None:
    op.drop_table("visitor_runs")
