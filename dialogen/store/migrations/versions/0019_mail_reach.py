"""mail reach: a mail to the participant went out (or came from them) and did not bounce

Revision ID: 0019_mail_reach
Revises: 0017_report_offers

``participant.mail_reached`` is set when a mail to the participant is handed to the mail server
(the outbox marks it sent) and when a mail from their address is taken in; with
``mail_undeliverable`` (a hard bounce since) it is the report's "reached by mail". Finished outbox
rows are purged after a retention, so the flag is kept on the participant. Existing databases:
set for everyone with a mail the outbox still records as sent. Hand-written.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_mail_reach"
down_revision = "0017_report_offers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("mail_reached", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute(
        "UPDATE participant SET mail_reached = TRUE WHERE id IN "
        "(SELECT participant_id FROM outbox WHERE channel = 'mail' AND status = 'sent')"
    )


def downgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("mail_reached")
