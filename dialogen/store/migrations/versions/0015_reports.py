"""report versions: a report is a draft until a facilitator approves it

Revision ID: 0015_reports
Revises: 0014_themes

``report_version`` holds one row per report that was made: its checksum (of the report's content,
not its date), who made it and when, and — once approved — who approved it and when. No figure
and no text of the report: only enough to tell whether the report at hand is the approved one.

Hand-written.
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0015_reports"
down_revision = "0012_rough_edges"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "report_version",
        sa.Column("id", S(length=32), nullable=False),
        sa.Column("dialogue_key", S(length=60), nullable=False),
        sa.Column("checksum", S(length=64), nullable=False),
        sa.Column("made_by", S(length=200), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", S(length=200), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_report_version_checksum", "report_version", ["dialogue_key", "checksum"])


def downgrade() -> None:
    op.drop_index("ix_report_version_checksum", table_name="report_version")
    op.drop_table("report_version")
