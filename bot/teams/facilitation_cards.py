"""Adaptive Cards (1.5) for facilitators: the participation table and the broadcast preview with
"Bevestigen" / "Annuleren". Each card has a text fallback. Pure functions."""

from __future__ import annotations

from typing import Any

from bot.teams.cards import CARD_VERSION, prompt_text
from dialogen.conversation.replies import Prompt, Reply, Say
from dialogen.facilitation import messages as fmsg
from dialogen.facilitation.actions import ConfirmationRequest
from dialogen.facilitation.moderation import ModerationQueue, QueueItem, queue_text
from dialogen.participation.figures import ParticipationReport
from dialogen.participation.figures_text import render_text, with_share

FACILITATOR_MARKER = "begeleider"
"""Key in a facilitator card's submit data; its value is ``bevestigen`` or ``annuleren``."""
CONFIRM_VALUE = "bevestigen"
CANCEL_VALUE = "annuleren"


def participation_card(report: ParticipationReport) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        _text(fmsg.STATS_TITLE, weight="Bolder", size="Medium"),
        _text(
            fmsg.stats_totals(
                report.invited,
                report.reachable_in_teams,
                report.reached_by_mail,
                report.consented,
                report.opted_out,
            )
        ),
    ]
    if report.steps:
        body.append(_text(fmsg.STATS_STEPS, weight="Bolder"))
        body.append(
            _table(
                (fmsg.COL_STEP, fmsg.COL_STARTED, fmsg.COL_COMPLETED),
                [
                    (
                        s.step,
                        with_share(s.started, s.started_share),
                        with_share(s.completed, s.completed_share),
                    )
                    for s in report.steps
                ],
            )
        )
    if report.focus_step:
        body.append(_text(fmsg.stats_groups_for(report.focus_step), weight="Bolder"))
        for group in report.groups:
            body.append(
                _table(
                    (group.title, fmsg.COL_INVITED, fmsg.COL_STARTED, fmsg.COL_COMPLETED),
                    [(g.group, g.invited, g.started, g.completed) for g in group.lines],
                )
            )
    body.append(_text(fmsg.stats_small_groups(report.k), isSubtle=True, size="Small"))
    return _card(body, fallback=render_text(report))


def confirmation_card(request: ConfirmationRequest) -> dict[str, Any]:
    preview = [_text(_reply_text(reply)) for reply in request.preview]
    body: list[dict[str, Any]] = [
        _text(request.title, weight="Bolder", size="Medium"),
        {"type": "Container", "style": "emphasis", "items": preview or [_text("–")]},
        _text(request.summary, weight="Bolder"),
        _text(request.hint, isSubtle=True, size="Small"),
    ]
    card = _card(body, fallback=confirmation_text(request))
    card["actions"] = [
        {
            "type": "Action.Submit",
            "title": fmsg.CONFIRM,
            "style": "positive",
            "data": {FACILITATOR_MARKER: CONFIRM_VALUE, "token": request.token},
        },
        {
            "type": "Action.Submit",
            "title": fmsg.CANCEL,
            "data": {FACILITATOR_MARKER: CANCEL_VALUE, "token": request.token},
        },
    ]
    return card


def confirmation_text(request: ConfirmationRequest) -> str:
    parts = [
        f"**{request.title}**",
        *(_reply_text(r) for r in request.preview),
        request.summary,
        request.hint,
    ]
    return "\n\n".join(parts)


def _reply_text(reply: Reply) -> str:
    if isinstance(reply, Prompt):
        return prompt_text(reply)
    return reply.text if isinstance(reply, Say) else ""


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


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> dict[str, Any]:
    def row(cells: tuple[str, ...], *, bold: bool = False) -> dict[str, Any]:
        return {
            "type": "TableRow",
            "cells": [
                {"type": "TableCell", "items": [_text(c, **({"weight": "Bolder"} if bold else {}))]}
                for c in cells
            ],
        }

    return {
        "type": "Table",
        "firstRowAsHeader": True,
        "showGridLines": False,
        "columns": [{"width": 3}] + [{"width": 2} for _ in header[1:]],
        "rows": [row(header, bold=True), *(row(r) for r in rows)],
    }


MODERATION_MARKER = "moderatie"
"""Key in a moderation card's submit data; its value is the command (goedkeuren, verbergen, ...)."""
REASON_INPUT = "reden"
FRAGMENT_INPUT = "afscherming"


def moderation_cards(queue: ModerationQueue) -> list[dict[str, Any]]:
    """A card per contribution that waits: its text, what was masked, and the three actions.
    Each button sends the same command a facilitator could type."""
    intro = _card(
        [
            _text(fmsg.MODERATION_TITLE, weight="Bolder", size="Medium"),
            _text(fmsg.moderation_count(len(queue.items), queue.total)),
        ],
        fallback=queue_text(queue),
    )
    return [intro, *(_moderation_card(item) for item in queue.items)]


def _moderation_card(item: QueueItem) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        _text(
            fmsg.moderation_item_heading(item.code, item.step, item.state, item.reports),
            weight="Bolder",
        ),
        {"type": "Container", "style": "emphasis", "items": [_text(item.text)]},
        *(
            _text(
                fmsg.moderation_part(p.number, p.category, p.original), isSubtle=True, size="Small"
            )
            for p in item.parts
        ),
        {"type": "Input.Text", "id": REASON_INPUT, "label": fmsg.MODERATION_REASON_LABEL},
        {"type": "Input.Text", "id": FRAGMENT_INPUT, "label": fmsg.MODERATION_MASK_LABEL},
    ]
    card = _card(body, fallback=queue_text(ModerationQueue((item,), 1)))

    def action(title: str, command: str, inputs: str) -> dict[str, Any]:
        return {
            "type": "Action.Submit",
            "title": title,
            "associatedInputs": inputs,
            "data": {MODERATION_MARKER: command, "code": item.code},
        }

    card["actions"] = [
        action(fmsg.MODERATION_APPROVE, "goedkeuren", "none"),
        action(fmsg.MODERATION_HIDE, "verbergen", "auto"),
        action(fmsg.MODERATION_MASK, "afschermen", "auto"),
    ]
    return card


def moderation_command(data: dict[str, Any]) -> str | None:
    """The typed command a moderation card's button stands for (None: not such a card)."""
    command, code = data.get(MODERATION_MARKER), data.get("code")
    if not isinstance(command, str) or not isinstance(code, str):
        return None
    if command == "verbergen":
        return f"verbergen {code} {str(data.get(REASON_INPUT) or '').strip()}".strip()
    if command == "afschermen":
        fragment = str(data.get(FRAGMENT_INPUT) or "").strip()
        return f"toon {code} {fragment}" if fragment.isdigit() else f"maskeer {code} {fragment}"
    return f"{command} {code}"
