"""Representation, live: per step response rate per role group, province and network against the
invitees, the score, the groups behind, every figure under 5 as "< 5"; the facilitator alert at
most once a day (injected clock); reminders to one group (Teams and CLI) and the groups furthest
behind first."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from bot.cli.command import main
from bot.runtime import Runtime
from dialogen.conversation.inputs import Text
from dialogen.conversation.replies import Say
from dialogen.dialogue.definition import RepresentationRules
from dialogen.door.events import Identity, InboundEvent
from dialogen.facilitation.actions import ConfirmationRequest
from dialogen.participation.figures import PersonRecord
from dialogen.participation.representation_live import (
    below_threshold,
    find_group,
    representation_text,
    step_representation,
)
from dialogen.stakeholders.segments import Segment
from dialogen.store import participants as participant_store
from dialogen.store.audit import AuditRow
from dialogen.store.database import Database
from dialogen.store.outbox import OutboxRow
from dialogen.store.tables import ParticipantRow
from tests.conftest import AMS, SECRET, make_runtime, test_settings
from tests.planning.people import People
from tests.support.clock import FakeClock

FENNA = Identity(channel="teams", aad_object_id="aad-fenna", teams_user_id="29:fenna", name="Fenna")


def person(role: str, province: str, networks: str, *, done: bool) -> PersonRecord:
    return PersonRecord(
        segment=Segment(role, province, frozenset(filter(None, networks.split(",")))),
        invited=True,
        completed=frozenset({"verkennen"}) if done else frozenset(),
    )


def test_rates_score_and_groups_behind_match_a_hand_count(real_dialogue) -> None:
    step = real_dialogue.step("verkennen")
    people = (
        [person("raadslid", "Utrecht", "G4", done=True) for _ in range(8)]
        + [person("raadslid", "Utrecht", "G4", done=False) for _ in range(2)]
        + [person("burgemeester", "Utrecht", "", done=True) for _ in range(5)]
        + [person("burgemeester", "Utrecht", "", done=False) for _ in range(15)]
        + [person("griffier", "Drenthe", "", done=False) for _ in range(3)]
    )
    role, province, network = step_representation(step, people, threshold=0.25)
    rates = {g.group: (g.responded.text, g.invited.text, g.rate) for g in role.groups}
    # Raad en griffie: 8 of 13 (the 3 griffiers too); Bestuur: 5 of 20.
    assert rates["Raad en griffie"] == ("8", "13", 8 / 13)
    assert rates["Bestuur"] == ("5", "20", 0.25)
    assert role.score == pytest.approx(0.25 / (8 / 13))
    assert role.furthest_behind[0] == "Bestuur"
    # Drenthe: 3 invited, none responded: both "< 5", no rate, not in the score.
    drenthe = next(g for g in province.groups if g.group == "Drenthe")
    assert (drenthe.invited.text, drenthe.responded.text, drenthe.rate) == ("< 5", "< 5", None)
    text = representation_text((role, province, network))
    assert "Drenthe: < 5 van < 5" in text
    assert "Bestuur: 5 van 20 (25%)" in text
    assert "score 0,41" in text


def test_a_hidden_small_response_alerts_only_when_it_is_certainly_below_the_threshold(
    real_dialogue,
) -> None:
    step = real_dialogue.step("verkennen")
    many = [person("burgemeester", "Zeeland", "", done=False) for _ in range(20)]
    few = [person("raadslid", "Utrecht", "", done=True) for _ in range(6)]
    found = step_representation(step, many + few, threshold=0.25)
    # Bestuur: "< 5" of 20, so at most 4 / 20 = 20 %: certainly below 25 %.
    assert "Bestuur" in below_threshold(found, threshold=0.25)
    eight = [person("burgemeester", "Zeeland", "", done=False) for _ in range(8)]
    found = step_representation(step, eight + few, threshold=0.25)
    # "< 5" of 8 could be 50 %: no alert.
    assert "Bestuur" not in below_threshold(found, threshold=0.25)


def test_groups_are_found_by_what_a_facilitator_types() -> None:
    assert find_group("Griffier").dimension == "role"
    assert find_group("raad").dimension == "role group"
    assert find_group(" utrecht ").value == "Utrecht"
    assert find_group("g40").value == "G40"
    assert find_group("bakkers") is None


# ---------------------------------------------------------------- through the runtime


@pytest.fixture
def runtime(
    tmp_path: Path, database: Database, real_dialogue, registry, clock: FakeClock
) -> Runtime:
    dialogue = real_dialogue.model_copy(
        update={"representation": RepresentationRules(threshold=0.25, nudge_behind_first=True)}
    )
    settings = test_settings(tmp_path, facilitators="aad-fenna", database_url=str(database.url))
    return make_runtime(
        settings, database=database, clock=clock, dialogue=dialogue, registry=registry
    )


def invite_everyone(runtime: Runtime) -> None:
    with runtime.database.unit_of_work() as session:
        for row in session.exec(select(ParticipantRow)).all():
            row.invited = True
            session.add(row)


def set_role(runtime: Runtime, participant_id: str, role: str) -> None:
    with runtime.database.unit_of_work() as session:
        row = participant_store.get(session, participant_id)
        assert row is not None
        row.role = role
        session.add(row)


def add_silent_mayors(runtime: Runtime, count: int) -> None:
    """Invited mayors who never answered (no consent, no progress)."""
    with runtime.database.unit_of_work() as session:
        for i in range(count):
            session.add(
                ParticipantRow(
                    id=secrets.token_hex(16),
                    email=f"burgemeester{i}@gemeente.example",
                    role="burgemeester",
                    municipality_code="0344",
                    invited=True,
                    created_at=datetime(2024, 9, 1, tzinfo=UTC),
                )
            )


def alerts(runtime: Runtime) -> list[OutboxRow]:
    with runtime.database.unit_of_work() as session:
        return list(
            session.exec(
                select(OutboxRow)
                .where(OutboxRow.kind == "representation_alert")
                .order_by(col(OutboxRow.created_at))
            ).all()
        )


def decide_segments(runtime: Runtime) -> None:
    """What a stakeholder import does: decide the released segments from the invitees."""
    with runtime.database.unit_of_work() as session:
        runtime.door.turns.releases.recheck(session, now=runtime.clock())


def setting_up(runtime: Runtime) -> People:
    """7 raadsleden of Utrecht (6 complete Verkennen; one is the facilitator, who opened the bot)
    and 20 mayors of Utrecht municipalities (6 in the chat, none answered)."""
    people = People(runtime.door)
    people.join("fenna")
    for i in range(6):
        people.join(f"raad{i}")
        people.join(f"burg{i}")
        set_role(runtime, people.ids[f"burg{i}"], "burgemeester")
    add_silent_mayors(runtime, 14)
    invite_everyone(runtime)
    decide_segments(runtime)
    for i in range(6):
        people.send(f"raad{i}", Text("verder"))
        people.complete(f"raad{i}")
    return people


def test_facilitators_get_the_alert_at_most_once_a_day(runtime: Runtime, clock: FakeClock) -> None:
    setting_up(runtime)
    watch = runtime.facilitation.representation
    assert watch is not None
    assert "Bestuur" in watch.behind(runtime.dialogue.step("verkennen"))
    assert watch.queue_alerts() == 1
    clock.advance(hours=3)
    assert watch.queue_alerts() == 0  # the same day: not again
    clock.advance(days=1)
    assert watch.queue_alerts() == 1
    sent = alerts(runtime)
    assert len(sent) == 2 and sent[0].key != sent[1].key
    assert all(row.channel == "teams" for row in sent)
    # Inside the send window (08:30-17:30 Amsterdam), never at night.
    for row in sent:
        local = row.not_before.replace(tzinfo=row.not_before.tzinfo or UTC).astimezone(AMS)
        assert (local.hour, local.minute) >= (8, 30) and local.hour < 18


def test_no_alert_when_every_group_keeps_up(runtime: Runtime) -> None:
    people = People(runtime.door)
    people.join("fenna")
    for i in range(6):
        people.join(f"raad{i}")
    invite_everyone(runtime)
    decide_segments(runtime)
    for i in range(6):
        people.send(f"raad{i}", Text("verder"))
        people.complete(f"raad{i}")
    assert runtime.facilitation.representation.queue_alerts() == 0
    assert alerts(runtime) == []


def test_vertegenwoordiging_shows_the_figures_to_facilitators_only(runtime: Runtime) -> None:
    setting_up(runtime)
    (reply,) = runtime.door.handle(InboundEvent(FENNA, Text("vertegenwoordiging"))).replies
    assert isinstance(reply, Say) and "Bestuur: < 5 van 20" in reply.text
    assert "score" in reply.text
    piet = Identity(channel="teams", aad_object_id="aad-piet", teams_user_id="29:piet")
    (refused,) = runtime.door.handle(InboundEvent(piet, Text("vertegenwoordiging"))).replies
    assert "Bestuur" not in refused.text


def test_a_reminder_to_one_group_reaches_only_that_group_and_a_group_of_nobody_is_said(
    runtime: Runtime,
) -> None:
    people = setting_up(runtime)
    (preview,) = runtime.door.handle(
        InboundEvent(FENNA, Text("herinner verkennen --groep burgemeester"))
    ).replies
    assert isinstance(preview, ConfirmationRequest)
    assert "6" in preview.summary
    (nobody,) = runtime.door.handle(
        InboundEvent(FENNA, Text("herinner verkennen --groep drenthe"))
    ).replies
    assert "Niemand in de groep Drenthe" in nobody.text
    (unknown,) = runtime.door.handle(
        InboundEvent(FENNA, Text("herinner verkennen --groep bakkers"))
    ).replies
    assert "Geen groep heet 'bakkers'" in unknown.text

    from dialogen.door.events import FacilitatorDecision

    runtime.door.handle(FacilitatorDecision(FENNA, preview.token, True)).later()
    with runtime.database.unit_of_work() as session:
        nudged = {
            row.participant_id
            for row in session.exec(select(OutboxRow).where(OutboxRow.kind == "nudge")).all()
        }
    assert nudged == {people.ids[f"burg{i}"] for i in range(6)}


def test_nudges_go_to_the_groups_furthest_behind_first(runtime: Runtime) -> None:
    people = setting_up(runtime)
    # fenna (raad) has not finished either: 7 reminders, the 6 mayors' first
    assert runtime.broadcasts.send_nudge("verkennen", actor="test") == 7
    with runtime.database.unit_of_work() as session:
        order = [
            row.participant_id
            for row in session.exec(
                select(OutboxRow).where(OutboxRow.kind == "nudge").order_by(col(OutboxRow.seq))
            ).all()
        ]
    mayors = {people.ids[f"burg{i}"] for i in range(6)}
    assert set(order[:6]) == mayors  # Bestuur is furthest behind: its reminders are queued first


def test_dialoog_nudge_group_on_the_command_line(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:
    setting_up(runtime)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DIALOOG_DATABASE_URL", str(runtime.database.url))
    assert main(["nudge", "--step", "verkennen", "--group", "bakkers", "--dry-run"]) == 1
    assert "Geen groep heet 'bakkers'" in capsys.readouterr().out


def test_dialoog_representation_prints_the_figures_of_vertegenwoordiging(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:
    people = setting_up(runtime)
    for i in range(5):  # Bestuur: 5 of 20 mayors, Raad en griffie: 6 of 7
        people.send(f"burg{i}", Text("verder"))
        people.complete(f"burg{i}")
    asked = InboundEvent(FENNA, Text("vertegenwoordiging verkennen"))
    (teams,) = runtime.door.handle(asked).replies
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DIALOOG_DATABASE_URL", str(runtime.database.url))
    monkeypatch.setenv("DIALOOG_PSEUDONYM_SECRET", SECRET.decode())
    monkeypatch.setenv("DIALOOG_DEMO_CALENDAR", "false")
    assert main(["representation", "--step", "verkennen"]) == 0
    out = capsys.readouterr().out
    # The same k-safe figures as in Teams: the score, the groups behind, "< 5" for small counts.
    assert out.strip() == teams.text.replace("**", "").strip()
    role = out.split("Provincie")[0]
    assert "Rolgroep: score 0,29" in role  # (5/20) / (6/7)
    assert "Bestuur: 5 van 20 (25%)" in role and "Raad en griffie: 6 van 7 (86%)" in role
    assert "Loopt het meest achter: Bestuur" in role
    assert "Drenthe: < 5 van < 5" in out
    assert "**" not in out
    assert main(["representation", "--step", "bestaatniet"]) == 2
    assert "bestaatniet" in capsys.readouterr().err
    with runtime.database.unit_of_work() as session:
        actors = [
            row.actor
            for row in session.exec(select(AuditRow).where(AuditRow.action == "representation"))
        ]
    assert any(actor.startswith("cli:") for actor in actors)
