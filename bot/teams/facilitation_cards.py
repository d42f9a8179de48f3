"""Adaptive Cards (1.5) for facilitators: the participation table and the broadcast preview with
"Bevestigen" / "Annuleren". Each card has a text fallback. Pure functions."""

from __future__ import annotations

from typing import Any

from bot.teams.cards import CARD_VERSION, prompt_text
from dialogen.conversation.replies import Prompt, Reply, Say
from dialogen.facilitation import messages as fmsg
from dialogen.facilitation.actions import ConfirmationRequest
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
                report.invited, report.reachable_in_teams, report.consented, report.opted_out
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
