"""A participant invited by e-mail opens the bot in Teams: the bot asks the Bot Connector who they
are (``TeamsInfo.get_member``) and continues with their invitation — one participant, the imported
role and municipality. Without an answer from the connector the bot carries on regardless."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from bot.runtime import Runtime
from bot.settings import Settings
from bot.teams import members as members_module
from bot.teams.members import TeamsMembers
from dialogen.stakeholders.sheet import SheetRow
from dialogen.store.tables import ParticipantRow
from tests.support import activities as act


@pytest.fixture
async def client(aiohttp_client, sqlite_url, tmp_path, make_app):
    settings = Settings(
        database_url=sqlite_url,
        demo_calendar=False,
        pseudonym_secret="9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e",
        pseudonym_secret_file=tmp_path / "secret",
    )
    return await aiohttp_client(make_app(settings))


def member(user: str, *, email: str | None, upn: str) -> dict:
    return {
        "id": f"29:1{user}-teams-user-id",
        "name": f"Test {user}",
        "aadObjectId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"aad:{user}")),
        "email": email,
        "userPrincipalName": upn,
        "tenantId": act.TENANT,
        "userRole": "user",
    }


def import_people(runtime: Runtime, *people: tuple[str, ...]) -> None:
    header = SheetRow(1, ("Naam", "E-mail", "Rol", "Gemeente"))
    rows = [header, *(SheetRow(n, cells) for n, cells in enumerate(people, start=2))]
    runtime.roster.import_rows(rows, actor="cli:test")


def participants(runtime: Runtime) -> list[ParticipantRow]:
    with runtime.database.unit_of_work() as session:
        return list(session.exec(select(ParticipantRow)).all())


async def test_an_invitee_opening_the_bot_in_teams_continues_their_invitation(
    client, connector, runtime
):
    import_people(runtime, ("Anna", "anna@utrecht.nl", "Griffier", "Utrecht"))
    connector.members["29:1anna-teams-user-id"] = member(
        "anna", email="Anna@Utrecht.nl", upn="anna@utrecht.nl"
    )
    await client.post("/api/messages", json=act.installation_update(connector.url, "anna"))
    await connector.wait_for(2)
    await client.post("/api/messages", json=act.message(connector.url, "anna", "ja"))
    await connector.wait_for(3)
    assert "uitgenodigd als griffier bij de gemeente Utrecht" in connector.texts()[-1]
    (anna,) = participants(runtime)
    assert (anna.email, anna.role, anna.municipality_code, anna.invited) == (
        "anna@utrecht.nl",
        "griffier",
        "GM0344",
        True,
    )
    assert anna.aad_object_id == str(uuid.uuid5(uuid.NAMESPACE_URL, "aad:anna"))


async def test_the_upn_is_used_when_the_connector_gives_no_e_mail(client, connector, runtime):
    import_people(runtime, ("Bob", "bob@utrecht.nl", "Raadslid", "Utrecht"))
    connector.members["29:1bob-teams-user-id"] = member("bob", email=None, upn="bob@utrecht.nl")
    await client.post("/api/messages", json=act.installation_update(connector.url, "bob"))
    await connector.wait_for(2)
    assert len(participants(runtime)) == 1


async def test_without_an_answer_from_the_connector_the_conversation_goes_on(
    client, connector, runtime
):
    import_people(runtime, ("Cas", "cas@utrecht.nl", "Raadslid", "Utrecht"))
    await client.post(
        "/api/messages", json=act.installation_update(connector.url, "cas")
    )  # connector: 404
    seen = await connector.wait_for(2)
    assert "Uw privacy" in seen[0]["text"]
    assert len(participants(runtime)) == 2  # not linked (yet): the invitation and the Teams user


async def test_a_guest_upn_is_not_taken_for_an_address(client, connector, runtime):
    connector.members["29:1dio-teams-user-id"] = member(
        "dio", email=None, upn="dio_gemeente.nl#EXT#@vng.onmicrosoft.com"
    )
    await client.post("/api/messages", json=act.installation_update(connector.url, "dio"))
    await connector.wait_for(2)
    (dio,) = participants(runtime)
    assert dio.email is None


async def test_a_failed_lookup_is_not_repeated_on_every_turn(monkeypatch, runtime) -> None:
    calls: list[str] = []

    async def no_answer(context, **_kwargs):
        calls.append("lookup")
        return None

    monkeypatch.setattr(members_module, "member_email", no_answer)
    now = [0.0]
    lookup = TeamsMembers(
        runtime.roster,
        monotonic=lambda: now[0],
    )
    assert await lookup.email_for(object(), "aad-x") is None
    assert await lookup.email_for(object(), "aad-x") is None
    assert calls == ["lookup"]
    now[0] += members_module.RETRY_AFTER + 1
    await lookup.email_for(object(), "aad-x")
    assert calls == ["lookup", "lookup"]
    assert await lookup.email_for(object(), None) is None
