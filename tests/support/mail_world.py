"""The mail channel around a real door for scenario tests: the folder transport in a temp
folder, the inbound pipeline and poller, the real outbox sender with the mail delivery, and
participants brought into their state through the door."""

from __future__ import annotations

import asyncio
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlmodel import select

from bot.mail.inbound.poller import MailPoller, PollSummary
from bot.mail.inbound.readers import MailReaders
from bot.outbox_sender import build_sender
from bot.runtime import build_runtime
from bot.settings import Settings
from dialogen.conversation.inputs import Install, Text
from dialogen.dialogue.definition import Dialogue
from dialogen.dialogue.loader import default_dialogue_path, load_dialogue
from dialogen.door.events import Identity, InboundEvent
from dialogen.privacy.pseudonyms import pseudonym
from dialogen.store import answers as answer_store
from dialogen.store.database import Database
from dialogen.store.outbox import OutboxRow
from dialogen.store.tables import ParticipantRow
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
        outbox_enabled=False,  # MailWorld.send_outbox drains it when a test says so
        scheduler_enabled=False,
    )
    values.update(overrides)
    return Settings(**values)


class MailWorld:
    """The mail channel as the runtime builds it (``build_runtime``), on the test's database."""

    def __init__(
        self,
        database: Database,
        clock: FakeClock,
        tmp_path: Path,
        *,
        dialogue: Dialogue | None = None,
        readers: MailReaders | None = None,
        **settings: Any,
    ) -> None:
        self.database = database
        self.clock = clock
        self.settings = mail_settings(tmp_path, **settings)
        self.runtime = build_runtime(
            self.settings,
            clock=clock,
            database=database,
            dialogue=dialogue or load_dialogue(default_dialogue_path()),
            mail_read_workers=0,
        )
        self.door = self.runtime.door
        mail = self.runtime.mail
        assert mail is not None
        self.channel = mail
        self.transport = mail.transport
        self.inbound = mail.inbound
        self.delivery = mail.delivery
        self.mailbox = mail.mailbox
        self.keys = self.runtime.mail_keys
        self.poller = MailPoller(
            transport=self.transport,
            inbound=self.inbound,
            quarantine=tmp_path / "quarantine",
            interval=30,
            clock=clock,
            readers=readers,
            ping=database.ping,
            seal=self.runtime.sealing.mail.seal_file,  # as the runtime's own poller
        )
        self.inbox = self.settings.mail_folder_inbox
        self.outbox = self.settings.mail_folder_outbox
        self._seen: set[str] = set()
        self._dropped = 0

    # ------------------------------------------------------------ participants

    def join(self, name: str, *, consent: bool = True, email: str | None = None) -> str:
        """Invited by mail, said yes, gave role and municipality (through the one door)."""
        identity = Identity(channel="mail", email=email or self.address(name), name=name.title())
        outcome = self.door.handle(InboundEvent(identity, Install()))
        if consent:
            for text in ("ja", "raadslid", "Utrecht"):
                self.door.handle(InboundEvent(identity, Text(text)))
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
        with self.database.unit_of_work() as session:
            return answer_store.load(
                session,
                dialogue_key=self.door.dialogue.key,
                pseudonym=pseudonym(SECRET, participant_id),
            ).get("verkennen", {})

    def participant(self, participant_id: str) -> ParticipantRow:
        with self.database.unit_of_work() as session:
            row = session.get(ParticipantRow, participant_id)
            assert row is not None
            session.expunge(row)
            return row

    def rows(self, kind: str | None = None) -> list[OutboxRow]:
        with self.database.unit_of_work() as session:
            statement = select(OutboxRow).order_by(OutboxRow.seq)
            if kind:
                statement = statement.where(OutboxRow.kind == kind)
            found = list(session.exec(statement).all())
            for row in found:
                session.expunge(row)
            return found

    # ------------------------------------------------------------ mail in and out

    def broadcast_step_prompt(self, step_key: str = "verkennen") -> int:
        return self.runtime.broadcasts.send_step_prompt(step_key, actor="cli:test")

    async def send_outbox(self, channels: tuple[str, ...] = ("teams", "mail")) -> DrainSummary:
        async def sleep(seconds: float) -> None:
            self.clock.advance(seconds=max(seconds, 0.0))
            await asyncio.sleep(0)

        sender = build_sender(
            self.runtime,
            channels=channels,
            sleep=sleep,
            pacing_clock=lambda: self.clock().timestamp(),  # pace in the test's time
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
