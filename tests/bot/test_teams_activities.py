"""Translation between Teams activities and domain events, and domain replies to activities.
Pure functions: real-shaped activities in, values out."""

from __future__ import annotations

from typing import Any

import pytest
from botbuilder.schema import Activity, ActivityTypes, TextFormatTypes

from bot.teams import messages as teams_msg
from bot.teams.activities import Ignored, TeamsEvent, identity_of, to_activities, to_event
from bot.teams.cards import prompt_text
from dialogen.conversation.inputs import Install, Submit, Text
from dialogen.conversation.replies import Choice, Prompt, PromptKind, Say
from dialogen.door.events import InboundEvent, ReferenceSeen
from tests.support import activities as act

URL = "https://smba.trafficmanager.net/emea/"
REFERENCE = {"conversation": {"id": "a:1personal-anna"}}


def inbound(activity: dict[str, Any]) -> TeamsEvent | Ignored:
    return to_event(Activity().deserialize(activity), REFERENCE)


def message(text: str, **fields: Any) -> dict[str, Any]:
    activity = act.message(URL, "anna", text)
    activity.update(fields)
    return activity


# ---------------------------------------------------------------- who


def test_identity_comes_from_the_sender_and_the_tenant():
    activity = act.message(URL, "anna", "ja")
    identity = identity_of(Activity().deserialize(activity))
    assert identity.channel == "teams"
    assert identity.teams_user_id == activity["from"]["id"]
    assert identity.aad_object_id == activity["from"]["aadObjectId"]
    assert identity.tenant_id == act.TENANT
    assert identity.name == "Test anna"


def test_without_channel_data_the_tenant_comes_from_the_conversation():
    activity = act.message(URL, "anna", "ja")
    activity["channelData"] = {}
    assert identity_of(Activity().deserialize(activity)).tenant_id == act.TENANT


def test_a_sender_without_object_id_still_has_a_teams_id():
    activity = act.message(URL, "anna", "ja")
    del activity["from"]["aadObjectId"]
    identity = identity_of(Activity().deserialize(activity))
    assert identity.aad_object_id is None and identity.teams_user_id == activity["from"]["id"]


# ---------------------------------------------------------------- messages


def test_a_message_is_text_with_its_conversation_and_activity_id_and_the_reference():
    activity = message("Den Haag")
    event = inbound(activity)
    assert isinstance(event, InboundEvent)
    assert event.message == Text("Den Haag")
    # activity ids are unique per conversation only
    assert event.event_id == f"{activity['conversation']['id']}\x00{activity['id']}"
    assert event.reference == REFERENCE


@pytest.mark.parametrize(
    "raw, seen",
    [
        ("<at>Dialoogbot</at> ja", "ja"),
        ("<p>Meer <b>grip</b> voor de raad</p>", "Meer grip voor de raad"),
        ("3 < 5 en 7 > 2", "3 < 5 en 7 > 2"),  # no tags: nothing stripped
        ("gemeenten <10.000 inwoners", "gemeenten <10.000 inwoners"),
        (
            "zie <bijlage> en <data>",
            "zie <bijlage> en <data>",
        ),  # typed brackets are the participant's text
        ("<div>Meer<br/>grip</div>", "Meergrip"),
    ],
)
def test_mentions_and_markup_are_removed(raw: str, seen: str):
    event = inbound(message(raw))
    assert isinstance(event, InboundEvent) and isinstance(event.message, Text)
    assert event.message.text.strip() == seen


def test_xml_formatted_text_loses_its_tags_and_entities():
    event = inbound(message("<div>Utrecht &amp; Amersfoort &lt;regio&gt;</div>", textFormat="xml"))
    assert event.message == Text("Utrecht & Amersfoort <regio>")


def test_an_attachment_without_text_gets_a_friendly_reply():
    result = inbound(
        message("", attachments=[{"contentType": "image/png", "contentUrl": "https://x/y.png"}])
    )
    assert result == Ignored("attachment only", teams_msg.ATTACHMENTS_NOT_READ)


def test_the_html_copy_teams_attaches_to_formatted_text_is_not_an_attachment():
    html = {"contentType": "text/html", "content": "<p>ja</p>"}
    assert inbound(message("ja", attachments=[html])).message == Text("ja")
    assert inbound(message("", attachments=[html])).message == Text("")  # empty: the engine says so


