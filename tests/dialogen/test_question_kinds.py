"""Question kinds as registered units.

A "year" kind is registered here, in the test module only: a dialogue file uses it with its own
settings, and it is asked in a Teams chat (card and text), answered by typing, rejected with a
Dutch hint and asked again, answered by mail, listed in a mail, read back under "mijn antwoorden"
and summarised, without any change to the engine or the channels. Then each built-in kind's
``summarise``, and the registry's rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import model_validator

from bot.mail.outbound.body import render_body
from bot.teams.cards import prompt_card, prompt_text
from dialogen.conversation.inputs import Text
from dialogen.conversation.kinds import (
    Kind,
    KindSettings,
    Raw,
    Rejection,
    Summary,
    kind_names,
    kind_of,
    register_kind,
    settings_of,
    unregister_kind,
)
from dialogen.conversation.replies import Prompt, PromptKind, Say
from dialogen.dialogue.definition import Dialogue, Question
from dialogen.dialogue.loader import default_dialogue_path, load_dialogue
from dialogen.errors import DialogueFileError, QuestionKindError
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from tests.support.engine_person import Person

# ---------------------------------------------------------------- a kind that lives in this test


class YearSettings(KindSettings):
    earliest: int = 1900
    latest: int = 2100

    @model_validator(mode="after")
    def _in_order(self) -> YearSettings:
        if self.earliest > self.latest:
            raise ValueError("earliest/latest: earliest must not be after latest")
        return self


class YearKind(Kind):
    """A four-digit year within the question's ``earliest`` and ``latest``; typed like text."""

    name = "year"
    shape = PromptKind.OPEN
    settings_model = YearSettings

    def check(self, question: Question) -> None:
        if question.options:
            raise ValueError("options: a year has no options")

    def hint(self, question: Question) -> str:
        s = settings_of(question, YearSettings)
        return f"Typ een jaartal van {s.earliest} tot en met {s.latest}."

    def interpret(self, question: Question, raw: Raw) -> int | Rejection:
        text = (raw if isinstance(raw, str) else " ".join(raw)).strip().rstrip(".")
        s = settings_of(question, YearSettings)
        if re.fullmatch(r"\d{4}", text) and s.earliest <= int(text) <= s.latest:
            return int(text)
        return Rejection(f"Dat is geen jaartal dat ik ken. {self.hint(question)}")

    def describe(self, question: Question, value: Any) -> str:
        return f"sinds {value}"

    def form_hint(self, question: Question) -> str:
        return self.hint(question)

    def form_lines(self, question: Question) -> tuple[str, ...]:
        return (f"Bijvoorbeeld: {settings_of(question, YearSettings).latest}",)

    def summarise(self, question: Question, values: Sequence[Any]) -> Summary:
        years = sorted(int(v) for v in values if v is not None)
        counts = tuple((str(y), years.count(y)) for y in sorted(set(years)))
        mean = sum(years) / len(years) if years else None
        return Summary(respondents=len(years), counts=counts, mean=mean)


SINCE = {
    "id": "sinds",
    "kind": "year",
    "text": "Sinds welk jaar werkt uw gemeente samen in deze regio?",
    "earliest": 1990,
    "latest": 2024,
}
HINT = "Typ een jaartal van 1990 tot en met 2024."


@pytest.fixture
def year_kind() -> Iterator[Kind]:
    kind = register_kind(YearKind())
    yield kind
    unregister_kind(kind.name)


def with_year_question(tmp_path: Path, **changes: Any) -> Path:
    """The shipped dialogue file with a year question first in Verkennen (``steps[2]``)."""
    data = yaml.safe_load(default_dialogue_path().read_text(encoding="utf-8"))
    data["steps"][2]["questions"].insert(0, SINCE | changes)
    path = tmp_path / "dialoog.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def dialogue(year_kind: Kind, tmp_path: Path) -> Dialogue:
    return load_dialogue(with_year_question(tmp_path))


def prompts(replies: Sequence[object]) -> list[Prompt]:
    return [r for r in replies if isinstance(r, Prompt)]


# ---------------------------------------------------------------- the year kind, end to end


