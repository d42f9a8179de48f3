"""Adaptive Cards (schema 1.5, the newest Teams renders) for prompts, each with a text fallback."""

from __future__ import annotations

from typing import Any

from bot.teams import messages as teams_msg
from dialogen.conversation.messages import lettered
from dialogen.conversation.replies import Prompt, PromptKind

CARD_VERSION = "1.5"
SUBMIT_MARKER = "dialoog"
"""Key in a card's submit data that names the prompt (``Prompt.input_id``) it answers."""

MAX_BUTTONS = 6
"""Up to this many single choices are buttons; more (or multiple choice) become a choice set."""
NOTE_INPUT = "aanvulling"
"""Id of the optional text field on a reaction card; its text is sent along with the button."""
ITEM_KEY = "item"
"""Key in a reaction card's submit data: the contribution it was about."""
RANK_INPUT = "rang"
"""Ids of a ranking card's choice sets: ``rang1`` for the 1st place, ``rang2`` for the 2nd, …"""
POINTS_INPUT = "punten:"
"""Ids of a points card's number fields: ``punten:<option value>``."""


def prompt_text(prompt: Prompt) -> str:
    """The prompt as plain text: the fallback for clients without cards, and open questions."""
    lines: list[str] = []
    if prompt.progress:
        lines.append(f"_{prompt.progress}_")
    if prompt.quote:
        lines.append("> " + prompt.quote.replace("\n", "\n> "))
    lines.append(f"**{prompt.text}**")
    if prompt.current:
        lines.append(f"{teams_msg.EARLIER_ANSWER}: {prompt.current}")
    if prompt.kind is PromptKind.REACTION:
        lines.append(" · ".join(c.label for c in (*prompt.choices, *prompt.actions)))
    elif prompt.kind in (PromptKind.RANKING, PromptKind.POINTS):  # typed with letters: "C, A, F"
        lines += lettered([choice.label for choice in prompt.choices])
    elif prompt.choices and prompt.kind is not PromptKind.SCALE:
        lines += [f"{n}. {choice.label}" for n, choice in enumerate(prompt.choices, start=1)]
    if prompt.hint:
        lines.append(prompt.hint)
    return "\n\n".join(lines)


def prompt_card(prompt: Prompt) -> dict[str, Any]:
    if prompt.kind is PromptKind.REACTION:
        return reaction_card(prompt)
    if prompt.kind is PromptKind.RANKING:
        return ranking_card(prompt)
    if prompt.kind is PromptKind.POINTS:
        return points_card(prompt)
    body = _heading(prompt)
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "fallbackText": prompt_text(prompt),
        "body": body,
    }
    multiple = prompt.kind is PromptKind.MULTIPLE
    if not multiple and len(prompt.choices) <= MAX_BUTTONS:
        card["actions"] = [
            {
                "type": "Action.Submit",
                "title": choice.label,
                "data": {SUBMIT_MARKER: prompt.input_id, "value": choice.value},
            }
            for choice in prompt.choices
        ]
        if prompt.kind is PromptKind.SCALE:
            body.append({"type": "ActionSet", "actions": card.pop("actions")})
        return card
    body.append(
        {
            "type": "Input.ChoiceSet",
            "id": "keuze",
            "style": "expanded",
            "isMultiSelect": multiple,
            "wrap": True,
            "choices": [{"title": c.label, "value": c.value} for c in prompt.choices],
        }
    )
    card["actions"] = [
        {
            "type": "Action.Submit",
            "title": teams_msg.SEND,
            "data": {SUBMIT_MARKER: prompt.input_id, "multi": multiple},
        }
    ]
    return card


def _heading(prompt: Prompt) -> list[dict[str, Any]]:
    """Progress, the question, the earlier answer and the hint: the top of a question's card."""
    body: list[dict[str, Any]] = []
    if prompt.progress:
        body.append(
            {"type": "TextBlock", "text": prompt.progress, "isSubtle": True, "size": "Small"}
        )
    body.append({"type": "TextBlock", "text": prompt.text, "wrap": True, "weight": "Bolder"})
    if prompt.current:
        body.append(
            {
                "type": "TextBlock",
                "text": f"{teams_msg.EARLIER_ANSWER}: {prompt.current}",
                "wrap": True,
                "isSubtle": True,
            }
        )
    if prompt.hint:
        body.append(
            {
                "type": "TextBlock",
                "text": prompt.hint,
                "wrap": True,
                "isSubtle": True,
                "size": "Small",
            }
        )
    return body


