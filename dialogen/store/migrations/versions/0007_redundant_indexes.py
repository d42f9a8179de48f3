"""drop indexes that a wider index already serves

Revision ID: 0007_indexes
Revises: 0006_mail

Every inbound event writes an answer and usually an outbox row, and every index is one more
B-tree page to write per row. These four were prefixes of wider indexes that serve the same
look-ups:

- ``ix_answer_dialogue_key`` and ``ix_answer_pseudonym``: every answer query filters on
  ``dialogue_key`` (and ``pseudonym``), the leading columns of the unique
  (dialogue_key, pseudonym, step_key, question_id) index;
- ``ix_outbox_due`` (status, channel, not_before): the leading columns of ``ix_outbox_queue``;
- ``ix_outbox_participant_id``: the leading column of ``ix_outbox_participant_queue``.

Hand-written.
"""

from alembic import op

revision = "0007_indexes"
down_revision = "0006_mail"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_index("ix_answer_pseudonym")
        batch_op.drop_index("ix_answer_dialogue_key")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_participant_id")
        batch_op.drop_index("ix_outbox_due")


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_due", ["status", "channel", "not_before"], unique=False)
        batch_op.create_index("ix_outbox_participant_id", ["participant_id"], unique=False)
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_index("ix_answer_dialogue_key", ["dialogue_key"], unique=False)
        batch_op.create_index("ix_answer_pseudonym", ["pseudonym"], unique=False)
