"""Settings choose and configure the transport; secrets never show."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.mail.contracts import MailTransport, OutgoingMail, SendOutcome
from bot.mail.transports import build_transport
from bot.mail.transports.disabled import DisabledTransport
from bot.mail.transports.ews import EwsTransport
from bot.mail.transports.folder import FolderTransport
from bot.mail.transports.graph import GraphTransport
from bot.mail.transports.imap_smtp import ImapSmtpTransport
from bot.settings import Settings
from tests.bot.mail.sample import sample_mail

COMMON = {"mail_address": "dialoog@gemeente.test"}
ENTRA = {"mail_tenant_id": "t", "mail_client_id": "c", "mail_client_secret": "geheim-1"}


def test_folder_is_the_default(tmp_path: Path) -> None:
    settings = Settings(mail_folder_inbox=tmp_path / "in", mail_folder_outbox=tmp_path / "out")
    transport = build_transport(settings)
    assert isinstance(transport, FolderTransport) and isinstance(transport, MailTransport)
    assert (tmp_path / "in" / "processed").is_dir()


@pytest.mark.parametrize(
    ("kind", "extra", "expected"),
    [
        (
            "imap",
            {
                "imap_host": "imap.gemeente.test",
                "imap_username": "svc",
                "imap_password": "geheim-1",
                "smtp_host": "smtp.gemeente.test",
            },
            ImapSmtpTransport,
        ),
        ("graph", ENTRA, GraphTransport),
        (
            "ews",
            {
                "ews_url": "https://mail.gemeente.test/EWS/Exchange.asmx",
                "ews_username": "GEM\\svc",
                "ews_password": "geheim-1",
            },
            EwsTransport,
        ),
        ("none", {}, DisabledTransport),
    ],
)
def test_each_kind_builds_its_transport(kind: str, extra: dict[str, str], expected: type) -> None:
    settings = Settings(mail_transport=kind, **COMMON, **extra)
    transport = build_transport(settings)
    assert isinstance(transport, expected) and transport.name == kind
    assert "geheim-1" not in repr(settings)


@pytest.mark.parametrize(
    ("kind", "missing"),
    [
        ("imap", "DIALOOG_IMAP_HOST"),
        ("graph", "DIALOOG_MAIL_CLIENT_SECRET"),
        ("ews", "DIALOOG_EWS_URL"),
    ],
)
def test_missing_settings_are_named(kind: str, missing: str) -> None:
    with pytest.raises(ValidationError, match=missing):
        Settings(mail_transport=kind, **COMMON)


def test_ews_oauth_needs_the_entra_app() -> None:
    with pytest.raises(ValidationError, match="DIALOOG_MAIL_TENANT_ID"):
        Settings(
            mail_transport="ews", ews_auth="oauth", ews_url="https://x/EWS/Exchange.asmx", **COMMON
        )
    Settings(
        mail_transport="ews",
        ews_auth="oauth",
        ews_url="https://x/EWS/Exchange.asmx",
        **COMMON,
        **ENTRA,
    )


async def test_disabled_transport_sends_nothing() -> None:
    transport = DisabledTransport()
    assert await transport.fetch_new() == []
    assert (await transport.send(sample_mail("a@gemeente.test"))).outcome is SendOutcome.FAILED


def test_outgoing_mail_needs_from_and_to_and_hides_content() -> None:
    mail = sample_mail("a@gemeente.test, Twee <b@gemeente.test>")
    mail.message["Bcc"] = "c@gemeente.test"
    assert mail.recipients == ["a@gemeente.test", "b@gemeente.test", "c@gemeente.test"]
    assert b"Bcc" not in mail.as_bytes() and b"c@gemeente.test" in mail.as_bytes(include_bcc=True)
    assert "a@gemeente.test" not in repr(mail) and "Beste" not in repr(mail)
    del mail.message["To"]
    with pytest.raises(ValueError, match="To"):
        OutgoingMail(mail.message)
