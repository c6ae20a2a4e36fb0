"""analytics: conversation campaign/channel, message sentiment, covering index for funnels

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:30:00

Additive only: nullable columns and one index.
- conversations.campaign / channel: which campaign and channel brought the user to the chat, so the
  sentiment monitor can report negative share per campaign and channel.
- messages.sentiment / sentiment_score: the classifier's label (positive | neutral | negative) and its
  confidence, written once per user message.
- ix_events_funnel (event_type, user_id, timestamp, campaign, variant, channel, segment): a covering
  index for the conversion reports: the first funnel step per user with its attribution is read from the
  index alone, each later step is one index seek per user (the earliest event of a type at or after a
  time), and the cross report counts distinct users per type without touching the table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("campaign", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("channel", sa.String(length=32), nullable=True))
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sentiment", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("sentiment_score", sa.Float(), nullable=True))
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_events_funnel",
            ["event_type", "user_id", "timestamp", "campaign", "variant", "channel", "segment"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_funnel")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("sentiment_score")
        batch_op.drop_column("sentiment")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_column("channel")
        batch_op.drop_column("campaign")
