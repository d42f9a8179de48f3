"""Loading dialogue files: every problem is reported with the file, the place in it and the reason;
and `dialoog check FILE` says so on the command line."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.cli.command import main
from dialogen.dialogue.loader import default_dialogue_path, load_dialogue, parse_dialogue
from dialogen.errors import DialogueFileError

AMS = ZoneInfo("Europe/Amsterdam")
VERKENNEN = 2  # index of the Verkennen step in the file


@pytest.fixture(scope="module")
def shipped() -> dict[str, Any]:
    """The shipped dialogue file as plain data, for tests to break one thing at a time."""
    return yaml.safe_load(default_dialogue_path().read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict[str, Any] | str, name: str = "dialoog.yaml") -> Path:
    path = tmp_path / name
    text = (
        data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    )
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, data: dict[str, Any] | str) -> tuple[str, list[str]]:
    path = write(tmp_path, data)
    with pytest.raises(DialogueFileError) as caught:
        load_dialogue(path)
    return str(path), caught.value.problems


def question(index: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda d: d["steps"][VERKENNEN]["questions"][index]


Q_OPEN, Q_SCALE, Q_MULTIPLE, Q_SINGLE = 0, 1, 2, 3


def _one_option(d: dict[str, Any]) -> None:
    q = d["steps"][VERKENNEN]["questions"][Q_SINGLE]
    q["options"] = q["options"][:1]


def _swap_first_steps(d: dict[str, Any]) -> None:
    d["steps"][0], d["steps"][1] = d["steps"][1], d["steps"][0]


BROKEN: dict[str, tuple[Callable[[dict[str, Any]], object], str]] = {
    "one option": (_one_option, "steps[2].questions[3].options: at least 2 needed"),
    "duplicate question id": (
        lambda d: question(Q_SCALE)(d).update(id="beeld"),
        "steps[2].questions: question ids must be unique within a step",
    ),
    "duplicate option value": (
        lambda d: question(Q_SINGLE)(d)["options"][1].update(value="grip-raad"),
        "steps[2].questions[3].options: values must be unique",
    ),
    "max_picks zero": (
        lambda d: question(Q_MULTIPLE)(d).update(max_picks=0),
        "steps[2].questions[2].max_picks: must be between 1 and the number of options",
    ),
    "max_picks above the options": (
        lambda d: question(Q_MULTIPLE)(d).update(max_picks=9),
        "steps[2].questions[2].max_picks: must be between 1 and the number of options",
    ),
    "max_picks on a single choice": (
        lambda d: question(Q_SINGLE)(d).update(max_picks=2),
        "steps[2].questions[3].max_picks: only for multiple choice questions",
    ),
    "scale bounds equal": (
        lambda d: question(Q_SCALE)(d).update(scale_min=5, scale_max=5),
        "steps[2].questions[1]: scale_min/scale_max: need 0 <= scale_min < scale_max <= 10",
    ),
    "scale too wide": (
        lambda d: question(Q_SCALE)(d).update(scale_max=11),
        "steps[2].questions[1]: scale_min/scale_max: need 0 <= scale_min < scale_max <= 10",
    ),
    "open min above max": (
        lambda d: question(Q_OPEN)(d).update(min_length=100, max_length=50),
        "steps[2].questions[0]: min_length/max_length: need 0 <= min_length <= max_length <= 4000",
    ),
    "options on an open question": (
        lambda d: question(Q_OPEN)(d).update(
            options=[{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]
        ),
        "steps[2].questions[0].options: only choice questions have options",
    ),
    "unknown question kind": (
        lambda d: question(Q_OPEN)(d).update(kind="essay"),
        "steps[2].questions[0].kind: Input should be "
        "'open', 'single', 'multiple', 'scale', 'reactions', 'ranking', 'points' or 'top'",
    ),
    "misspelt field": (
        lambda d: question(Q_OPEN)(d).update(texts="Wat vindt u?"),
        "steps[2].questions[0].texts: Extra inputs are not permitted",
    ),
    "interactive step without questions": (
        lambda d: d["steps"][VERKENNEN].update(questions=[]),
        "steps[2].questions: an interactive step needs at least 1 question",
    ),
    "questions on a facilitator step": (
        lambda d: d["steps"][0].update(questions=copy.deepcopy(d["steps"][VERKENNEN]["questions"])),
        "steps[0].questions: only interactive steps have questions",
    ),
    "step closes before it opens": (
        lambda d: d["steps"][VERKENNEN].update(closes="2024-09-01 09:00"),
        "steps[2].closes: must be after opens",
    ),
    "overlapping steps": (
        lambda d: d["steps"][VERKENNEN + 1].update(opens="2024-10-01 09:00"),
        "steps[3].opens: verrijken opens before verkennen closes (2024-10-07 23:59); "
        "steps may not overlap",
    ),
    "steps out of order": (
        _swap_first_steps,
        "steps: need the seven 7V steps in order: vinden, verzamelen, verkennen, verrijken, "
        "voorkeuren, verdiepen, voortzetten",
    ),
    "a step missing": (lambda d: d["steps"].pop(), "steps: need the seven 7V steps in order"),
    "unknown time zone": (
        lambda d: d.update(time_zone="Europe/Amsterdm"),
        "time_zone: unknown time zone 'Europe/Amsterdm'",
    ),
    "send window without days": (
        lambda d: d["send_window"].update(days=[]),
        "send_window.days: the send window never opens (no days)",
    ),
    "send window ends before it starts": (
        lambda d: d["send_window"].update(start="18:00", end="08:00"),
        "send_window: start/end: the send window never opens (start must be before end)",
    ),
    "date that is no date": (
        lambda d: d["steps"][VERKENNEN].update(opens="morgen"),
        "steps[2].opens: Input should be a valid datetime",
    ),
    "missing opens": (
        lambda d: d["steps"][VERKENNEN].pop("opens"),
        "steps[2].opens: Field required",
    ),
    "missing title": (lambda d: d.pop("title"), "title: Field required"),
}


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_each_problem_is_reported_with_file_path_and_reason(
    tmp_path: Path, shipped: dict[str, Any], case: str
) -> None:
    breaks, expected = BROKEN[case]
    data = copy.deepcopy(shipped)
    breaks(data)
    path, problems = problems_of(tmp_path, data)
    assert any(p.startswith(expected) for p in problems), problems
    with pytest.raises(DialogueFileError) as caught:
        load_dialogue(path)
    assert f"{path}: {expected}" in str(caught.value)


def test_all_problems_are_reported_at_once(tmp_path: Path, shipped: dict[str, Any]) -> None:
    data = copy.deepcopy(shipped)
    data.pop("title")
    data["steps"][VERKENNEN]["questions"][Q_SCALE]["scale_max"] = 11
    _one_option(data)
    _, problems = problems_of(tmp_path, data)
    assert len(problems) == 3
    assert "title: Field required" in problems
    assert "steps[2].questions[3].options: at least 2 needed" in problems


def test_an_unknown_time_zone_with_an_explicit_offset_elsewhere_is_reported_not_a_crash(
    tmp_path: Path, shipped: dict[str, Any]
) -> None:
    data = copy.deepcopy(shipped)
    data["time_zone"] = "Mars/Olympus"
    data["steps"][VERKENNEN]["opens"] = "2024-09-18T09:00:00+02:00"
    _, problems = problems_of(tmp_path, data)
    assert problems == ["time_zone: unknown time zone 'Mars/Olympus'"]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("title: [unclosed\nsteps: 1\n", 2, "not valid YAML"),
        ("title: Dialoog\nsteps:\n  - key: vinden\n   name: Vinden\n", 4, "not valid YAML"),
        ("key: x\ntitle: y\n\tbad: tab\n", 3, "not valid YAML"),
    ],
)
def test_invalid_yaml_names_the_line(tmp_path: Path, text: str, line: int, reason: str) -> None:
    path, problems = problems_of(tmp_path, text)
    assert len(problems) == 1
    assert problems[0].startswith(f"line {line}: {reason}")


@pytest.mark.parametrize("text", ["", "- vinden\n- verzamelen\n", "gewoon tekst\n"])
def test_a_file_that_is_no_mapping_is_rejected(tmp_path: Path, text: str) -> None:
    _, problems = problems_of(tmp_path, text)
    assert problems == ["the file must hold a mapping with title, steps, ..."]


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    missing = tmp_path / "nergens.yaml"
    with pytest.raises(DialogueFileError) as caught:
        load_dialogue(missing)
    assert str(caught.value).startswith(f"{missing}: cannot read file")


def test_naive_dates_get_the_dialogue_time_zone(shipped: dict[str, Any]) -> None:
    data = copy.deepcopy(shipped)
    data["time_zone"] = "America/Curacao"  # UTC-4 all year
    dialogue = parse_dialogue(yaml.safe_dump(data, allow_unicode=True))
    closes = dialogue.step("verkennen").closes
    assert closes.utcoffset() == timedelta(hours=-4)
    assert (closes.hour, closes.minute) == (23, 59)


def test_naive_dates_in_amsterdam_follow_summer_and_winter_time(real_dialogue) -> None:
    verkennen = real_dialogue.step("verkennen")  # September/October: summer time
    verdiepen = real_dialogue.step("verdiepen")  # November: winter time
    assert verkennen.closes.utcoffset() == timedelta(hours=2)
    assert verdiepen.opens.utcoffset() == timedelta(hours=1)
    assert verdiepen.opens == datetime(2024, 11, 11, 9, 0, tzinfo=AMS)


def test_dates_with_seconds_bare_days_and_explicit_offsets(shipped: dict[str, Any]) -> None:
    data = copy.deepcopy(shipped)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    text = text.replace("closes: 2024-10-07 23:59", "closes: 2024-10-07 23:59:30")  # YAML timestamp
    text = text.replace(
        "opens: 2024-10-08 09:00", "opens: 2024-10-08T07:00:00+00:00"
    )  # explicit UTC
    text = text.replace("closes: 2024-10-27 23:59", "closes: 2024-10-28")  # a bare day: midnight
    dialogue = parse_dialogue(text)
    verkennen, verrijken = dialogue.step("verkennen"), dialogue.step("verrijken")
    assert verkennen.closes == datetime(2024, 10, 7, 23, 59, 30, tzinfo=AMS)
    assert verrijken.opens == datetime(2024, 10, 8, 9, 0, tzinfo=AMS)
    assert verrijken.closes == datetime(2024, 10, 28, 0, 0, tzinfo=AMS)
    assert verrijken.closes.utcoffset() == timedelta(hours=1)  # winter time since 27 October


# ---------------------------------------------------------------- dialoog check FILE


def test_check_accepts_the_shipped_dialogue(capsys: pytest.CaptureFixture[str]) -> None:
    path = default_dialogue_path()
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert str(path) in out and "OK" in out
    assert "7 steps" in out
    questions = sum(len(s.questions) for s in load_dialogue(path).steps)
    assert f"{questions} questions" in out


def test_check_reports_problems_with_file_and_place_and_fails(
    tmp_path: Path, shipped: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    data = copy.deepcopy(shipped)
    _one_option(data)
    data["time_zone"] = "Nergens/Stad"
    path = write(tmp_path, data)
    assert main(["check", str(path)]) == 1
    captured = capsys.readouterr()
    assert "OK" not in captured.out
    lines = captured.err.strip().splitlines()
    assert f"{path}: steps[2].questions[3].options: at least 2 needed" in lines
    assert f"{path}: time_zone: unknown time zone 'Nergens/Stad'" in lines
    assert "Traceback" not in captured.err


def test_check_reports_invalid_yaml_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "title: [unclosed\nsteps: 1\n")
    assert main(["check", str(path)]) == 1
    assert f"{path}: line 2: not valid YAML" in capsys.readouterr().err


def test_check_reports_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "weg.yaml")]) == 1
    assert "cannot read file" in capsys.readouterr().err


def test_check_without_a_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["check"])
    assert caught.value.code == 2
    assert "file" in capsys.readouterr().err
