"""The Teams channel's turn through botbuilder's TestAdapter, with the real Door.

Activities are real-shaped Teams activities (``tests.support.activities``). The TestAdapter runs
each turn to completion inside ``receive_activity`` and buffers what the bot sends, so a test
reads the replies right after the call — no waiting, no polling.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity
from sqlmodel import Session, select

from bot.teams import messages as teams_msg
from bot.teams.channel import TeamsChannel
from dialogen.conversation import messages as msg
from dialogen.door.door import Door
from dialogen.store.database import Database
from dialogen.store.tables import AnswerRow, ConversationReferenceRow, ParticipantRow, ProgressRow
from tests.conftest import SEALING
from tests.support import activities as act
from tests.support.clock import FakeClock

SERVICE_URL = "https://smba.trafficmanager.net/emea/"
AMS = ZoneInfo("Europe/Amsterdam")
CARD = "application/vnd.microsoft.card.adaptive"


class Chat:
    """One participant's personal chat with the bot."""

    def __init__(self, adapter: TestAdapter, user: str) -> None:
        self.adapter = adapter
        self.user = user

    async def send(self, activity: dict[str, Any]) -> list[Activity]:
        """Deliver one activity; return what the bot sent back during that turn."""
        self.adapter.activity_buffer.clear()
        await self.adapter.receive_activity(Activity().deserialize(activity))
        replies = list(self.adapter.activity_buffer)
        self.adapter.activity_buffer.clear()
        return replies

    async def install(self) -> list[Activity]:
        return await self.send(act.installation_update(SERVICE_URL, self.user))

    async def type(self, text: str) -> list[Activity]:
        return await self.send(act.message(SERVICE_URL, self.user, text))

    async def submit(self, data: dict[str, Any]) -> list[Activity]:
        return await self.send(act.card_submit(SERVICE_URL, self.user, data))


@pytest.fixture
def adapter(door: Door) -> TestAdapter:
    channel = TeamsChannel(lambda event: door.handle(event))  # late-bound: a test may break it
    test_adapter = TestAdapter(channel.on_turn)
    test_adapter.on_turn_error = TeamsChannel.on_error
    return test_adapter


@pytest.fixture
def chat(adapter: TestAdapter) -> Chat:
    return Chat(adapter, "anna")


def progress(database: Database) -> dict[str, Any]:
    """The one participant's conversation state, opened (it is sealed at rest)."""
    (row,) = rows(database, ProgressRow)
    return SEALING.progress.open_json(row.state)


def texts(replies: list[Activity]) -> list[str]:
    return [r.text for r in replies]


def card_of(reply: Activity) -> dict[str, Any]:
    assert reply.attachments and reply.attachments[0].content_type == CARD, reply
    return reply.attachments[0].content


def card_text(reply: Activity) -> str:
    return "\n".join(
        b.get("text", "") for b in card_of(reply)["body"] if b.get("type") == "TextBlock"
    )


def prompt_id(reply: Activity) -> str:
    """The prompt a card answers (carried back in every submit's data)."""
    card = card_of(reply)
    actions = card.get("actions") or next(
        b["actions"] for b in card["body"] if b.get("type") == "ActionSet"
    )
    return actions[0]["data"]["dialoog"]


def choice_set(reply: Activity) -> dict[str, Any]:
    return next(b for b in card_of(reply)["body"] if b.get("type") == "Input.ChoiceSet")


def rows(database: Database, table: type) -> list[Any]:
    with Session(database.engine) as session:
        return list(session.exec(select(table)).all())


def answers(database: Database) -> dict[str, Any]:
    return {row.question_id: row.value for row in rows(database, AnswerRow)}


async def to_first_question(chat: Chat) -> list[Activity]:
    await chat.install()
    await chat.type("ja")
    await chat.type("griffier")
    return await chat.type("Den Haag")


# ---------------------------------------------------------------- a whole walk through


