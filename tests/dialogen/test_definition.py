"""The shipped dialogue "Regionale samenwerking" and the demo calendar shift."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from dialogen.dialogue.definition import STEP_KEYS, Dialogue, QuestionKind, demo_shift
from dialogen.dialogue.loader import load_demo_dialogue

AMS = ZoneInfo("Europe/Amsterdam")


# ---------------------------------------------------------------- the shipped dialogue


def test_the_shipped_dialogue_has_the_seven_7v_steps_in_order(real_dialogue: Dialogue) -> None:
    assert [s.key for s in real_dialogue.steps] == list(STEP_KEYS)
    assert [s.name for s in real_dialogue.steps] == [
        "Vinden",
        "Verzamelen",
        "Verkennen",
        "Verrijken",
        "Voorkeuren",
        "Verdiepen",
        "Voortzetten",
    ]
    assert real_dialogue.time_zone == "Europe/Amsterdam"
    assert real_dialogue.title and real_dialogue.introduction and real_dialogue.privacy


def test_the_steps_follow_each_other_without_overlap(real_dialogue: Dialogue) -> None:
    for before, after in zip(real_dialogue.steps, real_dialogue.steps[1:], strict=False):
        assert before.closes <= after.opens, (before.key, after.key)


def test_verkennen_is_the_first_interactive_step_and_open_until_7_october_2024_2359(
    real_dialogue: Dialogue,
) -> None:
    first = next(s for s in real_dialogue.steps if s.interactive)
    assert first.key == "verkennen"
    assert first.closes == datetime(2024, 10, 7, 23, 59, tzinfo=AMS)
    assert first.closes.utcoffset() == timedelta(hours=2)  # summer time in Amsterdam
    assert first.opens.astimezone(AMS).date() == date(2024, 9, 18)  # the invitation mail's date
    assert real_dialogue.open_step(datetime(2024, 10, 7, 23, 58, tzinfo=AMS)) is first
    assert real_dialogue.open_step(datetime(2024, 10, 7, 23, 59, tzinfo=AMS)) is None
    assert real_dialogue.next_step(datetime(2024, 10, 7, 23, 59, tzinfo=AMS)).key == "verrijken"


def test_only_the_participant_steps_are_interactive(real_dialogue: Dialogue) -> None:
    interactive = [s.key for s in real_dialogue.steps if s.interactive]
    assert interactive == ["verkennen", "verrijken", "voorkeuren", "verdiepen"]
    for step in real_dialogue.steps:
        assert bool(step.questions) == step.interactive


def test_verkennen_asks_questions_of_every_kind(real_dialogue: Dialogue) -> None:
    verkennen = real_dialogue.step("verkennen")
    kinds = {q.kind for q in verkennen.questions}
    later = {QuestionKind.REACTIONS, QuestionKind.RANKING, QuestionKind.POINTS, QuestionKind.TOP}
    assert kinds == set(QuestionKind) - later  # reacting is Verrijken's, priorities Voorkeuren's
    verrijken = real_dialogue.step("verrijken")
    assert verrijken is not None
    assert QuestionKind.REACTIONS in {q.kind for q in verrijken.questions}
    voorkeuren = real_dialogue.step("voorkeuren")
    assert voorkeuren is not None
    assert [q.kind for q in voorkeuren.questions] == [QuestionKind.RANKING, QuestionKind.POINTS]
    assert any(not q.required for q in verkennen.questions), "some question is optional"
    assert any(q.required for q in verkennen.questions)
    themes = next(q for q in verkennen.questions if q.kind is QuestionKind.MULTIPLE)
    assert themes.picks == 3 < len(themes.options)
    scale = next(q for q in verkennen.questions if q.kind is QuestionKind.SCALE)
    assert (scale.scale_min, scale.scale_max) == (1, 5)
    assert scale.min_label and scale.max_label


def test_verkennen_covers_images_themes_obstacles_solutions_and_the_role_of_vng(
    real_dialogue: Dialogue,
) -> None:
    texts = " ".join(q.text.lower() for q in real_dialogue.step("verkennen").questions)
    for topic in ("beeld", "thema", "obstakel", "oplossing", "vng"):
        assert topic in texts, topic


def test_the_calendar_runs_from_september_to_mid_december_2024(real_dialogue: Dialogue) -> None:
    interactive = [s for s in real_dialogue.steps if s.interactive]
    assert interactive[0].opens.astimezone(AMS).date() == date(2024, 9, 18)
    last = real_dialogue.steps[-1].closes.astimezone(AMS)
    assert (last.year, last.month) == (2024, 12) and 10 <= last.day <= 20


# ---------------------------------------------------------------- the demo calendar


def _local(moment: datetime) -> datetime:
    return moment.astimezone(AMS)


def _every_day_of(year: int) -> list[date]:
    return [date(year, 1, 1) + timedelta(days=n) for n in range(366 if year % 4 == 0 else 365)]


@pytest.mark.parametrize("year", [2025, 2026, 2028])
def test_for_any_today_the_first_interactive_step_is_open_all_day(
    real_dialogue: Dialogue, year: int
) -> None:
    for today in _every_day_of(year):
        shifted = real_dialogue.shifted(demo_shift(real_dialogue, today))
        start_of_day = datetime.combine(today, time(0, 0), tzinfo=AMS)
        end_of_day = datetime.combine(today, time(23, 59, 59), tzinfo=AMS)
        for moment in (start_of_day, end_of_day):
            open_step = shifted.open_step(moment)
            assert open_step is not None and open_step.key == "verkennen", (today, moment)


@pytest.mark.parametrize(
    "today",
    [
        date(
            2026, 3, 27
        ),  # the shift crosses the spring DST change (steps in summer time, today in winter)
        date(2025, 10, 27),  # the day after the autumn change
        date(2026, 1, 15),
        date(2026, 7, 1),
        date(2024, 9, 20),  # a shift of (almost) nothing
    ],
)
def test_the_demo_shift_keeps_every_interval_in_days_and_every_local_clock_time(
    real_dialogue: Dialogue, today: date
) -> None:
    shifted = real_dialogue.shifted(demo_shift(real_dialogue, today))
    for original, moved in zip(real_dialogue.steps, shifted.steps, strict=True):
        assert moved.key == original.key
        for field in ("opens", "closes"):
            before, after = _local(getattr(original, field)), _local(getattr(moved, field))
            assert after.time() == before.time(), (original.key, field)
            assert after.tzinfo is not None
    origin_before = _local(real_dialogue.steps[0].opens).date()
    origin_after = _local(shifted.steps[0].opens).date()
    for original, moved in zip(real_dialogue.steps, shifted.steps, strict=True):
        for field in ("opens", "closes"):
            days_before = (_local(getattr(original, field)).date() - origin_before).days
            days_after = (_local(getattr(moved, field)).date() - origin_after).days
            assert days_after == days_before, (original.key, field)
    # Still a valid calendar: steps follow each other without overlap.
    for before, after in zip(shifted.steps, shifted.steps[1:], strict=False):
        assert before.closes <= after.opens


def test_the_demo_shift_is_whole_days(real_dialogue: Dialogue) -> None:
    for today in (date(2025, 1, 1), date(2026, 6, 30), date(2030, 12, 31)):
        delta = demo_shift(real_dialogue, today)
        assert delta == timedelta(days=delta.days)


def test_load_demo_dialogue_opens_verkennen_today_and_keeps_its_length() -> None:
    today = date(2026, 2, 10)
    dialogue = load_demo_dialogue(today)
    verkennen = dialogue.step("verkennen")
    noon = datetime.combine(today, time(12, 0), tzinfo=AMS)
    assert dialogue.open_step(noon) is verkennen
    # The original step ran 18 September 09:00 to 7 October 23:59: 19 days and 15 hours (local).
    opens, closes = _local(verkennen.opens), _local(verkennen.closes)
    assert (closes.date() - opens.date()).days == 19
    assert (opens.time(), closes.time()) == (time(9, 0), time(23, 59))
    assert opens.date() < today < closes.date()
