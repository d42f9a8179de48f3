"""Installing the bot for invitees through Graph, against a local Graph stub on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlmodel import select

from bot.settings import Settings
from bot.teams.graph_install import install_for_invitees
from dialogen.facilitation.audit import AuditTrail
from dialogen.stakeholders.roster import Roster
from dialogen.stakeholders.sheet import SheetRow
from dialogen.store import participants
from dialogen.store.audit import AuditRow
from tests.support.graph_install_stub import GraphInstallStub as GraphStub


class FakeTokens:
    def __init__(self) -> None:
        self.refreshes = 0

    def token(self, *, refresh: bool = False) -> str:
        self.refreshes += refresh
        return f"token-{1 + self.refreshes}"


@pytest.fixture
async def graph() -> AsyncIterator[GraphStub]:
    stub = await GraphStub().start()
    yield stub
    await stub.close()


def settings_for(graph: GraphStub, url: str, tmp_path) -> Settings:
    return Settings(
        database_url=url,
        pseudonym_secret="9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e",
        pseudonym_secret_file=tmp_path / "s",
        teams_catalog_app_id="1c1e4b6a-0d8b-4c5e-9a4e-2f3b8d7c6e5f",
        teams_install_tenant_id="t",
        teams_install_client_id="c",
        teams_install_client_secret="s",
        graph_base_url=graph.url,
    )


def invite(database, registry, clock, *emails: str) -> None:
    rows = [SheetRow(1, ("E-mail", "Rol", "Gemeente"))]
    rows += [SheetRow(n, (email, "Raadslid", "Utrecht")) for n, email in enumerate(emails, start=2)]
    Roster(database=database, municipalities=registry, clock=clock).import_rows(
        rows, actor="cli:test"
    )


async def test_installs_for_invitees_honouring_retry_after_and_counting_409_as_done(
    graph, sqlite_database, registry, clock, tmp_path
) -> None:
    invite(
        sqlite_database,
        registry,
        clock,
        "a@u.nl",
        "b@u.nl",
        "c@u.nl",
        "d@u.nl",
        "e@u.nl",
        "weg@u.nl",
        "al@u.nl",
    )
    with sqlite_database.unit_of_work() as session:
        gone = participants.find(session, email="weg@u.nl")
        gone.opted_out = True
        session.add(gone)
        reached = participants.find(session, email="al@u.nl")
        participants.save_reference(
            session, participant_id=reached.id, channel="teams", reference={}, now=clock()
        )
    graph.script = {"b@u.nl": [409], "c@u.nl": [429, 201], "d@u.nl": [503] * 5, "e@u.nl": [404]}
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    settings = settings_for(graph, f"sqlite:///{tmp_path / 'unused.db'}", tmp_path)
    outcome = await install_for_invitees(
        settings,
        Roster(database=sqlite_database, municipalities=registry, clock=clock),
        AuditTrail(database=sqlite_database, clock=clock),
        actor="cli:test",
        tokens=FakeTokens(),
        sleep=sleep,
    )
    assert (outcome.installed, outcome.already, outcome.failed) == (2, 1, 2)
    users = [r["user"] for r in graph.requests]
    assert sorted(set(users)) == [
        "a@u.nl",
        "b@u.nl",
        "c@u.nl",
        "d@u.nl",
        "e@u.nl",
    ]  # not opted out, not reached
    assert users.count("c@u.nl") == 2 and users.count("d@u.nl") == 5 and users.count("e@u.nl") == 1
    assert len(waits) == 5  # one Retry-After (c), four backoffs (d: five attempts, then given up)
    assert 2.0 in waits and all(0 < w <= 60 for w in waits)
    first = graph.requests[0]
    assert first["body"] == {
        "teamsApp@odata.bind": (
            f"{graph.url}/appCatalogs/teamsApps/1c1e4b6a-0d8b-4c5e-9a4e-2f3b8d7c6e5f"
        )
    }
    assert first["authorization"] == "Bearer token-1"
    with sqlite_database.unit_of_work() as session:
        (row,) = session.exec(select(AuditRow).where(AuditRow.action == "teams_install")).all()
    assert (row.count, row.details["targets"], row.details["failed"]) == (2, 5, 2)


async def test_an_expired_token_is_refreshed_once(
    graph, sqlite_database, registry, clock, tmp_path
) -> None:
    invite(sqlite_database, registry, clock, "a@u.nl")
    graph.script = {"a@u.nl": [401, 201]}
    tokens = FakeTokens()
    settings = settings_for(graph, "sqlite://", tmp_path)
    outcome = await install_for_invitees(
        settings,
        Roster(database=sqlite_database, municipalities=registry, clock=clock),
        AuditTrail(database=sqlite_database, clock=clock),
        actor="cli:test",
        tokens=tokens,
    )
    assert outcome.installed == 1 and tokens.refreshes == 1
    assert [r["authorization"] for r in graph.requests] == ["Bearer token-1", "Bearer token-2"]


def test_settings_know_whether_installation_is_configured(graph, tmp_path) -> None:
    assert not Settings(pseudonym_secret_file=tmp_path / "s").teams_install_configured
    assert settings_for(graph, "sqlite://", tmp_path).teams_install_configured


def test_facilitators_are_a_comma_separated_list(monkeypatch) -> None:
    monkeypatch.setenv(
        "DIALOOG_FACILITATORS", " 0c7d1e2f-aaaa-bbbb-cccc-1234567890ab , Ann@Gemeente.nl,"
    )
    assert Settings().facilitators == ["0c7d1e2f-aaaa-bbbb-cccc-1234567890ab", "Ann@Gemeente.nl"]
