"""Facilitator commands over HTTP: real-shaped Teams activities in, what the facilitator sees out
(through the local Bot Connector stub), and the audit log."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest
from sqlmodel import select

from bot.app import create_app
from bot.runtime import Runtime
from bot.settings import Settings
from bot.teams.activities import to_event
from dialogen.conversation.inputs import Text
from dialogen.conversation.replies import Choice, Prompt, PromptKind, Reply, Say
from dialogen.dialogue.definition import Dialogue
from dialogen.door.events import FacilitatorDecision, InboundEvent
from dialogen.facilitation import messages as fmsg
from dialogen.facilitation.commands import Planning, Preview, Stand, parse_command
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.audit import AuditRow
from dialogen.store.database import Database
from dialogen.store.outbox import OutboxRow
from dialogen.store.tables import ParticipantRow
from tests.conftest import AMS, SECRET, make_runtime
from tests.support import activities as act
from tests.support.clock import FakeClock

FACILITATOR = "fenna"
FACILITATOR_AAD = str(uuid.uuid5(uuid.NAMESPACE_URL, f"aad:{FACILITATOR}"))
PROMPT_TEXT = "**Stap Verkennen** is begonnen. Doet u mee?"


@dataclass(frozen=True)
class FakePreview:
    step_key: str
    kind: str
    replies: tuple[Reply, ...]
    recipients: dict[str, int]
    problem: str | None = None


@dataclass(frozen=True)
class FakePlanned:
    when: datetime
    what: str
    step_key: str


@dataclass
class FakeBroadcasts:
    """Stands in for planning.broadcasts.Broadcasts (the Broadcasting protocol)."""

    sent: list[tuple[str, str, str]] = field(default_factory=list)
    problem: str | None = None

    def preview_step_prompt(self, step_key: str) -> FakePreview:
        replies = (
            Say(PROMPT_TEXT),
            Prompt("begin", PromptKind.SINGLE, "Wilt u beginnen?", (Choice("ja", "Begin"),)),
        )
        return FakePreview(step_key, "step_prompt", replies, {"teams": 12, "mail": 3}, self.problem)

    def send_step_prompt(self, step_key: str, *, actor: str) -> int:
        self.sent.append(("step_prompt", step_key, actor))
        return 15

    def preview_nudge(self, step_key: str) -> FakePreview:
        return FakePreview(
            step_key, "nudge", (Say("U heeft nog 3 vragen open."),), {"teams": 7, "mail": 0}
        )

    def send_nudge(self, step_key: str, *, actor: str) -> int:
        self.sent.append(("nudge", step_key, actor))
        return 7

    def upcoming(self) -> list[FakePlanned]:
        return [
            FakePlanned(
                datetime(2024, 10, 4, 8, 30, tzinfo=AMS), "Herinnering stap Verkennen", "verkennen"
            ),
            FakePlanned(
                datetime(2024, 10, 2, 8, 30, tzinfo=AMS), "Oproep stap Verkennen", "verkennen"
            ),
        ]


@pytest.fixture
def broadcasts() -> FakeBroadcasts:
    return FakeBroadcasts()


@dataclass
class Env:
    """The test's database and clock, and the runtime built on them with the test's settings."""

    database: Database
    clock: FakeClock
    dialogue: Dialogue
    registry: MunicipalityRegistry

    def runtime(self, settings: Settings, broadcasts: FakeBroadcasts | None = None) -> Runtime:
        return make_runtime(
            settings.model_copy(update={"mail_transport": "none"}),
            database=self.database,
            clock=self.clock,
            dialogue=self.dialogue,
            registry=self.registry,
            broadcasting=broadcasts,
        )


@pytest.fixture
def env(sqlite_database: Database, clock: FakeClock, real_dialogue, registry) -> Env:
    return Env(sqlite_database, clock, real_dialogue, registry)


def make_settings(sqlite_url: str, tmp_path, facilitators: str) -> Settings:
    return Settings(
        database_url=sqlite_url,
        demo_calendar=False,
        pseudonym_secret=SECRET.decode(),
        pseudonym_secret_file=tmp_path / "secret",
        facilitators=facilitators,
    )


@pytest.fixture
async def client(aiohttp_client, sqlite_url, tmp_path, env, broadcasts):
    settings = make_settings(sqlite_url, tmp_path, f"{FACILITATOR_AAD}, beheer@vng.nl")
    return await aiohttp_client(create_app(env.runtime(settings, broadcasts)))


async def send(client, connector, activity: dict[str, Any]) -> dict[str, Any]:
    """Post one activity; the bot's answer (after "Een moment…", for a Bevestigen click)."""
    before = len(connector.activities)
    response = await client.post("/api/messages", json=activity)
    assert response.status in (200, 201)
    first = (await connector.wait_for(before + 1))[before]
    if first.get("text") == fmsg.PROCESSING:
        return (await connector.wait_for(before + 2))[before + 1]
    return first


