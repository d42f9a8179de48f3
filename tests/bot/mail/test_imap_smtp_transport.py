"""The IMAP/SMTP transport against a real Dovecot (IMAP, LMTP delivery) and a real SMTP
submission server (aiosmtpd with STARTTLS and AUTH), both on 127.0.0.1."""

from __future__ import annotations

import imaplib
from email import message_from_bytes, policy

import pytest
from pydantic import SecretStr

from bot.mail.contracts import MailTransportError, SendOutcome
from bot.mail.transports.imap_smtp import ImapConfig, ImapSmtpTransport, SmtpConfig
from tests.bot.mail.sample import sample_mail
from tests.support.mail_server import MailServers, MailUser
from tests.support.tls import ServerCertificates


def make_transport(
    servers: MailServers,
    certificates: ServerCertificates,
    user: MailUser,
    *,
    imap_security: str = "tls",
    password: str | None = None,
    processed_folder: str | None = None,
    delete_processed: bool = False,
    batch_size: int = 50,
) -> ImapSmtpTransport:
    secret = SecretStr(password or user.password)
    dovecot = servers.dovecot
    imap = ImapConfig(
        host="127.0.0.1",
        username=user.name,
        password=secret,
        security=imap_security,  # type: ignore[arg-type]
        port=dovecot.imaps_port if imap_security == "tls" else dovecot.imap_port,
        processed_folder=processed_folder,
        delete_processed=delete_processed,
        batch_size=batch_size,
        timeout=10,
        ca_file=certificates.ca_file,
    )
    smtp = SmtpConfig(
        host="127.0.0.1",
        port=servers.submission.port,
        security="starttls",
        username=user.name,
        password=secret,
        timeout=10,
        ca_file=certificates.ca_file,
    )
    return ImapSmtpTransport(imap, smtp)


@pytest.fixture
def user(mail_servers: MailServers) -> MailUser:
    return mail_servers.add_user()


@pytest.mark.parametrize("imap_security", ["tls", "starttls"])
async def test_sent_mail_arrives_once_and_is_not_fetched_after_marking(
    mail_servers: MailServers, certificates: ServerCertificates, user: MailUser, imap_security: str
) -> None:
    transport = make_transport(mail_servers, certificates, user, imap_security=imap_security)
    mail = sample_mail(user.address, subject="Vraag 1 – één antwoord")
    try:
        result = await transport.send(mail)
        assert result.outcome is SendOutcome.SENT, result

        fetched = await transport.fetch_new()
        assert len(fetched) == 1
        received = message_from_bytes(fetched[0].raw, policy=policy.default)
        assert received["Message-ID"] == mail.message_id
        assert received["Subject"] == "Vraag 1 – één antwoord"
        assert "Wilt u de vragen" in received.get_body(("plain",)).get_content()

        again = await transport.fetch_new()  # not marked yet: it comes back
        assert [m.uid for m in again] == [fetched[0].uid]

        await transport.mark_processed(fetched[0].uid)
        await transport.mark_processed(fetched[0].uid)  # idempotent
        assert await transport.fetch_new() == []
    finally:
        await transport.close()

    restarted = make_transport(mail_servers, certificates, user, imap_security=imap_security)
    try:
        assert await restarted.fetch_new() == []
    finally:
        await restarted.close()


async def test_fetch_is_oldest_first_in_batches(
    mail_servers: MailServers, certificates: ServerCertificates, user: MailUser
) -> None:
    transport = make_transport(mail_servers, certificates, user, batch_size=2)
    try:
        sent = [sample_mail(user.address, subject=f"bericht {n}") for n in range(3)]
        for mail in sent:
            assert (await transport.send(mail)).ok
        first = await transport.fetch_new()
        assert [message_from_bytes(m.raw)["Subject"] for m in first] == ["bericht 0", "bericht 1"]
        for mail in first:
            await transport.mark_processed(mail.uid)
        rest = await transport.fetch_new()
        assert [message_from_bytes(m.raw)["Subject"] for m in rest] == ["bericht 2"]
    finally:
        await transport.close()


