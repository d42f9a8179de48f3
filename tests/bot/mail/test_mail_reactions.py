"""Reacting by mail (Verrijken): the step mail lists a numbered batch of others' contributions,
a reply "1 eens / 2 oneens: omdat … / 3 pas" is stored reaction by reaction, and the confirmation
lists what was recorded, what not and why, and the next batch."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from dialogen.conversation.inputs import Text
from dialogen.door.events import Identity, InboundEvent
from dialogen.store.contributions import ContributionRow, ReactionRow
from dialogen.store.database import Database
from dialogen.store.tables import AnswerRow
from tests.support.clock import FakeClock
from tests.support.mail_replies import outlook_nl_reply, plain_text
from tests.support.mail_world import MailWorld

AMS = ZoneInfo("Europe/Amsterdam")
VERKENNEN = datetime(2024, 10, 1, 10, 0, tzinfo=AMS)
VERRIJKEN = datetime(2024, 10, 9, 10, 0, tzinfo=AMS)


@pytest.fixture
def world(sqlite_database: Database, clock: FakeClock, tmp_path: Path) -> MailWorld:
    return MailWorld(sqlite_database, clock, tmp_path)


def shared_answers(world: MailWorld, names: list[str]) -> None:
    """Participants who went through Verkennen in Teams: their shared answers are contributions."""
    for name in names:
        who = Identity(channel="teams", teams_user_id=f"29:{name}", aad_object_id=f"aad-{name}")
        for text in (
            "hallo",
            "ja",
            "raadslid",
            "Zwolle",
            "verder",
            f"Het beeld van {name}: de raad staat op afstand.",
            "3",
            "1",
            "2",
            "overslaan",
            f"De oplossing van {name}: samen optrekken.",
            "overslaan",
        ):
            world.door.handle(InboundEvent(who, Text(text)))


def rows(world: MailWorld, table: type) -> list:
    with world.database.unit_of_work() as session:
        return list(session.exec(select(table)).all())


async def test_a_step_mail_lists_a_batch_and_the_reply_is_stored_reaction_by_reaction(world, clock):
    clock.set(VERKENNEN)
    shared_answers(world, ["anna", "bert", "carla"])
    petra = world.join("petra")
    clock.set(VERRIJKEN)
    assert world.broadcast_step_prompt("verrijken") >= 1
    await world.send_outbox()
    mails = [m for m in world.sent() if m["To"].addresses[0].addr_spec == world.address("petra")]
    (prompt,) = mails
    body = plain_text(prompt)
    assert "bijdragen van andere deelnemers" in body and "'1 eens'" in body
    listed = [line for line in body.splitlines() if line[:3] in ("1. ", "2. ", "3. ", "4. ", "5. ")]
    assert len(listed) == 5 and all("\u201c" in line for line in listed)
    assert "petra" not in body.split("bijdragen van andere deelnemers")[1]  # never her own

    world.drop(
        outlook_nl_reply(
            prompt,
            sender=world.address("petra"),
            name="Petra",
            text="1 eens\n2 oneens: omdat de raad er niet over gaat\n3 pas\n4 misschien",
            when=VERRIJKEN,
        )
    )
    summary = await world.poll()
    assert summary.outcomes == {"handled:answers:items": 1}
    reactions = rows(world, ReactionRow)
    assert sorted(r.vote for r in reactions) == ["eens", "oneens", "pas"]
    additions = [r for r in rows(world, ContributionRow) if r.source_key]
    assert [a.text for a in additions] == ["omdat de raad er niet over gaat"]
    progress = [r.value for r in rows(world, AnswerRow) if r.question_id == "reacties"]
    assert progress == [{"given": 3, "stopped": False}]  # her progress: three reactions given
    assert petra

    await world.send_outbox()
    (confirmation,) = world.sent()
    text = plain_text(confirmation)
    assert "Dank u wel voor uw reacties in stap Verrijken." in text
    assert "Bij bijdrage 4: schrijf eens, oneens, pas of melden." in text
    assert "1. " in text.split("Dit hebben wij niet begrepen")[1]  # the next batch follows
