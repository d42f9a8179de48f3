"""The mail channel against a real mail server (Dovecot IMAP + LMTP, aiosmtpd submission with
STARTTLS and AUTH, see ``tests/bot/mail/conftest.py``): the bot sends the step prompt over SMTP,
the participant's client receives it and replies the way Outlook NL does, the bot's poller reads
the reply over IMAP, stores the answers and the confirmation arrives in the participant's inbox."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.mail.contracts import OutgoingMail
from dialogen.store.database import Database
from tests.bot.mail.test_imap_smtp_transport import make_transport
from tests.support.clock import FakeClock
from tests.support.mail_replies import outlook_nl_reply, plain_text, read
from tests.support.mail_server import MailServers, MailUser
from tests.support.mail_world import MailWorld
from tests.support.tls import ServerCertificates

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def bot_user(mail_servers: MailServers) -> MailUser:
    return mail_servers.add_user()


@pytest.fixture
def participant_user(mail_servers: MailServers) -> MailUser:
    return mail_servers.add_user()


@pytest.fixture
def world(
    sqlite_database: Database,
    clock: FakeClock,
    tmp_path: Path,
    mail_servers: MailServers,
    certificates: ServerCertificates,
    bot_user: MailUser,
) -> MailWorld:
    return MailWorld(
        sqlite_database,
        clock,
        tmp_path,
        mail_transport="imap",
        mail_address=bot_user.address,
        imap_host="127.0.0.1",
        imap_port=mail_servers.dovecot.imaps_port,
        imap_security="tls",
        imap_username=bot_user.name,
        imap_password=bot_user.password,
        smtp_host="127.0.0.1",
        smtp_port=mail_servers.submission.port,
        smtp_security="starttls",
        smtp_username=bot_user.name,
        smtp_password=bot_user.password,
        mail_tls_ca_file=certificates.ca_file,
        mail_timeout=10,
    )


async def test_step_prompt_reply_answer_and_confirmation_over_imap_and_smtp(
    world: MailWorld,
    mail_servers: MailServers,
    certificates: ServerCertificates,
    participant_user: MailUser,
) -> None:
    participant = world.join("petra", email=participant_user.address)
    client = make_transport(
        mail_servers, certificates, participant_user
    )  # the participant's mail client
    try:
        assert world.broadcast_step_prompt() == 1
        assert (await world.send_outbox()).sent == 1
        [received] = await client.fetch_new()
        prompt = read(received.raw)
        await client.mark_processed(received.uid)
        assert "\n3. Welke thema's" in plain_text(prompt)
        reply_to = prompt["Reply-To"].addresses[0].addr_spec
        assert reply_to.startswith(f"{world.mailbox.local}+")

        reply = outlook_nl_reply(
            prompt,
            sender=participant_user.address,
            name="Petra Jansen",
            text="1. Wij werken vooral samen met de buurgemeenten.\n2. 4\n3. A, C",
            when=datetime(2024, 10, 1, 12, 47, tzinfo=AMS),
        )
        assert (await client.send(OutgoingMail(read(reply)))).ok  # to dialoog+<token>@…, over SMTP

        summary = await world.poll()
        assert summary.outcomes == {"handled:answers": 1}
        assert world.answers(participant) == {
            "beeld": "Wij werken vooral samen met de buurgemeenten.",
            "waardering": 4,
            "themas": ["democratische-legitimiteit", "bestuurslaag"],
        }
        assert await world.transport.fetch_new() == []  # marked processed on the server

        assert (await world.send_outbox()).sent == 1
        [arrived] = await client.fetch_new()
        confirmation = read(arrived.raw)
        assert confirmation["In-Reply-To"] == read(reply)["Message-ID"]
        text = plain_text(confirmation)
        assert "Dit hebben wij opgeslagen:" in text and "  → 4 (van 1 tot en met 5)" in text
        assert "Deze 4 vragen staan nog open:" in text
    finally:
        await client.close()
        await world.transport.close()
