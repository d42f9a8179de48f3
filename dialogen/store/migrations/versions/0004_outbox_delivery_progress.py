"""outbox delivery progress: retry time, parts delivered, queue order

Revision ID: 0004
Revises: 0002

``retry_at`` holds a failed message back without moving ``not_before`` (which keeps its place in
the participant's queue), ``parts_sent`` lets a partly delivered message resume after the parts
that arrived, and ``seq`` orders messages queued at the same instant in insertion order. The two
indexes serve the claim: the queue in order, and "is an earlier message of this participant still
waiting?".
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("parts_sent", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("seq", sa.BigInteger(), nullable=False, server_default="0"))
        batch_op.create_index("ix_outbox_seq", ["seq"], unique=False)
        batch_op.create_index(
            "ix_outbox_queue",
            ["status", "channel", "not_before", "created_at", "seq", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_outbox_participant_queue",
            ["participant_id", "channel", "status", "not_before", "created_at", "seq", "id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_participant_queue")
        batch_op.drop_index("ix_outbox_queue")
        batch_op.drop_index("ix_outbox_seq")
        batch_op.drop_column("seq")
        batch_op.drop_column("parts_sent")
        batch_op.drop_column("retry_at")
