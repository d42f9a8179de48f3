"""contributions and reactions (Verrijken)

Revision ID: 0010_contributions
Revises: 0007_indexes

The anonymous side of Verrijken: ``contribution`` (shared answers and additions, masked, with
their moderation state and reaction counters), ``reaction`` (eens / oneens / pas, once per
pseudonym and contribution), ``contribution_report`` (who reported what, by pseudonym) and
``reaction_cursor`` (what a participant is shown now, and their last mail's batch — by pseudonym).
No participant id in any of them; no hidden rowid on SQLite.

Hand-written.
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0010_contributions"
down_revision = "0008_privacy"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "contribution",
        sa.Column("id", S(length=32), nullable=False),
        sa.Column("dialogue_key", S(length=60), nullable=False),
        sa.Column("step_key", S(length=20), nullable=False),
        sa.Column("question_id", S(length=60), nullable=False),
        sa.Column("source_key", S(length=32), nullable=False),
        sa.Column("pseudonym", S(length=64), nullable=False),
        sa.Column("role", S(length=60), nullable=True),
        sa.Column("province", S(length=40), nullable=True),
        sa.Column("networks", S(length=60), nullable=False),
        sa.Column("text", S(length=4000), nullable=False),
        sa.Column("original", S(length=4000), nullable=False),
        sa.Column("spans", sa.JSON(), nullable=False),
        sa.Column("state", S(length=10), nullable=False),
        sa.Column("hidden_reason", S(length=300), nullable=True),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("agree", sa.Integer(), nullable=False),
        sa.Column("disagree", sa.Integer(), nullable=False),
        sa.Column("passes", sa.Integer(), nullable=False),
        sa.Column("groups", sa.JSON(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("visible_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dialogue_key", "pseudonym", "step_key", "question_id", "source_key"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "reaction",
        sa.Column("id", S(length=32), nullable=False),
        sa.Column("dialogue_key", S(length=60), nullable=False),
        sa.Column("contribution_id", S(length=32), nullable=False),
        sa.Column("pseudonym", S(length=64), nullable=False),
        sa.Column("vote", S(length=10), nullable=False),
        sa.Column("role", S(length=60), nullable=True),
        sa.Column("province", S(length=40), nullable=True),
        sa.Column("networks", S(length=60), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["contribution_id"], ["contribution.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contribution_id", "pseudonym"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_reaction_dialogue_key", "reaction", ["dialogue_key"])
    op.create_index("ix_reaction_pseudonym", "reaction", ["pseudonym"])
    op.create_table(
        "contribution_report",
        sa.Column("contribution_id", S(length=32), nullable=False),
        sa.Column("pseudonym", S(length=64), nullable=False),
        sa.ForeignKeyConstraint(["contribution_id"], ["contribution.id"]),
        sa.PrimaryKeyConstraint("contribution_id", "pseudonym"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "reaction_cursor",
        sa.Column("dialogue_key", S(length=60), nullable=False),
        sa.Column("pseudonym", S(length=64), nullable=False),
        sa.Column("step_key", S(length=20), nullable=False),
        sa.Column("question_id", S(length=60), nullable=False),
        sa.Column("current", S(length=32), nullable=True),
        sa.Column("batch", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("dialogue_key", "pseudonym", "step_key", "question_id"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("reaction_cursor")
    op.drop_table("contribution_report")
    op.drop_index("ix_reaction_pseudonym", table_name="reaction")
    op.drop_index("ix_reaction_dialogue_key", table_name="reaction")
    op.drop_table("reaction")
    op.drop_table("contribution")