async def test_processed_mail_moves_to_the_processed_folder(
    mail_servers: MailServers, certificates: ServerCertificates, user: MailUser
) -> None:
    transport = make_transport(
        mail_servers, certificates, user, processed_folder="Dialoog verwerkt"
    )
    try:
        assert (await transport.send(sample_mail(user.address))).ok
        [mail] = await transport.fetch_new()
        await transport.mark_processed(mail.uid)
        assert await transport.fetch_new() == []
    finally:
        await transport.close()

    with imaplib.IMAP4_SSL(
        "127.0.0.1", mail_servers.dovecot.imaps_port, ssl_context=_context(certificates)
    ) as check:
        check.login(user.name, user.password)
        status, counts = check.select('"Dialoog verwerkt"', readonly=True)
        assert status == "OK" and counts[0] == b"1"
        status, counts = check.select("INBOX", readonly=True)
        assert counts[0] == b"0"


async def test_processed_mail_is_deleted_from_the_server_when_nothing_is_kept(
    mail_servers: MailServers, certificates: ServerCertificates, user: MailUser
) -> None:
    transport = make_transport(
        mail_servers,
        certificates,
        user,
        processed_folder="Dialoog verwerkt",  # ignored: nothing is kept anywhere
        delete_processed=True,
    )
    try:
        for n in range(2):
            assert (await transport.send(sample_mail(user.address, subject=f"antwoord {n}"))).ok
        first, second = await transport.fetch_new()
        await transport.mark_processed(first.uid)
        await transport.mark_processed(first.uid)  # idempotent
        assert [m.uid for m in await transport.fetch_new()] == [second.uid]  # only that one went
        await transport.mark_processed(second.uid)
    finally:
        await transport.close()

    with imaplib.IMAP4_SSL(
        "127.0.0.1", mail_servers.dovecot.imaps_port, ssl_context=_context(certificates)
    ) as check:
        check.login(user.name, user.password)
        status, counts = check.select("INBOX", readonly=True)
        assert status == "OK" and counts[0] == b"0"  # gone from the server, not just read
        status, listing = check.list('""', '"Dialoog verwerkt"')
        assert not [item for item in listing if item]


async def test_a_dropped_imap_connection_is_reopened(
    mail_servers: MailServers, certificates: ServerCertificates, user: MailUser
) -> None:
    transport = make_transport(mail_servers, certificates, user)
    try:
        assert await transport.fetch_new() == []
        connection = transport.inbox._connection  # noqa: SLF001 - simulate the server hanging up
        assert connection is not None
        connection.shutdown()
        assert (await transport.send(sample_mail(user.address))).ok
        assert len(await transport.fetch_new()) == 1
    finally:
        await transport.close()


async def test_wrong_imap_password_is_a_transport_error(
    mail_servers: MailServers, certificates: ServerCertificates, user: MailUser
) -> None:
    transport = make_transport(mail_servers, certificates, user, password="verkeerd")
    try:
        with pytest.raises(MailTransportError, match="login refused") as caught:
            await transport.fetch_new()
        assert "verkeerd" not in str(caught.value)
    finally:
        await transport.close()


async def test_smtp_answers_become_send_results(
    mail_servers: MailServers, certificates: ServerCertificates, user: MailUser
) -> None:
    refused_login = make_transport(mail_servers, certificates, user, password="verkeerd")
    transport = make_transport(mail_servers, certificates, user)
    try:
        result = await refused_login.send(sample_mail(user.address))
        assert result.outcome is SendOutcome.RETRY and "login refused" in (result.reason or "")

        unknown = await transport.send(sample_mail("niemand@gemeente.test"))
        assert unknown.outcome is SendOutcome.FAILED and "550" in (unknown.reason or "")
        assert "niemand" not in (unknown.reason or "")

        assert (
            await transport.send(sample_mail(user.address))
        ).ok  # the connection is still usable
    finally:
        await refused_login.close()
        await transport.close()


async def test_unreachable_smtp_server_means_retry(certificates: ServerCertificates) -> None:
    from bot.mail.transports.smtp_sender import SmtpSender
    from tests.support.mail_server import free_port

    sender = SmtpSender(
        SmtpConfig(host="127.0.0.1", port=free_port(), timeout=5, ca_file=certificates.ca_file)
    )
    result = await sender.send(sample_mail("iemand@gemeente.test"))
    assert result.outcome is SendOutcome.RETRY


def _context(certificates: ServerCertificates):  # noqa: ANN202
    from bot.mail.transports.tls import client_context

    return client_context(certificates.ca_file)


def test_missing_mail_server_fails_loudly_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.support import mail_server

    monkeypatch.setattr(mail_server, "find_dovecot", lambda: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="scripts/mail-servers.sh"):
        mail_server.require_dovecot()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        mail_server.require_dovecot()
