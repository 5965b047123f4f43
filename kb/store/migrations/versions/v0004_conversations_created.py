"""The conversations' index by creation time only, without the time of the last message.

A conversation is rewritten on every message, and with `updated_at` in the index each
message also moved the row's index entry: one more page for every commit to write. The
console's list of conversations reads the rows anyway, so the index gave it nothing.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("conversations_created", table_name="conversations")
    op.create_index("conversations_created", "conversations", ["created_at"])


def downgrade() -> None:
    op.drop_index("conversations_created", table_name="conversations")
    op.create_index("conversations_created", "conversations", ["created_at", "updated_at"])
