"""End to end through the Microsoft 365 Agents Playground (a Microsoft-built Teams simulator that
runs offline): a councillor installs the bot, consents, gives role and municipality and completes
the Verkennen step by typing and by clicking Adaptive Card choices."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from sqlmodel import select

from bot.settings import Settings
from dialogen.store.tables import AnswerRow
from tests.e2e.playground import Playground, PlaygroundUnavailable, adaptive_cards, skip_or_fail

pytestmark = pytest.mark.e2e


@pytest.fixture
async def bot_endpoint(sqlite_url: str, tmp_path, make_app) -> AsyncIterator[str]:
    settings = Settings(
        database_url=sqlite_url,
        demo_calendar=False,
        pseudonym_secret="9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e",
        pseudonym_secret_file=tmp_path / "secret",
    )
    runner = web.AppRunner(make_app(settings))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/api/messages"
    finally:
        await runner.cleanup()


@pytest.fixture
async def playground(bot_endpoint: str) -> AsyncIterator[Playground]:
    try:
        async with Playground(bot_endpoint) as running:
            yield running
    except PlaygroundUnavailable as exc:
        skip_or_fail(str(exc))


def said(replies: list[dict[str, Any]]) -> str:
    """Everything the participant sees: texts and the text blocks and buttons of cards."""
    parts = [r["text"] for r in replies if r.get("text")]
    for card in adaptive_cards(replies):
        parts += [b.get("text", "") for b in card.get("body", [])]
        parts += [a.get("title", "") for a in card.get("actions", [])]
    return "\n".join(parts)


def current_card(replies: list[dict[str, Any]]) -> dict[str, Any]:
    cards = adaptive_cards(replies)
    assert cards, f"expected a card, the bot said: {said(replies)!r}"
    return cards[-1]


def button(card: dict[str, Any], title_start: str) -> dict[str, Any]:
    for action in card.get("actions", []) + [
        a for b in card["body"] if b["type"] == "ActionSet" for a in b["actions"]
    ]:
        if action["title"].startswith(title_start):
            return action["data"]
    raise AssertionError(f"no button {title_start!r} on the card")


async def test_councillor_completes_verkennen_in_the_playground(
    playground: Playground, sqlite_database
) -> None:
    await playground.install()
    welcome = await playground.replies()
    assert "Uw privacy" in said(welcome)
    await playground.submit_card(button(current_card(welcome), "Ja, ik doe mee"))

    role = await playground.replies()
    assert "Wat is uw rol?" in said(role)
    card = current_card(role)
    await playground.submit_card({**card["actions"][0]["data"], "keuze": "raadslid"})

    assert "Bij welke gemeente" in said(await playground.replies())
    await playground.send_text("Den Haag")
    first = await playground.replies()
    assert "'s-Gravenhage" in said(first) and "Stap Verkennen" in said(first)
    assert "Vraag 1 van 7" in said(first)

    await playground.send_text("Veel samenwerking, maar de raad ziet te weinig van de besluiten.")
    scale = await playground.replies()
    await playground.submit_card(button(current_card(scale), "4"))

    themes = current_card(await playground.replies())
    await playground.submit_card(
        {**themes["actions"][0]["data"], "keuze": "democratische-legitimiteit,afstand-inwoner"}
    )

    obstacle = current_card(await playground.replies())
    await playground.submit_card(button(obstacle, "De raad heeft te weinig grip"))

    assert "Vraag 5 van 7" in said(await playground.replies())
    await playground.send_text("overslaan")
    assert "Vraag 6 van 7" in said(await playground.replies())
    await playground.send_text("Een gezamenlijke raadscommissie voor de regio werkt bij ons goed.")
    assert "Vraag 7 van 7" in said(await playground.replies())
    await playground.send_text("Dat de VNG goede voorbeelden verzamelt en deelt.")

    done = said(await playground.replies())
    assert "alle vragen van stap Verkennen beantwoord" in done
    assert "Verrijken" in done

    with sqlite_database.unit_of_work() as session:
        stored = {row.question_id: row.value for row in session.exec(select(AnswerRow)).all()}
    assert stored["waardering"] == 4
    assert stored["themas"] == ["democratische-legitimiteit", "afstand-inwoner"]
    assert stored["obstakel"] == "grip-raad"
    assert "obstakel-toelichting" not in stored
    assert len(stored) == 6