def _with_send(prompt: Prompt, body: list[dict[str, Any]]) -> dict[str, Any]:
    """A card of ``body`` with one "Versturen" that names the prompt; inputs travel along."""
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "fallbackText": prompt_text(prompt),
        "body": body,
        "actions": [
            {
                "type": "Action.Submit",
                "title": teams_msg.SEND,
                "data": {SUBMIT_MARKER: prompt.input_id},
            }
        ],
    }


def ranking_card(prompt: Prompt) -> dict[str, Any]:
    """One compact choice set per place ("1e keuze", "2e keuze", …), each offering every option
    with its letter. Adaptive Cards 1.5 has no drag and drop; the engine refuses an option chosen
    twice or a place left open, and says why."""
    body = _heading(prompt)
    titles = lettered([c.label for c in prompt.choices])
    options = [{"title": t, "value": c.value} for t, c in zip(titles, prompt.choices, strict=True)]
    for place in range(1, prompt.max_picks + 1):
        body.append(
            {
                "type": "Input.ChoiceSet",
                "id": f"{RANK_INPUT}{place}",
                "label": teams_msg.place_label(place),
                "style": "compact",
                "isMultiSelect": False,
                "placeholder": teams_msg.CHOOSE_PLACEHOLDER,
                "wrap": True,
                "choices": options,
            }
        )
    return _with_send(prompt, body)


def points_card(prompt: Prompt) -> dict[str, Any]:
    """A whole-number field per option (0 to the total) and the rule stated above them: a card
    cannot keep a running total in 1.5 (that needs Action.Execute), so the engine checks it."""
    total = prompt.total or 0
    body = _heading(prompt)
    body.append({"type": "TextBlock", "text": teams_msg.points_rule(total), "wrap": True})
    titles = lettered([c.label for c in prompt.choices])
    for title, choice in zip(titles, prompt.choices, strict=True):
        body.append(
            {
                "type": "Input.Number",
                "id": f"{POINTS_INPUT}{choice.value}",
                "label": title,
                "min": 0,
                "max": total,
                "placeholder": "0",
            }
        )
    return _with_send(prompt, body)


def reaction_card(prompt: Prompt) -> dict[str, Any]:
    """A contribution to react to: the text quoted, eens / oneens / pas, an optional addition,
    and "Melden". Every button carries the contribution's id, so a click on an old card is
    recognised."""
    body: list[dict[str, Any]] = []
    if prompt.progress:
        body.append(
            {"type": "TextBlock", "text": prompt.progress, "isSubtle": True, "size": "Small"}
        )
    body.append(
        {
            "type": "Container",
            "style": "emphasis",
            "items": [{"type": "TextBlock", "text": prompt.quote or "", "wrap": True}],
        }
    )
    body.append({"type": "TextBlock", "text": prompt.text, "wrap": True, "weight": "Bolder"})
    if prompt.note:
        body.append(
            {
                "type": "Input.Text",
                "id": NOTE_INPUT,
                "label": prompt.note,
                "isMultiline": True,
                "maxLength": 1500,
            }
        )

    def submit(choice_value: str, title: str, **extra: Any) -> dict[str, Any]:
        data = {SUBMIT_MARKER: prompt.input_id, "value": choice_value, ITEM_KEY: prompt.item}
        return {"type": "Action.Submit", "title": title, "data": data, **extra}

    body.append(
        {"type": "ActionSet", "actions": [submit(c.value, c.label) for c in prompt.choices]}
    )
    actions = [submit(c.value, c.label, associatedInputs="none") for c in prompt.actions]
    if prompt.hint:
        body.append(
            {
                "type": "TextBlock",
                "text": prompt.hint,
                "wrap": True,
                "isSubtle": True,
                "size": "Small",
            }
        )
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "fallbackText": prompt_text(prompt),
        "body": body,
        "actions": actions,
    }
