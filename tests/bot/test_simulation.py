"""``dialoog simulate``: a realistic dialogue through the real door, on SQLite and PostgreSQL —
every interactive step answered, both channels, varied texts, reactions, priorities — and the same
run again for the same seed."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text as sql

from bot.cli.command import main
from bot.runtime import Runtime
from bot.simulation import SimulationClock, Summary, simulate
from dialogen.dialogue.definition import Dialogue
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.database import Database
from tests.conftest import make_runtime, test_settings

AMS = ZoneInfo("Europe/Amsterdam")
PEOPLE = 40


def runtime_for(
    database: Database, tmp_path: Path, dialogue: Dialogue, registry: MunicipalityRegistry
) -> Runtime:
    clock = SimulationClock(datetime(2024, 8, 1, tzinfo=AMS))
    return make_runtime(
        test_settings(tmp_path),
        database=database,
        clock=clock,
        dialogue=dialogue,
        registry=registry,
    )


def rows(database: Database, statement: str) -> list[tuple[Any, ...]]:
    with database.read() as connection:
        return [tuple(r) for r in connection.execute(sql(statement))]


def test_a_simulated_dialogue_fills_every_step_through_both_channels(
    database: Database,
    tmp_path: Path,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
) -> None:
    summary = simulate(
        runtime_for(database, tmp_path, real_dialogue, registry), participants=PEOPLE, seed=5
    )
    tally = summary.tally
    assert tally.refused == 0 and tally.gave_up == 0  # the door understood every answer
    assert tally.teams_events > 0 and tally.mails > 0
    invited = rows(database, "SELECT preferred_channel, consent FROM participant")
    assert len(invited) == PEOPLE
    assert {channel for channel, _ in invited} == {"teams", "mail"}
    answered = dict(rows(database, "SELECT step_key, count(*) FROM answer GROUP BY step_key"))
    interactive = [s.key for s in real_dialogue.steps if s.interactive]
    assert set(answered) == set(interactive)
    assert list(summary.took_part) == interactive
    contributions = [t for (t,) in rows(database, "SELECT text FROM contribution")]
    assert len(contributions) > PEOPLE  # two shared answers each in Verkennen, and additions
    assert len(set(contributions)) >= 0.85 * len(contributions)  # texts differ
    shared = rows(database, "SELECT text FROM contribution WHERE source_key = ''")
    assert all(len(t.split()) >= 8 for (t,) in shared)  # sentences, not words
    reactions = rows(database, "SELECT vote, count(*) FROM reaction GROUP BY vote")
    assert {vote for vote, _ in reactions} == {"eens", "oneens", "pas"}
    assert sum(n for _, n in reactions) == tally.reactions
    priorities = rows(
        database, "SELECT count(*) FROM answer WHERE step_key = 'voorkeuren' GROUP BY question_id"
    )
    assert (
        len(priorities) == 2
        and min(n for (n,) in priorities) >= summary.took_part["voorkeuren"] * 0.8
    )


def fingerprint(database: Database) -> list[list[tuple[Any, ...]]]:
    return [
        rows(database, "SELECT id, role, municipality_code, consent FROM participant ORDER BY id"),
        rows(database, "SELECT id, pseudonym, text, agree, disagree FROM contribution ORDER BY id"),
        rows(database, "SELECT contribution_id, pseudonym, vote FROM reaction ORDER BY id"),
    ]


def test_the_same_seed_gives_the_same_dialogue_and_another_seed_another(
    tmp_path: Path, real_dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    found = []
    for name, seed in (("a", 9), ("b", 9), ("c", 10)):
        path = tmp_path / name
        path.mkdir()
        database = Database(f"sqlite:///{path / 'dialoog.db'}")
        database.migrate()
        simulate(runtime_for(database, path, real_dialogue, registry), participants=15, seed=seed)
        found.append(fingerprint(database))
        database.dispose()
    assert found[0] == found[1]
    assert found[0][1] != found[2][1]


def test_the_command_fills_the_database_it_is_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'vol.db'}"
    assert main(["simulate", "--participants", "8", "--seed", "2", "--database", url]) == 0
    printed = capsys.readouterr().out
    assert "8 genodigden" in printed and "verkennen:" in printed
    database = Database(url)
    assert rows(database, "SELECT count(*) FROM participant") == [(8,)]
    database.dispose()
    assert main(["simulate", "--participants", "0"]) == 2


def test_a_simulation_needs_the_simulated_clock(runtime: Runtime) -> None:
    with pytest.raises(TypeError):
        simulate(runtime, participants=3)
    assert Summary(3, 1).lines()[0].startswith("3 genodigden")
