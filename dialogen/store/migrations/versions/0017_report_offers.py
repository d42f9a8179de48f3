"""report offers: a report waiting for a facilitator's file consent in Teams, shared by replicas

Revision ID: 0017_report_offers
Revises: 0011_reliability

``report_offer`` (``dialogen/store/report_offers.py``): the hash of the consent card's token, the
file name, the Entra object id of the facilitator it was offered to and the Word file, sealed.
Expired offers are deleted. Hand-written.
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0017_report_offers"
down_revision = "0018_dashboard_speed"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "report_offer",
        sa.Column("token_hash", S(length=64), nullable=False),
        sa.Column("name", S(length=200), nullable=False),
        sa.Column("requester", S(length=64), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_hash"),
    )


def downgrade() -> None:
    op.drop_table("report_offer")
