"""dashboard speed: covering indexes for the representation figures

Revision ID: 0018_dashboard_speed
Revises: 0011_reliability

* ``ix_participant_invited_segment`` (invited, role, municipality_code, province, networks): the
  invitees per segment are counted from the index alone, already in group order (no sort of
  every participant row per request).
* ``ix_answer_step_segment`` (dialogue_key, step_key, pseudonym, role, province, networks): who
  started a step, per group, read from the index alone instead of every answer with its value.

Hand-written.
"""

from alembic import op

revision = "0018_dashboard_speed"
down_revision = "0011_reliability"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_participant_invited_segment",
        "participant",
        ["invited", "role", "municipality_code", "province", "networks"],
    )
    op.create_index(
        "ix_answer_step_segment",
        "answer",
        ["dialogue_key", "step_key", "pseudonym", "role", "province", "networks"],
    )


def downgrade() -> None:
    op.drop_index("ix_answer_step_segment", table_name="answer")
    op.drop_index("ix_participant_invited_segment", table_name="participant")
