"""Adaptive Cards (1.5) for theme curation and the priorities: pure functions.

The themes card lists each theme (number, label, size, its representative contributions with
their codes) with an ``Action.ShowCard`` ("Aanpassen") per theme holding its actions: rename
(a text field), merge into another theme (a choice set), drop. At the bottom: recompute and
publish. Every button sends the command a facilitator could type (:func:`theme_command` turns the
submit data back into it), so the same rights check, audit and refusals apply.
"""

from __future__ import annotations

from typing import Any

from bot.teams.cards import CARD_VERSION
from dialogen.facilitation import theme_messages as tmsg
from dialogen.facilitation.theme_desk import PrioritiesView
from dialogen.facilitation.themes import ThemeView, overig_count, view_text

THEME_MARKER = "thema"
"""Key in a themes card's submit data; its value names the action."""
LABEL_INPUT = "thema_naam"
TARGET_INPUT = "thema_doel"


def themes_card(view: ThemeView) -> dict[str, Any]:
    themes = view.curated.themes
    body: list[dict[str, Any]] = [_text(tmsg.THEMES_TITLE, weight="Bolder", size="Medium")]
    for number, theme in enumerate(themes, start=1):
        body.append(
            _text(tmsg.theme_line(number, theme.label, len(theme.members)), weight="Bolder")
        )
        for member in theme.representative:
            if member in view.texts:
                body.append(
                    _text(
                        f"[{view.code(member)}] {view.texts[member]}", isSubtle=True, size="Small"
                    )
                )
        others = [
            {"title": f"{n}. {other.label}", "value": str(n)}
            for n, other in enumerate(themes, start=1)
            if n != number
        ]
        inner: list[dict[str, Any]] = [
            {
                "type": "Input.Text",
                "id": f"{LABEL_INPUT}_{number}",
                "label": "Nieuwe naam",
                "value": theme.label,
                "maxLength": 200,
            },
        ]
        if others:
            inner.append(
                {
                    "type": "Input.ChoiceSet",
                    "id": f"{TARGET_INPUT}_{number}",
                    "label": "Samenvoegen met",
                    "choices": others,
                    "style": "compact",
                }
            )
        sub_actions = [
            _submit("Naam opslaan", "hernoem", number),
            *([_submit("Samenvoegen", "voeg", number)] if others else []),
            _submit("Niet aanbieden", "schrap", number),
        ]
        body.append(
            {
                "type": "ActionSet",
                "actions": [
                    {
                        "type": "Action.ShowCard",
                        "title": "Aanpassen",
                        "card": {"type": "AdaptiveCard", "body": inner, "actions": sub_actions},
                    }
                ],
            }
        )
    if view.curated.overig:
        body.append(_text(f"{tmsg.OVERIG}: {overig_count(view)}", isSubtle=True))
    body.append(
        _text(
            tmsg.published_at(view.published_on) if view.published_on else tmsg.not_published_yet(),
            isSubtle=True,
            size="Small",
        )
    )
    body.append(
        {
            "type": "ActionSet",
            "actions": [
                _submit("Opnieuw berekenen", "bereken", 0),
                _submit("Publiceren", "publiceer", 0),
            ],
        }
    )
    body.append(_text(tmsg.THEMES_HELP, isSubtle=True, size="Small"))
    return _card(body, fallback=view_text(view))


def priorities_card(view: PrioritiesView) -> dict[str, Any]:
    """The priorities as text blocks, one per line (the figures are the same as typed)."""
    lines = view.text.split("\n")
    return _card(
        [
            _text(line, **({"weight": "Bolder"} if line.startswith("**") else {}))
            for line in lines
            if line
        ],
        fallback=view.text,
    )


def theme_command(data: dict[str, Any]) -> str | None:
    """The typed command a themes card's button stands for (None: not such a card)."""
    action, number = data.get(THEME_MARKER), data.get("nummer")
    if not isinstance(action, str):
        return None
    if action in ("bereken", "publiceer"):
        return f"thema's {action}"
    if not isinstance(number, int | str) or not str(number).isdigit():
        return None
    if action == "hernoem":
        label = " ".join(str(data.get(f"{LABEL_INPUT}_{number}") or "").split())
        return f"thema hernoem {number} {label}" if label else "thema's help"
    if action == "voeg":
        target = str(data.get(f"{TARGET_INPUT}_{number}") or "").strip()
        return f"thema voeg {number} bij {target}" if target.isdigit() else "thema's help"
    if action == "schrap":
        return f"thema schrap {number}"
    return None


def _submit(title: str, action: str, number: int) -> dict[str, Any]:
    data: dict[str, Any] = {THEME_MARKER: action}
    if number:
        data["nummer"] = number
    return {"type": "Action.Submit", "title": title, "data": data}


def _card(body: list[dict[str, Any]], *, fallback: str) -> dict[str, Any]:
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "fallbackText": fallback,
        "body": body,
    }


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}
