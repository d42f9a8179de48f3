"""The conversation across channels: an invitation by mail answered with 'ja', a participant who
switches between Teams and mail in the middle of a step, and the mail version of a message Teams
refused."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from dialogen.conversation.inputs import Install, Submit, Text
from dialogen.conversation.replies import Prompt
from dialogen.conversation.reply_codec import encode_replies
from dialogen.door.events import Identity, InboundEvent
from dialogen.participation import outreach as nudging
from dialogen.store import outbox
from dialogen.store.database import Database
from dialogen.store.outbox import OutboxMessage, OutboxRow
from dialogen.store.tables import ParticipantRow
from planning.sender import MailVersion
from tests.conftest import SEALING
from tests.support.clock import FakeClock
from tests.support.mail_replies import outlook_nl_reply, plain_text
from tests.support.mail_world import MailWorld
from tests.support.teams_people import reference_for

AMS = ZoneInfo("Europe/Amsterdam")
WHEN = datetime(2024, 10, 1, 12, 0, tzinfo=AMS)


@pytest.fixture
def world(sqlite_database: Database, clock: FakeClock, tmp_path: Path) -> MailWorld:
    return MailWorld(sqlite_database, clock, tmp_path)


def _invitee(world: MailWorld, name: str, *, channel: str = "mail") -> str:
    with world.database.unit_of_work() as session:
        row = ParticipantRow(
            id=uuid.uuid4().hex,
            email=world.address(name),
            name=name.title(),
            role="griffier",
            municipality_code="0344",
            invited=True,
            preferred_channel=channel,
            created_at=world.clock(),
        )
        session.add(row)
        return row.id


async def test_an_invitation_by_mail_answered_with_ja_leads_to_the_questions(
    world: MailWorld,
) -> None:
    participant = _invitee(world, "ans")
    _invitee(world, "tom", channel="teams")  # prefers Teams: not invited by mail
    assert world.runtime.invitations.invite(actor="cli:test") == 1
    assert world.runtime.invitations.invite(actor="cli:test") == 0  # nobody twice
    await world.send_outbox()
    (invitation,) = world.sent()
    assert str(invitation["Subject"]).strip().startswith("Uitnodiging: Verenigingsdialoog")
    text = plain_text(invitation)
    assert "Uw privacy" in text and "Doet u mee?" in text and "alleen met 'nee'" in text

    world.drop(
        outlook_nl_reply(invitation, sender=world.address("ans"), name="Ans", text="Ja", when=WHEN)
    )
    await world.poll()
    await world.send_outbox()
    (profile_check,) = world.sent()
    assert (
        "Wij hebben u uitgenodigd als griffier bij de gemeente Utrecht. Klopt dat?"
        in plain_text(profile_check)
    )

    world.drop(
        outlook_nl_reply(
            profile_check, sender=world.address("ans"), name="Ans", text="ja hoor", when=WHEN
        )
    )
    await world.poll()
    await world.send_outbox()
    (questions,) = world.sent()
    text = plain_text(questions)
    assert (
        "Stap Verkennen" in text
        and "\n1. Welk beeld heeft u" in text
        and "\n7. Wat verwacht u" in text
    )
    assert (
        world.keys.read(str(questions["Reply-To"].addresses[0].addr_spec)[8:48]).step_key
        == "verkennen"
    )
    assert world.participant(participant).consent


async def test_a_participant_switches_between_teams_and_mail_mid_step(world: MailWorld) -> None:
    teams = Identity(
        channel="teams",
        aad_object_id="aad-ria",
        teams_user_id="29:ria",
        name="Ria",
        email=world.address("ria"),
    )

    def chat(message: object) -> tuple:
        return world.door.handle(
            InboundEvent(teams, message, reference=reference_for("http://127.0.0.1:9", "ria"))
        ).replies  # type: ignore[arg-type]

    participant = world.door.handle(
        InboundEvent(teams, Install(), reference=reference_for("http://127.0.0.1:9", "ria"))
    ).participant_id
    chat(Submit("consent", "ja"))
    chat(Text("raadslid"))
    chat(Text("Utrecht"))
    chat(
        Text("In onze regio werken we veel samen, vooral in het sociaal domein.")
    )  # question 1 in Teams
    with world.database.unit_of_work() as session:  # e.g. the mail version of a nudge
        outbox.enqueue(
            session,
            key="nudge:ria",
            participant_id=participant,
            channel="mail",
            kind="nudge",
            step_key="verkennen",
            now=world.clock(),
            cipher=SEALING.outbox,
            payload=encode_replies(
                nudging.nudge(
                    world.door.dialogue,
                    world.door.dialogue.step("verkennen"),
                    remaining=6,
                    at=world.clock(),
                )
            ),
        )
    await world.send_outbox()
    (nudge,) = world.sent()
    assert "\n1. [al beantwoord] Welk beeld" in plain_text(nudge)

    world.drop(
        outlook_nl_reply(
            nudge, sender=world.address("ria"), name="Ria", text="3. E\n4. A", when=WHEN
        )
    )
    await world.poll()
    assert set(world.answers(participant)) == {"beeld", "themas", "obstakel"}

    replies = chat(Text("4"))  # back in Teams: that answers question 2, the first one still open
    assert world.answers(participant)["waardering"] == 4
    (prompt,) = [r for r in replies if isinstance(r, Prompt)]
    assert prompt.input_id == "q:verkennen:obstakel-toelichting"
    assert world.participant(participant).preferred_channel == "teams"  # Teams still reaches Ria


async def test_a_mail_only_participant_is_reached_by_mail(world: MailWorld) -> None:
    participant = world.join("kees")
    with world.database.unit_of_work() as session:
        session.get(
            ParticipantRow, participant
        ).preferred_channel = "teams"  # e.g. the import's default
    world.broadcast_step_prompt()
    await world.send_outbox()
    (prompt,) = world.sent()
    world.drop(
        outlook_nl_reply(prompt, sender=world.address("kees"), name="Kees", text="2. 3", when=WHEN)
    )
    await world.poll()
    assert world.participant(participant).preferred_channel == "mail"


async def test_the_mail_version_of_a_message_teams_refused(world: MailWorld) -> None:
    participant = world.join("lotte")
    step = world.door.dialogue.step("verkennen")
    with world.database.unit_of_work() as session:
        outbox.enqueue(
            session,
            key=f"step_prompt:{participant}:verkennen",
            participant_id=participant,
            channel="teams",
            kind="step_prompt",
            step_key="verkennen",
            now=world.clock(),
            cipher=SEALING.outbox,
            payload=encode_replies(nudging.step_prompt(world.door.dialogue, step)),
        )
        row = session.exec(select(OutboxRow)).one()
        message = OutboxMessage(
            id=row.id,
            key=row.key,
            participant_id=participant,
            channel="teams",
            kind=row.kind,
            step_key=row.step_key,
            payload=SEALING.outbox.open_json(row.payload),
            attempts=1,
            parts_sent=0,
        )
        outbox.mark_unreachable(
            session,
            message_id=row.id,
            participant_id=participant,
            reason="HTTP 403",
            refused_by_teams=True,
        )
        MailVersion(SEALING.outbox)(session, message, world.clock())
        MailVersion(SEALING.outbox)(session, message, world.clock())  # once only
    await world.send_outbox()
    (mail,) = world.sent()
    assert str(mail["Subject"]).strip().startswith("Stap Verkennen is begonnen")
    assert "\n2. Hoe tevreden bent u" in plain_text(mail)
