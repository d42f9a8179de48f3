"""How typed (and clicked) answers are understood, per question kind, and what a participant is told
when an answer does not fit."""

from __future__ import annotations

import pytest

from dialogen.conversation.answering import Rejection, describe_value, interpret, interpret_yes_no
from dialogen.dialogue.definition import Option, Question, QuestionKind

OBSTACLE = Question(
    id="obstakel",
    kind=QuestionKind.SINGLE,
    text="Wat is het grootste obstakel?",
    options=(
        Option(value="grip-raad", label="De raad heeft te weinig grip"),
        Option(value="verschillende-belangen", label="Gemeenten hebben verschillende belangen"),
        Option(value="te-veel-verbanden", label="Er zijn te veel samenwerkingsverbanden"),
        Option(value="capaciteit", label="Te weinig capaciteit en geld"),
        Option(value="anders", label="Iets anders"),
    ),
)
YES_NO = Question(
    id="eens",
    kind=QuestionKind.SINGLE,
    text="Bent u het hiermee eens?",
    options=(
        Option(value="ja", label="Ja"),
        Option(value="nee", label="Nee"),
        Option(value="weet-niet", label="Weet ik niet"),
    ),
)
THEMES = Question(
    id="themas",
    kind=QuestionKind.MULTIPLE,
    text="Welke thema's?",
    max_picks=3,
    options=(
        Option(value="democratie", label="Democratische legitimiteit en de rol van de raad"),
        Option(value="sturing", label="Sturing en zeggenschap van de eigen gemeente"),
        Option(value="bestuurslaag", label="Voorkomen van een extra bestuurslaag"),
        Option(value="complexiteit", label="Complexiteit van het openbaar bestuur"),
        Option(value="afstand", label="Afstand tot de inwoner"),
        Option(value="efficiency", label="Efficiency en schaalvoordelen"),
    ),
)
SATISFACTION = Question(
    id="waardering",
    kind=QuestionKind.SCALE,
    text="Hoe tevreden bent u?",
    scale_min=1,
    scale_max=5,
    min_label="Zeer ontevreden",
    max_label="Zeer tevreden",
)
IMAGE = Question(
    id="beeld", kind=QuestionKind.OPEN, text="Welk beeld heeft u?", min_length=10, max_length=1500
)


def rejected(question: Question, raw: str | list[str]) -> str:
    result = interpret(question, raw)
    assert isinstance(result, Rejection), f"{raw!r} was accepted as {result!r}"
    return result.text


# ---------------------------------------------------------------- single choice


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("2", "verschillende-belangen"),
        (" 2 ", "verschillende-belangen"),
        ("2.", "verschillende-belangen"),
        ("2)", "verschillende-belangen"),
        ("B", "verschillende-belangen"),
        ("b", "verschillende-belangen"),
        ("b.", "verschillende-belangen"),
        ("Te weinig capaciteit en geld", "capaciteit"),
        ("te weinig capaciteit en geld!", "capaciteit"),
        ("Iets anders", "anders"),
        ("anders", "anders"),  # the stored value
        ("De raad", "grip-raad"),  # the start of exactly one label
        ("Er zijn te veel", "te-veel-verbanden"),
        ("5", "anders"),
    ],
)
def test_a_single_choice_is_understood_by_number_letter_label_or_prefix(
    typed: str, value: str
) -> None:
    assert interpret(OBSTACLE, typed) == value


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("Nee", "nee"),
        ("nee", "nee"),
        ("ja", "ja"),
        ("JA", "ja"),
        ("Weet ik niet", "weet-niet"),
        ("3", "weet-niet"),
    ],
)
def test_yes_and_no_are_understood_as_options(typed: str, value: str) -> None:
    assert interpret(YES_NO, typed) == value


@pytest.mark.parametrize("typed", ["6", "0", "F", "zeven", "de", "1, 2", "", "Geen idee eigenlijk"])
def test_a_single_choice_that_fits_no_option_is_re_asked_with_the_range(typed: str) -> None:
    text = rejected(OBSTACLE, typed)
    assert "niet begrepen" in text
    assert "1 tot en met 5" in text


def test_a_clicked_single_choice_is_taken_as_is() -> None:
    assert interpret(OBSTACLE, "capaciteit") == "capaciteit"
    assert interpret(OBSTACLE, ["capaciteit"]) == "capaciteit"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ja", True),
        ("Ja, ik doe mee", True),
        ("Ja graag", True),
        ("ok", True),
        ("Akkoord", True),
        ("nee", False),
        ("Nee, nu niet", False),
        ("Nee, dat wil ik aanpassen", False),
        ("liever niet", False),
        ("misschien", None),
        ("", None),
    ],
)
def test_yes_no_questions_understand_everyday_answers(typed: str, expected: bool | None) -> None:
    assert interpret_yes_no(typed) is expected


# ---------------------------------------------------------------- multiple choice


