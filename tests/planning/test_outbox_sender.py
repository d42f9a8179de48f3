"""The outbox sender against a Bot Connector stub that enforces Teams' limits: what participants
receive in Teams, and what an operator finds in the outbox afterwards. All on the fake clock."""

from __future__ import annotations

from datetime import timedelta

from dialogen.conversation.replies import Prompt, PromptKind
from dialogen.store import participants
from dialogen.store.outbox import OutboxStatus
from tests.planning.conftest import queue, row_of, sender_for
from tests.support.teams_people import add_teams_participant, conversation_of


async def test_queueing_the_same_message_twice_sends_it_once(
    sqlite_database, clock, fake_sleep, teams
):
    anna = add_teams_participant(sqlite_database, "anna", teams.url, clock())
    assert queue(sqlite_database, anna, "nudge:anna:verkennen:7d", "Nog 3 vragen", now=clock())
    assert not queue(sqlite_database, anna, "nudge:anna:verkennen:7d", "Nog 3 vragen", now=clock())

    summary = await sender_for(sqlite_database, clock, fake_sleep).drain()

    assert teams.texts_for(conversation_of("anna")) == ["Nog 3 vragen"]
    assert summary.sent == 1
    assert row_of(sqlite_database, "nudge:anna:verkennen:7d").status == OutboxStatus.SENT


async def test_each_participant_gets_their_messages_in_order_despite_failures(
    sqlite_database, clock, fake_sleep, teams
):
    people = {
        name: add_teams_participant(sqlite_database, name, teams.url, clock())
        for name in ("ben", "cor", "dee")
    }
    for name, participant in people.items():
        for number in range(1, 6):  # queued at the same instant: insertion order decides
            queue(
                sqlite_database,
                participant,
                f"m:{name}:{number}",
                f"{name} bericht {number}",
                now=clock(),
            )
    teams.script[conversation_of("cor")] = [201, 503, 429, 201, 500]

    await sender_for(sqlite_database, clock, fake_sleep).drain()

    for name in people:
        assert teams.texts_for(conversation_of(name)) == [
            f"{name} bericht {n}" for n in range(1, 6)
        ]


async def test_a_429_retry_after_is_honoured(sqlite_database, clock, fake_sleep, teams):
    eva = add_teams_participant(sqlite_database, "eva", teams.url, clock())
    queue(sqlite_database, eva, "prompt:eva:verkennen", "De stap Verkennen is open", now=clock())
    teams.injected_retry_after = 7
    teams.script[conversation_of("eva")] = [429]

    await sender_for(sqlite_database, clock, fake_sleep).drain()

    throttled_at, seconds = teams.retry_after_given[conversation_of("eva")][0]
    first, second = teams.requests[conversation_of("eva")]
    assert (first, seconds) == (throttled_at, 7)
    assert second - first >= 7
    assert teams.texts_for(conversation_of("eva")) == ["De stap Verkennen is open"]


async def test_server_errors_are_retried_with_growing_waits_then_delivered(
    sqlite_database, clock, fake_sleep, teams
):
    fer = add_teams_participant(sqlite_database, "fer", teams.url, clock())
    queue(sqlite_database, fer, "prompt:fer:verkennen", "Welkom bij Verkennen", now=clock())
    teams.script[conversation_of("fer")] = [500, 503, 502, 504]

    await sender_for(sqlite_database, clock, fake_sleep, outbox_backoff_seconds=2).drain()

    times = teams.requests[conversation_of("fer")]
    waits = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert len(times) == 5
    for attempt, wait in enumerate(waits, start=1):  # half of 2 s × 2^(attempt-1) at least
        assert wait >= 2 * 2 ** (attempt - 1) / 2
    assert teams.texts_for(conversation_of("fer")) == ["Welkom bij Verkennen"]
    assert row_of(sqlite_database, "prompt:fer:verkennen").attempts == 5


async def test_after_the_retry_cap_the_message_fails_with_the_reason(
    sqlite_database, clock, fake_sleep, teams
):
    gijs = add_teams_participant(sqlite_database, "gijs", teams.url, clock())
    queue(sqlite_database, gijs, "nudge:gijs:verkennen:2d", "Nog 2 dagen", now=clock())
    teams.script[conversation_of("gijs")] = [503] * 10

    summary = await sender_for(sqlite_database, clock, fake_sleep, outbox_max_attempts=3).drain()

    row = row_of(sqlite_database, "nudge:gijs:verkennen:2d")
    assert row.status == OutboxStatus.FAILED
    assert row.last_error == "HTTP 503 Scripted (gave up after 3 attempts)"
    assert len(teams.requests[conversation_of("gijs")]) == 3
    assert summary.failed == 1 and teams.arrivals == []


