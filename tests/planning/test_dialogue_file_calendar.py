"""Bad calendars in a dialogue file are rejected at load, each with a message that says where."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml

from dialogen.dialogue.loader import default_dialogue_path, parse_dialogue
from dialogen.errors import DialogueFileError


def problems_after(change: Callable[[dict[str, Any]], None]) -> list[str]:
    data = yaml.safe_load(default_dialogue_path().read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(DialogueFileError) as caught:
        parse_dialogue(yaml.safe_dump(data, allow_unicode=True), source="dialoog.yaml")
    return caught.value.problems


def set_nudges(index: int, nudges: list[str]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["steps"][index]["nudges"] = nudges

    return change


def test_the_shipped_dialogue_loads_with_its_default_nudges() -> None:
    dialogue = parse_dialogue(default_dialogue_path().read_text(encoding="utf-8"))
    assert dialogue.step("verkennen").nudges == ("7d", "2d", "ochtend")  # type: ignore[union-attr]


def test_offsets_in_days_hours_and_morning_are_accepted() -> None:
    data = yaml.safe_load(default_dialogue_path().read_text(encoding="utf-8"))
    data["steps"][2]["nudges"] = ["10d", "36h", "Ochtend"]
    dialogue = parse_dialogue(yaml.safe_dump(data, allow_unicode=True))
    assert dialogue.steps[2].nudges == ("10d", "36h", "ochtend")


def test_an_offset_that_lands_before_the_step_opens_is_rejected_precisely() -> None:
    # Verkennen opens 18 September 09:00; 20 days before 7 October is 17 September.
    assert problems_after(set_nudges(2, ["7d", "20d"])) == [
        "steps[2].nudges[1]: '20d' would go out at 2024-09-17 08:30, "
        "which is not after the step opens (2024-09-18 09:00); use a shorter offset or remove it"
    ]


def test_an_offset_moved_back_into_the_window_before_the_opening_is_rejected() -> None:
    # Verkennen opens Wednesday 18 September 09:00: 19 days before the close is that day 23:59,
    # which moves back to 08:30 the same morning — before the step opens.
    problems = problems_after(set_nudges(2, ["19d"]))
    assert problems[0].startswith("steps[2].nudges[0]: '19d' would go out at 2024-09-18 08:30")


@pytest.mark.parametrize("offset", ["-1d", "0d", "7 dagen", "1w", "morgen", ""])
def test_an_unknown_or_after_the_close_offset_is_rejected(offset: str) -> None:
    problems = problems_after(set_nudges(3, ["2d", offset]))
    assert len(problems) == 1
    assert problems[0].startswith(f"steps[3].nudges[1]: unknown nudge offset {offset!r}")


def test_an_offset_listed_twice_is_rejected() -> None:
    assert problems_after(set_nudges(2, ["2d", "2d"])) == [
        "steps[2].nudges: each offset may appear only once"
    ]


def test_an_unknown_time_zone_is_rejected() -> None:
    def change(data: dict[str, Any]) -> None:
        data["time_zone"] = "Europe/Amsterdan"

    assert problems_after(change) == ["time_zone: unknown time zone 'Europe/Amsterdan'"]


def test_a_send_window_without_days_never_opens_and_is_rejected() -> None:
    def change(data: dict[str, Any]) -> None:
        data["send_window"]["days"] = []

    assert problems_after(change) == ["send_window.days: the send window never opens (no days)"]


def test_a_send_window_that_ends_before_it_starts_is_rejected() -> None:
    def change(data: dict[str, Any]) -> None:
        data["send_window"]["start"], data["send_window"]["end"] = "17:30", "08:30"

    assert problems_after(change) == [
        "send_window: start/end: the send window never opens (start must be before end)"
    ]


def test_overlapping_steps_are_rejected() -> None:
    def change(data: dict[str, Any]) -> None:
        data["steps"][3]["opens"] = "2024-10-07 12:00"

    assert problems_after(change) == [
        "steps[3].opens: verrijken opens before verkennen closes (2024-10-07 23:59); "
        "steps may not overlap"
    ]
