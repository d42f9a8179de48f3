"""Broadcasts as facilitators and participants notice them: the preview, what lands in the outbox
(once), who gets nothing, and a clear answer when nothing would be sent. SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from dialogen.conversation.replies import Prompt, Reply, Say
from dialogen.conversation.reply_codec import decode_replies
from dialogen.dialogue.definition import Dialogue
from dialogen.participation import outreach as nudging
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.audit import AuditRow
from dialogen.store.database import Database
from dialogen.store.outbox import OutboxRow, aware
from planning.broadcasts import Broadcasts
from tests.conftest import SEALING, SECRET, make_door
from tests.planning.people import People
from tests.support.clock import FakeClock

AMS = ZoneInfo("Europe/Amsterdam")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


@dataclass
class Queued:
    key: str
    participant_id: str
    channel: str
    not_before: datetime
    not_after: datetime | None
    replies: tuple[Reply, ...]


@dataclass
class World:
    people: People
    broadcasts: Broadcasts
    clock: FakeClock
    database: Database

    def queued(self, kind: str) -> dict[str, Queued]:
        with self.database.unit_of_work() as session:
            rows = session.exec(select(OutboxRow).where(OutboxRow.kind == kind)).all()
        return {
            r.participant_id: Queued(
                r.key,
                r.participant_id,
                r.channel,
                aware(r.not_before),
                aware(r.not_after) if r.not_after else None,
                decode_replies(SEALING.outbox.open_json(r.payload)),
            )
            for r in rows
        }

    def audit(self) -> list[AuditRow]:
        with self.database.unit_of_work() as session:
            return list(session.exec(select(AuditRow).order_by(AuditRow.at)).all())

    def name_of(self, participant_id: str) -> str:
        return next(n for n, pid in self.people.ids.items() if pid == participant_id)


@pytest.fixture
def world(
    database: Database, real_dialogue: Dialogue, registry: MunicipalityRegistry, clock: FakeClock
) -> World:
    clock.set(local(2024, 9, 18, 10, 0))  # Verkennen opened an hour ago
    people = People(make_door(database, real_dialogue, registry, clock), database=database)
    people.join("anna")  # Teams
    people.join("bert", channel="mail")
    people.join("carla")
    people.join("dirk")
    people.opt_out("dirk")
    people.join("eva", channel="nowhere")  # no Teams reference, no e-mail address
    people.join("frits", consent=False)
    broadcasts = Broadcasts(
        database=database, dialogue=real_dialogue, clock=clock, pseudonyms=Pseudonyms(SECRET)
    )
    return World(people, broadcasts, clock, database)


def text_of(replies: tuple[Reply, ...]) -> str:
    return "\n".join(r.text for r in replies)


# ---------------------------------------------------------------- the step prompt


def test_preview_shows_the_exact_card_and_recipients_per_channel(
    world: World, real_dialogue: Dialogue
) -> None:
    world.people.complete("carla")  # already done: needs no invitation
    preview = world.broadcasts.preview_step_prompt("verkennen")
    assert preview.problem is None and preview.kind == "step_prompt"
    assert preview.recipients == {"teams": 1, "mail": 1}  # anna and bert
    step = real_dialogue.step("verkennen")
    assert step is not None and preview.replies == nudging.step_prompt(real_dialogue, step)
    assert world.queued("step_prompt") == {}  # a preview sends nothing


def test_sending_queues_the_previewed_card_once_per_participant_and_is_audited(
    world: World,
) -> None:
    preview = world.broadcasts.preview_step_prompt("verkennen")
    assert world.broadcasts.send_step_prompt("verkennen", actor="cli:operator") == 3
    queued = world.queued("step_prompt")
    assert sorted(world.name_of(pid) for pid in queued) == ["anna", "bert", "carla"]
    anna = queued[world.people.ids["anna"]]
    assert anna.key == f"step_prompt:{world.people.ids['anna']}:verkennen"
    assert anna.channel == "teams" and queued[world.people.ids["bert"]].channel == "mail"
    assert anna.replies == preview.replies  # sent exactly as previewed
    assert anna.not_before == local(2024, 9, 18, 10, 0) and anna.not_after == local(
        2024, 10, 7, 23, 59
    )
    (entry,) = world.audit()
    assert (entry.actor, entry.action, entry.target, entry.count) == (
        "cli:operator",
        "step_prompt",
        "verkennen",
        3,
    )
    assert entry.details["channels"] == {"teams": 2, "mail": 1}


def test_a_second_broadcast_while_the_first_is_queued_sends_nothing_twice_and_says_so(
    world: World,
) -> None:
    world.broadcasts.send_step_prompt("verkennen", actor="cli:operator")
    preview = world.broadcasts.preview_step_prompt("verkennen")
    assert preview.recipients == {}
    assert preview.problem == (
        "De uitnodiging voor stap Verkennen is al klaargezet voor 3 deelnemers; 3 daarvan "
        "wacht(en) nog op verzending. Er gaat niets dubbel uit."
    )
    assert world.broadcasts.send_step_prompt("verkennen", actor="facilitator@vng.example") == 0
    assert len(world.queued("step_prompt")) == 3


def test_someone_who_joins_later_gets_the_prompt_on_the_next_broadcast(world: World) -> None:
    world.broadcasts.send_step_prompt("verkennen", actor="cli:operator")
    world.people.join("gijs")
    assert world.broadcasts.preview_step_prompt("verkennen").recipients == {"teams": 1}


@pytest.mark.parametrize(
    ("step", "moment", "problem"),
    [
        (
            "verkenen",
            local(2024, 9, 18, 10, 0),
            "Stap 'verkenen' bestaat niet. Kies uit: verkennen, verrijken, voorkeuren, verdiepen.",
        ),
        (
            "vinden",
            local(2024, 9, 18, 10, 0),
            "Stap Vinden heeft geen vragen voor deelnemers. Er is dus niets te versturen.",
        ),
        (
            "verkennen",
            local(2024, 10, 8, 10, 0),
            "Stap Verkennen is gesloten sinds maandag 7 oktober 2024 om 23:59. "
            "Er wordt niets meer voor deze stap verstuurd.",
        ),
        (
            "verrijken",
            local(2024, 9, 18, 10, 0),
            "Stap Verrijken begint pas op dinsdag 8 oktober 2024 om 09:00. "
            "De uitnodiging gaat dan vanzelf uit.",
        ),
    ],
)
def test_bad_step_gets_a_clear_answer_and_nothing_is_queued(
    world: World, step: str, moment: datetime, problem: str
) -> None:
    world.clock.set(moment)
    for preview, send in (
        (world.broadcasts.preview_step_prompt(step), world.broadcasts.send_step_prompt),
        (world.broadcasts.preview_nudge(step), world.broadcasts.send_nudge),
    ):
        assert preview.problem == problem and preview.recipients == {} and preview.replies == ()
        assert send(step, actor="cli:operator") == 0
    assert world.queued("step_prompt") == {} and world.queued("nudge") == {}
    assert [e.details.get("refused") for e in world.audit()] == [
        problem,
        problem,
    ]  # the attempts are audited


# ---------------------------------------------------------------- nudges


def test_nudge_goes_to_who_has_not_completed_and_says_what_is_left(world: World) -> None:
    world.people.answer("anna", 4)  # 3 questions left
    world.people.complete("carla")
    world.clock.set(local(2024, 10, 4, 10, 0))
    preview = world.broadcasts.preview_nudge("verkennen")
    assert preview.problem is None and preview.recipients == {"teams": 1, "mail": 1}
    assert world.broadcasts.send_nudge("verkennen", actor="cli:operator") == 2
    queued = world.queued("nudge")
    anna, bert = queued[world.people.ids["anna"]], queued[world.people.ids["bert"]]
    assert "nog 3 vragen" in text_of(anna.replies)
    assert [(p.input_id, p.choices[0].label) for p in anna.replies if isinstance(p, Prompt)] == [
        ("verder", "Verder")
    ]
    assert "nog niet meegedaan" in text_of(bert.replies) and bert.channel == "mail"
    assert anna.key == f"nudge:{world.people.ids['anna']}:verkennen:handmatig-2024-10-04"
    assert (anna.not_before, anna.not_after) == (
        local(2024, 10, 4, 10, 0),
        local(2024, 10, 4, 17, 30),
    )


def test_nobody_gets_two_nudges_for_a_step_on_one_day(world: World) -> None:
    world.clock.set(local(2024, 10, 4, 8, 30))
    assert world.broadcasts.run_occasion("nudge:verkennen:2d") == 3  # the calendar's nudge
    world.clock.set(local(2024, 10, 4, 11, 0))
    preview = world.broadcasts.preview_nudge("verkennen")  # a facilitator tries again that day
    assert preview.problem == (
        "Iedereen die stap Verkennen nog niet heeft afgerond, krijgt vandaag al een "
        "herinnering. Er gaat niets dubbel uit."
    )
    assert world.broadcasts.send_nudge("verkennen", actor="cli:operator") == 0
    world.clock.set(local(2024, 10, 7, 8, 30))  # the morning of the last day is another day
    assert world.broadcasts.run_occasion("nudge:verkennen:ochtend") == 3
    texts = [text_of(q.replies) for q in world.queued("nudge").values()]
    assert len(world.queued("nudge")) == 3  # keyed per participant and offset
    assert all("sluit" in t for t in texts)


def test_completed_opted_out_and_unreachable_people_get_no_nudge(world: World) -> None:
    for name in ("anna", "bert", "carla"):
        world.people.complete(name)
    world.clock.set(local(2024, 10, 4, 10, 0))
    preview = world.broadcasts.preview_nudge("verkennen")
    assert preview.recipients == {}
    assert preview.problem == (
        "Er is niemand die voor stap Verkennen een herinnering nodig heeft: wie meedoet, "
        "heeft de stap al afgerond, heeft zich afgemeld of is niet bereikbaar."
    )
    assert world.broadcasts.send_nudge("verkennen", actor="cli:operator") == 0
    assert world.queued("nudge") == {}


def test_teams_participant_whom_teams_refused_is_nudged_by_mail_only_if_there_is_an_address(
    world: World,
) -> None:
    world.people.mark_teams_unreachable("anna")  # a Teams participant: no e-mail address known
    world.clock.set(local(2024, 10, 4, 10, 0))
    assert world.broadcasts.preview_nudge("verkennen").recipients == {
        "teams": 1,
        "mail": 1,
    }  # carla and bert


def test_a_nudge_asked_for_in_the_evening_goes_out_the_next_working_morning(world: World) -> None:
    world.clock.set(local(2024, 10, 4, 21, 0))  # Friday evening
    assert world.broadcasts.send_nudge("verkennen", actor="cli:operator") == 3
    first = next(iter(world.queued("nudge").values()))
    assert (first.not_before, first.not_after) == (
        local(2024, 10, 7, 8, 30),
        local(2024, 10, 7, 17, 30),
    )
    assert "sluit vandaag om 23:59" in text_of(first.replies)  # read on Monday, the last day
    assert world.broadcasts.first_send_moment() == local(2024, 10, 7, 8, 30)


# ---------------------------------------------------------------- the calendar's occasions


def test_thank_you_after_the_close_goes_to_who_took_part(world: World) -> None:
    world.people.answer("anna", 2)
    world.people.complete("carla")
    world.clock.set(local(2024, 10, 8, 8, 30))
    assert world.broadcasts.run_occasion("step_closed:verkennen") == 2
    queued = world.queued("step_closed")
    assert sorted(world.name_of(pid) for pid in queued) == ["anna", "carla"]
    assert "Dank u wel voor al uw antwoorden" in text_of(queued[world.people.ids["carla"]].replies)
    assert "Verrijken, begint op dinsdag 8 oktober 2024 om 09:00" in text_of(
        queued[world.people.ids["anna"]].replies
    )
    assert all(isinstance(r, Say) for q in queued.values() for r in q.replies)


def test_an_occasion_runs_once(world: World) -> None:
    assert world.broadcasts.run_occasion("step_prompt:verkennen") == 3
    world.people.join("gijs")
    assert (
        world.broadcasts.run_occasion("step_prompt:verkennen") is None
    )  # ran: not again after a restart
    assert [e.actor for e in world.audit()] == ["scheduler"]
    assert world.audit()[0].details["occasion"] == "step_prompt:verkennen"


def test_a_missed_nudge_is_skipped_once_its_window_has_shut_but_a_missed_prompt_is_sent(
    world: World,
) -> None:
    world.clock.set(local(2024, 9, 30, 18, 0))  # the bot was down all Monday
    assert world.broadcasts.run_occasion("nudge:verkennen:7d") is None
    assert world.queued("nudge") == {}
    assert (
        world.broadcasts.run_occasion("step_prompt:verkennen") == 3
    )  # missed since the 18th: still useful
    assert {q.not_before for q in world.queued("step_prompt").values()} == {
        local(2024, 10, 1, 8, 30)
    }  # not at night


def test_unknown_occasion_after_a_dialogue_edit_does_nothing(world: World) -> None:
    assert world.broadcasts.run_occasion("nudge:verkennen:5d") is None
    assert world.audit() == []


def test_upcoming_lists_what_is_still_planned_in_dutch(world: World) -> None:
    world.broadcasts.run_occasion("step_prompt:verkennen")
    items = world.broadcasts.upcoming()
    assert [(i.when, i.what) for i in items[:3]] == [
        (local(2024, 9, 30, 8, 30), "Herinnering voor stap Verkennen (7 dagen voor de sluiting)"),
        (local(2024, 10, 4, 8, 30), "Herinnering voor stap Verkennen (2 dagen voor de sluiting)"),
        (local(2024, 10, 7, 8, 30), "Herinnering voor stap Verkennen (ochtend van de laatste dag)"),
    ]
    merged = next(i for i in items if i.step_key == "verrijken" and "2 dagen" in i.what)
    assert merged.what.endswith("valt op dezelfde dag als: ochtend van de laatste dag")