def card(activity: dict[str, Any]) -> dict[str, Any]:
    return activity["attachments"][0]["content"]


def audit_rows(env, action: str | None = None) -> list[AuditRow]:
    with env.database.unit_of_work() as session:
        statement = select(AuditRow).order_by(AuditRow.at)
        if action:
            statement = statement.where(AuditRow.action == action)
        return list(session.exec(statement).all())


def all_texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["text"]] if node.get("type") == "TextBlock" else []
        return found + [t for value in node.values() for t in all_texts(value)]
    if isinstance(node, list):
        return [t for item in node for t in all_texts(item)]
    return []


async def preview(client, connector, command: str = "verstuur verkennen") -> str:
    reply = await send(client, connector, act.message(connector.url, FACILITATOR, command))
    actions = card(reply)["actions"]
    assert [a["title"] for a in actions] == ["Bevestigen", "Annuleren"]
    return actions[0]["data"]["token"]


def click(
    connector, token: str, value: str = "bevestigen", user: str = FACILITATOR
) -> dict[str, Any]:
    return act.card_submit(connector.url, user, {"begeleider": value, "token": token})


# ---------------------------------------------------------------- who may


async def test_a_non_facilitator_gets_a_polite_refusal_logged_and_audited(
    client, connector, env, caplog
):
    caplog.set_level(logging.INFO)
    reply = await send(client, connector, act.message(connector.url, "piet", "stand"))
    assert "alleen voor begeleiders" in reply["text"]
    (row,) = audit_rows(env, "refused")
    assert row.actor == str(uuid.uuid5(uuid.NAMESPACE_URL, "aad:piet")) and row.target == "stand"
    ours = [
        r.getMessage()
        for r in caplog.records
        if r.name.split(".")[0] in ("bot", "dialogen", "planning")
    ]
    assert any("facilitator command refused" in line for line in ours)
    assert not [
        line for line in ours if "piet" in line.lower() or row.actor in line
    ]  # no personal data
    with env.database.unit_of_work() as session:
        assert session.exec(select(ParticipantRow)).all() == []  # the dialogue was not involved


async def test_the_check_runs_again_on_bevestigen(client, connector, env, broadcasts):
    token = await preview(client, connector)
    reply = await send(client, connector, click(connector, token, user="piet"))
    assert "alleen voor begeleiders" in reply["text"]
    assert broadcasts.sent == []
    assert [r.target for r in audit_rows(env, "refused")] == ["bevestigen"]


async def test_a_facilitator_listed_by_e_mail_is_recognised_through_the_connector(
    aiohttp_client, sqlite_url, tmp_path, env, broadcasts, connector
):
    settings = make_settings(sqlite_url, tmp_path, "ann@gemeente.nl")
    client = await aiohttp_client(create_app(env.runtime(settings, broadcasts)))
    connector.members["29:1ann-teams-user-id"] = {
        "id": "29:1ann-teams-user-id",
        "name": "Ann",
        "aadObjectId": str(uuid.uuid5(uuid.NAMESPACE_URL, "aad:ann")),
        "givenName": "Ann",
        "surname": "Visser",
        "email": "Ann@Gemeente.nl",
        "userPrincipalName": "ann@gemeente.nl",
        "tenantId": act.TENANT,
        "userRole": "user",
    }
    reply = await send(client, connector, act.message(connector.url, "ann", "planning"))
    assert reply["text"].startswith("Dit staat gepland:")


# ---------------------------------------------------------------- stand and planning


