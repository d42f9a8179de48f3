"""Pacing and retry decisions as pure rules: what the sender will do, before any network."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from planning.contracts import SendFailure, parse_retry_after
from planning.pacing import ChannelLimits, Pacer, parse_windows
from planning.retry import GiveUp, Hold, Retry, RetryPolicy, Unreachable

TEAMS = ChannelLimits(
    per_conversation=parse_windows("7/1,8/2,60/30,1800/3600"), per_app=parse_windows("50/1")
)


def send_all(pacer: Pacer, conversations: list[str], start: float = 1000.0) -> list[float]:
    """When each request may leave, in turn, if every wait is honoured exactly."""
    now, moments = start, []
    for conversation in conversations:
        now += pacer.wait(conversation, now)
        pacer.record(conversation, now)
        moments.append(now)
    return moments


def most_in_any(moments: list[float], seconds: float) -> int:
    return max(sum(1 for m in moments if start <= m < start + seconds) for start in moments)


def test_one_conversation_gets_at_most_7_per_second_8_per_2_seconds_60_per_30_seconds():
    moments = send_all(Pacer(TEAMS), ["a:anna"] * 70)
    assert most_in_any(moments, 1) <= 7
    assert most_in_any(moments, 2) <= 8
    assert most_in_any(moments, 30) <= 60


def test_the_app_sends_at_most_50_per_second_evenly_spread():
    moments = send_all(Pacer(TEAMS), [f"a:{n}" for n in range(200)])
    assert most_in_any(moments, 1) <= 50
    assert most_in_any(moments, 0.0199) == 1  # one every 20 ms, no bursts
    assert moments[-1] - moments[0] == pytest.approx(199 / 50)


def test_a_late_request_does_not_slow_the_schedule_down():
    pacer, now, moments = Pacer(TEAMS), 1000.0, []
    for number in range(100):
        now += pacer.wait(f"a:{number}", now) + (
            0.005 if number % 2 else 0.0
        )  # every other wake-up is late
        pacer.record(f"a:{number}", now)
        moments.append(now)
    assert moments[-1] - moments[0] == pytest.approx(99 / 50, abs=0.01)
    assert most_in_any(moments, 1) <= 50


def test_the_margin_keeps_requests_clear_of_the_window_edge():
    moments = send_all(Pacer(TEAMS, margin=0.05), [f"a:{n}" for n in range(120)])
    assert most_in_any(moments, 1.05) <= 50


def test_a_throttled_conversation_waits_and_others_do_not():
    pacer = Pacer(TEAMS)
    pacer.hold("a:anna", now=0.0, until=30.0)
    assert pacer.wait("a:anna", 1.0) == pytest.approx(29.0)
    assert pacer.wait("a:bert", 1.0) == 0.0


def test_when_most_requests_get_a_429_the_whole_app_pauses():
    pacer = Pacer(TEAMS, app_throttle_count=5)
    moments = send_all(pacer, [f"a:{n}" for n in range(10)], start=10.0)
    for number in range(5):
        pacer.hold(f"a:{number}", now=moments[-1], until=moments[-1] + 2)
    assert pacer.wait("a:someone-else", moments[-1] + 0.5) == pytest.approx(1.5)


def test_a_few_429s_among_many_requests_pause_only_their_conversations():
    pacer = Pacer(TEAMS, app_throttle_count=5)
    moments = send_all(pacer, [f"a:{n}" for n in range(50)], start=10.0)
    for number in range(6):
        pacer.hold(f"a:{number}", now=moments[-1], until=moments[-1] + 2)
    assert pacer.wait("a:someone-else", moments[-1] + 0.5) < 0.1


def test_mail_is_spread_over_the_minute():
    moments = send_all(
        Pacer(ChannelLimits(per_app=parse_windows("30/60,10000/86400"))), ["mailbox"] * 61
    )
    assert most_in_any(moments, 60) <= 30


def test_memory_stays_bounded_by_the_longest_window():
    pacer = Pacer(TEAMS)
    send_all(pacer, [f"a:{n}" for n in range(3000)])
    later = 1000.0 + 3 * 3600
    send_all(pacer, [f"b:{n}" for n in range(1000)], start=later)
    assert pacer.tracked() < 2100  # the first 3,000 conversations are forgotten


def test_a_limit_that_is_not_count_per_seconds_is_refused():
    with pytest.raises(ValueError, match="count/seconds"):
        parse_windows("7 per second")


# ---------------------------------------------------------------- retry

POLICY = RetryPolicy(max_attempts=5, base_delay=2.0, max_delay=60.0)


def judge(failure: SendFailure, attempts: int = 1, seed: int = 1):  # type: ignore[no-untyped-def]
    return POLICY.judge(failure, attempts=attempts, random=random.Random(seed).random)


def test_429_waits_at_least_retry_after():
    verdict = judge(SendFailure(429, "HTTP 429 Throttled", retry_after=17.0))
    assert isinstance(verdict, Retry) and 17.0 <= verdict.delay <= 17.0 * 1.1


@pytest.mark.parametrize("status", [412, 429, 500, 502, 503, 504, None])
def test_transient_failures_are_retried_with_growing_backoff_up_to_a_cap(status):
    delays = [judge(SendFailure(status, "x"), attempts=n, seed=n).delay for n in range(1, 5)]
    for attempt, delay in enumerate(delays, start=1):
        step = min(60.0, 2.0 * 2 ** (attempt - 1))
        assert step / 2 <= delay <= step
    assert isinstance(judge(SendFailure(status, "HTTP 503"), attempts=5), GiveUp)


def test_backoff_never_exceeds_the_maximum():
    assert POLICY.backoff(30, random.Random(3).random) <= 60.0


def test_403_means_unreachable_and_other_4xx_give_up_at_once():
    assert isinstance(judge(SendFailure(403, "HTTP 403 ConversationBlockedByUser")), Unreachable)
    verdict = judge(SendFailure(404, "HTTP 404 ConversationNotFound"))
    assert verdict == GiveUp("HTTP 404 ConversationNotFound")
    assert isinstance(judge(SendFailure(None, "payload could not be read", permanent=True)), GiveUp)


def test_401_holds_the_message_however_many_attempts_were_made():
    for attempts in (1, POLICY.max_attempts, POLICY.max_attempts + 5):
        assert judge(SendFailure(401, "HTTP 401"), attempts=attempts) == Hold(
            POLICY.credentials_pause, "HTTP 401"
        )


def test_the_reason_says_how_many_attempts_were_made():
    assert judge(SendFailure(503, "HTTP 503"), attempts=5) == GiveUp(
        "HTTP 503 (gave up after 5 attempts)"
    )


def test_retry_after_as_seconds_or_as_a_date():
    now = datetime(2024, 10, 7, 10, 0, tzinfo=UTC)
    assert parse_retry_after("3", now) == 3.0
    assert parse_retry_after("Mon, 07 Oct 2024 10:00:30 GMT", now) == 30.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None
