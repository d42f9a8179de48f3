"""Anonymity against someone holding the database and the working directory (not the secret).

A full run through the real runtime: an imported invited population; five participants who take
part by mail (invited by mail, "ja", the profile check, answers in one or two mails, a mail that
gets a notice, a nudge) and three in Teams (real-shaped activities through the Teams channel),
confirmations queued and delivered by the outbox sender; then Verrijken, where the Teams
participants react to the shared answers (eens, oneens with an addition, pas), each on another
day, and the mail participants reply to the numbered batch of contributions their Verrijken mail
lists ("1 eens", "2 oneens: ...", "3 pas", with additions), each on another day. Then the
attacker of
:mod:`tests.support.attacker` tries every join it knows, on SQLite and on PostgreSQL, and must
link no answer to anyone.

Mail the folder transport wrote to ``out/`` is excluded from the files the attacker reads: that
folder stands for the wire, the mail handed to delivery (with a mail server it is not on this
machine at all); what a participant's own mailbox holds is theirs.

Before issue 9 was fixed this attacker re-linked, on SQLite, 6 of the 8 participants and 32 of
the 45 answers — all 5 mail participants (26 answers) by the answers quoted in the outbox
payloads alone, and again by the processed mails; 3 (14 answers) by dates; the lone griffier (5)
by segment; 2 Teams participants (9) by the questions their stored progress said they skipped —
and on PostgreSQL all 8 participants and 45 answers by the storage order of the answer table.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity
from sqlalchemy import text as sql

from bot.teams.channel import TeamsChannel
from dialogen.privacy.pseudonyms import pseudonym
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.stakeholders.segments import segment_of
from dialogen.stakeholders.sheet import SheetRow
from dialogen.store.database import Database
from tests.conftest import SECRET
from tests.support import activities as act
from tests.support.attacker import Findings, Row, Snapshot, attack, take_snapshot
from tests.support.clock import FakeClock
from tests.support.mail_replies import outlook_nl_reply, plain_text
from tests.support.mail_world import MAILBOX, MailWorld

AMS = ZoneInfo("Europe/Amsterdam")
SERVICE_URL = "https://smba.trafficmanager.net/emea/"
HEADER = SheetRow(1, ("naam", "e-mail", "rol", "gemeente", "kanaal"))

BY_MAIL: dict[str, tuple[str, tuple[str, ...]]] = {
    # name: (role, answer mails: each the text a participant types above the quoted mail)
    "anna": (
        "raadslid",
        (
            "1. Wij werken in de regio vooral samen rond jeugdzorg en afval.\n2. 4\n3. A, C\n4. b",
            "5. De gemeenschappelijke regeling voor jeugd besluit zonder onze raad.\n"
            "6. Een gezamenlijke raadscommissie van alle regiogemeenten.\n"
            "7. Meer ondersteuning voor raadsleden die regionaal meedenken.",
        ),
    ),
    "bram": (
        "raadslid",
        (
            "1. De veiligheidsregio voelt ver weg van onze inwoners.\n2. 2\n3. E\n4. a\n"
            "5. Begrotingen van de regio komen pas binnen als alles vastligt.\n"
            "6. Vroeg meepraten via een regionale raadsavond helpt echt.",
        ),
    ),
    "carla": (
        "raadslid",
        ("1. Samenwerking met buurgemeenten gaat goed op het sociaal domein.\n2. 5\n3. F, G",),
    ),
    "daan": (
        "raadslid",
        (
            "1. Te veel verbanden, niemand heeft nog het overzicht.\n2. 3\n3. B\n4. c",
            "6. Snoeien in het aantal regionale samenwerkingsverbanden.",
        ),
    ),
    "eva": (
        "griffier",
        (
            "1. Als griffier zie ik hoe lastig regionale sturing voor de raad is.\n2. 3\n"
            "3. A\n4. d\n6. Een vaste regionale griffiersoverleg per kwartaal.",
        ),
    ),
}
IN_TEAMS: dict[str, tuple[str, ...]] = {
    "fenna": (
        "Regionale samenwerking vraagt veel tijd van ons college.",
        "4",
        "1, 2",
        "A",
        "Voorstellen komen laat en zijn moeilijk te wijzigen.",
        "Samen optrekken bij de provincie werkt goed.",
        "overslaan",
    ),
    "gijs": (
        "In onze regio is de samenwerking open en vriendelijk.",
        "5",
        "6",
        "E",
        "overslaan",
        "Gezamenlijke inkoop levert veel op voor iedereen.",
        "Een landelijk overzicht van goede voorbeelden.",
    ),
    "hanna": (
        "De afstand tussen raad en regio wordt steeds groter.",
        "2",
        "5",
        "B",
        "Elke gemeente wil iets anders en dat remt alles af.",
        "Heldere afspraken vooraf over wie wat beslist.",
        "Een handreiking voor raadsleden over regionale besluiten.",
    ),
}
MAIL_REACTIONS: dict[str, tuple[str, ...]] = {
    # name: the lines of their reply to the numbered batch of contributions
    "anna": ("1 eens", "2 oneens: de raad moet eerder aan tafel zitten", "3 pas"),
    "bram": ("1. eens", "2 - oneens", "3: eens, en de begroting hoort daarbij", "4 pas"),
    "carla": ("1 oneens", "2 eens"),
    "daan": ("1 eens: dat zien wij in de regio ook zo", "2 eens", "3 oneens", "5 pas"),
    "eva": ("2 eens", "1 oneens: als griffier zie ik het anders"),
}
BATCH_ITEM = re.compile(r"^\d+\. “", re.MULTILINE)
MAIL_ONLY = ("mail",)  # Teams messages stay queued: no connector here
NEVER_ANSWERING = ("ilse", "joost", "karin", "lars", "mila", "niels")


class TeamsChats:
    """The Teams channel as the runtime's door sees it, through botbuilder's TestAdapter."""

    def __init__(self, world: MailWorld) -> None:
        channel = TeamsChannel(world.door.handle)
        self.adapter = TestAdapter(channel.on_turn)
        self.adapter.on_turn_error = TeamsChannel.on_error

    async def send(self, activity: dict[str, Any]) -> list[Activity]:
        self.adapter.activity_buffer.clear()
        await self.adapter.receive_activity(Activity().deserialize(activity))
        replies = list(self.adapter.activity_buffer)
        self.adapter.activity_buffer.clear()
        return replies

    async def type(self, user: str, text: str) -> list[Activity]:
        return await self.send(act.message(SERVICE_URL, user, text))


async def full_run(world: MailWorld, clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    """Verkennen by mail and in Teams, then reactions in Verrijken, through the real runtime."""
    invitees = [
        SheetRow(n, (who.title(), world.address(who), role, "Utrecht", "mail"))
        for n, (who, (role, _)) in enumerate(BY_MAIL.items(), start=2)
    ]
    invitees += [
        SheetRow(n, (who.title(), world.address(who), "raadslid", "Utrecht", "teams"))
        for n, who in enumerate(NEVER_ANSWERING, start=20)
    ]
    result = world.runtime.roster.import_rows([HEADER, *invitees], actor="cli:test")
    assert result.saved and not result.checked.rejections
    assert world.runtime.invitations.invite(actor="cli:test") == len(BY_MAIL)
    await world.send_outbox(MAIL_ONLY)
    invitations = {mail["To"].addresses[0].addr_spec: mail for mail in world.sent()}
    when = datetime(2024, 10, 1, 11, 0, tzinfo=AMS)

    for who, (_, answer_mails) in BY_MAIL.items():
        address = world.address(who)
        last = invitations[address]
        for text in ("Ja", "ja, dat klopt"):  # consent, then the profile check
            world.drop(
                outlook_nl_reply(last, sender=address, name=who.title(), text=text, when=when)
            )
            await world.poll()
            await world.send_outbox(MAIL_ONLY)
            (last,) = world.sent()
        assert "\n1. Welk beeld" in plain_text(last)  # the questions of the step
        for text in answer_mails:
            world.drop(
                outlook_nl_reply(last, sender=address, name=who.title(), text=text, when=when)
            )
            await world.poll()
            await world.send_outbox(MAIL_ONLY)
            (last,) = world.sent()  # the confirmation, with what was recorded
        clock.advance(days=1)  # the next one answers another day
        when = when.replace(day=when.day + 1)

    # a new mail (no reply token) from a registered address: a notice, nothing stored
    world.drop(fresh_mail(world.address("anna"), "Hoe lang loopt deze stap nog?", when))
    await world.poll()

    chats = TeamsChats(world)
    for who, answers in IN_TEAMS.items():
        await chats.send(act.installation_update(SERVICE_URL, who))
        for text in ("ja", "raadslid", "Utrecht", *answers):
            await chats.type(who, text)

    clock.set(datetime(2024, 10, 4, 9, 0, tzinfo=AMS))  # Friday morning: a nudge goes out
    assert world.runtime.broadcasts.send_nudge("verkennen", actor="cli:test") >= 1
    await world.send_outbox(MAIL_ONLY)
    world.sent()
    # Verrijken: the Teams participants read and react to each other's contributions, each on
    # another day, with an addition now and then
    clock.set(datetime(2024, 10, 8, 10, 0, tzinfo=AMS))
    for who in IN_TEAMS:
        for text in ("verder", "eens", "oneens: dat zie ik anders", "pas", "eens", "klaar"):
            await chats.type(who, text)
        clock.advance(days=1)
    await world.send_outbox(MAIL_ONLY)
    world.sent()
    # ... and the mail participants by replying to the numbered batch their Verrijken mail lists,
    # each on another day, in every form a reply line may take
    clock.set(datetime(2024, 10, 14, 9, 0, tzinfo=AMS))
    assert world.broadcast_step_prompt("verrijken") >= len(BY_MAIL)
    await world.send_outbox(MAIL_ONLY)
    batches = {mail["To"].addresses[0].addr_spec: mail for mail in world.sent()}
    when = datetime(2024, 10, 14, 10, 0, tzinfo=AMS)
    for who, lines in MAIL_REACTIONS.items():
        address = world.address(who)
        listed = batches[address]
        assert len(BATCH_ITEM.findall(plain_text(listed))) >= len(lines)
        world.drop(
            outlook_nl_reply(
                listed, sender=address, name=who.title(), text="\n".join(lines), when=when
            )
        )
        await world.poll()
        await world.send_outbox(MAIL_ONLY)
        (confirmation,) = world.sent()
        assert "Verrijken" in plain_text(confirmation)
        clock.advance(days=1)
        when = when.replace(day=when.day + 1)
    await world.send_outbox(MAIL_ONLY)  # the sender's housekeeping runs as in production
    logged = "\n".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in caplog.records)
    (world.settings.mail_state_dir.parent / "dialoog.log").write_text(logged, encoding="utf-8")


def fresh_mail(sender: str, body: str, when: datetime) -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = MAILBOX
    mail["Subject"] = "Vraag over de dialoog"
    mail["Date"] = format_datetime(when)
    mail["Message-ID"] = make_msgid(domain=sender.split("@")[1])
    mail.set_content(body)
    return mail.as_bytes(policy=policy.SMTP)


def truth(database: Database) -> dict[str, str]:
    """Pseudonym -> participant id, computed with the secret the attacker does not have."""
    with database.engine.connect() as connection:
        ids = [row[0] for row in connection.execute(sql("SELECT id FROM participant"))]
    return {pseudonym(SECRET, pid): pid for pid in ids}


def segments(registry: MunicipalityRegistry, snapshot: Snapshot) -> Any:
    """A participant's segment as answers would carry it — through the released-segment table
    when the database has one (the attacker has the same municipality list)."""
    released: dict[tuple[Any, Any, Any], tuple[Any, Any, Any]] = {}
    rows = snapshot.tables.get("segment_release", [])
    if rows:
        latest = max(row["version"] for row in rows)
        released = {
            (r["role"], r["province"], r["networks"]): (
                r["released_role"],
                r["released_province"],
                r["released_networks"],
            )
            for r in rows
            if r["version"] == latest
        }

    def of(person: Row) -> tuple[Any, Any, Any] | None:
        if not person.get("role"):
            return None
        found = segment_of(
            role=person["role"],
            municipality_code=person.get("municipality_code"),
            province=person.get("province"),
            networks=person.get("networks"),
            municipalities=registry,
        )
        full = (found.role, found.province or "", found.networks_text)
        return released.get(full, (found.role, found.province, found.networks_text))

    return of


def report(findings: Findings, known: dict[str, str]) -> str:
    participants, answers = findings.relinked(known)
    lines = [f"re-linked: {participants} participants, {answers} answers"]
    lines += [
        f"  {join}: {p} participants, {a} answers"
        for join, (p, a) in findings.by_join(known).items()
    ]
    return "\n".join(lines)


async def test_an_attacker_with_the_database_and_the_files_links_no_answer_to_anyone(
    database: Database,
    clock: FakeClock,
    tmp_path: Path,
    registry: MunicipalityRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    workdir = tmp_path
    world = MailWorld(database, clock, workdir)
    await full_run(world, clock, caplog)
    assert not (workdir / "secret").exists()  # the secret is not in the working directory

    snapshot = take_snapshot(database, workdir, skip=[world.outbox])
    questions = {step.key: [q.id for q in step.questions] for step in world.door.dialogue.steps}
    known = truth(database)
    answered = {p for p in known if p in {r["pseudonym"] for r in snapshot.tables["answer"]}}
    assert len(answered) == len(BY_MAIL) + len(IN_TEAMS)  # everyone's answers are there
    reactors = {r["pseudonym"] for r in snapshot.tables["reaction"]}
    assert len(reactors) == len(IN_TEAMS) + len(MAIL_REACTIONS)
    by_mail = sum(len(lines) for lines in MAIL_REACTIONS.values())
    assert len(snapshot.tables["reaction"]) >= 9 + by_mail
    notes = [r["text"] for r in snapshot.tables["contribution"] if r["source_key"] != ""]
    assert "de raad moet eerder aan tafel zitten" in notes  # a mail addition is a contribution
    findings = attack(
        snapshot, questions_in_order=questions, segment_of=segments(registry, snapshot)
    )
    print(report(findings, known))
    assert findings.relinked(known) == (0, 0), report(findings, known)