async def test_participant_walks_through_consent_profile_and_verkennen_by_typing_and_card_submits(
    chat: Chat, sqlite_database: Database
):
    greeting, consent = await chat.install()
    assert "Uw privacy" in greeting.text
    assert prompt_id(consent) == "consent"

    (role,) = await chat.submit({"dialoog": "consent", "value": "ja"})
    assert "Wat is uw rol?" in card_text(role)
    roles = choice_set(role)  # eight roles: too many for buttons
    assert roles["isMultiSelect"] is False and len(roles["choices"]) == 8

    (municipality,) = await chat.submit({"dialoog": "role", "multi": False, "keuze": "griffier"})
    assert "Bij welke gemeente" in municipality.text

    saved, intro, first = await chat.type("'s-Gravenhage")
    assert "griffier, gemeente 's-Gravenhage (Zuid-Holland)" in saved.text
    assert "Stap Verkennen" in intro.text and "7 oktober 2024 om 23:59" in intro.text
    assert "Vraag 1 van 7" in first.text and "Welk beeld" in first.text  # open question: plain text

    (scale,) = await chat.type("Veel overleg, weinig grip van de raad op wat de regio besluit.")
    assert prompt_id(scale) == "q:verkennen:waardering"

    (themes,) = await chat.submit({"dialoog": "q:verkennen:waardering", "value": "2"})
    assert prompt_id(themes) == "q:verkennen:themas"
    assert choice_set(themes)["isMultiSelect"] is True

    (obstacle,) = await chat.submit(
        {
            "dialoog": "q:verkennen:themas",
            "multi": True,
            "keuze": "democratische-legitimiteit,afstand-inwoner",
        }
    )
    assert prompt_id(obstacle) == "q:verkennen:obstakel"
    assert len(card_of(obstacle)["actions"]) == 6  # six single choices: buttons

    (explain,) = await chat.type("2")  # a typed number for a choice question
    assert "toelichten" in explain.text
    skipped, solution = await chat.type("overslaan")
    assert skipped.text == msg.SKIPPED and "Welke oplossing" in solution.text
    (vng,) = await chat.type("Samen optrekken in een vaste regionale agenda met de raden erbij.")
    (done,) = await chat.type("Een handreiking voor raadsleden over regionale besluiten.")
    assert "alle vragen van stap Verkennen beantwoord" in done.text

    assert answers(sqlite_database) == {
        "beeld": "Veel overleg, weinig grip van de raad op wat de regio besluit.",
        "waardering": 2,
        "themas": ["democratische-legitimiteit", "afstand-inwoner"],
        "obstakel": "verschillende-belangen",
        "oplossing": "Samen optrekken in een vaste regionale agenda met de raden erbij.",
        "rol-vng": "Een handreiking voor raadsleden over regionale besluiten.",
    }
    (participant,) = rows(sqlite_database, ParticipantRow)
    assert (participant.role, participant.municipality_code, participant.consent) == (
        "griffier",
        "GM0518",
        True,
    )


async def test_a_choice_set_submitted_without_a_pick_asks_to_choose(
    chat: Chat, sqlite_database: Database
):
    await chat.install()
    await chat.type("ja")
    (reply,) = await chat.submit({"dialoog": "role", "multi": False})
    assert reply.text == teams_msg.CARD_WITHOUT_CHOICE
    assert progress(sqlite_database)["phase"] == "role"


# ---------------------------------------------------------------- activities the bot leaves alone


def _variant(kind: str, **fields: Any) -> dict[str, Any]:
    activity = act.message(SERVICE_URL, "anna", "bewerkt antwoord")
    activity["type"] = kind
    activity.update(fields)
    return activity


TENANT_DATA = {"tenant": {"id": act.TENANT}}
IGNORED = {
    "message edit": _variant(
        "messageUpdate", channelData={**TENANT_DATA, "eventType": "editMessage"}
    ),
    "message delete": _variant(
        "messageDelete", channelData={**TENANT_DATA, "eventType": "softDeleteMessage"}
    ),
    "reaction": _variant(
        "messageReaction", text=None, replyToId="1:abc", reactionsAdded=[{"type": "like"}]
    ),
    "reaction removed": _variant(
        "messageReaction", text=None, replyToId="1:abc", reactionsRemoved=[{"type": "heart"}]
    ),
    "typing": _variant("typing", text=None),
    "event": _variant(
        "event",
        text=None,
        name="application/vnd.microsoft.readReceipt",
        value={"lastReadMessageId": "1"},
    ),
    "unknown type": _variant("somethingNew", text=None),
    "uninstall": act.installation_update(SERVICE_URL, "anna", action="remove"),
    "member removed": {
        **act.conversation_update(SERVICE_URL, "anna"),
        "membersAdded": None,
        "membersRemoved": [{"id": act.BOT_ID}],
    },
}


