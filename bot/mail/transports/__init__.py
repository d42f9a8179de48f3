"""The mail transports behind :class:`bot.mail.contracts.MailTransport`, and the one place that
turns :class:`bot.settings.Settings` into the configured one (``DIALOOG_MAIL_TRANSPORT``).

Each transport module takes its own small config value, not the settings, so it can be tested
and reused on its own; heavy client libraries (exchangelib, msal) load only when chosen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.mail.contracts import MailTransport, PollStateStore

if TYPE_CHECKING:
    from bot.settings import Settings
    from dialogen.privacy.payload_cipher import PayloadCipher

__all__ = ["build_transport"]


def build_transport(
    settings: Settings,
    *,
    cipher: PayloadCipher | None = None,
    poll_state: PollStateStore | None = None,
) -> MailTransport:
    """``cipher`` seals processed mail the folder transport keeps (``DIALOOG_MAIL_KEEP_PROCESSED``
    days); without a retention the server transports delete processed mail from the mailbox.
    ``poll_state``: where Graph keeps its place (default: a file in ``DIALOOG_MAIL_STATE_DIR``)."""
    kind = settings.mail_transport
    delete_processed = settings.mail_keep_processed == 0
    if kind == "folder":
        from bot.mail.transports.folder import FolderConfig, FolderTransport

        return FolderTransport(
            FolderConfig(
                inbox=settings.mail_folder_inbox,
                outbox=settings.mail_folder_outbox,
                batch_size=settings.mail_batch_size,
                keep_days=settings.mail_keep_processed,
                seal=cipher.seal_file if cipher is not None else None,
            )
        )
    if kind == "imap":
        from bot.mail.transports.imap_smtp import ImapConfig, ImapSmtpTransport, SmtpConfig

        assert (
            settings.imap_host
            and settings.imap_username
            and settings.imap_password
            and settings.smtp_host
        )
        imap = ImapConfig(
            host=settings.imap_host,
            port=settings.imap_port,
            security=settings.imap_security,
            username=settings.imap_username,
            password=settings.imap_password,
            mailbox=settings.imap_mailbox,
            processed_folder=settings.mail_processed_folder,
            delete_processed=delete_processed,
            batch_size=settings.mail_batch_size,
            timeout=settings.mail_timeout,
            ca_file=settings.mail_tls_ca_file,
        )
        smtp = SmtpConfig(
            host=settings.smtp_host,
            port=settings.smtp_port,
            security=settings.smtp_security,
            username=settings.smtp_username,
            password=settings.smtp_password,
            timeout=settings.mail_timeout,
            ca_file=settings.mail_tls_ca_file,
        )
        return ImapSmtpTransport(imap, smtp)
    if kind == "graph":
        from bot.mail.transports.graph import GraphConfig, GraphTransport

        assert settings.mail_address and settings.mail_tenant_id and settings.mail_client_id
        assert settings.mail_client_secret
        return GraphTransport(
            GraphConfig(
                mailbox=settings.mail_address,
                tenant_id=settings.mail_tenant_id,
                client_id=settings.mail_client_id,
                client_secret=settings.mail_client_secret,
                state_dir=settings.mail_state_dir,
                base_url=settings.graph_base_url,
                authority_host=settings.mail_authority_host,
                processed_folder=settings.mail_processed_folder,
                delete_processed=delete_processed,
                unique_body=settings.graph_unique_body,
                batch_size=settings.mail_batch_size,
                timeout=settings.mail_timeout,
                ca_file=settings.mail_tls_ca_file,
            ),
            state=poll_state,
        )
    if kind == "ews":
        from bot.mail.transports.ews import EwsConfig, EwsTransport

        assert settings.mail_address and settings.ews_url
        return EwsTransport(
            EwsConfig(
                mailbox=settings.mail_address,
                service_endpoint=settings.ews_url,
                auth=settings.ews_auth,
                username=settings.ews_username,
                password=settings.ews_password,
                tenant_id=settings.mail_tenant_id,
                client_id=settings.mail_client_id,
                client_secret=settings.mail_client_secret,
                authority_host=settings.mail_authority_host,
                oauth_scope=settings.ews_oauth_scope,
                server_version=settings.ews_server_version,
                processed_folder=settings.mail_processed_folder,
                delete_processed=delete_processed,
                batch_size=settings.mail_batch_size,
                timeout=settings.mail_timeout,
                ca_file=settings.mail_tls_ca_file,
            )
        )
    from bot.mail.transports.disabled import DisabledTransport

    return DisabledTransport()
