"""test participants: ``participant.is_test``

Revision ID: 0012_rough_edges
Revises: 0010_contributions

Someone who talks to the bot with ``dialoog chat`` is a test participant: counted in no figure,
no segment decision and no list of recipients; their answers are kept apart from the dialogue's
(``dialogen.door.turns``). Who chatted with ``dialoog chat`` before (Teams user id ``cli:<name>``)
is marked too, so the figures leave them out from now on. Hand-written.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_rough_edges"
down_revision = "0014_themes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("participant") as batch:
        batch.add_column(
            sa.Column("is_test", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    participant = sa.table("participant", sa.column("teams_user_id"), sa.column("is_test"))
    op.execute(
        participant.update()
        .where(participant.c.teams_user_id.like("cli:%"))
        .values(is_test=sa.true())
    )


def downgrade() -> None:
    with op.batch_alter_table("participant") as batch:
        batch.drop_column("is_test")