@pytest.mark.parametrize("case", IGNORED)
async def test_other_activities_are_ignored_gracefully(
    case: str, chat: Chat, sqlite_database: Database, caplog: pytest.LogCaptureFixture
):
    await to_first_question(chat)
    before = (answers(sqlite_database), progress(sqlite_database))
    with caplog.at_level(logging.INFO):
        replies = await chat.send(IGNORED[case])
    assert replies == []
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("teams activity ignored" in r.getMessage() for r in caplog.records)
    assert (answers(sqlite_database), progress(sqlite_database)) == before


async def test_the_bot_ignores_its_own_messages(chat: Chat, sqlite_database: Database):
    echo = act.message(SERVICE_URL, "anna", "Welkom bij de dialoog")
    echo["from"] = {"id": act.BOT_ID, "name": "Dialoogbot"}
    assert await chat.send(echo) == []
    assert rows(sqlite_database, ParticipantRow) == []


# ---------------------------------------------------------------- bad input


async def test_an_oversized_message_gets_the_limit_in_dutch_and_changes_nothing(
    chat: Chat, sqlite_database: Database
):
    await to_first_question(chat)
    before = progress(sqlite_database)
    (reply,) = await chat.type("a" * 4001)
    assert reply.text == msg.answer_too_long(4001, 1500)  # the first question's own limit
    assert "4.001 tekens" in reply.text and "1.500" in reply.text
    assert answers(sqlite_database) == {}
    assert progress(sqlite_database) == before


async def test_a_message_of_exactly_the_limit_is_read(chat: Chat, door: Door):
    await to_first_question(chat)
    (reply,) = await chat.type("a" * 4000)  # read, then refused by the question's own maximum
    assert "te lang: 4.000 tekens" in reply.text and "maximum is 1.500" in reply.text


async def test_a_card_submit_for_an_old_prompt_is_not_taken_and_the_current_question_is_shown_again(
    chat: Chat, sqlite_database: Database
):
    await chat.install()
    await chat.type("ja")
    stale, role = await chat.submit({"dialoog": "consent", "value": "nee"})  # the old consent card
    assert stale.text == msg.STALE_SUBMIT and "niet meer aan de beurt" in stale.text
    assert prompt_id(role) == "role"
    (participant,) = rows(sqlite_database, ParticipantRow)
    assert participant.consent is True  # the old card did not take the consent back

    await chat.type("griffier")
    await chat.type("Den Haag")
    await chat.type("Een beeld van veel overleg en weinig sturing.")
    stale, current = await chat.submit({"dialoog": "q:verkennen:beeld", "value": "x"})
    assert stale.text == msg.STALE_SUBMIT
    assert prompt_id(current) == "q:verkennen:waardering"
    assert answers(sqlite_database) == {"beeld": "Een beeld van veel overleg en weinig sturing."}


async def test_an_answer_after_the_step_closed_gets_the_closed_reply_and_nothing_stored_changes(
    chat: Chat, sqlite_database: Database, clock: FakeClock
):
    await to_first_question(chat)
    await chat.type("Een beeld van veel overleg en weinig sturing.")
    stored_before = sorted(
        (r.id, r.question_id, r.value, r.recorded_on) for r in rows(sqlite_database, AnswerRow)
    )

    clock.set(datetime(2024, 10, 8, 0, 30, tzinfo=AMS))  # Verkennen closed 7 October 23:59
    closed, nothing_open = await chat.type("4")
    assert closed.text == msg.step_closed("Verkennen", "maandag 7 oktober 2024 om 23:59")
    assert "niet meer aanpassen" in closed.text
    assert "Verrijken, begint op dinsdag 8 oktober 2024 om 09:00" in nothing_open.text

    (late,) = await chat.submit({"dialoog": "q:verkennen:waardering", "value": "4"})  # the old card
    assert late.text == closed.text
    assert (
        sorted(
            (r.id, r.question_id, r.value, r.recorded_on) for r in rows(sqlite_database, AnswerRow)
        )
        == stored_before
    )