async def test_stand_shows_participation_with_small_groups_hidden(client, connector, env):
    reply = await send(client, connector, act.message(connector.url, FACILITATOR, "Stand"))
    content = card(reply)
    assert content["version"] == "1.5"
    texts = all_texts(content)
    assert "Stand van de deelname" in texts and "Per rolgroep" in texts and "Burgemeester" in texts
    assert "< 5" in texts
    assert "Per stap" in content["fallbackText"]
    (row,) = audit_rows(env, "stats")
    assert row.actor == FACILITATOR_AAD


async def test_planning_lists_what_comes_next_with_dutch_dates(client, connector, env):
    reply = await send(client, connector, act.message(connector.url, FACILITATOR, "planning"))
    assert reply["text"].splitlines() == [
        "Dit staat gepland:",
        "- woensdag 2 oktober 2024 om 08:30: Oproep stap Verkennen",
        "- vrijdag 4 oktober 2024 om 08:30: Herinnering stap Verkennen",
    ]
    assert audit_rows(env, "planning")[0].count == 2


async def test_an_unknown_step_or_a_missing_one_gets_help(client, connector, broadcasts):
    reply = await send(
        client, connector, act.message(connector.url, FACILITATOR, "verstuur verkenen")
    )
    assert "De stap 'verkenen' ken ik niet" in reply["text"]
    reply = await send(client, connector, act.message(connector.url, FACILITATOR, "herinner"))
    assert "herinner verkennen" in reply["text"]
    assert broadcasts.sent == []


# ---------------------------------------------------------------- preview and confirmation


async def test_verstuur_previews_then_sends_once_after_bevestigen(
    client, connector, env, broadcasts
):
    reply = await send(
        client, connector, act.message(connector.url, FACILITATOR, "verstuur verkennen")
    )
    content = card(reply)
    texts = all_texts(content)
    assert "Voorbeeld van de oproep voor stap Verkennen" in texts
    assert PROMPT_TEXT in texts  # the exact text participants get
    assert "Dit bericht gaat naar 12 deelnemers in Teams en < 5 per e-mail." in texts  # k
    assert broadcasts.sent == []  # nothing before Bevestigen
    token = content["actions"][0]["data"]["token"]

    reply = await send(client, connector, click(connector, token))
    assert "staat klaar voor 15 deelnemers" in reply["text"]
    assert broadcasts.sent == [("step_prompt", "verkennen", FACILITATOR_AAD)]

    reply = await send(client, connector, click(connector, token))  # clicked again
    assert "al beslist" in reply["text"]
    assert len(broadcasts.sent) == 1
    assert [(r.action, r.count) for r in audit_rows(env) if r.action != "refused"] == [
        ("broadcast_preview", 15),
        ("broadcast_confirmed", 15),
        ("confirm_refused", 0),
    ]


async def test_bevestigen_is_answered_at_once_and_the_outcome_follows(
    client, connector, broadcasts
):
    token = await preview(client, connector)
    before = len(connector.activities)
    response = await client.post("/api/messages", json=click(connector, token))
    assert response.status in (200, 201)
    assert connector.activities[before]["text"] == fmsg.PROCESSING  # sent within the turn
    outcome = (await connector.wait_for(before + 2))[before + 1]
    assert "staat klaar voor 15 deelnemers" in outcome["text"]


async def test_a_redelivered_bevestigen_sends_nothing_twice(client, connector, broadcasts):
    token = await preview(client, connector)
    submit = click(connector, token)
    await send(client, connector, submit)
    await send(client, connector, submit)  # Teams retries with the same activity
    assert len(broadcasts.sent) == 1


async def test_a_stale_preview_sends_nothing(client, connector, env, broadcasts):
    token = await preview(client, connector)
    env.clock.advance(minutes=16)
    reply = await send(client, connector, click(connector, token))
    assert "niet meer geldig" in reply["text"] and "verstuur <stap>" in reply["text"]
    assert broadcasts.sent == []
    assert audit_rows(env, "confirm_refused")[0].details == {"reason": "expired"}


