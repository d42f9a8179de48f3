"""Translation between Bot Framework activities and domain events — small pure functions.

``to_event`` says what an incoming activity means for the domain (or why it is ignored);
``to_activities`` renders the door's replies — a participant's and a facilitator's — as activities.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity, ActivityTypes, TextFormatTypes

from bot.teams import messages as teams_msg
from bot.teams.activity_fields import clean, clean_document, event_id, identity_of, user_id
from bot.teams.cards import (
    ITEM_KEY,
    NOTE_INPUT,
    POINTS_INPUT,
    RANK_INPUT,
    SUBMIT_MARKER,
    prompt_card,
    prompt_text,
)
from bot.teams.facilitation_cards import (
    CONFIRM_VALUE,
    FACILITATOR_MARKER,
    MODERATION_MARKER,
    confirmation_card,
    moderation_cards,
    moderation_command,
    participation_card,
)
from bot.teams.theme_cards import THEME_MARKER, priorities_card, theme_command, themes_card
from dialogen.conversation.inputs import Install, Submit, Text
from dialogen.conversation.replies import Prompt, PromptKind, Reply, Say
from dialogen.door.events import FacilitatorDecision, Identity, InboundEvent, ReferenceSeen
from dialogen.facilitation import messages as fmsg
from dialogen.facilitation import theme_messages as tmsg
from dialogen.facilitation.actions import ConfirmationRequest, FacilitatorReply, ParticipationView
from dialogen.facilitation.moderation import ModerationQueue
from dialogen.facilitation.theme_desk import PrioritiesView
from dialogen.facilitation.themes import ThemeView

TeamsEvent = InboundEvent | ReferenceSeen | FacilitatorDecision

_MENTION = re.compile(r"<at>[^<]*</at>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_FORMATTING = re.compile(
    r"</?(?:p|div|span|br|b|i|u|s|em|strong|a|ul|ol|li|blockquote|pre|code|h[1-6])\b[^<>]*>",
    re.IGNORECASE,
)
"""HTML formatting tags. Teams sends what a participant typed as plain text, angle brackets
included ("gemeenten <10.000 inwoners"), so only these are removed from plain text."""


@dataclass(frozen=True)
class Ignored:
    """An activity the bot does not act on; ``reason`` is for the log, ``reply`` for the user."""

    reason: str
    reply: str | None = None


def to_event(activity: Activity, reference: dict[str, Any]) -> TeamsEvent | Ignored:
    """What this activity means for the domain."""
    sender = user_id(activity)
    if sender is None:
        return Ignored("activity without sender")
    if activity.recipient is not None and sender == getattr(activity.recipient, "id", None):
        return Ignored("own message")
    identity = identity_of(activity)
    reference = clean_document(reference)
    kind = activity.type
    if kind == ActivityTypes.message:
        return _message(activity, identity, reference)
    if kind == ActivityTypes.installation_update:
        if (activity.action or "").startswith("add"):
            return InboundEvent(identity, Install(), event_id(activity), reference)
        return Ignored(f"installationUpdate:{activity.action}")
    if kind == ActivityTypes.conversation_update:
        added = activity.members_added or []
        bot_added = any(m.id == getattr(activity.recipient, "id", None) for m in added)
        if bot_added or any(m.id == activity.from_property.id for m in added):
            # Teams also sends installationUpdate on install; that one greets, this one only
            # makes the participant reachable (greeting on both would greet twice).
            return ReferenceSeen(identity, reference)
        return Ignored("conversationUpdate without the bot being added")
    return Ignored(f"activity type {kind}")


def _message(
    activity: Activity, identity: Identity, reference: dict[str, Any]
) -> TeamsEvent | Ignored:
    value = clean_document(activity.value)
    if isinstance(value, dict) and MODERATION_MARKER in value:  # a moderation card's button
        command = moderation_command(value)
        if command is None:
            return Ignored("moderation card without a command")
        return InboundEvent(identity, Text(command), event_id(activity), reference)
    if isinstance(value, dict) and THEME_MARKER in value:  # a themes card's button
        typed = theme_command(value)
        if typed is None:
            return Ignored("themes card without a command")
        return InboundEvent(identity, Text(typed), event_id(activity), reference)
    if isinstance(value, dict) and FACILITATOR_MARKER in value:  # "Bevestigen" or "Annuleren"
        confirm = value.get(FACILITATOR_MARKER) == CONFIRM_VALUE
        return FacilitatorDecision(identity, str(value.get("token") or ""), confirm)
    if isinstance(value, dict) and value.get(SUBMIT_MARKER):
        submitted = _submitted_value(value)
        if submitted is None:
            return Ignored("card submit without a value", teams_msg.CARD_WITHOUT_CHOICE)
        item = value.get(ITEM_KEY)
        return InboundEvent(
            identity,
            Submit(
                str(value[SUBMIT_MARKER]),
                _with_note(submitted, value.get(NOTE_INPUT)),
                item=str(item) if isinstance(item, str | int) and str(item) else None,
            ),
            event_id(activity),
            reference,
        )
    text = _MENTION.sub("", clean(activity.text) or "")
    if activity.text_format == TextFormatTypes.xml:
        text = html.unescape(_TAG.sub("", text))
    elif "<" in text:
        text = _FORMATTING.sub("", text)
    files = [
        a
        for a in (activity.attachments or [])
        if not (a.content_type or "").startswith("text/html")
    ]
    if not text.strip() and files:
        return Ignored("attachment only", teams_msg.ATTACHMENTS_NOT_READ)
    return InboundEvent(identity, Text(text), event_id(activity), reference)


def _with_note(submitted: str | list[str], note: object) -> str | list[str]:
    """A reaction card's button with the text typed in its field: "oneens: <text>"."""
    if isinstance(submitted, str) and isinstance(note, str) and note.strip():
        return f"{submitted}: {note.strip()}"
    return submitted


