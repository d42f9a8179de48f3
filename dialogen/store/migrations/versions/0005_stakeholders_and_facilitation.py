"""stakeholders and facilitation: segment as given at import, pending broadcast confirmations

Revision ID: 0005_people
Revises: 0004

``participant.province`` / ``participant.networks`` hold what the stakeholder import gave (None =
derive from the municipality); ``facilitator_request`` holds broadcast previews awaiting
"Bevestigen", so a stale or repeated click sends nothing twice.
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0005_people"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("province", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True)
        )
        batch_op.add_column(
            sa.Column("networks", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True)
        )

    op.create_table(
        "facilitator_request",
        sa.Column("token", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("step_key", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.PrimaryKeyConstraint("token"),
    )


def downgrade() -> None:
    op.drop_table("facilitator_request")
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("networks")
        batch_op.drop_column("province")
