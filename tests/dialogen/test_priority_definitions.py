"""The Voorkeuren kinds' definitions, the door's options hook and the summaries for a report.

Definitions: what a dialogue file may write (top within the options, at least 1 point, no
``max_picks``, ``options_from: themes`` without a list) and the problem named at its place.
The hook: supplied options replace the file's only where a question asks for them.
Summaries: the counts a later aggregation needs (approval, places, points given), checked
against hand-counted ballots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from dialogen.conversation.kinds import Summary, kind_of
from dialogen.conversation.options import MAX_OPTIONS, as_asked, sourced
from dialogen.conversation.prompts import question_prompt
from dialogen.conversation.replies import PromptKind
from dialogen.conversation.reply_codec import decode_replies, encode_replies
from dialogen.dialogue.definition import Dialogue, Option, Question
from dialogen.dialogue.loader import default_dialogue_path, load_dialogue
from dialogen.errors import DialogueFileError

OPTIONS = [
    {"value": "a", "label": "Alfa"},
    {"value": "b", "label": "Bravo"},
    {"value": "c", "label": "Charlie"},
    {"value": "d", "label": "Delta"},
]


def written(tmp_path: Path, question: dict[str, Any]) -> Path:
    """The shipped dialogue file with ``question`` as Voorkeuren's only question."""
    data = yaml.safe_load(default_dialogue_path().read_text(encoding="utf-8"))
    data["steps"][4]["questions"] = [question]
    path = tmp_path / "dialoog.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def loaded(tmp_path: Path, **question: Any) -> Question:
    dialogue = load_dialogue(written(tmp_path, {"id": "v", "text": "Vraag?"} | question))
    return dialogue.steps[4].questions[0]


# ---------------------------------------------------------------- definitions


@pytest.mark.parametrize(
    ("question", "problem"),
    [
        (
            {"kind": "ranking", "top": 5, "options": OPTIONS},
            "steps[4].questions[0].top: must be at most the number of options (4)",
        ),
        (
            {"kind": "ranking", "top": 2, "at_least": 3, "options": OPTIONS},
            "steps[4].questions[0].at_least: must not be more than top",
        ),
        (
            {"kind": "ranking", "top": 0, "options": OPTIONS},
            "steps[4].questions[0].top: Input should be greater than or equal to 1",
        ),
        (
            {"kind": "ranking", "max_picks": 2, "options": OPTIONS},
            "steps[4].questions[0].max_picks: a ranking question sets its own limit, not max_picks",
        ),
        (
            {"kind": "points", "points": 0, "options": OPTIONS},
            "steps[4].questions[0].points: Input should be greater than or equal to 1",
        ),
        (
            {"kind": "points", "options": OPTIONS[:1]},
            "steps[4].questions[0].options: at least 2 needed (or options_from: themes)",
        ),
        (
            {"kind": "top", "options": [OPTIONS[0], OPTIONS[0]]},
            "steps[4].questions[0].options: values must be unique",
        ),
        (
            {"kind": "top", "top": 5, "options": OPTIONS},
            "steps[4].questions[0].top: must be at most the number of options (4)",
        ),
        (
            {"kind": "top", "options_from": "bijdragen"},
            "steps[4].questions[0].options_from: Input should be 'themes'",
        ),
        (
            {
                "kind": "points",
                "options": [{"value": f"o{n}", "label": f"Optie {n}"} for n in range(27)],
            },
            f"steps[4].questions[0].options: at most {MAX_OPTIONS} (one letter each in a mail)",
        ),
    ],
)
def test_a_definition_the_kind_cannot_ask_is_named_at_its_place(
    tmp_path: Path, question: dict[str, Any], problem: str
) -> None:
    with pytest.raises(DialogueFileError) as caught:
        load_dialogue(written(tmp_path, {"id": "v", "text": "Vraag?"} | question))
    assert caught.value.problems == [problem]


def test_the_defaults_and_a_themes_question_without_a_list(tmp_path: Path) -> None:
    ranking = loaded(tmp_path, kind="ranking", options=OPTIONS)
    assert ranking.picks == 3 and kind_of(ranking).name == "ranking"
    step = dialogue_with(tmp_path, {"id": "p", "kind": "points", "text": "?", "options": OPTIONS})
    assert question_prompt(step.steps[4], step.steps[4].questions[0]).total == 10
    themes = loaded(tmp_path, kind="ranking", top=5, options_from="themes")
    assert themes.options == () and themes.picks == 0  # capped by the themes there are


