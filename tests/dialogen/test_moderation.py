"""Moderation through the door and on the command line: the queue, approving, hiding (the author
is told, nobody else), adjusting the masking — checked against the facilitator list every time,
and audited."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from bot.cli.command import main
from bot.runtime import Runtime
from dialogen.conversation.inputs import Text
from dialogen.conversation.replies import Say
from dialogen.dialogue.definition import ContributionRules
from dialogen.door.events import Identity, InboundEvent
from dialogen.facilitation import messages as fmsg
from dialogen.facilitation.moderation import ModerationQueue
from dialogen.store.audit import AuditRow
from dialogen.store.contributions import ContributionRow
from dialogen.store.database import Database
from dialogen.store.outbox import OutboxRow
from tests.conftest import AMS, make_runtime, test_settings
from tests.planning.people import People
from tests.support.clock import FakeClock

FENNA = Identity(channel="teams", aad_object_id="aad-fenna", teams_user_id="29:fenna", name="Fenna")
PIET = Identity(channel="teams", aad_object_id="aad-piet", teams_user_id="29:piet", name="Piet")


@pytest.fixture
def runtime(
    tmp_path: Path, database: Database, real_dialogue, registry, clock: FakeClock
) -> Runtime:
    dialogue = real_dialogue.model_copy(
        update={"contributions": ContributionRules(moderation="pre")}
    )
    settings = test_settings(tmp_path, facilitators="aad-fenna", database_url=str(database.url))
    return make_runtime(
        settings, database=database, clock=clock, dialogue=dialogue, registry=registry
    )


def contribute(runtime: Runtime, name: str, text: str) -> str:
    people = People(runtime.door)
    people.join(name)
    people.send(name, Text("verder"))
    for answer in (
        text,
        "4",
        "1",
        "2",
        "overslaan",
        "Een oplossing met genoeg woorden.",
        "overslaan",
    ):
        people.send(name, Text(answer))
    return people.ids[name]


def ask(runtime: Runtime, who: Identity, text: str) -> tuple:
    return runtime.door.handle(InboundEvent(who, Text(text))).replies


def contribution(runtime: Runtime, starts: str) -> ContributionRow:
    with runtime.database.unit_of_work() as session:
        row = next(
            r for r in session.exec(select(ContributionRow)).all() if r.original.startswith(starts)
        )
        session.expunge(row)
        return row


def audit(runtime: Runtime, action: str) -> list[AuditRow]:
    with runtime.database.unit_of_work() as session:
        return list(session.exec(select(AuditRow).where(AuditRow.action == action)).all())


def test_the_queue_shows_waiting_contributions_with_what_the_masking_hid(runtime):
    contribute(runtime, "anna", "Bel mij op 06-12345678 over de regio Utrecht.")
    (queue,) = ask(runtime, FENNA, "moderatie")
    assert isinstance(queue, ModerationQueue) and queue.total == 2
    item = next(i for i in queue.items if "regio Utrecht" in i.text)
    assert item.state == "pending" and "[telefoonnummer]" in item.text
    assert [(p.number, p.category, p.original) for p in item.parts] == [
        (1, "telefoonnummer", "06-12345678")
    ]
    assert audit(runtime, "moderation_queue")[0].actor == "aad-fenna"


def test_approving_shows_it_hiding_tells_only_the_author(runtime):
    anna = contribute(runtime, "anna", "De raad moet meer grip krijgen op de regio.")
    row = contribution(runtime, "De raad moet")
    (reply,) = ask(runtime, FENNA, f"goedkeuren {row.id[:8]}")
    assert isinstance(reply, Say) and reply.text == fmsg.moderation_approved(row.id[:8])
    assert contribution(runtime, "De raad moet").state == "visible"
    (reply,) = ask(runtime, FENNA, f"verbergen {row.id[:8]} Dit gaat over een persoon.")
    assert reply.text == fmsg.moderation_hidden(row.id[:8], told=True)
    hidden = contribution(runtime, "De raad moet")
    assert hidden.state == "hidden" and hidden.hidden_reason == "Dit gaat over een persoon."
    with runtime.database.unit_of_work() as session:
        told = session.exec(select(OutboxRow).where(OutboxRow.kind == "contribution_hidden")).all()
    assert [r.participant_id for r in told] == [anna]
    actions = [r.action for r in audit(runtime, "moderation_approved")] + [
        r.action for r in audit(runtime, "moderation_hidden")
    ]
    assert actions == ["moderation_approved", "moderation_hidden"]
    assert audit(runtime, "moderation_hidden")[0].details == {
        "reason": "Dit gaat over een persoon."
    }


def test_masking_can_be_adjusted_both_ways(runtime):
    contribute(runtime, "anna", "Wethouder Klaas Bakker belde mij op 06-12345678.")
    row = contribution(runtime, "Wethouder Klaas")
    code = row.id[:8]
    (reply,) = ask(runtime, FENNA, f"maskeer {code} Klaas Bakker")
    assert (
        contribution(runtime, "Wethouder Klaas").text
        == "Wethouder [naam] belde mij op [telefoonnummer]."
    )
    (reply,) = ask(runtime, FENNA, f"toon {code} 2")
    assert (
        contribution(runtime, "Wethouder Klaas").text
        == "Wethouder [naam] belde mij op 06-12345678."
    )
    (reply,) = ask(runtime, FENNA, f"toon {code} 9")
    assert reply.text == fmsg.moderation_no_part(code, 1)
    (reply,) = ask(runtime, FENNA, f"maskeer {code} Utrecht")
    assert reply.text == fmsg.moderation_text_not_found(code)


def test_a_hide_without_a_reason_changes_nothing(runtime):
    contribute(runtime, "anna", "Een bijdrage met genoeg woorden erin.")
    code = contribution(runtime, "Een bijdrage").id[:8]
    (reply,) = ask(runtime, FENNA, f"verbergen {code}")
    assert reply.text == fmsg.MODERATION_REASON_NEEDED
    assert contribution(runtime, "Een bijdrage").state == "pending"


def test_someone_not_on_the_list_is_refused_and_audited(runtime):
    contribute(runtime, "anna", "Een bijdrage met genoeg woorden erin.")
    code = contribution(runtime, "Een bijdrage").id[:8]
    for text in ("moderatie", f"goedkeuren {code}"):
        (reply,) = ask(runtime, PIET, text)
        assert reply.text == fmsg.REFUSED
    assert contribution(runtime, "Een bijdrage").state == "pending"
    assert [r.target for r in audit(runtime, "refused")] == ["moderatie", "goedkeuren"]


def test_an_unknown_code_is_said(runtime):
    (reply,) = ask(runtime, FENNA, "goedkeuren abcdef12")
    assert reply.text == fmsg.moderation_unknown("abcdef12")


def test_the_command_line_works_the_same_queue(runtime, database, monkeypatch, capsys, tmp_path):
    contribute(runtime, "anna", "Bel mij op 06-12345678 over de regio Utrecht.")
    code = contribution(runtime, "Bel mij").id[:8]
    monkeypatch.setenv("DIALOOG_DATABASE_URL", str(database.url))
    monkeypatch.setenv("DIALOOG_PSEUDONYM_SECRET_FILE", str(tmp_path / "secret"))
    monkeypatch.setenv("DIALOOG_MAIL_TRANSPORT", "none")
    assert main(["moderate", "list"]) == 0
    out = capsys.readouterr().out
    assert f"Bijdrage {code}" in out and "afgeschermd als telefoonnummer" in out
    assert main(["moderate", "approve", code]) == 0
    assert fmsg.moderation_approved(code) in capsys.readouterr().out
    assert main(["moderate", "hide", code, "--reason", "Persoonlijk"]) == 0
    assert contribution(runtime, "Bel mij").state == "hidden"
    assert main(["moderate", "approve", "ffffffff"]) == 1
    actors = {r.actor for r in audit(runtime, "moderation_hidden")}
    assert len(actors) == 1 and next(iter(actors)).startswith("cli:")


def test_nothing_waiting_is_said_plainly(runtime):
    (reply,) = ask(runtime, FENNA, "moderatie")
    assert reply.text == fmsg.MODERATION_EMPTY
    assert datetime.now(AMS)  # the clock is injected; nothing here waits
