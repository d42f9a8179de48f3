"""One reply to the invitation mail is enough: consent, the imported profile and the first
answers in one go (issue 11, item 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogen.store.database import Database
from tests.support.clock import FakeClock
from tests.support.mail_journey import ONE_REPLY, THREE_TRIPS, invitee, to_first_answer
from tests.support.mail_world import MailWorld


@pytest.fixture
def world(database: Database, clock: FakeClock, tmp_path: Path) -> MailWorld:
    return MailWorld(database, clock, tmp_path)  # SQLite and PostgreSQL


async def test_answering_the_invitation_joins_and_stores_the_answers_in_one_reply(
    world: MailWorld,
) -> None:
    journey = await to_first_answer(world, "ans", ONE_REPLY)
    assert (journey.replies, journey.mails) == (1, 2)
    (invitation,) = journey.texts
    assert "Met uw antwoorden zegt u ja tegen meedoen." in invitation
    assert "als griffier bij de gemeente Utrecht" in invitation and "Uw privacy" in invitation
    assert "\n1. Welk beeld heeft u" in invitation
    (row,) = [r for r in world.rows("confirmation")]
    assert row.step_key == "verkennen"
    await world.send_outbox()
    (confirmation,) = world.sent()
    from tests.support.mail_replies import plain_text

    text = plain_text(confirmation)
    assert "Fijn dat u meedoet" in text and "Dit hebben wij opgeslagen:" in text
    assert "4" in text and "Deze 4 vragen staan nog open:" in text


async def test_the_step_by_step_way_still_works_and_takes_three_replies(world: MailWorld) -> None:
    journey = await to_first_answer(world, "bea", THREE_TRIPS)
    assert (journey.replies, journey.mails) == (3, 6)
    assert "Klopt dat?" in journey.texts[1] and "Stap Verkennen" in journey.texts[2]


async def test_answers_join_only_the_step_the_invitation_listed(world: MailWorld) -> None:
    """'nee' declines; without an imported role the plain invitation asks "Wilt u meedoen?"."""
    from dialogen.store.tables import ParticipantRow

    participant = invitee(world, "cor")
    with world.database.unit_of_work() as session:
        row = session.get(ParticipantRow, participant)
        assert row is not None
        row.role = None
    assert world.runtime.invitations.invite(actor="cli:test") == 1
    await world.send_outbox()
    (invitation,) = world.sent()
    from tests.support.mail_replies import plain_text

    text = plain_text(invitation)
    assert "Wilt u meedoen aan de dialoog?" in text and "\n1. Welk beeld" not in text


def test_the_step_mail_names_the_closing_date_once_and_reads_in_paragraphs(real_dialogue) -> None:
    from bot.mail.outbound.body import render_body
    from dialogen.participation.outreach import step_prompt

    step = real_dialogue.step("verkennen")
    body = render_body(
        step_prompt(real_dialogue, step),
        dialogue=real_dialogue,
        signature="Dialoog",
        unsubscribe_url=None,
    )
    assert body.text.count("7 oktober 2024") == 1
    assert "De vragen van stap Verkennen:" in body.text
    assert "Kies er maximaal drie. Kies" not in body.text


async def test_an_invitee_who_got_the_mail_is_greeted_when_saying_hallo_in_teams(
    world: MailWorld,
) -> None:
    from dialogen.conversation.inputs import Text
    from dialogen.conversation.replies import Say
    from dialogen.door.events import Identity, InboundEvent

    participant = invitee(world, "dirk")
    assert world.runtime.invitations.invite(actor="cli:test") == 1
    teams = Identity(
        channel="teams",
        aad_object_id="aad-dirk",
        teams_user_id="29:dirk",
        email=world.address("dirk"),
    )
    outcome = world.door.handle(InboundEvent(teams, Text("hallo")))
    assert outcome.participant_id == participant
    said = "\n".join(r.text for r in outcome.replies if isinstance(r, Say))
    assert "Welkom bij de verenigingsdialoog" in said and "Uw privacy" in said
    assert "niet begrepen" not in said
