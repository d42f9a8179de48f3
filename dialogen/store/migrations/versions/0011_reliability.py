"""reliability: replies kept with processed events, Teams fields sized to their platforms' limits

Revision ID: 0011_reliability
Revises: 0010_contributions

* ``processed_event.replies``: what a chat turn replied, sealed, so a redelivered activity is
  answered again (``dialogen/door/replay.py``).
* ``pacing_ledger``: requests sent to rate-limited channels by every replica
  (``dialogen/store/pacing_ledger.py``).
* ``mail_poll_lease`` and ``mail_poll_state``: which replica polls a mailbox, and where the
  transport is in it (``dialogen/store/mail_poll.py``).
* ``participant.name`` up to 256 characters (an Entra display name), ``teams_user_id`` up to 512
  (Teams documents no bound). SQLite does not enforce lengths; only PostgreSQL is altered.

Hand-written.
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0011_reliability"
down_revision = "0016_dashboard"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.add_column("processed_event", sa.Column("replies", sa.JSON(), nullable=True))
    op.create_table(
        "pacing_ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", S(length=10), nullable=False),
        sa.Column("scope", S(length=200), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_pacing_ledger_scope", "pacing_ledger", ["channel", "scope", "at"])
    op.create_table(
        "mail_poll_lease",
        sa.Column("mailbox", S(length=64), nullable=False),
        sa.Column("holder", S(length=64), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("mailbox"),
    )
    op.create_table(
        "mail_poll_state",
        sa.Column("mailbox", S(length=64), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("mailbox"),
    )
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("participant", "name", type_=S(length=256), existing_nullable=True)
        op.alter_column("participant", "teams_user_id", type_=S(length=512), existing_nullable=True)


def downgrade() -> None:
    op.drop_table("mail_poll_state")
    op.drop_table("mail_poll_lease")
    op.drop_index("ix_pacing_ledger_scope", table_name="pacing_ledger")
    op.drop_table("pacing_ledger")
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("participant", "teams_user_id", type_=S(length=200))
        op.alter_column("participant", "name", type_=S(length=200))
    with op.batch_alter_table("processed_event") as batch:
        batch.drop_column("replies")