# ---------------------------------------------------------------- the door's options hook


def dialogue_with(tmp_path: Path, *questions: dict[str, Any]) -> Dialogue:
    data = yaml.safe_load(default_dialogue_path().read_text(encoding="utf-8"))
    data["steps"][4]["questions"] = list(questions)
    path = tmp_path / "dialoog.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_dialogue(path)


THEMED = {"id": "t", "kind": "ranking", "text": "Thema's?", "options_from": "themes"}
FIXED = {"id": "f", "kind": "points", "text": "Punten?", "options": OPTIONS}
THEMES = tuple(Option(value=f"t{n}", label=f"Thema {n}") for n in range(1, 5))


def test_supplied_options_replace_the_files_only_where_a_question_asks_for_them(
    tmp_path: Path,
) -> None:
    dialogue = dialogue_with(tmp_path, THEMED, FIXED)
    assert [(s.key, q.id) for s, q in sourced(dialogue)] == [("voorkeuren", "t")]
    asked = as_asked(dialogue, {("voorkeuren", "t"): THEMES, ("voorkeuren", "f"): THEMES})
    step = asked.steps[4]
    assert step.questions[0].options == THEMES
    assert step.questions[1].options == dialogue.steps[4].questions[1].options  # fixed stays
    assert asked.steps[2] is dialogue.steps[2]
    assert as_asked(dialogue, {}) is dialogue
    assert as_asked(dialogue, {("voorkeuren", "t"): ()}) is dialogue  # nothing: the fallback


@pytest.mark.parametrize(
    ("supplied", "problem"),
    [
        (
            tuple(Option(value=f"t{n}", label=f"T{n}") for n in range(27)),
            "voorkeuren/t: 27 options supplied, at most 26",
        ),
        ((THEMES[0], THEMES[0]), "voorkeuren/t: option values supplied twice"),
    ],
)
def test_a_list_the_kinds_cannot_ask_is_the_doors_mistake(
    tmp_path: Path, supplied: tuple[Option, ...], problem: str
) -> None:
    dialogue = dialogue_with(tmp_path, THEMED)
    with pytest.raises(ValueError, match=problem):
        as_asked(dialogue, {("voorkeuren", "t"): supplied})


def test_a_points_prompt_keeps_its_total_through_the_outbox(real_dialogue: Dialogue) -> None:
    step = real_dialogue.steps[4]
    prompts = tuple(question_prompt(step, q) for q in step.questions)
    assert [p.kind for p in prompts] == [PromptKind.RANKING, PromptKind.POINTS]
    assert decode_replies(encode_replies(prompts)) == prompts
    assert prompts[1].total == 10 and prompts[0].total is None


# ---------------------------------------------------------------- summaries


def voorkeuren(real_dialogue: Dialogue, question_id: str) -> Question:
    question = real_dialogue.steps[4].question(question_id)
    assert question is not None
    return question


LABELS = (
    "De raad meer grip geven op regionale besluiten",
    "Minder en overzichtelijkere samenwerkingsverbanden",
    "Heldere rollen en verantwoordelijkheden",
    "Betere afstemming met het Rijk over regio-indelingen",
    "Inwoners beter betrekken bij regionale keuzes",
    "Kennis en goede voorbeelden delen tussen regio's",
)


