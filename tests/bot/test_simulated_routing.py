"""Routing through the database: a simulated Verrijken with 500 participants and 300
contributions, every event through the real door (Teams turns and mail batches).

150 invitees write in Verkennen (two shared answers each: 300 contributions), a facilitator hides
10, then all 500 react in Verrijken (in Teams 10 to 30 each, by mail a batch at a time up to the
target), without additions and without answering the step's other questions, so that the 300 are
all there is to react to. Checked from what the door showed and what
the database holds: every approved contribution reaches the target number of reactions, nobody
is shown their own contribution or one twice, hidden ones are never shown; and the group-aware
preference evens out the reactions per group (the spread, with and without it, is printed).
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text as sql

from bot.simulation.run import Simulation, SimulationClock, seeded_ids
from dialogen.contributions.service import groups_of
from dialogen.conversation.replies import Prompt
from dialogen.dialogue.definition import Dialogue
from dialogen.door.events import Event, InboundEvent, Outcome
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.stakeholders.segments import Segment
from dialogen.store.database import Database
from tests.conftest import make_runtime, test_settings

AMS = ZoneInfo("Europe/Amsterdam")
PARTICIPANTS, AUTHORS, HIDDEN, TARGET = 500, 150, 10, 10
pytestmark = pytest.mark.timeout(1800)  # two dialogues of 500 through the door, 8,000 events each


@dataclass
class Run:
    shown: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # pseudonym
    authors: dict[str, str] = field(default_factory=dict)  # contribution -> pseudonym
    verkennen: set[str] = field(default_factory=set)  # the 300 written in Verkennen
    reactions: dict[str, int] = field(default_factory=dict)  # contribution -> reactions
    by_group: dict[str, dict[str, int]] = field(default_factory=dict)  # contribution -> group -> n
    hidden: set[str] = field(default_factory=set)
    group_sizes: dict[str, int] = field(default_factory=dict)  # reactors per group
    reaction_rows: list[tuple[str, str]] = field(default_factory=list)

    def spread(self) -> tuple[float, float]:
        """Averaged over the groups of at least 5 reactors: the coefficient of variation of the
        reactions per approved contribution from that group, and the min/max ratio."""
        approved = [c for c in self.verkennen if c not in self.hidden]
        cvs, ratios = [], []
        for group in sorted(g for g, n in self.group_sizes.items() if n >= 5):
            counts = [self.by_group.get(c, {}).get(group, 0) for c in approved]
            cvs.append(statistics.pstdev(counts) / statistics.fmean(counts))
            ratios.append(min(counts) / max(counts))
        return statistics.fmean(cvs), statistics.fmean(ratios)


def verrijken(
    database: Database,
    tmp_path: Path,
    dialogue: Dialogue,
    registry: MunicipalityRegistry,
    *,
    group_strength: float,
) -> Run:
    clock = SimulationClock(datetime(2024, 8, 1, tzinfo=AMS))
    runtime = make_runtime(
        test_settings(tmp_path),
        database=database,
        clock=clock,
        dialogue=dialogue,
        registry=registry,
    )
    runtime.door.contributions.group_strength = group_strength
    run = Run()
    handle, mail_target = runtime.door.handle, runtime.reach.mail_target

    def recording_handle(event: Event) -> Outcome:
        outcome = handle(event)
        if not isinstance(event, InboundEvent):
            return outcome  # a mail shows the batch (below), not the chat's prompt
        for reply in outcome.replies:  # what the Teams chat shows
            if isinstance(reply, Prompt) and reply.item and outcome.participant_id:
                run.shown[runtime.pseudonyms.of(outcome.participant_id)].append(reply.item)
        return outcome

    def recording_mail_target(participant_id: str, *, step_key: str | None) -> Any:
        found = mail_target(participant_id, step_key=step_key)  # what a mail lists
        for offer in found.batch if found else ():
            run.shown[runtime.pseudonyms.of(participant_id)].append(offer.item_id)
        return found

    runtime.door.handle = recording_handle  # type: ignore[method-assign]
    runtime.reach.mail_target = recording_mail_target  # type: ignore[method-assign]
    simulation = Simulation(
        runtime,
        participants=PARTICIPANTS,
        seed=12,
        additions=False,  # the 300 contributions only
        reactions=(10, 30),  # in Teams; by mail a batch at a time up to the target
        react_only=True,
    )
    with seeded_ids(12):
        simulation.gather()
        simulation.take_part(dialogue.steps[2], range(AUTHORS))  # Verkennen
        step = dialogue.steps[3]  # Verrijken
        clock.set(step.opens)
        with database.read() as connection:
            ids = [r[0] for r in connection.execute(sql("SELECT id FROM contribution ORDER BY id"))]
        desk = runtime.facilitation.moderation
        assert desk is not None
        for cid in ids[:: len(ids) // HIDDEN][:HIDDEN]:
            assert desk.act(actor="cli:test", action="verbergen", code=cid, text="Test").done
        simulation.take_part(step, range(PARTICIPANTS))
    with database.read() as connection:
        for cid, step_key, author, state, agree, disagree, passes, groups in connection.execute(
            sql(
                "SELECT id, step_key, pseudonym, state, agree, disagree, passes, groups "
                "FROM contribution"
            )
        ):
            run.authors[cid] = author
            if step_key == "verkennen":
                run.verkennen.add(cid)
            run.reactions[cid] = agree + disagree + passes
            counts = groups if isinstance(groups, dict) else json.loads(groups)
            run.by_group[cid] = {g: sum(int(n) for n in c) for g, c in counts.items()}
            if state != "visible":
                run.hidden.add(cid)
        reactors: dict[str, frozenset[str]] = {}
        for cid, pseudonym, role, province, networks in connection.execute(
            sql("SELECT contribution_id, pseudonym, role, province, networks FROM reaction")
        ):
            run.reaction_rows.append((cid, pseudonym))
            segment = Segment(role, province, frozenset(filter(None, networks.split(","))))
            reactors[pseudonym] = groups_of(segment)
    for groups in reactors.values():
        for group in groups:
            run.group_sizes[group] = run.group_sizes.get(group, 0) + 1
    return run


@pytest.fixture(scope="module")
def runs(
    tmp_path_factory: pytest.TempPathFactory,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
) -> dict[str, Run]:
    found = {}
    for name, strength in (("groups", 1.0), ("no groups", 0.0)):
        path = tmp_path_factory.mktemp(name.replace(" ", "-"))
        database = Database(f"sqlite:///{path / 'dialoog.db'}")
        database.migrate()
        found[name] = verrijken(database, path, real_dialogue, registry, group_strength=strength)
        database.dispose()
    return found


def test_verkennen_gave_300_contributions_of_which_10_hidden(runs: dict[str, Run]) -> None:
    for run in runs.values():
        assert len(run.verkennen) == 2 * AUTHORS
        assert len(run.hidden) == HIDDEN and run.hidden <= run.verkennen
        assert len(run.authors) == len(run.verkennen)


@pytest.mark.parametrize("name", ["groups", "no groups"])
def test_every_approved_contribution_reaches_the_target(runs: dict[str, Run], name: str) -> None:
    run = runs[name]
    approved = [c for c in run.verkennen if c not in run.hidden]
    assert min(run.reactions[c] for c in approved) >= TARGET
    assert all(run.reactions[c] == 0 for c in run.hidden)
    assert len(run.reaction_rows) >= PARTICIPANTS * TARGET


@pytest.mark.parametrize("name", ["groups", "no groups"])
def test_nobody_is_shown_their_own_a_hidden_one_or_one_twice(
    runs: dict[str, Run], name: str
) -> None:
    run = runs[name]
    assert len(run.shown) == PARTICIPANTS
    for pseudonym, shown in run.shown.items():
        assert len(shown) == len(set(shown)), "shown twice"
        assert not [c for c in shown if run.authors[c] == pseudonym], "shown their own"
        assert not set(shown) & run.hidden, "shown a hidden one"
    reacted = run.reaction_rows
    assert len(reacted) == len(set(reacted))
    assert all(run.authors[c] != p for c, p in reacted)


def test_the_group_aware_preference_evens_out_reactions_per_group(runs: dict[str, Run]) -> None:
    cv_with, ratio_with = runs["groups"].spread()
    cv_without, ratio_without = runs["no groups"].spread()
    print(
        f"reactions per approved contribution within a group: coefficient of variation "
        f"{cv_with:.3f} with the group preference, {cv_without:.3f} without; "
        f"min/max {ratio_with:.3f} with, {ratio_without:.3f} without"
    )
    assert cv_with < cv_without