async def test_a_403_marks_the_participant_unreachable_and_nothing_is_retried(
    sqlite_database, clock, fake_sleep, teams
):
    hans = add_teams_participant(sqlite_database, "hans", teams.url, clock())
    queue(sqlite_database, hans, "prompt:hans:verkennen", "Verkennen is open", now=clock())
    queue(sqlite_database, hans, "nudge:hans:verkennen:7d", "Nog 7 dagen", now=clock())
    teams.blocked.add(conversation_of("hans"))

    summary = await sender_for(sqlite_database, clock, fake_sleep).drain()

    assert len(teams.requests[conversation_of("hans")]) == 1  # the second message is not even tried
    assert summary.unreachable == 2
    first = row_of(sqlite_database, "prompt:hans:verkennen")
    assert first.status == OutboxStatus.FAILED and "ConversationBlockedByUser" in (
        first.last_error or ""
    )
    with sqlite_database.unit_of_work() as session:
        assert participants.get(session, hans).teams_reachable is False


async def test_a_403_queues_the_mail_version_once_when_mail_exists(
    sqlite_database, clock, fake_sleep, teams
):
    ida = add_teams_participant(
        sqlite_database, "ida", teams.url, clock(), email="ida@gemeente.example"
    )
    queue(sqlite_database, ida, "prompt:ida:verkennen", "Verkennen is open", now=clock())
    teams.blocked.add(conversation_of("ida"))
    mail = RecordingMail()

    await sender_for(sqlite_database, clock, fake_sleep, more_transports=[mail]).drain()
    await sender_for(sqlite_database, clock, fake_sleep, more_transports=[mail]).drain()

    assert mail.keys == ["prompt:ida:verkennen#mail"]
    assert row_of(sqlite_database, "prompt:ida:verkennen#mail").status == OutboxStatus.SENT


async def test_refused_credentials_hold_the_channel_and_lose_nothing(
    sqlite_database, clock, fake_sleep, teams, caplog
):
    kim = add_teams_participant(sqlite_database, "kim", teams.url, clock())
    lot = add_teams_participant(sqlite_database, "lot", teams.url, clock())
    queue(sqlite_database, kim, "prompt:kim:verkennen", "Verkennen is open", now=clock())
    queue(sqlite_database, lot, "prompt:lot:verkennen", "Verkennen is open", now=clock())
    teams.script[conversation_of("kim")] = [401, 401, 401]  # e.g. the client secret expired

    for _ in range(3):  # more runs than the retry cap allows attempts
        summary = await sender_for(
            sqlite_database, clock, fake_sleep, outbox_concurrency=1, outbox_max_attempts=2
        ).drain()
        assert (summary.held, summary.sent, summary.failed) == (
            1,
            0,
            0,
        )  # the run ends: waiting cannot help
        clock.advance(minutes=5)

    assert (
        len(teams.requests[conversation_of("kim")]) == 3
        and not teams.requests[conversation_of("lot")]
    )
    for key in ("prompt:kim:verkennen", "prompt:lot:verkennen"):
        row = row_of(sqlite_database, key)
        assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
    assert row_of(sqlite_database, "prompt:kim:verkennen").last_error.startswith("HTTP 401")
    refused = [r for r in caplog.records if "refused the bot's credentials" in r.getMessage()]
    assert len(refused) == 3 and all(r.levelname == "ERROR" for r in refused)  # once per pause

    summary = await sender_for(
        sqlite_database, clock, fake_sleep, outbox_concurrency=1
    ).drain()  # fixed
    assert summary.sent == 2 and summary.held == 0
    assert teams.texts_for(conversation_of("kim")) == ["Verkennen is open"]
    assert teams.texts_for(conversation_of("lot")) == ["Verkennen is open"]


