"""mail channel: an address that bounced for good

Revision ID: 0006_mail
Revises: 0005_people

``participant.mail_undeliverable`` is set by a hard bounce (a 5.x.x delivery status) of a mail the
bot sent; such an address no longer counts as a way to reach the participant, until a mail from
that address comes in again. Hand-written.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_mail"
down_revision = "0005_people"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("mail_undeliverable", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("mail_undeliverable")
