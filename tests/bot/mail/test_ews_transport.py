"""The EWS transport (exchangelib) against a local HTTPS stub of an Exchange 2016 EWS endpoint."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from email import message_from_bytes, policy

import pytest
from exchangelib.protocol import BaseProtocol
from pydantic import SecretStr

from bot.mail.contracts import MailTransportError, SendOutcome
from bot.mail.transports.ews import EwsConfig, EwsTransport
from tests.bot.mail.sample import sample_mail
from tests.support.ews_stub import EwsStub
from tests.support.tls import ServerCertificates


def reply(n: int) -> bytes:
    return (
        f"From: Deelnemer {n} <deelnemer{n}@gemeente.test>\r\nTo: dialoog@gemeente.test\r\n"
        f"Subject: Re: Stap Verkennen\r\nMessage-ID: <ews-reply-{n}@gemeente.test>\r\n\r\n"
        f"1. Antwoord {n}\r\n"
    ).encode()


@pytest.fixture(autouse=True)
def _restore_exchangelib_class_settings() -> Iterator[None]:
    adapter, timeout = BaseProtocol.HTTP_ADAPTER_CLS, BaseProtocol.TIMEOUT
    yield
    BaseProtocol.HTTP_ADAPTER_CLS, BaseProtocol.TIMEOUT = adapter, timeout


@pytest.fixture
async def ews(certificates: ServerCertificates) -> AsyncIterator[EwsStub]:
    stub = await EwsStub(certificates).start()
    yield stub
    await stub.close()


def make_transport(
    ews: EwsStub, certificates: ServerCertificates, *, auth: str = "basic", **overrides: object
) -> EwsTransport:
    settings: dict[str, object] = dict(
        mailbox=ews.mailbox,
        service_endpoint=ews.endpoint,
        auth=auth,
        server_version="15.1.2507.6",
        ca_file=certificates.ca_file,
        timeout=10,
    )
    if auth == "oauth":
        settings.update(
            tenant_id=ews.tenant,
            client_id=ews.client_id,
            client_secret=SecretStr(ews.client_secret),
            authority_host=ews.origin,
        )
    else:
        settings.update(username=ews.username, password=SecretStr(ews.password))
    settings.update(overrides)
    return EwsTransport(EwsConfig(**settings))  # type: ignore[arg-type]


@pytest.mark.parametrize("auth", ["basic", "oauth"])
async def test_fetch_mark_send(ews: EwsStub, certificates: ServerCertificates, auth: str) -> None:
    ews.deliver(reply(0), is_read=True)
    later = ews.deliver(reply(2), minutes=10)
    earlier = ews.deliver(reply(1), minutes=1)
    transport = make_transport(ews, certificates, auth=auth)
    try:
        fetched = await transport.fetch_new()
        assert [m.uid.split()[0] for m in fetched] == [earlier, later]  # unread only, oldest first
        first = message_from_bytes(fetched[0].raw, policy=policy.default)
        assert first["Message-ID"] == "<ews-reply-1@gemeente.test>"
        assert [m.uid for m in await transport.fetch_new()] == [
            m.uid for m in fetched
        ]  # not marked yet

        for mail in fetched:
            await transport.mark_processed(mail.uid)
            await transport.mark_processed(mail.uid)  # idempotent (stale change key)
        assert ews.items[earlier].is_read and ews.items[later].is_read
        assert await transport.fetch_new() == []

        outgoing = sample_mail("deelnemer@gemeente.test", subject="Bevestiging: uw antwoorden")
        assert (await transport.send(outgoing)).ok
        [sent] = ews.sent
        assert message_from_bytes(sent, policy=policy.default)["Message-ID"] == outgoing.message_id
    finally:
        await transport.close()
    assert {"FindItem", "GetItem", "UpdateItem", "CreateItem"} <= set(ews.operations)
    assert (ews.token_requests > 0) == (auth == "oauth")


async def test_processed_mail_moves_into_a_folder_under_the_inbox(
    ews: EwsStub, certificates: ServerCertificates
) -> None:
    ews.deliver(reply(1))
    ews.deliver(reply(2), minutes=1)
    transport = make_transport(ews, certificates, processed_folder="Dialoog verwerkt")
    try:
        for mail in await transport.fetch_new():
            await transport.mark_processed(mail.uid)
        assert await transport.fetch_new() == []
    finally:
        await transport.close()
    assert len(ews.in_folder("Dialoog verwerkt")) == 2 and ews.operations.count("CreateFolder") == 1
    assert all(item.is_read for item in ews.in_folder("Dialoog verwerkt"))


async def test_server_busy_is_passed_on_with_its_back_off(
    ews: EwsStub, certificates: ServerCertificates, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ews.deliver(reply(1))
    transport = make_transport(ews, certificates)
    try:
        ews.busy = [45_000]
        with pytest.raises(MailTransportError, match="busy") as caught:
            await transport.fetch_new()
        assert caught.value.retry_after == 45.0
        ews.busy = [30_000]
        result = await transport.send(sample_mail("deelnemer@gemeente.test"))
        assert result.outcome is SendOutcome.RETRY and result.retry_after == 30.0
        assert len(await transport.fetch_new()) == 1  # fine again afterwards
    finally:
        await transport.close()
    assert (
        "MimeContent" not in caplog.text and "Envelope" not in caplog.text
    )  # no SOAP bodies logged


async def test_refused_credentials(ews: EwsStub, certificates: ServerCertificates) -> None:
    transport = make_transport(ews, certificates, password=SecretStr("verkeerd"))
    oauth = make_transport(ews, certificates, auth="oauth", client_secret=SecretStr("verkeerd"))
    try:
        with pytest.raises(MailTransportError, match="credentials refused") as caught:
            await transport.fetch_new()
        assert "verkeerd" not in str(caught.value)
        assert (
            await transport.send(sample_mail("deelnemer@gemeente.test"))
        ).outcome is SendOutcome.RETRY
        with pytest.raises(MailTransportError, match="credentials refused"):
            await oauth.fetch_new()
    finally:
        await transport.close()
        await oauth.close()


async def test_processed_mail_is_deleted_when_nothing_is_kept(
    ews: EwsStub, certificates: ServerCertificates
) -> None:
    first = ews.deliver(reply(1))
    second = ews.deliver(reply(2), minutes=1)
    transport = make_transport(
        ews, certificates, processed_folder="Dialoog verwerkt", delete_processed=True
    )
    try:
        fetched = await transport.fetch_new()
        await transport.mark_processed(fetched[0].uid)
        await transport.mark_processed(fetched[0].uid)  # already gone: no error
        assert [m.uid.split()[0] for m in await transport.fetch_new()] == [second]
    finally:
        await transport.close()
    assert first not in ews.items and ews.deletions[0] == "HardDelete"
    assert ews.in_folder("Dialoog verwerkt") == [] and "CreateFolder" not in ews.operations
