"""``dialoog privacy export|erase|unseal`` and ``dialoog purge`` as an operator runs them: the
domain does the work, every action is audited without naming the person."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from bot.cli.command import main
from bot.runtime import build_runtime
from bot.settings import Settings
from dialogen.conversation.inputs import Install, Text
from dialogen.door.events import Identity, InboundEvent
from dialogen.store.audit import AuditRow
from dialogen.store.database import Database
from dialogen.store.tables import AnswerRow, ParticipantRow
from tests.conftest import SEALING, SECRET

ANSWER = "Wij werken in de regio veel samen, vooral rond jeugdzorg."


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_url: str) -> str:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DIALOOG_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("DIALOOG_PSEUDONYM_SECRET", SECRET.decode())
    monkeypatch.setenv("DIALOOG_MAIL_TRANSPORT", "none")
    return sqlite_url


def participant_who_answered(url: str, email: str) -> None:
    runtime = build_runtime(Settings(database_url=url, mail_transport="none"))
    try:
        identity = Identity(channel="mail", email=email, name="Petra Smit")
        for message in (Install(), Text("ja"), Text("raadslid"), Text("Utrecht"), Text(ANSWER)):
            runtime.door.handle(InboundEvent(identity, message))
    finally:
        runtime.close()


def rows(url: str, model: type) -> list:  # type: ignore[type-arg]
    database = Database(url)
    try:
        with database.unit_of_work() as session:
            return list(session.exec(select(model)).all())
    finally:
        database.dispose()


def test_export_prints_what_is_stored_and_is_audited_without_the_address(
    env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    participant_who_answered(env, "petra@gemeente.example")
    assert main(["privacy", "export", "--email", "PETRA@gemeente.example"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["participant"]["email"] == "petra@gemeente.example"
    assert exported["participant"]["role"] == "raadslid"
    assert exported["as_shown"]["municipality"] == "Utrecht"
    assert exported["conversation_state"]["phase"] == "answering"  # opened for the export
    assert exported["answers"]["count"] == 1 and ANSWER not in json.dumps(exported)
    assert main(["privacy", "export", "--email", "niemand@gemeente.example"]) == 1
    assert "Geen deelnemer" in capsys.readouterr().err
    audited = [r for r in rows(env, AuditRow) if r.action == "privacy_export"]
    assert [r.count for r in audited] == [1, 0]
    assert "petra" not in json.dumps([r.details for r in audited] + [r.target for r in audited])


def test_erase_removes_the_identity_and_with_answers_the_answers(
    env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    participant_who_answered(env, "petra@gemeente.example")
    participant_who_answered(env, "kees@gemeente.example")
    assert main(["privacy", "erase", "--email", "petra@gemeente.example"]) == 0
    assert "Hun antwoorden blijven anoniem bewaard." in capsys.readouterr().out
    assert main(["privacy", "erase", "--email", "kees@gemeente.example", "--with-answers"]) == 0
    assert "Hun antwoorden zijn ook gewist (1)." in capsys.readouterr().out
    assert rows(env, ParticipantRow) == [] and len(rows(env, AnswerRow)) == 1
    assert main(["privacy", "erase", "--email", "petra@gemeente.example"]) == 1  # already gone
    audited = [r for r in rows(env, AuditRow) if r.action == "privacy_erase"]
    assert [(r.count, r.details["with_answers"]) for r in audited] == [
        (1, False),
        (1, True),
        (0, False),
    ]


def test_purge_waits_for_the_retention_shows_a_dry_run_and_needs_yes(
    env: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    participant_who_answered(env, "petra@gemeente.example")
    quarantined = tmp_path / "mail" / "state" / "quarantine" / "x.eml.sealed"
    quarantined.parent.mkdir(parents=True)
    quarantined.write_bytes(SEALING.mail.seal_file(b"From: petra@gemeente.example\r\n\r\nHoi"))
    # the shipped dialogue ends in December 2024; a demo calendar would end in the future
    monkeypatch.setenv("DIALOOG_DEMO_CALENDAR", "false")
    monkeypatch.setenv("DIALOOG_PURGE_AFTER_DAYS", "100000")
    assert main(["purge", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Te verwijderen: 1 deelnemer(s)" in out and "1 bewaarde e-mail(s)" in out
    assert "Proefrun" in out
    assert main(["purge", "--yes"]) == 1
    assert "Nog niet" in capsys.readouterr().err
    monkeypatch.setenv("DIALOOG_PURGE_AFTER_DAYS", "0")
    assert main(["purge"]) == 1  # no --yes: nothing happens
    assert len(rows(env, ParticipantRow)) == 1
    assert main(["purge", "--yes"]) == 0
    assert rows(env, ParticipantRow) == [] and len(rows(env, AnswerRow)) == 1
    assert not quarantined.exists()
    (audited,) = [r for r in rows(env, AuditRow) if r.action == "purge"]
    assert audited.count == 1 and audited.details["participants"] == 1


def test_unseal_prints_a_sealed_mail(
    env: str, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    sealed = tmp_path / "x.eml.sealed"
    sealed.write_bytes(SEALING.mail.seal_file(b"Subject: hallo\r\n\r\nHoi"))
    assert main(["privacy", "unseal", str(sealed)]) == 0
    assert capsysbinary.readouterr().out == b"Subject: hallo\r\n\r\nHoi"
    sealed.write_bytes(b"Subject: niet verzegeld")
    assert main(["privacy", "unseal", str(sealed)]) == 2