# ---------------------------------------------------------------- card submits


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"dialoog": "consent", "value": "ja"}, Submit("consent", "ja")),
        ({"dialoog": "role", "multi": False, "keuze": "griffier"}, Submit("role", "griffier")),
        (
            {"dialoog": "q:verkennen:themas", "multi": True, "keuze": "a,b"},
            Submit("q:verkennen:themas", ["a", "b"]),
        ),
        (
            {"dialoog": "q:verkennen:themas", "multi": True, "keuze": "a"},
            Submit("q:verkennen:themas", ["a"]),
        ),
        ({"dialoog": "q:verkennen:waardering", "value": 4}, Submit("q:verkennen:waardering", "4")),
    ],
)
def test_a_card_submit_is_a_submit_for_the_prompt_it_answers(
    data: dict[str, Any], expected: Submit
):
    event = inbound(act.card_submit(URL, "anna", data))
    assert isinstance(event, InboundEvent) and event.message == expected


@pytest.mark.parametrize(
    "data",
    [
        {"dialoog": "role", "multi": False},
        {"dialoog": "role", "multi": False, "keuze": ""},
        {"dialoog": "consent", "value": ""},
        {"dialoog": "consent", "value": None},
    ],
)
def test_a_submit_without_a_choice_asks_to_choose(data: dict[str, Any]):
    assert inbound(act.card_submit(URL, "anna", data)) == Ignored(
        "card submit without a value", teams_msg.CARD_WITHOUT_CHOICE
    )


def test_a_value_that_is_not_ours_is_read_as_text():
    event = inbound(message("ja", value={"somethingElse": 1}))
    assert event.message == Text("ja")


# ---------------------------------------------------------------- install and the rest


@pytest.mark.parametrize("action", ["add", "add-upgrade"])
def test_installing_the_app_is_an_install(action: str):
    event = inbound(act.installation_update(URL, "anna", action))
    assert isinstance(event, InboundEvent) and event.message == Install()


def test_uninstalling_is_ignored():
    assert inbound(act.installation_update(URL, "anna", "remove")) == Ignored(
        "installationUpdate:remove"
    )


def test_the_bot_being_added_only_stores_the_reference_since_installation_update_greets():
    event = inbound(act.conversation_update(URL, "anna"))
    assert isinstance(event, ReferenceSeen) and event.reference == REFERENCE


def test_someone_else_being_added_is_ignored():
    activity = act.conversation_update(URL, "anna")
    activity["membersAdded"] = [{"id": "29:someone-else"}]
    assert isinstance(inbound(activity), Ignored)


@pytest.mark.parametrize(
    "kind",
    [
        ActivityTypes.message_update,
        ActivityTypes.message_reaction,
        ActivityTypes.typing,
        ActivityTypes.event,
        ActivityTypes.message_delete,
        "somethingNew",
    ],
)
def test_other_activity_types_are_ignored_without_a_reply(kind: str):
    assert inbound(message("x", type=kind)) == Ignored(f"activity type {kind}")


def test_the_bots_own_message_and_a_message_without_sender_are_ignored():
    own = message("hallo", **{"from": {"id": act.BOT_ID}})
    assert inbound(own) == Ignored("own message")
    anonymous = message("hallo")
    del anonymous["from"]
    assert inbound(anonymous) == Ignored("activity without sender")


# ---------------------------------------------------------------- replies


def test_a_say_is_a_markdown_message():
    (activity,) = to_activities((Say("**Welkom**"),))
    assert activity.type == ActivityTypes.message
    assert activity.text == "**Welkom**" and activity.text_format == TextFormatTypes.markdown


def test_an_open_question_is_plain_text_and_a_choice_question_is_a_card_with_a_summary():
    open_prompt = Prompt(
        "q:verkennen:beeld", PromptKind.OPEN, "Welk beeld?", hint="Typ uw antwoord."
    )
    choice_prompt = Prompt(
        "consent", PromptKind.SINGLE, "Doet u mee?", (Choice("ja", "Ja"), Choice("nee", "Nee"))
    )
    text, card = to_activities((open_prompt, choice_prompt))
    assert text.text == prompt_text(open_prompt) and not text.attachments
    assert card.attachments[0].content_type == "application/vnd.microsoft.card.adaptive"
    assert card.summary == "Doet u mee?"  # what the notification and the chat list show


def test_replies_keep_their_order():
    replies = (Say("een"), Say("twee"), Prompt("q:s:q", PromptKind.OPEN, "drie"))
    assert [a.text.split("\n")[-1].strip("*") for a in to_activities(replies)] == [
        "een",
        "twee",
        "drie",
    ]