async def test_a_crash_in_the_domain_gives_a_neutral_apology_with_a_code_and_no_internals(
    chat: Chat,
    door: Door,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
):
    await chat.install()

    def broken(event: object) -> None:
        raise RuntimeError("database is locked at /srv/dialoog/dialoog.db")

    monkeypatch.setattr(door, "handle", broken)
    with caplog.at_level(logging.ERROR, logger="bot.teams.channel"):
        (reply,) = await chat.type("ja")

    assert reply.text.startswith(teams_msg.SOMETHING_WENT_WRONG)
    code = re.fullmatch(
        re.escape(teams_msg.SOMETHING_WENT_WRONG) + r" \(code ([0-9a-f]{12})\)", reply.text
    )
    assert code is not None, reply.text
    for internal in ("RuntimeError", "Traceback", "locked", "/srv", "dialoog.db"):
        assert internal not in reply.text
    (logged,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert f"correlation={code.group(1)}" in logged.getMessage()
    assert logged.exc_info is not None and logged.exc_info[0] is RuntimeError


async def test_a_failing_apology_is_logged_not_raised(
    chat: Chat,
    adapter: TestAdapter,
    door: Door,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
):
    """When the connector itself is what fails, the apology fails too: log it, do not raise."""

    async def connector_down(context: object, activities: object) -> None:
        raise ConnectionError("connector unreachable")

    monkeypatch.setattr(adapter, "send_activities", connector_down)
    with caplog.at_level(logging.WARNING, logger="bot.teams.channel"):
        assert await chat.install() == []
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("teams turn failed correlation=") for m in messages)
    assert any(m.startswith("apology could not be sent correlation=") for m in messages)


# ---------------------------------------------------------------- conversation references


async def test_the_conversation_reference_is_stored_on_install_and_renewed_on_every_message(
    chat: Chat, sqlite_database: Database
):
    install = act.installation_update(SERVICE_URL, "anna")
    await chat.send(install)
    (stored,) = rows(sqlite_database, ConversationReferenceRow)
    reference = stored.reference
    assert stored.channel == "teams"
    assert reference["serviceUrl"] == SERVICE_URL
    assert reference["conversation"]["id"] == "a:1personal-anna"
    assert reference["bot"]["id"] == act.BOT_ID
    assert reference["user"]["aadObjectId"] == install["from"]["aadObjectId"]
    assert reference["activityId"] == install["id"]

    moved = act.message("https://smba.trafficmanager.net/nl/", "anna", "ja")  # Teams moved the chat
    await chat.send(moved)
    (stored,) = rows(sqlite_database, ConversationReferenceRow)
    assert stored.reference["serviceUrl"] == "https://smba.trafficmanager.net/nl/"
    assert stored.reference["activityId"] == moved["id"]
    (participant,) = rows(sqlite_database, ParticipantRow)
    assert stored.participant_id == participant.id


async def test_a_conversation_update_adding_the_bot_stores_the_reference_without_greeting_twice(
    chat: Chat, sqlite_database: Database
):
    replies = await chat.send(act.conversation_update(SERVICE_URL, "bram"))
    assert replies == []  # the installationUpdate that Teams sends alongside greets
    (stored,) = rows(sqlite_database, ConversationReferenceRow)
    assert stored.reference["conversation"]["id"] == "a:1personal-bram"


async def test_every_participant_has_their_own_reference(
    adapter: TestAdapter, sqlite_database: Database
):
    for user in ("anna", "bram", "cor"):
        await Chat(adapter, user).install()
    references = rows(sqlite_database, ConversationReferenceRow)
    assert len(references) == 3
    assert {r.reference["conversation"]["id"] for r in references} == {
        "a:1personal-anna",
        "a:1personal-bram",
        "a:1personal-cor",
    }


async def test_writing_again_makes_a_participant_reachable_in_teams_after_a_403(
    chat: Chat, sqlite_database: Database
):
    await chat.install()
    (participant,) = rows(sqlite_database, ParticipantRow)
    with sqlite_database.unit_of_work() as session:
        session.get(
            ParticipantRow, participant.id
        ).teams_reachable = False  # the sender once got a 403
    await chat.type("ja")
    (participant,) = rows(sqlite_database, ParticipantRow)
    assert participant.teams_reachable is True
