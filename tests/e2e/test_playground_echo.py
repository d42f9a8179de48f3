"""The Playground harness against a tiny botbuilder bot: install, text, card submit, proactive
message, and a failing turn. Proves tests/e2e/playground.py before the real bot uses it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from aiohttp import web
from botbuilder.core import ActivityHandler, CardFactory, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationReference

from tests.e2e.playground import (
    Playground,
    PlaygroundError,
    PlaygroundUnavailable,
    PlaygroundUser,
    adaptive_cards,
    personal_chat_config,
    skip_or_fail,
)

pytestmark = pytest.mark.e2e

QUESTION_CARD = {
    "type": "AdaptiveCard",
    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
    "version": "1.5",
    "body": [
        {"type": "TextBlock", "text": "Wat gaat goed in uw regio?", "wrap": True},
        {"type": "Input.Text", "id": "antwoord", "isMultiline": True},
    ],
    "actions": [{"type": "Action.Submit", "title": "Versturen", "data": {"vraag": "v1"}}],
}


@dataclass
class EchoBot(ActivityHandler):
    """Welcome + question card on install, echo on text, thanks on a card submit."""

    adapter: CloudAdapter | None = None
    received: list[Activity] = field(default_factory=list)
    background: set[asyncio.Task[None]] = field(default_factory=set)

    async def on_turn(self, turn_context: TurnContext) -> None:
        self.received.append(turn_context.activity)
        await super().on_turn(turn_context)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity("Welkom bij de dialoog.")
        await turn_context.send_activity(
            MessageFactory.attachment(CardFactory.adaptive_card(QUESTION_CARD))
        )

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if activity.value:
            await turn_context.send_activity(
                f"Dank u wel. Uw antwoord op {activity.value['vraag']}: "
                f"{activity.value['antwoord']}"
            )
        elif activity.text == "wie ben ik":
            member = await TeamsInfo.get_member(turn_context, activity.from_property.id)
            await turn_context.send_activity(f"{member.name} <{member.email}>")
        elif activity.text == "boom":
            raise RuntimeError("the bot broke on purpose")
        elif activity.text == "later":
            await turn_context.send_activity("Ik stuur u zo een bericht.")
            reference = TurnContext.get_conversation_reference(activity)
            task = asyncio.create_task(self._proactive(reference))
            self.background.add(task)
            task.add_done_callback(self.background.discard)
        else:
            await turn_context.send_activities(
                [MessageFactory.text(f"echo: {activity.text}"), MessageFactory.text("nog iets?")]
            )

    async def _proactive(self, reference: ConversationReference) -> None:
        assert self.adapter is not None

        async def say(turn_context: TurnContext) -> None:
            await turn_context.send_activity("Een bericht buiten de beurt om.")

        await self.adapter.continue_conversation(reference, say, bot_app_id="")


@dataclass
class RunningBot:
    bot: EchoBot
    endpoint: str


@pytest.fixture
async def echo_bot() -> AsyncIterator[RunningBot]:
    # no app id: local ("anonymous") mode, as the Playground sends no token
    config = SimpleNamespace(APP_ID="", APP_PASSWORD="", APP_TYPE="MultiTenant", APP_TENANTID="")
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(config))
    bot = EchoBot(adapter=adapter)

    async def on_error(turn_context: TurnContext, error: Exception) -> None:
        raise error  # let the adapter answer HTTP 500, so the harness sees a failed turn

    adapter.on_turn_error = on_error

    async def messages(request: web.Request) -> web.StreamResponse:
        return await adapter.process(request, bot)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield RunningBot(bot, f"http://127.0.0.1:{port}/api/messages")
    finally:
        for task in list(bot.background):
            task.cancel()
        await runner.cleanup()


@pytest.fixture
async def playground(echo_bot: RunningBot) -> AsyncIterator[Playground]:
    try:
        async with Playground(echo_bot.endpoint) as running:
            yield running
    except PlaygroundUnavailable as exc:
        skip_or_fail(str(exc))


def texts(replies: list[dict[str, Any]]) -> list[str]:
    return [reply["text"] for reply in replies if reply["text"]]


async def test_participant_installs_answers_the_card_and_gets_thanked(
    playground: Playground, echo_bot: RunningBot
) -> None:
    await playground.install()
    welcome = await playground.replies()
    assert texts(welcome) == ["Welkom bij de dialoog."]
    (card,) = adaptive_cards(welcome)
    assert card["actions"][0]["data"] == {"vraag": "v1"}

    await playground.submit_card({"vraag": "v1", "antwoord": "Samen inkopen werkt goed."})
    thanks = await playground.replies()
    assert texts(thanks) == ["Dank u wel. Uw antwoord op v1: Samen inkopen werkt goed."]

    submit = echo_bot.bot.received[-1]
    assert submit.type == ActivityTypes.message
    assert submit.value == {"vraag": "v1", "antwoord": "Samen inkopen werkt goed."}
    assert submit.reply_to_id == welcome[-1]["id"]


async def test_text_turn_returns_every_reply_in_order(playground: Playground) -> None:
    await playground.send_text("hallo")
    assert texts(await playground.replies()) == ["echo: hallo", "nog iets?"]
    assert await playground.replies() == []  # nothing new since


async def test_activities_look_like_teams_personal_chat(
    playground: Playground, echo_bot: RunningBot
) -> None:
    await playground.install()
    await playground.replies()
    await playground.send_text("hoi")
    await playground.replies()

    kinds = {activity.type for activity in echo_bot.bot.received}
    assert kinds == {
        ActivityTypes.installation_update,
        ActivityTypes.conversation_update,
        ActivityTypes.message,
    }
    for activity in echo_bot.bot.received:
        assert activity.channel_id == "msteams"
        assert activity.service_url == playground.service_url
        assert activity.conversation.id == playground.conversation_id
        assert activity.conversation.conversation_type == "personal"
        assert activity.from_property.id == playground.user_id
    update = next(a for a in echo_bot.bot.received if a.type == ActivityTypes.conversation_update)
    assert [m.id for m in update.members_added] == [playground.user_id, playground.identity.bot_id]
    message = echo_bot.bot.received[-1]
    assert message.text == "hoi"
    assert isinstance(message.from_property, ChannelAccount)
    assert message.from_property.aad_object_id == playground.identity.user_aad_object_id


async def test_proactive_message_arrives_outside_the_turn(playground: Playground) -> None:
    await playground.send_text("later")
    first = texts(await playground.replies())
    if first == ["Ik stuur u zo een bericht."]:
        later = await playground.replies(at_least=1)
    else:  # the proactive message may already have come in with the turn's replies
        later = []
    assert first + texts(later) == ["Ik stuur u zo een bericht.", "Een bericht buiten de beurt om."]


async def test_a_failing_turn_fails_loudly(playground: Playground) -> None:
    await playground.send_text("boom")
    with pytest.raises(PlaygroundError, match="HTTP 500"):
        await playground.replies()
    await playground.send_text("weer goed")  # the harness keeps working after a failure
    assert texts(await playground.replies()) == ["echo: weer goed", "nog iets?"]


async def test_fixed_conversation_id(echo_bot: RunningBot) -> None:
    try:
        async with Playground(echo_bot.endpoint, conversation_id="a:dialoog-e2e") as running:
            assert running.conversation_id == "a:dialoog-e2e"
            await running.send_text("vast")
            assert texts(await running.replies()) == ["echo: vast", "nog iets?"]
            assert echo_bot.bot.received[-1].conversation.id == "a:dialoog-e2e"
    except PlaygroundUnavailable as exc:
        skip_or_fail(str(exc))


async def test_configured_participant_is_who_the_bot_sees(echo_bot: RunningBot) -> None:
    user = PlaygroundUser(
        id="29:griffier-test",
        name="Anna de Vries",
        email="a.devries@gemeente-voorbeeld.nl",
        aad_object_id="6b1f0c3e-2d4a-4f7b-9c1e-8a2b3c4d5e6f",
    )
    config = personal_chat_config(user, conversation_id="a:persoonlijk")
    try:
        async with Playground(echo_bot.endpoint, config_yaml=config) as running:
            assert running.conversation_id == "a:persoonlijk"
            assert running.user_id == "29:griffier-test"
            await running.send_text("wie ben ik")
            assert texts(await running.replies()) == [
                "Anna de Vries <a.devries@gemeente-voorbeeld.nl>"
            ]
    except PlaygroundUnavailable as exc:
        skip_or_fail(str(exc))
    message = echo_bot.bot.received[-1]
    assert message.from_property.name == "Anna de Vries"
    assert message.from_property.aad_object_id == user.aad_object_id