def test_a_dialogue_file_uses_the_kind_and_its_own_settings(dialogue: Dialogue) -> None:
    question = dialogue.step("verkennen").questions[0]
    assert question.kind == "year" and kind_of(question).name == "year"
    assert question.settings == YearSettings(earliest=1990, latest=2024)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"target": 5}, "steps[2].questions[0].target: Extra inputs are not permitted"),
        (
            {"earliest": "nooit"},
            "steps[2].questions[0].earliest: "
            "Input should be a valid integer, unable to parse string as an integer",
        ),
        (
            {"earliest": 2030},
            "steps[2].questions[0]: earliest/latest: earliest must not be after latest",
        ),
        (
            {"options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]},
            "steps[2].questions[0].options: a year has no options",
        ),
    ],
)
def test_the_kinds_settings_are_checked_where_they_are_written(
    year_kind: Kind, tmp_path: Path, changes: dict[str, Any], problem: str
) -> None:
    with pytest.raises(DialogueFileError) as caught:
        load_dialogue(with_year_question(tmp_path, **changes))
    assert caught.value.problems == [problem]


def test_without_the_registration_the_file_names_the_known_kinds(tmp_path: Path) -> None:
    with pytest.raises(DialogueFileError) as caught:
        load_dialogue(with_year_question(tmp_path))
    assert caught.value.problems[0] == (
        "steps[2].questions[0].kind: Input should be "
        "'open', 'single', 'multiple', 'scale', 'reactions', 'ranking', 'points' or 'top'"
    )


