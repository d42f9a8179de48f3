"""The Graph transport against a local HTTPS stub of Graph mail and the identity platform."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.mail.contracts import MailTransportError, SendOutcome
from bot.mail.transports.graph import GraphConfig, GraphTransport
from dialogen.store.database import Database
from dialogen.store.mail_poll import MailPollState
from tests.bot.mail.sample import sample_mail
from tests.support.graph_mail_stub import GraphStub
from tests.support.tls import ServerCertificates


def reply(n: int) -> bytes:
    return (
        f"From: Deelnemer {n} <deelnemer{n}@gemeente.test>\r\nTo: dialoog@gemeente.test\r\n"
        f"Subject: Re: Stap Verkennen\r\nMessage-ID: <reply-{n}@gemeente.test>\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n1. Antwoord {n}\r\n\r\n"
        "Op 1 okt. schreef Dialoogbot:\r\n> Vraag 1\r\n"
    ).encode()


class RecordingSleep:
    """Stands in for asyncio.sleep: records how long the transport wanted to wait, waits not at
    all."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
async def graph(certificates: ServerCertificates) -> AsyncIterator[GraphStub]:
    stub = await GraphStub(certificates).start()
    yield stub
    await stub.close()


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


def make_transport(
    graph: GraphStub,
    certificates: ServerCertificates,
    state_dir: Path,
    sleep: RecordingSleep,
    **overrides: object,
) -> GraphTransport:
    settings: dict[str, object] = dict(
        mailbox=graph.mailbox,
        tenant_id=graph.tenant,
        client_id=graph.client_id,
        client_secret=SecretStr(graph.client_secret),
        state_dir=state_dir,
        base_url=graph.base_url,
        authority_host=graph.origin,
        page_size=2,
        ca_file=certificates.ca_file,
        timeout=10,
    )
    state = overrides.pop("state", None)
    settings.update(overrides)
    return GraphTransport(GraphConfig(**settings), sleep=sleep, state=state)  # type: ignore[arg-type]


async def test_delta_pages_mime_unique_body_and_marking(
    graph: GraphStub, certificates: ServerCertificates, tmp_path: Path, sleep: RecordingSleep
) -> None:
    already_read = graph.deliver(reply(0), is_read=True)
    ids = [
        graph.deliver(reply(n), unique_body=f"1. Antwoord {n}", minutes=10 - n) for n in range(1, 4)
    ]
    transport = make_transport(graph, certificates, tmp_path, sleep)
    try:
        fetched = await transport.fetch_new()
        # Four inbox messages, two per page: a nextLink page, then the deltaLink page.
        delta_calls = [p for p in graph.graph_requests("GET") if "/delta" in p]
        assert len(delta_calls) == 2 and "$skiptoken=" in delta_calls[1]
        assert "changeType=created" in delta_calls[0]
        assert already_read not in [m.uid for m in fetched]
        assert [m.uid for m in fetched] == list(reversed(ids))  # oldest received first
        first = message_from_bytes(fetched[0].raw, policy=policy.default)
        assert first["Message-ID"] == "<reply-3@gemeente.test>"
        assert fetched[0].new_text == "1. Antwoord 3"

        again = await transport.fetch_new()  # nothing marked yet: the same three, no new delta rows
        assert [m.uid for m in again] == [m.uid for m in fetched]
        assert "$deltatoken=" in [p for p in graph.graph_requests("GET") if "/delta" in p][-1]

        for mail in fetched:
            await transport.mark_processed(mail.uid)
        assert all(graph.messages[i].is_read for i in ids)
        assert await transport.fetch_new() == []

        newer = graph.deliver(reply(9), unique_body="1. Antwoord 9", minutes=30)
        assert [m.uid for m in await transport.fetch_new()] == [newer]
        assert graph.token_requests == 1  # msal cached the token
    finally:
        await transport.close()


async def test_processed_mail_is_deleted_when_nothing_is_kept(
    graph: GraphStub, certificates: ServerCertificates, tmp_path: Path, sleep: RecordingSleep
) -> None:
    ids = [graph.deliver(reply(n), minutes=n) for n in (1, 2)]
    transport = make_transport(
        graph, certificates, tmp_path, sleep, delete_processed=True, processed_folder="archive"
    )
    try:
        fetched = await transport.fetch_new()
        await transport.mark_processed(fetched[0].uid)
        await transport.mark_processed(fetched[0].uid)  # already gone: no error
        assert list(graph.messages) == [ids[1]]  # deleted, not moved or only read
        assert [m.uid for m in await transport.fetch_new()] == [ids[1]]
        assert any(p.endswith("/permanentDelete") for p in graph.graph_requests("POST"))
    finally:
        await transport.close()


async def test_state_survives_a_restart(
    graph: GraphStub, certificates: ServerCertificates, tmp_path: Path, sleep: RecordingSleep
) -> None:
    first_id = graph.deliver(reply(1))
    crashed = make_transport(graph, certificates, tmp_path, sleep)
    assert [m.uid for m in await crashed.fetch_new()] == [first_id]
    await crashed.close()  # "crash" before marking: the message stays pending in the state file

    second_id = graph.deliver(reply(2), minutes=5)
    restarted = make_transport(graph, certificates, tmp_path, sleep)
    try:
        assert [m.uid for m in await restarted.fetch_new()] == [first_id, second_id]
        delta_calls = [p for p in graph.graph_requests("GET") if "/delta" in p]
        assert "$deltatoken=" in delta_calls[-1]  # resumed from the stored delta link
        for uid in (first_id, second_id):
            await restarted.mark_processed(uid)
    finally:
        await restarted.close()
    assert await make_transport(graph, certificates, tmp_path, sleep).fetch_new() == []


