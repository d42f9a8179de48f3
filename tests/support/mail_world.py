"""The mail channel around a real service for scenario tests: the folder transport in a temp
folder, the inbound pipeline and poller, the real outbox sender with the mail delivery, and
participants brought into their state through the service's one door."""

from __future__ import annotations

import asyncio
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlmodel import select

from bot.delivery import build_sender
from bot.mail.inbound.poller import MailPoller, PollSummary
from bot.mail.inbound.readers import MailReaders
from bot.mail.setup import inbound_for, mailbox_for, outbox_transport_for, token_keys
from bot.mail.transports import build_transport
from bot.settings import Settings
from dialogen.conversation.inputs import Install, Text
from dialogen.door.service import DialogueService, Identity, InboundEvent
from dialogen.privacy.anonymity import pseudonym
from dialogen.store import answers as answer_store
from dialogen.store.outbox import OutboxRow
from dialogen.store.tables import ParticipantRow
from planning.broadcasts import Broadcasts
from planning.sender import DrainSummary
from tests.conftest import SECRET
from tests.support.clock import FakeClock
from tests.support.mail_replies import read

MAILBOX = "dialoog@vng.example"
PUBLIC_URL = "https://dialoog.vng.example"


def mail_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(
        database_url="sqlite://",
        mail_transport="folder",
        mail_folder_inbox=tmp_path / "in",
        mail_folder_outbox=tmp_path / "out",
        mail_state_dir=tmp_path / "state",
        mail_address=MAILBOX,
        mail_public_url=PUBLIC_URL,
        pseudonym_secret=SECRET.decode(),
        pseudonym_secret_file=tmp_path / "secret",
        demo_calendar=False,
    )
    values.update(overrides)
    return Settings(**values)


class MailWorld:
    def __init__(
        self,
        service: DialogueService,
        clock: FakeClock,
        tmp_path: Path,
        *,
        readers: MailReaders | None = None,
        **settings: Any,
    ) -> None:
        self.service = service
        self.clock = clock
        self.settings = mail_settings(tmp_path, **settings)
        self.transport = build_transport(self.settings)
        self.inbound = inbound_for(self.settings, service)
        self.delivery = outbox_transport_for(self.settings, service, self.transport)
        self.mailbox = mailbox_for(self.settings, service.dialogue)
        self.keys = token_keys(self.settings)
        self.poller = MailPoller(
            transport=self.transport,
            inbound=self.inbound,
            quarantine=tmp_path / "quarantine",
            interval=30,
            clock=clock,
            readers=readers,
        )
        self.inbox = self.settings.mail_folder_inbox
        self.outbox = self.settings.mail_folder_outbox
        self._seen: set[str] = set()
        self._dropped = 0

    # ------------------------------------------------------------ participants

    def join(self, name: str, *, consent: bool = True, email: str | None = None) -> str:
        """Invited by mail, said yes, gave role and municipality (through the one door)."""
        identity = Identity(channel="mail", email=email or self.address(name), name=name.title())
        outcome = self.service.handle(InboundEvent(identity, Install()))
        if consent:
            for text in ("ja", "raadslid", "Utrecht"):
                self.service.handle(InboundEvent(identity, Text(text)))
        return outcome.participant_id

    async def prompted(self, name: str = "petra") -> tuple[str, EmailMessage]:
        """A participant who got the Verkennen step prompt by mail; returns (id, the mail)."""
        participant = self.join(name)
        assert self.broadcast_step_prompt() == 1  # theirs only: the others have had it
        await self.send_outbox()
        (prompt,) = self.sent()
        assert prompt["To"].addresses[0].addr_spec == self.address(name)
        return participant, prompt

    @staticmethod
    def address(name: str) -> str:
        return f"{name}@gemeente.example"

    def answers(self, participant_id: str) -> dict[str, Any]:
        with self.service.database.unit_of_work() as session:
            return answer_store.load(
                session,
                dialogue_key=self.service.dialogue.key,
                pseudonym=pseudonym(SECRET, participant_id),
            ).get("verkennen", {})

    def participant(self, participant_id: str) -> ParticipantRow:
        with self.service.database.unit_of_work() as session:
            row = session.get(ParticipantRow, participant_id)
            assert row is not None
            session.expunge(row)
            return row

    def rows(self, kind: str | None = None) -> list[OutboxRow]:
        with self.service.database.unit_of_work() as session:
            statement = select(OutboxRow).order_by(OutboxRow.seq)
            if kind:
                statement = statement.where(OutboxRow.kind == kind)
            found = list(session.exec(statement).all())
            for row in found:
                session.expunge(row)
            return found

    # ------------------------------------------------------------ mail in and out

    def broadcast_step_prompt(self, step_key: str = "verkennen") -> int:
        broadcasts = Broadcasts(
            database=self.service.database,
            dialogue=self.service.dialogue,
            clock=self.clock,
            pseudonym_secret=SECRET,
        )
        return broadcasts.send_step_prompt(step_key, actor="cli:test")

    async def send_outbox(self) -> DrainSummary:
        async def sleep(seconds: float) -> None:
            self.clock.advance(seconds=max(seconds, 0.0))
            await asyncio.sleep(0)

        sender = build_sender(
            self.settings,
            self.service.database,
            clock=self.clock,
            sleep=sleep,
            more_transports=[self.delivery],
        )
        return await sender.drain()

    def sent(self) -> list[EmailMessage]:
        """Mails the bot wrote since the last call, oldest first."""
        files = sorted(p for p in self.outbox.glob("*.eml") if p.name not in self._seen)
        self._seen.update(p.name for p in files)
        return [read(p.read_bytes()) for p in files]

    def drop(self, raw: bytes, name: str | None = None) -> str:
        self._dropped += 1
        name = name or f"{self._dropped:04d}-antwoord.eml"
        (self.inbox / name).write_bytes(raw)
        return name

    async def poll(self) -> PollSummary:
        return await self.poller.poll_once()

    def inbox_files(self) -> list[str]:
        return sorted(p.name for p in self.inbox.glob("*.eml"))