def test_asked_in_teams_answered_by_typing_rejected_and_asked_again(
    dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    person = Person(dialogue, registry)
    (asked,) = prompts(person.send(Text("verder")).replies)
    assert asked.input_id == "q:verkennen:sinds" and asked.kind is PromptKind.OPEN
    assert asked.hint == HINT and asked.progress == "Vraag 1 van 8"
    text = prompt_text(asked)
    assert text.startswith("_Vraag 1 van 8_") and SINCE["text"] in text and HINT in text
    card = prompt_card(asked)
    assert card["version"] == "1.5" and SINCE["text"] in card["fallbackText"]

    rejected = person.send(Text("1850"))
    assert rejected.event == "answer_rejected" and not rejected.answers
    assert rejected.replies[0] == Say(f"Dat is geen jaartal dat ik ken. {HINT}")
    assert [p.input_id for p in prompts(rejected.replies)] == ["q:verkennen:sinds"]

    answered = person.send(Text("2015"))
    assert answered.event == "answer"
    assert person.answers["verkennen"] == {"sinds": 2015}
    assert [p.input_id for p in prompts(answered.replies)] == ["q:verkennen:beeld"]


def test_read_back_under_mijn_antwoorden(
    dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    person = Person(dialogue, registry)
    person.send(Text("verder"))
    person.send(Text("2015"))
    shown = person.send(Text("mijn antwoorden")).replies[0]
    assert isinstance(shown, Say)
    assert f"1. {SINCE['text']}\n   → sinds 2015" in shown.text


def test_answered_by_mail_with_a_hint_for_what_it_cannot_read(
    dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    person = Person(dialogue, registry)
    receipt = person.mail((1, "ergens in de jaren negentig"))
    assert receipt.problems == ((1, f"Dat is geen jaartal dat ik ken. {HINT}"),)
    assert "verkennen" not in person.answers
    receipt = person.mail((1, "2012"))
    assert receipt.recorded == ((1, SINCE["text"], "sinds 2012"),)
    assert person.answers["verkennen"] == {"sinds": 2012}


def test_listed_in_a_mail_with_its_hint_and_its_own_lines(
    dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    person = Person(dialogue, registry)
    receipt = person.mail((1, "2012"), (2, "kort"))  # the open question wants 10 characters
    body = render_body(
        [receipt], dialogue=dialogue, signature="Het dialoogteam", unsubscribe_url=None
    )
    assert f"- 1. {SINCE['text']}\n  → sinds 2012" in body.text
    assert "Bijvoorbeeld" not in body.text  # answered, so not among the questions still open

    fresh = render_body(
        [],
        dialogue=dialogue,
        form_step="verkennen",
        signature="Het dialoogteam",
        unsubscribe_url=None,
    )
    assert f"1. {SINCE['text']} {HINT}\n   Bijvoorbeeld: 2024\n\n2. " in fresh.text
    assert "&nbsp;&nbsp;&nbsp;Bijvoorbeeld: 2024" in fresh.html


def test_summarised_for_a_report(dialogue: Dialogue) -> None:
    question = dialogue.step("verkennen").questions[0]
    summary = kind_of(question).summarise(question, [2015, 2012, None, 2015])
    assert summary == Summary(respondents=3, counts=(("2012", 1), ("2015", 2)), mean=2014.0)


# ---------------------------------------------------------------- the registry


def test_a_name_is_registered_once_and_unregistered_once(year_kind: Kind) -> None:
    assert kind_names() == (
        "open",
        "single",
        "multiple",
        "scale",
        "reactions",
        "ranking",
        "points",
        "top",
        "year",
    )
    with pytest.raises(QuestionKindError):
        register_kind(YearKind())
    unregister_kind("year")
    with pytest.raises(QuestionKindError):
        unregister_kind("year")
    register_kind(year_kind)  # the fixture unregisters it again


# ---------------------------------------------------------------- built-in summaries


def verkennen(real_dialogue: Dialogue, question_id: str) -> Question:
    question = real_dialogue.step("verkennen").question(question_id)
    assert question is not None
    return question


def summary_of(real_dialogue: Dialogue, question_id: str, values: Sequence[Any]) -> Summary:
    question = verkennen(real_dialogue, question_id)
    return kind_of(question).summarise(question, values)


def test_an_open_question_summarises_to_its_texts(real_dialogue: Dialogue) -> None:
    summary = summary_of(real_dialogue, "beeld", ["Veel verbanden.", None, "Weinig grip."])
    assert summary == Summary(respondents=2, texts=("Veel verbanden.", "Weinig grip."))


def test_a_single_choice_counts_every_option_in_option_order(real_dialogue: Dialogue) -> None:
    summary = summary_of(real_dialogue, "obstakel", ["capaciteit", "grip-raad", "capaciteit"])
    assert summary.respondents == 3 and summary.mean is None and summary.texts == ()
    assert summary.counts == (
        ("De raad heeft te weinig grip", 1),
        ("Gemeenten hebben verschillende belangen", 0),
        ("Er zijn te veel samenwerkingsverbanden", 0),
        ("Rollen en verantwoordelijkheden zijn onduidelijk", 0),
        ("Te weinig capaciteit en geld", 2),
        ("Iets anders", 0),
    )


def test_a_multiple_choice_counts_each_pick_once_per_respondent(real_dialogue: Dialogue) -> None:
    summary = summary_of(
        real_dialogue,
        "themas",
        [["sturing", "expertise"], ["expertise"], ["sturing", "sturing"], None],
    )
    assert summary.respondents == 3
    assert dict(summary.counts) == {
        "Democratische legitimiteit en de rol van de raad": 0,
        "Sturing en zeggenschap van de eigen gemeente": 2,
        "Voorkomen van een extra bestuurslaag": 0,
        "Complexiteit van het openbaar bestuur": 0,
        "Afstand tot de inwoner": 0,
        "Efficiency en schaalvoordelen": 0,
        "Bundelen van kennis en expertise": 2,
        "Regio's die het Rijk instelt of oplegt": 0,
    }
    assert [label for label, _ in summary.counts][:2] == [
        "Democratische legitimiteit en de rol van de raad",
        "Sturing en zeggenschap van de eigen gemeente",
    ]


def test_a_scale_counts_every_point_and_gives_the_mean(real_dialogue: Dialogue) -> None:
    summary = summary_of(real_dialogue, "waardering", [4, 5, 2, 4])
    assert summary == Summary(
        respondents=4,
        counts=(("1 – Zeer ontevreden", 0), ("2", 1), ("3", 0), ("4", 2), ("5 – Zeer tevreden", 1)),
        mean=3.75,
    )


@pytest.mark.parametrize("question_id", ["beeld", "waardering", "themas", "obstakel"])
def test_no_answers_summarise_to_nobody(real_dialogue: Dialogue, question_id: str) -> None:
    summary = summary_of(real_dialogue, question_id, [None])
    assert summary.respondents == 0 and summary.mean is None and summary.texts == ()
    assert all(count == 0 for _, count in summary.counts)
