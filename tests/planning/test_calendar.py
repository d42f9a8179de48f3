"""The calendar rules over the real 2024 calendar of the shipped dialogue (Verkennen 18 September
09:00 – 7 October 23:59; Verrijken closes on Sunday 27 October 23:59, the day the clocks go
back)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dialogen.dialogue.definition import Dialogue, SendWindow
from dialogen.dialogue.timing import nudge_moment, parse_offset
from planning import calendar
from planning.calendar import OccasionKind

AMS = ZoneInfo("Europe/Amsterdam")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


def moments(dialogue: Dialogue, step_key: str, kind: OccasionKind) -> dict[str, datetime]:
    return {
        o.offset or o.kind.value: o.at
        for o in calendar.occasions(dialogue)
        if o.step_key == step_key and o.kind is kind
    }


def test_verkennen_nudges_come_on_weekday_mornings_before_7_october(
    real_dialogue: Dialogue,
) -> None:
    nudges = moments(real_dialogue, "verkennen", OccasionKind.NUDGE)
    assert nudges == {
        "7d": local(2024, 9, 30, 8, 30),  # 23:59 a week before is outside the window: that morning
        "2d": local(2024, 10, 4, 8, 30),  # Saturday 5 October 23:59 -> the Friday morning before
        "ochtend": local(2024, 10, 7, 8, 30),  # the morning of the last day
    }
    assert all(
        m.astimezone(UTC).hour == 6 and m.astimezone(UTC).minute == 30 for m in nudges.values()
    )


def test_verrijken_closes_on_the_dst_sunday_so_2d_and_morning_fall_on_friday_once(
    real_dialogue: Dialogue,
) -> None:
    nudges = [
        o
        for o in calendar.occasions(real_dialogue)
        if o.step_key == "verrijken" and o.kind is OccasionKind.NUDGE
    ]
    assert [(o.offset, o.at, o.merged) for o in nudges] == [
        ("7d", local(2024, 10, 18, 8, 30), ()),  # Sunday 20 October 23:59 -> Friday 18 October
        ("2d", local(2024, 10, 25, 8, 30), ("ochtend",)),  # Friday 25th 23:59 -> that morning;
    ]  # "ochtend" (Sunday 27th) moves back to the same Friday morning: one nudge, not two
    assert nudges[1].at == datetime(2024, 10, 25, 6, 30, tzinfo=UTC)  # still summer time (CEST)
    assert nudges[1].expires == local(2024, 10, 25, 17, 30)


def test_thank_you_after_the_dst_change_goes_out_at_0830_winter_time(
    real_dialogue: Dialogue,
) -> None:
    thanks = moments(real_dialogue, "verrijken", OccasionKind.STEP_CLOSED)["step_closed"]
    assert thanks == local(2024, 10, 28, 8, 30)
    assert thanks == datetime(2024, 10, 28, 7, 30, tzinfo=UTC)  # CET: one hour later in UTC


def test_step_prompts_go_out_when_the_steps_open(real_dialogue: Dialogue) -> None:
    prompts = {
        o.step_key: o.at
        for o in calendar.occasions(real_dialogue)
        if o.kind is OccasionKind.STEP_PROMPT
    }
    assert prompts == {
        "verkennen": local(2024, 9, 18, 9, 0),
        "verrijken": local(2024, 10, 8, 9, 0),
        "voorkeuren": local(2024, 10, 28, 9, 0),
        "verdiepen": local(2024, 11, 11, 9, 0),
    }


def test_non_interactive_steps_get_no_messages(real_dialogue: Dialogue) -> None:
    keys = {o.step_key for o in calendar.occasions(real_dialogue)}
    assert keys == {"verkennen", "verrijken", "voorkeuren", "verdiepen"}


def test_every_automatic_message_is_inside_the_send_window(real_dialogue: Dialogue) -> None:
    for occasion in calendar.occasions(real_dialogue):
        at = occasion.at.astimezone(AMS)
        assert at.weekday() < 5, occasion.id  # never at weekends
        assert time(8, 30) <= at.time() < time(17, 30), occasion.id  # never at night
        step = real_dialogue.step(occasion.step_key)
        assert step is not None
        if occasion.kind is OccasionKind.NUDGE:
            assert step.opens < occasion.at < step.closes and occasion.expires <= step.closes


def test_what_is_due_follows_the_clock(real_dialogue: Dialogue) -> None:
    prompted = {"step_prompt:verkennen"}
    assert calendar.due(real_dialogue, local(2024, 9, 30, 8, 29), done=prompted) == []
    due = calendar.due(real_dialogue, local(2024, 9, 30, 8, 30))
    assert [o.id for o in due] == ["step_prompt:verkennen", "nudge:verkennen:7d"]
    assert [
        o.id
        for o in calendar.due(
            real_dialogue, local(2024, 9, 30, 12, 0), done={"step_prompt:verkennen"}
        )
    ] == ["nudge:verkennen:7d"]


def test_a_nudge_is_no_longer_due_once_its_send_window_has_shut(real_dialogue: Dialogue) -> None:
    evening = local(2024, 9, 30, 17, 30)
    assert "nudge:verkennen:7d" not in [o.id for o in calendar.due(real_dialogue, evening)]
    assert "step_prompt:verkennen" in [o.id for o in calendar.due(real_dialogue, evening)]
    after_close = local(2024, 10, 8, 8, 30)
    assert [o.id for o in calendar.due(real_dialogue, after_close)] == ["step_closed:verkennen"]


def test_upcoming_leaves_out_what_ran_and_what_expired(real_dialogue: Dialogue) -> None:
    upcoming = calendar.upcoming(
        real_dialogue, local(2024, 10, 5, 12, 0), done={"step_prompt:verkennen"}
    )
    assert [o.id for o in upcoming][:4] == [
        "nudge:verkennen:ochtend",
        "step_closed:verkennen",
        "step_prompt:verrijken",
        "nudge:verrijken:7d",
    ]


def test_manual_nudge_in_the_evening_waits_for_the_next_morning_and_stays_out_of_the_night(
    real_dialogue: Dialogue,
) -> None:
    step = real_dialogue.step("verkennen")
    assert step is not None
    slot = calendar.manual_nudge_slot(
        real_dialogue, step, local(2024, 10, 4, 20, 0)
    )  # Friday evening
    assert slot is not None
    assert (slot.not_before, slot.not_after) == (
        local(2024, 10, 7, 8, 30),
        local(2024, 10, 7, 17, 30),
    )
    assert calendar.manual_offset(real_dialogue, slot.not_before) == "handmatig-2024-10-07"
    assert (
        calendar.manual_nudge_slot(real_dialogue, step, local(2024, 10, 7, 18, 0)) is None
    )  # no window left


SEVEN_DAYS = SendWindow(
    days=("ma", "di", "wo", "do", "vr", "za", "zo"), start=time(8, 30), end=time(17, 30)
)


def test_days_keep_the_clock_time_across_the_dst_change_hours_count_elapsed_time() -> None:
    closes = local(2024, 10, 27, 12, 0)  # Sunday noon, winter time since 03:00 that night
    one_day = nudge_moment(closes, parse_offset("1d"), SEVEN_DAYS, AMS)
    assert one_day == local(2024, 10, 26, 12, 0)  # Saturday noon, summer time: 25 hours before
    assert closes - one_day == timedelta(hours=25)
    hours = nudge_moment(closes, parse_offset("24h"), SEVEN_DAYS, AMS)
    assert hours == local(2024, 10, 26, 13, 0) and closes - hours == timedelta(hours=24)
    night = nudge_moment(closes, parse_offset("36h"), SEVEN_DAYS, AMS)  # Saturday 01:00 at night
    assert night == local(2024, 10, 25, 8, 30)  # back to the last opening before it


def test_nudges_on_the_same_day_merge_into_the_earliest(real_dialogue: Dialogue) -> None:
    steps = list(real_dialogue.steps)
    steps[3] = steps[3].model_copy(
        update={"closes": local(2024, 10, 27, 12, 0), "nudges": ("24h", "1d", "36h")}
    )
    dialogue = real_dialogue.model_copy(update={"steps": tuple(steps), "send_window": SEVEN_DAYS})
    nudges = [
        o
        for o in calendar.occasions(dialogue)
        if o.step_key == "verrijken" and o.kind is OccasionKind.NUDGE
    ]
    assert [(o.offset, o.at, o.merged) for o in nudges] == [
        ("36h", local(2024, 10, 25, 8, 30), ()),
        ("1d", local(2024, 10, 26, 12, 0), ("24h",)),
    ]


def test_a_nudge_time_inside_the_window_is_kept(real_dialogue: Dialogue) -> None:
    steps = list(real_dialogue.steps)
    steps[2] = steps[2].model_copy(
        update={"closes": local(2024, 10, 4, 15, 0), "nudges": ("2d", "3h")}
    )
    steps[3] = steps[3].model_copy(update={"opens": local(2024, 10, 4, 15, 0)})
    dialogue = real_dialogue.model_copy(update={"steps": tuple(steps)})
    assert moments(dialogue, "verkennen", OccasionKind.NUDGE) == {
        "2d": local(2024, 10, 2, 15, 0),
        "3h": local(2024, 10, 4, 12, 0),
    }
    nudge = next(o for o in calendar.occasions(dialogue) if o.id == "nudge:verkennen:3h")
    assert nudge.expires == local(2024, 10, 4, 15, 0)  # never after the close