async def test_throttling_is_honoured(
    graph: GraphStub, certificates: ServerCertificates, tmp_path: Path, sleep: RecordingSleep
) -> None:
    graph.deliver(reply(1))
    transport = make_transport(graph, certificates, tmp_path, sleep)
    try:
        graph.throttle = [(429, "7"), (503, "2")]
        assert len(await transport.fetch_new()) == 1
        assert sleep.waits == [7.0, 2.0]

        graph.throttle = [(429, "30")]
        result = await transport.send(sample_mail("deelnemer@gemeente.test"))
        assert result.outcome is SendOutcome.RETRY and result.retry_after == 30.0
        assert sleep.waits == [7.0, 2.0]  # sending does not wait: the outbox reschedules

        graph.throttle = [(429, "600")]  # longer than max_wait: give the poller the Retry-After
        with pytest.raises(MailTransportError) as caught:
            await transport.fetch_new()
        assert caught.value.retry_after == 600.0
    finally:
        await transport.close()


async def test_send_mail_posts_base64_mime(
    graph: GraphStub, certificates: ServerCertificates, tmp_path: Path, sleep: RecordingSleep
) -> None:
    transport = make_transport(graph, certificates, tmp_path, sleep)
    mail = sample_mail("deelnemer@gemeente.test", subject="Herinnering: nog één dag")
    try:
        assert (await transport.send(mail)).ok
    finally:
        await transport.close()
    [sent] = graph.sent
    parsed = message_from_bytes(sent, policy=policy.default)
    assert parsed["Subject"] == "Herinnering: nog één dag"
    assert parsed["Message-ID"] == mail.message_id
    assert base64.b64encode(sent)  # what the stub decoded was valid base64


async def test_processed_mail_is_moved_when_configured(
    graph: GraphStub, certificates: ServerCertificates, tmp_path: Path, sleep: RecordingSleep
) -> None:
    message_id = graph.deliver(reply(1))
    transport = make_transport(graph, certificates, tmp_path, sleep, processed_folder="archive")
    try:
        [mail] = await transport.fetch_new()
        await transport.mark_processed(mail.uid)
        await transport.mark_processed(mail.uid)  # idempotent
        assert graph.messages[message_id].folder == "archive"
        assert await transport.fetch_new() == []
    finally:
        await transport.close()


async def test_expired_delta_link_starts_a_new_round(
    graph: GraphStub, certificates: ServerCertificates, tmp_path: Path, sleep: RecordingSleep
) -> None:
    old = graph.deliver(reply(1))
    transport = make_transport(graph, certificates, tmp_path, sleep)
    try:
        [mail] = await transport.fetch_new()
        await transport.mark_processed(mail.uid)
        graph.expired_tokens = True
        new = graph.deliver(reply(2), minutes=5)
        assert [m.uid for m in await transport.fetch_new()] == [new]  # read one skipped
        assert old != new
    finally:
        await transport.close()


async def test_refused_credentials(
    graph: GraphStub, certificates: ServerCertificates, tmp_path: Path, sleep: RecordingSleep
) -> None:
    transport = make_transport(
        graph, certificates, tmp_path, sleep, client_secret=SecretStr("fout")
    )
    try:
        with pytest.raises(MailTransportError, match="invalid_client") as caught:
            await transport.fetch_new()
        assert "fout" not in str(caught.value)
        result = await transport.send(sample_mail("deelnemer@gemeente.test"))
        assert result.outcome is SendOutcome.RETRY
    finally:
        await transport.close()


async def test_another_replica_continues_from_the_state_in_the_database(
    graph: GraphStub,
    certificates: ServerCertificates,
    tmp_path: Path,
    sleep: RecordingSleep,
    database: Database,
) -> None:
    """Two replicas on different machines (each its own state folder) share the database: the
    one that takes the mailbox over resumes from the delta link the other kept there."""
    first_id = graph.deliver(reply(1))
    state = MailPollState(database, graph.mailbox)
    first = make_transport(graph, certificates, tmp_path / "one", sleep, state=state)
    assert [m.uid for m in await first.fetch_new()] == [first_id]
    await first.close()  # this replica stops before marking: the message stays pending

    second_id = graph.deliver(reply(2), minutes=5)
    other = make_transport(
        graph, certificates, tmp_path / "two", sleep, state=MailPollState(database, graph.mailbox)
    )
    try:
        assert [m.uid for m in await other.fetch_new()] == [first_id, second_id]
        delta_calls = [p for p in graph.graph_requests("GET") if "/delta" in p]
        assert "$deltatoken=" in delta_calls[-1]  # resumed from the delta link in the database
    finally:
        await other.close()
    assert not list((tmp_path / "two").glob("graph-*.json"))  # nothing in a local file