def test_a_ranking_summarises_to_places_per_option(real_dialogue: Dialogue) -> None:
    question = voorkeuren(real_dialogue, "volgorde")
    ballots = [
        ["heldere-rollen", "raad-aan-zet", "kennis-delen"],
        ["raad-aan-zet", "heldere-rollen", "minder-verbanden"],
        ["heldere-rollen", "kennis-delen", "raad-aan-zet"],
        None,
        ["samengevoegd-thema", "heldere-rollen", "raad-aan-zet"],  # an option no longer listed
    ]
    summary = kind_of(question).summarise(question, ballots)
    assert summary.respondents == 4 and summary.mean is None
    assert summary.distribution == (
        (LABELS[0], (1, 1, 2)),
        (LABELS[1], (0, 0, 1)),
        (LABELS[2], (2, 2, 0)),
        (LABELS[3], (0, 0, 0)),
        (LABELS[4], (0, 0, 0)),
        (LABELS[5], (0, 1, 1)),
        ("samengevoegd-thema", (1, 0, 0)),
    )
    assert summary.counts == (
        (LABELS[0], 4),
        (LABELS[1], 1),
        (LABELS[2], 4),
        (LABELS[3], 0),
        (LABELS[4], 0),
        (LABELS[5], 2),
        ("samengevoegd-thema", 1),
    )


def test_points_summarise_to_how_many_gave_each_amount(real_dialogue: Dialogue) -> None:
    question = voorkeuren(real_dialogue, "punten")
    values = [o.value for o in question.options]
    zero = dict.fromkeys(values, 0)
    ballots = [
        zero | {"raad-aan-zet": 5, "heldere-rollen": 3, "kennis-delen": 2},
        zero | {"raad-aan-zet": 10},
        zero | {"heldere-rollen": 5, "kennis-delen": 5},
        None,
    ]
    summary = kind_of(question).summarise(question, ballots)
    assert summary.respondents == 3
    rows = dict(summary.distribution)
    assert rows[LABELS[0]] == (1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1)  # 0, 5 and 10 points
    assert rows[LABELS[2]] == (1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0)
    assert rows[LABELS[5]] == (1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0)
    assert rows[LABELS[1]] == (3,) + (0,) * 10
    assert all(sum(row) == 3 for row in rows.values())  # everyone was shown every option
    assert dict(summary.counts) == {
        LABELS[0]: 2,
        LABELS[1]: 0,
        LABELS[2]: 2,
        LABELS[3]: 0,
        LABELS[4]: 0,
        LABELS[5]: 2,
    }


def test_an_option_added_later_counts_only_those_who_were_shown_it(
    real_dialogue: Dialogue,
) -> None:
    question = voorkeuren(real_dialogue, "punten")
    later = question.model_copy(
        update={"options": (*question.options, Option(value="x", label="X"))}
    )
    earlier = {o.value: 0 for o in question.options} | {"raad-aan-zet": 10}
    summary = kind_of(later).summarise(later, [earlier, earlier | {"raad-aan-zet": 4, "x": 6}])
    x_row = dict(summary.distribution)["X"]
    assert sum(x_row) == 1 and x_row[6] == 1


def test_a_card_made_before_an_option_was_added_stores_only_what_it_showed(
    real_dialogue: Dialogue,
) -> None:
    question = voorkeuren(real_dialogue, "punten")
    later = question.model_copy(
        update={"options": (*question.options, Option(value="x", label="X"))}
    )
    sent = [f"{o.value}=" for o in question.options[1:]] + [f"{question.options[0].value}=10"]
    stored = kind_of(later).interpret(later, sent)
    assert stored == {o.value: 0 for o in question.options} | {question.options[0].value: 10}
    typed = kind_of(later).interpret(later, "G 10")
    assert typed == {o.value: 0 for o in question.options} | {"x": 10}  # typed: the whole list


def test_a_top_question_summarises_to_approval_counts(tmp_path: Path) -> None:
    question = loaded(tmp_path, kind="top", top=2, options=OPTIONS)
    summary = kind_of(question).summarise(question, [["a", "c"], ["c"], ["b", "c"], [], None])
    assert summary == Summary(
        respondents=3, counts=(("Alfa", 1), ("Bravo", 1), ("Charlie", 3), ("Delta", 0))
    )


@pytest.mark.parametrize(
    "settings", [{"kind": "ranking", "top": 2}, {"kind": "points"}, {"kind": "top", "top": 2}]
)
def test_no_answers_summarise_to_nobody(tmp_path: Path, settings: dict[str, Any]) -> None:
    question = loaded(tmp_path, options=OPTIONS, **settings)
    summary = kind_of(question).summarise(question, [None, None])
    assert summary.respondents == 0 and summary.mean is None
    assert all(count == 0 for _, count in summary.counts)
    assert all(not any(row) for _, row in summary.distribution)