async def test_annuleren_sends_nothing_and_closes_the_preview(client, connector, env, broadcasts):
    token = await preview(client, connector)
    reply = await send(client, connector, click(connector, token, "annuleren"))
    assert reply["text"] == "Geannuleerd. Er is niets verstuurd."
    reply = await send(client, connector, click(connector, token))
    assert "al beslist" in reply["text"]
    assert broadcasts.sent == []
    assert audit_rows(env, "broadcast_cancelled")


async def test_an_unknown_token_sends_nothing(client, connector, broadcasts):
    reply = await send(client, connector, click(connector, "0" * 32))
    assert "hoort niet bij een voorbeeld" in reply["text"]
    assert broadcasts.sent == []


async def test_herinner_previews_a_nudge(client, connector, env, broadcasts):
    token = await preview(client, connector, "herinner 3")
    await send(client, connector, click(connector, token))
    assert broadcasts.sent == [("nudge", "verkennen", FACILITATOR_AAD)]
    assert [r.action for r in audit_rows(env)] == ["nudge_preview", "nudge_confirmed"]


async def test_a_preview_with_a_problem_has_no_buttons(client, connector, broadcasts):
    broadcasts.problem = "stap Verkennen is gesloten."
    reply = await send(
        client, connector, act.message(connector.url, FACILITATOR, "verstuur verkennen")
    )
    assert reply["text"] == "Er wordt niets verstuurd. Stap Verkennen is gesloten."
    assert not reply.get("attachments")


# ---------------------------------------------------------------- with planning's real broadcasts


async def test_bevestigen_queues_the_real_step_prompt_once(
    aiohttp_client, sqlite_url, tmp_path, env, connector
):
    settings = make_settings(sqlite_url, tmp_path, FACILITATOR_AAD)
    client = await aiohttp_client(create_app(env.runtime(settings)))
    for user in ("anna", "bob", "cas"):
        await send(client, connector, act.installation_update(connector.url, user))
        await send(client, connector, act.message(connector.url, user, "ja"))
    reply = await send(
        client, connector, act.message(connector.url, FACILITATOR, "verstuur verkennen")
    )
    assert "Dit bericht gaat naar < 5 deelnemers in Teams en 0 per e-mail." in all_texts(
        card(reply)
    )
    token = card(reply)["actions"][0]["data"]["token"]
    await send(client, connector, click(connector, token))
    await send(client, connector, click(connector, token))
    with env.database.unit_of_work() as session:
        assert (
            len(session.exec(select(OutboxRow).where(OutboxRow.kind == "step_prompt")).all()) == 3
        )


# ---------------------------------------------------------------- what counts as a command


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("stand", Stand()),
        ("Stand verrijken", Stand("verrijken")),
        ("planning", Planning()),
        ("verstuur verkennen", Preview("step_prompt", "verkennen")),
        ("herinner", Preview("nudge")),
        ("<at>Dialoogbot</at> stand", Stand()),
        ("herinner mij eraan dat de raad te laat is", None),
        ("planning is lastig", None),
        ("standpunt", None),
    ],
)
def test_only_exact_command_forms_are_facilitator_commands(text: str, expected: object) -> None:
    from botbuilder.schema import Activity

    activity = Activity().deserialize(act.message("http://127.0.0.1:1", "x", text))
    event = to_event(activity, {})  # the channel translates, the domain recognises
    assert isinstance(event, InboundEvent) and isinstance(event.message, Text)
    assert parse_command(event.message.text) == expected


def test_a_card_click_is_recognised() -> None:
    from botbuilder.schema import Activity

    activity = Activity().deserialize(
        act.card_submit("http://127.0.0.1:1", "x", {"begeleider": "bevestigen", "token": "t"})
    )
    event = to_event(activity, {})
    assert isinstance(event, FacilitatorDecision)
    assert (event.token, event.confirm) == ("t", True)


async def test_when_nothing_is_due_any_more_at_bevestigen_the_reason_is_given(
    client, connector, broadcasts
):
    token = await preview(client, connector)
    broadcasts.send_step_prompt = lambda step_key, *, actor: 0  # e.g. the step closed meanwhile
    broadcasts.problem = "stap Verkennen is gesloten."
    reply = await send(client, connector, click(connector, token))
    assert reply["text"] == "Er wordt niets verstuurd. Stap Verkennen is gesloten."