@pytest.mark.parametrize(
    ("typed", "values"),
    [
        ("1", ["democratie"]),
        ("1, 3 en 5", ["democratie", "bestuurslaag", "afstand"]),
        ("1,3,5", ["democratie", "bestuurslaag", "afstand"]),
        ("1 3 5", ["democratie", "bestuurslaag", "afstand"]),
        ("1; 2", ["democratie", "sturing"]),
        ("1/2", ["democratie", "sturing"]),
        ("A C", ["democratie", "bestuurslaag"]),
        ("a, c en e", ["democratie", "bestuurslaag", "afstand"]),
        ("Afstand tot de inwoner", ["afstand"]),
        ("Efficiency en schaalvoordelen", ["efficiency"]),  # a label with "en" in it stays one pick
        ("Afstand tot de inwoner, Efficiency en schaalvoordelen", ["afstand", "efficiency"]),
        (
            "Sturing en zeggenschap van de eigen gemeente, Afstand tot de inwoner",
            ["sturing", "afstand"],
        ),
        ("Afstand, Efficiency", ["afstand", "efficiency"]),  # prefixes of labels
        ("1, 1, 3", ["democratie", "bestuurslaag"]),  # a duplicate counts once
        ("1 en 1 en 1 en 2", ["democratie", "sturing"]),
    ],
)
def test_multiple_choices_are_understood_in_everyday_notations(
    typed: str, values: list[str]
) -> None:
    assert interpret(THEMES, typed) == values


def test_clicked_multiple_choices_are_taken_as_is_and_duplicates_count_once() -> None:
    assert interpret(THEMES, ["sturing", "afstand"]) == ["sturing", "afstand"]
    assert interpret(THEMES, ["sturing", "sturing"]) == ["sturing"]


@pytest.mark.parametrize("typed", ["1,2,3,4", "A B C D", "1 2 3 4 5 6"])
def test_too_many_picks_are_refused_with_the_maximum_in_the_message(typed: str) -> None:
    text = rejected(THEMES, typed)
    assert "maximaal 3" in text


def test_the_maximum_in_the_message_follows_the_question() -> None:
    two = THEMES.model_copy(update={"max_picks": 2})
    assert "maximaal 2" in rejected(two, "1 2 3")
    assert interpret(THEMES.model_copy(update={"max_picks": None}), "1 2 3 4 5 6") == [
        "democratie",
        "sturing",
        "bestuurslaag",
        "complexiteit",
        "afstand",
        "efficiency",
    ]


@pytest.mark.parametrize("typed", ["7", "1, 9", "1 en Z", "iets heel anders", "", "0"])
def test_a_pick_that_fits_no_option_refuses_the_whole_answer(typed: str) -> None:
    text = rejected(THEMES, typed)
    assert "niet begrepen" in text and "1 tot en met 6" in text


def test_a_clicked_value_that_is_no_option_is_refused() -> None:
    assert "niet begrepen" in rejected(THEMES, ["sturing", "bestaat-niet"])


# ---------------------------------------------------------------- scale


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1", 1),
        ("3", 3),
        ("5", 5),
        (" 4 ", 4),
        ("4.", 4),
        ("+3", 3),
        ("Zeer tevreden", 5),
        ("zeer ontevreden", 1),
        ("ZEER TEVREDEN!", 5),
    ],
)
def test_a_scale_takes_a_number_in_range_or_an_end_label(typed: str, value: int) -> None:
    assert interpret(SATISFACTION, typed) == value


@pytest.mark.parametrize(
    "typed", ["0", "6", "-1", "-3", "10", "3.5", "3,5", "zeven", "tevreden", ""]
)
def test_a_scale_refuses_numbers_out_of_range_and_other_words_with_the_range(typed: str) -> None:
    text = rejected(SATISFACTION, typed)
    assert "1 tot en met 5" in text


def test_a_scale_from_zero_to_ten() -> None:
    zero_to_ten = Question(
        id="cijfer", kind=QuestionKind.SCALE, text="Welk cijfer?", scale_min=0, scale_max=10
    )
    assert interpret(zero_to_ten, "0") == 0
    assert interpret(zero_to_ten, "10") == 10
    assert "0 tot en met 10" in rejected(zero_to_ten, "11")
    assert "0 tot en met 10" in rejected(zero_to_ten, "-1")


def test_a_clicked_scale_value_is_a_number() -> None:
    assert interpret(SATISFACTION, ["4"]) == 4


# ---------------------------------------------------------------- open


def test_an_open_answer_is_kept_as_written_without_surrounding_space() -> None:
    assert interpret(IMAGE, "  Samenwerken gaat goed.  ") == "Samenwerken gaat goed."


def test_a_short_open_answer_states_the_minimum() -> None:
    text = rejected(IMAGE, "Goed")
    assert "Minimaal 10 tekens" in text
    assert interpret(IMAGE, "x" * 10) == "x" * 10


def test_a_long_open_answer_states_the_limit_and_its_length() -> None:
    text = rejected(IMAGE, "x" * 1501)
    assert "1.500 tekens" in text and "1.501 tekens" in text
    assert interpret(IMAGE, "x" * 1500) == "x" * 1500


def test_only_spaces_is_too_short() -> None:
    assert "Minimaal 10" in rejected(IMAGE, " " * 40)


def test_an_optional_open_question_with_a_minimum_of_zero_takes_anything() -> None:
    free = IMAGE.model_copy(update={"min_length": 0, "required": False})
    assert interpret(free, "") == ""


# ---------------------------------------------------------------- reading answers back


def test_answers_are_read_back_with_their_labels() -> None:
    assert describe_value(THEMES, ["sturing", "afstand"]) == (
        "Sturing en zeggenschap van de eigen gemeente; Afstand tot de inwoner"
    )
    assert describe_value(OBSTACLE, "capaciteit") == "Te weinig capaciteit en geld"
    assert describe_value(SATISFACTION, 4) == "4 (van 1 tot 5)"
    assert describe_value(IMAGE, "Mijn beeld") == "Mijn beeld"
