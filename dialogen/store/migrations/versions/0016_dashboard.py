"""the facilitator dashboard: sessions and daily participation totals

Revision ID: 0016_dashboard
Revises: 0015_reports

``dashboard_session``: signed-in facilitators and sign-ins under way (a hash of the cookie token,
the facilitator as the audit log names them, the CSRF token, expiry). ``participation_day``: per
dialogue, day and step the started and completed totals the overview chart draws (no segments).

Hand-written.
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0016_dashboard"
down_revision = "0015_reports"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "dashboard_session",
        sa.Column("id", S(length=64), nullable=False),
        sa.Column("kind", S(length=10), nullable=False),
        sa.Column("actor", S(length=320), nullable=False),
        sa.Column("name", S(length=200), nullable=False),
        sa.Column("csrf", S(length=64), nullable=False),
        sa.Column("flow", S(length=8000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "participation_day",
        sa.Column("dialogue_key", S(length=60), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("step_key", S(length=20), nullable=False),
        sa.Column("started", sa.Integer(), nullable=False),
        sa.Column("completed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("dialogue_key", "day", "step_key"),
    )


def downgrade() -> None:
    op.drop_table("participation_day")
    op.drop_table("dashboard_session")
