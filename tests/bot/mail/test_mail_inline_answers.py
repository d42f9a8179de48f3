"""Answers typed inside the quoted step mail — between or under the questions, with or without
``>`` — reach the domain as numbered answers, as if the participant had written "3. A en E"."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli.mail import extract_text
from dialogen.store.database import Database
from tests.support.clock import FakeClock
from tests.support.mail_replies import (
    apple_inline_reply,
    gmail_inline_reply,
    outlook_inline_reply,
    plain_text,
)
from tests.support.mail_world import MailWorld

WHEN = datetime(2024, 10, 1, 12, 47, tzinfo=ZoneInfo("Europe/Amsterdam"))
UNPLACED = "hebben wij niet als antwoord opgeslagen"
UNKNOWN_QUESTION = "welke vraag"


@pytest.fixture
def world(sqlite_database: Database, clock: FakeClock, tmp_path: Path) -> MailWorld:
    return MailWorld(sqlite_database, clock, tmp_path)


async def _confirmation(world: MailWorld) -> str:
    await world.poll()
    await world.send_outbox()
    return plain_text(world.sent()[-1])


@pytest.mark.parametrize("html_only", [False, True], ids=["plain-and-html", "html-only"])
async def test_outlook_answers_typed_under_the_unquoted_questions_are_stored(
    world: MailWorld, html_only: bool
) -> None:
    participant, prompt = await world.prompted()
    reply = outlook_inline_reply(
        prompt,
        sender=world.address("petra"),
        name="Petra Jansen",
        top="Zie mijn antwoorden hieronder",
        answers={2: "4", 3: "A en E"},
        when=WHEN,
        html_only=html_only,
    )
    assert extract_text(reply) == "Zie mijn antwoorden hieronder\n\n2. 4\n\n3. A en E"
    world.drop(reply)
    confirmation = await _confirmation(world)
    assert world.answers(participant) == {
        "waardering": 4,
        "themas": ["democratische-legitimiteit", "afstand-inwoner"],
    }
    assert UNPLACED not in confirmation and UNKNOWN_QUESTION not in confirmation.lower()


async def test_an_answer_typed_with_its_number_inside_the_original_is_taken_once(
    world: MailWorld,
) -> None:
    participant, prompt = await world.prompted()
    reply = outlook_inline_reply(
        prompt,
        sender=world.address("petra"),
        name="Petra Jansen",
        top="Hierbij mijn antwoorden.",
        answers={4: "4. B", 6: "Een regionale raadscommissie.\nDie werkt goed."},
        when=WHEN,
    )
    assert extract_text(reply) == (
        "Hierbij mijn antwoorden.\n\n4. B\n\n6. Een regionale raadscommissie.\nDie werkt goed."
    )
    world.drop(reply)
    await world.poll()
    assert world.answers(participant) == {
        "obstakel": "verschillende-belangen",
        "oplossing": "Een regionale raadscommissie.\nDie werkt goed.",
    }


async def test_apple_mail_answers_between_split_blockquotes_are_stored(world: MailWorld) -> None:
    participant, prompt = await world.prompted()
    reply = apple_inline_reply(
        prompt, sender=world.address("petra"), name="Petra", answers={2: "5", 4: "E"}, when=WHEN
    )
    assert extract_text(reply) == "Mijn antwoorden staan tussen de vragen.\n\n2. 5\n\n4. E"
    world.drop(reply)
    await world.poll()
    assert world.answers(participant) == {"waardering": 5, "obstakel": "capaciteit"}


async def test_gmail_answers_with_choices_of_many_letters_above_them(world: MailWorld) -> None:
    participant, prompt = await world.prompted()
    reply = gmail_inline_reply(
        prompt, sender=world.address("petra"), name="Petra", answers={3: "B, C"}, when=WHEN
    )
    world.drop(reply)
    await world.poll()
    assert world.answers(participant) == {"themas": ["sturing", "bestuurslaag"]}


async def test_a_reply_that_only_quotes_the_step_mail_gets_the_no_new_answer_notice(
    world: MailWorld,
) -> None:
    participant, prompt = await world.prompted()
    world.drop(
        outlook_inline_reply(
            prompt, sender=world.address("petra"), name="Petra", top="", answers={}, when=WHEN
        )
    )
    assert (await world.poll()).outcomes == {"empty": 1}
    await world.send_outbox()
    notice = plain_text(world.sent()[-1])
    assert "Wij vonden geen nieuw antwoord in uw e-mail" in notice
    assert world.answers(participant) == {}
