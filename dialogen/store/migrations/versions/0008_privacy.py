"""privacy: released (k-safe) segments, participants' own corrections, erased addresses

Revision ID: 0008_privacy
Revises: 0007_indexes

- ``segment_release``: per version, every full segment (role, province, networks; ``""`` for
  none) of the invited population and the segment answers carry for it
  (``dialogen.privacy.segment_release``).
- ``participant.corrected_fields``: the profile fields a participant set themselves (``role``,
  ``municipality``, ``name``, ``channel``, comma separated); a re-import leaves those alone.
- ``erased_address``: a keyed hash of every address whose identity was erased on request, so a
  re-import does not invite that person again.

Outbox payloads and progress states are sealed from now on by the code that writes them (no
schema change); rows written before stay readable as they are and are sealed when next written.
Hand-written.
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0008_privacy"
down_revision = "0007_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "segment_release",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("province", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("networks", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("released_role", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("released_province", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("released_networks", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("version", "role", "province", "networks"),
    )
    op.create_table(
        "erased_address",
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("erased_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("digest"),
    )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "corrected_fields",
                sqlmodel.sql.sqltypes.AutoString(length=100),
                nullable=False,
                server_default="",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("corrected_fields")
    op.drop_table("erased_address")
    op.drop_table("segment_release")
