"""theme curation: computed themes, facilitator decisions, published list

Revision ID: 0014_themes
Revises: 0010_contributions

``theme_computation`` (the last computed theme set per dialogue), ``theme_decision`` (the
facilitators' curation decisions in order, replayed on recomputation) and ``theme_publication``
(the curated list the door supplies as the options of ``options_from: themes`` questions);
``follow_up`` (Verdiepen's generated questions: draft, then confirmed);
``facilitator_request.group_name`` (a reminder previewed for one group only).

Hand-written.
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0014_themes"
down_revision = "0010_contributions"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "theme_computation",
        sa.Column("dialogue_key", S(length=60), nullable=False),
        sa.Column("computed", sa.JSON(), nullable=False),
        sa.Column("contributions", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("dialogue_key"),
    )
    op.create_table(
        "theme_decision",
        sa.Column("id", S(length=32), nullable=False),
        sa.Column("dialogue_key", S(length=60), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", S(length=20), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_theme_decision_dialogue_key", "theme_decision", ["dialogue_key"])
    op.create_table(
        "theme_publication",
        sa.Column("dialogue_key", S(length=60), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("dialogue_key"),
    )

    op.create_table(
        "follow_up",
        sa.Column("dialogue_key", S(length=60), nullable=False),
        sa.Column("step_key", S(length=20), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("dialogue_key", "step_key"),
    )
    with op.batch_alter_table("facilitator_request") as batch:
        batch.add_column(sa.Column("group_name", S(length=60), nullable=True))


def downgrade() -> None:
    op.drop_table("follow_up")
    with op.batch_alter_table("facilitator_request") as batch:
        batch.drop_column("group_name")
    op.drop_table("theme_publication")
    op.drop_index("ix_theme_decision_dialogue_key", table_name="theme_decision")
    op.drop_table("theme_decision")
    op.drop_table("theme_computation")
