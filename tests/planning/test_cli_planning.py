"""``dialoog broadcast``, ``dialoog nudge`` and ``dialoog schedule`` as an operator uses them (with
the demo calendar, so Verkennen is open today)."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from sqlmodel import select

from bot.cli import command as cli
from dialogen.dialogue.loader import load_demo_dialogue
from dialogen.door.door import Door
from dialogen.privacy.payload_cipher import Sealing
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.audit import AuditRow
from dialogen.store.database import Database
from dialogen.store.outbox import OutboxRow
from tests.planning.people import People

AMS = ZoneInfo("Europe/Amsterdam")
SECRET = "cli-test-secret-0123456789abcdef0123456789"


def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:  # type: ignore[override]
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    secret = tmp_path / "secret"
    secret.write_text(SECRET)
    monkeypatch.setenv("DIALOOG_DATABASE_URL", url)
    monkeypatch.setenv("DIALOOG_PSEUDONYM_SECRET_FILE", str(secret))
    db = Database(url)
    db.migrate()
    return db


@pytest.fixture
def people(database: Database, registry: MunicipalityRegistry) -> People:
    door = Door(
        database=database,
        dialogue=load_demo_dialogue(datetime.now(AMS).date()),
        municipalities=registry,
        pseudonyms=Pseudonyms(SECRET.encode()),
        clock=now,
    )
    crowd = People(door)
    crowd.join("anna")
    crowd.answer("anna", 4)
    crowd.join("bert", channel="mail")
    return crowd


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().out


def rows(database: Database, kind: str) -> list[OutboxRow]:
    with database.unit_of_work() as session:
        return list(session.exec(select(OutboxRow).where(OutboxRow.kind == kind)).all())


def test_broadcast_dry_run_shows_text_and_recipients_and_sends_nothing(
    people: People, database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "broadcast", "--step", "verkennen", "--dry-run")
    assert code == 0
    assert "De uitnodiging voor stap Verkennen. Dit krijgen de deelnemers:" in out
    assert "Stap Verkennen is begonnen." in out and "1. Begin" in out
    assert "Ontvangers: 2 deelnemers (Teams: 1, e-mail: 1)" in out
    assert "Proefrun: er is niets verstuurd." in out
    assert rows(database, "step_prompt") == []


def test_broadcast_queues_once_and_is_audited_with_the_os_user(
    people: People, database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "broadcast", "--step", "verkennen")
    assert code == 0 and "2 berichten klaargezet." in out
    assert len(rows(database, "step_prompt")) == 2
    code, out = run(capsys, "broadcast", "--step", "verkennen")
    assert code == 1 and "is al klaargezet voor 2 deelnemers" in out
    assert len(rows(database, "step_prompt")) == 2
    with database.unit_of_work() as session:
        (entry, _refused) = session.exec(select(AuditRow).order_by(AuditRow.at)).all()
    assert (entry.actor, entry.action, entry.count) == (
        f"cli:{getpass.getuser()}",
        "step_prompt",
        2,
    )


def test_nudge_shows_an_example_and_queues_for_who_is_not_done(
    people: People, database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "nudge", "--step", "verkennen", "--dry-run")
    assert code == 0 and "Hoeveel vragen er nog over zijn, staat per deelnemer in de tekst." in out
    code, out = run(capsys, "nudge", "--step", "verkennen")
    assert code == 0 and "2 berichten klaargezet." in out
    anna = next(r for r in rows(database, "nudge") if r.participant_id == people.ids["anna"])
    payload = Sealing.derived_from(Pseudonyms(SECRET.encode())).outbox.open_json(anna.payload)
    assert "nog 3 vragen" in payload["replies"][0]["text"]


def test_unknown_step_is_refused_with_a_clear_answer(
    people: People, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "broadcast", "--step", "verkenen")
    assert code == 1
    assert (
        out.strip()
        == "Stap 'verkenen' bestaat niet. Kies uit: verkennen, verrijken, voorkeuren, verdiepen."
    )


def test_schedule_lists_upcoming_messages_with_dutch_dates(
    database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "schedule")
    assert code == 0
    assert "Gepland (tijden in Europe/Amsterdam):" in out
    assert "Herinnering voor stap Verkennen (7 dagen voor de sluiting)" in out
    assert " om 08:30 " in out
    assert "de planner van 'dialoog serve' heeft (nog) niets ingepland" in out


def test_serve_gets_the_scheduler(monkeypatch: pytest.MonkeyPatch, database: Database) -> None:
    captured: dict[str, web.Application] = {}

    def fake_run_app(app: web.Application, **_: object) -> None:
        captured["app"] = app

    monkeypatch.setenv("DIALOOG_MAIL_TRANSPORT", "none")
    monkeypatch.setattr("aiohttp.web.run_app", fake_run_app)
    assert cli.main(["serve"]) == 0
    starts = {hook.__qualname__ for hook in captured["app"].on_startup}
    assert "_add_scheduler.<locals>.start" in starts