def _submitted_value(value: dict[str, Any]) -> str | list[str] | None:
    """A choice button carries ``value``, a choice set ``keuze`` ("a,b" when multi-select), a
    ranking card one choice set per place (a list in place order), a points card a number per
    option (a list of ``value=n``)."""
    if "value" in value and value["value"] not in (None, ""):
        return str(value["value"])
    picked = value.get("keuze")
    if isinstance(picked, str) and picked:
        if value.get("multi"):
            return [p for p in picked.split(",") if p]
        return picked
    return _places(value) or _points(value)


def _places(value: dict[str, Any]) -> list[str] | None:
    """``rang1``, ``rang2``, …: the option per place; an empty place stays "" so the engine can
    say which one is open (places after the last one filled are dropped)."""
    found: dict[int, str] = {}
    for key, picked in value.items():
        place = (
            key[len(RANK_INPUT) :] if isinstance(key, str) and key.startswith(RANK_INPUT) else ""
        )
        if place.isdigit() and 1 <= int(place) <= 50:
            found[int(place)] = str(picked).strip() if isinstance(picked, str | int) else ""
    places = [found.get(n, "") for n in range(1, max(found, default=0) + 1)]
    while places and not places[-1]:
        places.pop()
    return places or None


def _points(value: dict[str, Any]) -> list[str] | None:
    """``punten:<option>`` fields as ``option=n``, an empty field as ``option=``."""
    given = [
        f"{key[len(POINTS_INPUT) :]}={'' if amount is None else str(amount).strip()}"
        for key, amount in value.items()
        if isinstance(key, str) and key.startswith(POINTS_INPUT) and len(key) > len(POINTS_INPUT)
    ]
    return given or None


def to_activities(replies: tuple[Reply | FacilitatorReply, ...]) -> list[Activity]:
    activities: list[Activity] = []
    for reply in replies:
        if isinstance(reply, Say):
            activities.append(_text(reply.text))
        elif isinstance(reply, Prompt):
            activities.append(_prompt(reply))
        elif isinstance(reply, ParticipationView):
            activities.append(_card(participation_card(reply.report), summary=fmsg.STATS_TITLE))
        elif isinstance(reply, ConfirmationRequest):
            activities.append(_card(confirmation_card(reply), summary=reply.title))
        elif isinstance(reply, ModerationQueue):
            activities += [
                _card(card, summary=fmsg.MODERATION_TITLE) for card in moderation_cards(reply)
            ]
        elif isinstance(reply, ThemeView):
            activities.append(_card(themes_card(reply), summary=tmsg.THEMES_TITLE))
        elif isinstance(reply, PrioritiesView):
            activities.append(_card(priorities_card(reply), summary=tmsg.PRIORITIES_TITLE))
    return activities


def _card(content: dict[str, Any], *, summary: str) -> Activity:
    activity = MessageFactory.attachment(CardFactory.adaptive_card(content))
    activity.summary = summary
    return activity


def _text(text: str) -> Activity:
    activity = MessageFactory.text(text)
    activity.text_format = TextFormatTypes.markdown
    return activity


def _prompt(prompt: Prompt) -> Activity:
    if prompt.kind is PromptKind.OPEN:
        return _text(prompt_text(prompt))
    return _card(prompt_card(prompt), summary=prompt.text)
