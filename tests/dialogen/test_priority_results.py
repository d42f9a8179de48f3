"""The Voorkeuren results facilitators and the report see, against hand-computed figures: truncated
Borda for the ranking, mean points, approval; "breed gedragen" and "verdeeld" across role groups;
groups under k not shown and counts under k as "< 5"; the ``prioriteiten`` command and
``dialoog priorities`` read the stored answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.command import main
from bot.runtime import Runtime
from dialogen.conversation.inputs import Text
from dialogen.door.events import Identity, InboundEvent
from dialogen.facilitation import theme_messages as tmsg
from dialogen.facilitation.priority_results import aggregate, priorities_text, respondent
from dialogen.facilitation.theme_desk import PrioritiesView
from dialogen.store import answers as answer_store
from dialogen.store.database import Database
from tests.conftest import make_runtime, test_settings
from tests.support.clock import FakeClock

RAAD = [["a", "b", "c"], ["a", "c", "b"], ["b", "a", "d"], ["a", "b", "d"], ["c", "a", "b"]]
BESTUUR = [["d", "c", "a"], ["d", "a", "c"], ["c", "d", "b"], ["d", "c", "b"], ["c", "d", "a"]]
THEMES = ["a", "b", "c", "d"]


def rankings() -> list[tuple[object, object]]:
    raad = [(respondent(f"r{i}", "raadslid", "Utrecht", "G4"), v) for i, v in enumerate(RAAD)]
    bestuur = [
        (respondent(f"b{i}", "burgemeester", "Utrecht", ""), v) for i, v in enumerate(BESTUUR)
    ]
    return raad + bestuur


def question(dialogue, question_id: str):
    step = dialogue.step("voorkeuren")
    return next(q for q in step.questions if q.id == question_id)


def test_truncated_borda_matches_the_hand_count_for_everyone_and_per_role_group(
    real_dialogue,
) -> None:
    result, _ = aggregate(question(real_dialogue, "volgorde"), THEMES, rankings(), k=5)
    # Top 3 of 4: 1st = 3 points, 2nd = 2, 3rd = 1 (counted by hand from RAAD and BESTUUR).
    # a and c tie on 17 points and on 3 first places each: the themes' own order decides.
    everyone = {s.theme: (s.rank, s.points, s.mean) for s in result.everyone.themes}
    assert everyone == {
        "a": (1, 17, 1.7),
        "c": (2, 17, 1.7),
        "d": (3, 15, 1.5),
        "b": (4, 11, 1.1),
    }
    raad = result.group("role", "raad")
    bestuur = result.group("role", "bestuur")
    assert raad is not None and bestuur is not None
    assert {s.theme: s.points for s in raad.themes} == {"a": 13, "b": 9, "c": 6, "d": 2}
    assert {s.theme: s.points for s in bestuur.themes} == {"a": 4, "b": 2, "c": 11, "d": 13}
    for score in result.everyone.themes:
        assert score.interval is not None and score.mean in score.interval
        assert 0 <= score.interval.low <= score.interval.high <= 3
    again, _ = aggregate(question(real_dialogue, "volgorde"), THEMES, rankings(), k=5)
    assert again == result  # the same answers give the same intervals


def test_broadly_supported_and_divided_follow_support_in_every_role_group(real_dialogue) -> None:
    # Support = ranked it at all. a: raad 5/5, bestuur 3/5; c: 3/5 and 5/5; d: 2/5 and 5/5;
    # b: 5/5 and 2/5.
    found, consensus = aggregate(question(real_dialogue, "volgorde"), THEMES, rankings(), k=2)
    by_theme = {c.item: c for c in consensus}
    assert by_theme["a"].broadly_supported and not by_theme["a"].divided
    assert by_theme["c"].broadly_supported
    assert by_theme["d"].divided and not by_theme["d"].broadly_supported
    assert by_theme["b"].divided and not by_theme["b"].broadly_supported
    raad = {g.group: g.support for g in by_theme["d"].groups}
    assert raad == {"bestuur": 1.0, "raad": 0.4}
    assert priorities_text([]) == tmsg.NO_PRIORITY_ANSWERS


def test_mean_points_match_the_hand_count(real_dialogue) -> None:
    given = [
        {"a": 5, "b": 3, "c": 2},
        {"a": 10},
        {"b": 4, "c": 4, "d": 2},
        {"a": 2, "d": 8},
        {"a": 1, "b": 1, "c": 1, "d": 7},
    ]
    answers = [(respondent(f"p{i}", "griffier", "Drenthe", ""), v) for i, v in enumerate(given)]
    result, _ = aggregate(question(real_dialogue, "punten"), THEMES, answers, k=5)
    everyone = {s.theme: (s.points, s.mean) for s in result.everyone.themes}
    assert everyone == {"a": (18, 3.6), "b": (8, 1.6), "c": (7, 1.4), "d": (17, 3.4)}
    assert [s.theme for s in result.everyone.themes] == ["a", "d", "b", "c"]


def test_fewer_than_five_respondents_show_no_figure_only_less_than_five(real_dialogue) -> None:
    answers = [
        (respondent(f"p{i}", "raadslid", "Utrecht", "G4"), ["a", "b", "c"]) for i in range(3)
    ]
    result, consensus = aggregate(question(real_dialogue, "volgorde"), THEMES, answers, k=5)
    assert result.everyone.respondents.text == "< 5"
    assert all(s.mean is None and s.interval is None for s in result.everyone.themes)
    assert result.groups == ()
    assert all(not c.broadly_supported and not c.divided for c in consensus)


# ---------------------------------------------------------------- from the store


FENNA = Identity(channel="teams", aad_object_id="aad-fenna", teams_user_id="29:fenna", name="Fenna")


@pytest.fixture
def runtime(
    tmp_path: Path, database: Database, real_dialogue, registry, clock: FakeClock
) -> Runtime:
    settings = test_settings(tmp_path, facilitators="aad-fenna", database_url=str(database.url))
    return make_runtime(
        settings, database=database, clock=clock, dialogue=real_dialogue, registry=registry
    )


def store_rankings(runtime: Runtime) -> None:
    values = ["raad-aan-zet", "minder-verbanden", "heldere-rollen", "rijk-afstemming"]
    letter = dict(zip(THEMES, values, strict=True))
    with runtime.database.unit_of_work() as session:
        for i, (who, ranking) in enumerate(rankings()):
            role = "raad" if who.key.startswith("r") else "bestuur"
            answer_store.save(
                session,
                dialogue_key=runtime.dialogue.key,
                pseudonym=f"{who.key}-{i}",
                answers=[("voorkeuren", "volgorde", [letter[t] for t in ranking])],
                role=role,
                province="Utrecht",
                networks="",
                day=runtime.clock().date(),
            )


def test_the_prioriteiten_command_shows_the_stored_results_with_their_labels(
    runtime: Runtime,
) -> None:
    store_rankings(runtime)
    (view,) = runtime.door.handle(InboundEvent(FENNA, Text("prioriteiten"))).replies
    assert isinstance(view, PrioritiesView)
    text = view.text
    assert "1. De raad meer grip geven op regionale besluiten: 17 punten, gemiddeld 1,7" in text
    assert "4. Minder en overzichtelijkere samenwerkingsverbanden: 11 punten" in text
    assert "Rolgroep raad (5 deelnemers)" in text
    assert tmsg.small_groups_note(5) in text


def test_dialoog_priorities_prints_the_same_figures(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, capsys, tmp_path: Path
) -> None:
    store_rankings(runtime)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DIALOOG_DATABASE_URL", str(runtime.database.url))
    monkeypatch.delenv("DIALOOG_DIALOGUE_FILE", raising=False)
    assert main(["priorities", "--by", "role"]) == 0
    out = capsys.readouterr().out
    assert "gemiddeld 1,7" in out and "Rolgroep bestuur (5 deelnemers)" in out
    assert "Provincie" not in out
