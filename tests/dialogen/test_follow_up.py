"""Verdiepen from the real priorities: the follow-up questions come from the top themes of
Voorkeuren through the dialogue file's templates; a facilitator previews, edits and confirms them
(audited) before the step opens; then participants are asked those, and about the theme they
themselves ranked first."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from bot.runtime import Runtime
from dialogen.conversation.inputs import Text
from dialogen.conversation.replies import Prompt, Say
from dialogen.conversation.reply_codec import decode_replies
from dialogen.dialogue.definition import FollowUp
from dialogen.door.events import Identity, InboundEvent
from dialogen.facilitation import messages as fmsg
from dialogen.facilitation import theme_messages as tmsg
from dialogen.facilitation.follow_up import FIRST_RANKED_ID, generate
from dialogen.store import answers as answer_store
from dialogen.store.audit import AuditRow
from dialogen.store.database import Database
from dialogen.store.outbox import OutboxRow
from tests.conftest import AMS, make_runtime, test_settings
from tests.planning.people import People
from tests.support.clock import FakeClock
from tests.support.mail_replies import plain_text
from tests.support.mail_world import MailWorld

FENNA = Identity(channel="teams", aad_object_id="aad-fenna", teams_user_id="29:fenna", name="Fenna")
PIET = Identity(channel="teams", aad_object_id="aad-piet", teams_user_id="29:piet", name="Piet")
VOORKEUREN = datetime(2024, 10, 29, 10, 0, tzinfo=AMS)
EVE_OF_VERDIEPEN = datetime(2024, 11, 11, 8, 0, tzinfo=AMS)
VERDIEPEN = datetime(2024, 11, 12, 10, 0, tzinfo=AMS)
RANKINGS = [
    ["raad-aan-zet", "heldere-rollen", "kennis-delen"],
    ["raad-aan-zet", "kennis-delen", "heldere-rollen"],
    ["heldere-rollen", "raad-aan-zet", "rijk-afstemming"],
    ["raad-aan-zet", "heldere-rollen", "minder-verbanden"],
    ["kennis-delen", "raad-aan-zet", "heldere-rollen"],
]


def test_templates_make_one_question_per_theme_in_rank_order() -> None:
    rule = FollowUp(
        source="voorkeuren/volgorde",
        top=2,
        templates=("Wat is nodig om {thema} te laten slagen?", "Wat draagt u bij aan {thema}?"),
    )
    assert generate(rule, ["Grip", "Rollen"]) == (
        ("vervolg-1", "Wat is nodig om Grip te laten slagen?"),
        ("vervolg-2", "Wat draagt u bij aan Grip?"),
        ("vervolg-3", "Wat is nodig om Rollen te laten slagen?"),
        ("vervolg-4", "Wat draagt u bij aan Rollen?"),
    )
    with pytest.raises(ValueError, match="thema"):
        FollowUp(source="voorkeuren/volgorde", templates=("Zonder plek voor het thema",))


@pytest.fixture
def runtime(
    tmp_path: Path, database: Database, real_dialogue, registry, clock: FakeClock
) -> Runtime:
    settings = test_settings(tmp_path, facilitators="aad-fenna", database_url=str(database.url))
    return make_runtime(
        settings, database=database, clock=clock, dialogue=real_dialogue, registry=registry
    )


def store_rankings(runtime: Runtime, clock: FakeClock) -> None:
    """Five more rankings (with anna's six: enough to show a top list)."""
    with runtime.database.unit_of_work() as session:
        for i, ranking in enumerate(RANKINGS):
            answer_store.save(
                session,
                dialogue_key=runtime.dialogue.key,
                pseudonym=f"p{i}",
                answers=[("voorkeuren", "volgorde", ranking)],
                role="raad",
                province="Utrecht",
                networks="",
                day=clock().date(),
            )


def test_with_fewer_than_five_rankings_there_is_no_top_list_to_ask_about(
    runtime: Runtime, clock: FakeClock
) -> None:
    clock.set(VOORKEUREN)
    people = People(runtime.door)
    people.join("anna")
    people.send("anna", Text("verder"))
    people.send("anna", Text("B, A, C"))
    clock.set(EVE_OF_VERDIEPEN)
    assert say(runtime, FENNA, "vervolgvragen") == tmsg.FOLLOW_UP_NOT_READY
    assert say(runtime, FENNA, "vervolgvragen bevestig") == tmsg.FOLLOW_UP_NOT_READY


def say(runtime: Runtime, who: Identity, text: str) -> str:
    (reply,) = runtime.door.handle(InboundEvent(who, Text(text))).replies
    assert isinstance(reply, Say)
    return reply.text


def test_follow_ups_are_previewed_edited_confirmed_and_then_asked(
    runtime: Runtime, clock: FakeClock
) -> None:
    clock.set(VOORKEUREN)
    people = People(runtime.door)
    people.join("anna")
    people.send("anna", Text("verder"))
    people.send("anna", Text("B, A, C"))  # anna puts 'Minder ... samenwerkingsverbanden' first
    store_rankings(runtime, clock)

    clock.set(EVE_OF_VERDIEPEN)
    assert say(runtime, PIET, "vervolgvragen") == fmsg.REFUSED
    draft = say(runtime, FENNA, "vervolgvragen")
    # Borda over the six answers: raad-aan-zet first, heldere-rollen second.
    assert (
        "1. Wat is nodig om 'De raad meer grip geven op regionale besluiten' te laten slagen?"
        in draft
    )
    assert "3. Wat is nodig om 'Heldere rollen en verantwoordelijkheden' te laten slagen?" in draft
    assert "4. Wat kan uw gemeente bijdragen aan 'Heldere rollen" in draft
    edited = say(runtime, FENNA, "vervolgvraag 2 Wat kan uw gemeenteraad zelf doen voor meer grip?")
    assert "2. Wat kan uw gemeenteraad zelf doen voor meer grip?" in edited
    assert "Vraag '9' bestaat niet" in say(
        runtime, FENNA, "vervolgvraag 9 Een vraag die er niet is"
    )
    assert tmsg.FOLLOW_UP_CONFIRMED in say(runtime, FENNA, "vervolgvragen bevestig")
    with runtime.database.unit_of_work() as session:
        actions = [r.action for r in session.exec(select(AuditRow)).all()]
    assert {"follow_up_preview", "follow_up_edited", "follow_up_confirmed"} <= set(actions)
    assert actions.count("refused") == 1

    clock.set(VERDIEPEN)
    assert say(runtime, FENNA, "vervolgvraag 1 Te laat gewijzigd") == tmsg.follow_up_locked(
        "Verdiepen"
    )
    asked = []
    outcome = people.send("anna", Text("verder"))
    for _ in range(6):
        prompts = [r for r in outcome.replies if isinstance(r, Prompt)]
        if not prompts or not prompts[0].input_id.startswith("q:verdiepen"):
            break
        asked.append((prompts[0].input_id, prompts[0].text))
        outcome = people.send("anna", Text("Een antwoord met genoeg woorden erin."))
    assert [qid for qid, _ in asked] == [
        "q:verdiepen:vervolg-1",
        "q:verdiepen:vervolg-2",
        "q:verdiepen:vervolg-3",
        "q:verdiepen:vervolg-4",
        f"q:verdiepen:{FIRST_RANKED_ID}",
    ]
    assert asked[1][1] == "Wat kan uw gemeenteraad zelf doen voor meer grip?"
    assert "'Minder en overzichtelijkere samenwerkingsverbanden' op de eerste plaats" in asked[4][1]


def test_a_reminder_in_verdiepen_counts_the_follow_up_questions_left(
    runtime: Runtime, clock: FakeClock
) -> None:
    from dialogen.conversation.replies import Prompt as Asked

    clock.set(VOORKEUREN)
    people = People(runtime.door)
    people.join("anna")
    people.send("anna", Text("verder"))
    people.send("anna", Text("B, A, C"))
    store_rankings(runtime, clock)
    clock.set(EVE_OF_VERDIEPEN)
    assert "4. " in say(runtime, FENNA, "vervolgvragen")
    say(runtime, FENNA, "vervolgvragen bevestig")
    clock.set(VERDIEPEN)
    people.send("anna", Text("verder"))
    people.send("anna", Text("Een antwoord met genoeg woorden erin."))  # 1 of 4 (+ her first)
    preview = runtime.broadcasts.preview_nudge("verdiepen")
    assert preview.recipients == {"teams": 1}
    shown = " ".join(r.text for r in preview.replies if isinstance(r, Asked | Say))
    # 3 follow-ups left and the (optional) question about the theme she ranked first
    assert "4 vragen" in shown, shown


def confirm_follow_ups(runtime: Runtime, clock: FakeClock, people: People) -> None:
    """anna ranks (she will also be asked about her first choice); the top list is confirmed."""
    clock.set(VOORKEUREN)
    people.join("anna")
    people.send("anna", Text("verder"))
    people.send("anna", Text("B, A, C"))
    store_rankings(runtime, clock)
    clock.set(EVE_OF_VERDIEPEN)
    assert "4. " in say(runtime, FENNA, "vervolgvragen")
    say(runtime, FENNA, "vervolgvragen bevestig")


def queued_texts(runtime: Runtime, kind: str) -> dict[str, str]:
    with runtime.database.unit_of_work() as session:
        rows = session.exec(select(OutboxRow).where(OutboxRow.kind == kind)).all()
        return {
            row.participant_id: " ".join(
                r.text
                for r in decode_replies(runtime.sealing.outbox.open_json(row.payload))
                if isinstance(r, Prompt | Say)
            )
            for row in rows
        }


def test_the_verdiepen_prompt_counts_the_confirmed_follow_ups_each_participant_gets(
    runtime: Runtime, clock: FakeClock
) -> None:
    people = People(runtime.door)
    confirm_follow_ups(runtime, clock, people)
    people.join("bob")  # did not rank: the 4 follow-ups only
    clock.set(VERDIEPEN)
    assert runtime.broadcasts.send_step_prompt("verdiepen", actor="test") == 2
    texts = queued_texts(runtime, "step_prompt")
    # The file's Verdiepen has 2 questions; participants get the 4 confirmed ones.
    assert "Deze stap heeft 4 vragen" in texts[people.ids["bob"]]
    assert "Deze stap heeft 5 vragen" in texts[people.ids["anna"]]
    # What the prompt promised is what the step asks.
    outcome = people.send("bob", Text("verder"))
    count = 0
    while any(
        isinstance(r, Prompt) and r.input_id.startswith("q:verdiepen") for r in outcome.replies
    ):
        count += 1
        outcome = people.send("bob", Text("Een antwoord met genoeg woorden erin."))
    assert count == 4


async def test_the_verdiepen_prompt_mail_lists_the_confirmed_questions(
    sqlite_database: Database, clock: FakeClock, tmp_path: Path
) -> None:
    world = MailWorld(sqlite_database, clock, tmp_path, facilitators="aad-fenna")
    people = People(world.door)
    confirm_follow_ups(world.runtime, clock, people)
    world.join("petra")
    clock.set(VERDIEPEN)
    assert world.broadcast_step_prompt("verdiepen") == 2  # anna in Teams, petra by mail
    await world.send_outbox(channels=("mail",))
    (mail,) = world.sent()
    text = plain_text(mail)
    assert "Deze stap heeft 4 vragen" in text, text
    assert (
        "Wat is nodig om 'De raad meer grip geven op regionale besluiten' te laten slagen?" in text
    )
    assert "Wat kan uw gemeente bijdragen aan 'Heldere rollen" in text
    assert "het belangrijkste aandachtspunt" not in text  # the file's question, replaced