async def test_a_message_past_its_send_by_time_is_not_sent(
    sqlite_database, clock, fake_sleep, teams
):
    jan = add_teams_participant(sqlite_database, "jan", teams.url, clock())
    queue(
        sqlite_database,
        jan,
        "nudge:jan:verkennen:morning",
        "Vandaag sluit Verkennen",
        now=clock(),
        not_after=clock() + timedelta(hours=8),
    )
    queue(sqlite_database, jan, "closed:jan:verkennen", "Verkennen is gesloten", now=clock())
    clock.advance(hours=9)

    summary = await sender_for(sqlite_database, clock, fake_sleep).drain()

    assert teams.texts_for(conversation_of("jan")) == ["Verkennen is gesloten"]
    row = row_of(sqlite_database, "nudge:jan:verkennen:morning")
    assert row.status == OutboxStatus.CANCELLED and summary.expired == 1


async def test_a_message_not_yet_due_waits(sqlite_database, clock, fake_sleep, teams):
    kim = add_teams_participant(sqlite_database, "kim", teams.url, clock())
    queue(
        sqlite_database,
        kim,
        "nudge:kim:verkennen:2d",
        "Nog 2 dagen",
        now=clock(),
        not_before=clock() + timedelta(days=1),
    )

    await sender_for(sqlite_database, clock, fake_sleep).drain()
    assert teams.arrivals == []
    clock.advance(days=1)
    await sender_for(sqlite_database, clock, fake_sleep).drain()
    assert teams.texts_for(conversation_of("kim")) == ["Nog 2 dagen"]


async def test_a_broadcast_stays_within_teams_limits(sqlite_database, clock, fake_sleep, teams):
    lot = add_teams_participant(sqlite_database, "lot", teams.url, clock())
    for number in range(20):  # 20 messages to one conversation: 7/1 s and 8/2 s bind
        queue(sqlite_database, lot, f"m:lot:{number:02}", f"bericht {number:02}", now=clock())
    for number in range(120):  # 120 conversations: 50/s per app binds
        person = add_teams_participant(sqlite_database, f"p{number}", teams.url, clock())
        queue(sqlite_database, person, f"prompt:p{number}", "Verkennen is open", now=clock())

    # one delivery at a time: on the fake clock, overlapping deliveries would move time while a
    # request is on its way, and the stub would see it arrive later than it left
    await sender_for(sqlite_database, clock, fake_sleep, outbox_concurrency=1).drain()

    assert teams.over_limit == 0
    assert len(teams.arrivals) == 140 and teams.duplicates() == 0
    assert teams.texts_for(conversation_of("lot")) == [f"bericht {n:02}" for n in range(20)]


async def test_a_partly_delivered_message_resumes_after_the_parts_that_arrived(
    sqlite_database, clock, fake_sleep, teams
):
    mo = add_teams_participant(sqlite_database, "mo", teams.url, clock())
    card = Prompt(input_id="q1", kind=PromptKind.SINGLE, text="Welke thema's spelen?", choices=())
    queue(sqlite_database, mo, "prompt:mo:verkennen", "Verkennen is open.", card, now=clock())
    teams.script[conversation_of("mo")] = [201, 503]

    await sender_for(sqlite_database, clock, fake_sleep).drain()

    assert teams.texts_for(conversation_of("mo")) == ["Verkennen is open.", "Welke thema's spelen?"]


class RecordingMail:
    """Stands in for the mail channel's transport (a later issue): records what it was given."""

    channel = "mail"

    def __init__(self) -> None:
        self.keys: list[str] = []

    async def deliver(self, message, pace):  # type: ignore[no-untyped-def]
        from planning.contracts import Delivery

        await pace("mailbox")
        self.keys.append(message.key)
        return Delivery(parts_sent=1, conversation="mailbox")


async def test_a_participant_who_opted_out_after_queueing_gets_nothing(
    sqlite_database, clock, fake_sleep, teams
):
    kees = add_teams_participant(sqlite_database, "kees", teams.url, clock())
    queue(sqlite_database, kees, "nudge:kees:verkennen:2d", "Nog 2 dagen", now=clock())
    with sqlite_database.unit_of_work() as session:
        participants.get(session, kees).opted_out = True

    await sender_for(sqlite_database, clock, fake_sleep).drain()

    assert teams.texts_for(conversation_of("kees")) == []
    row = row_of(sqlite_database, "nudge:kees:verkennen:2d")
    assert row.status == OutboxStatus.FAILED and "opted out" in (row.last_error or "")
