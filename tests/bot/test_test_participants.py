"""`dialoog chat` talks as a test participant: counted in no figure, segment decision or list of
recipients, and their answers are kept apart from the dialogue's (issue 11, item 14)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.cli.command import main
from dialogen.store.database import Database
from dialogen.store.tables import AnswerRow, ParticipantRow

SHEET = "e-mail;rol;gemeente;naam;kanaal\n" + "".join(
    f"raadslid{n}@example.nl;raadslid;Utrecht;Raadslid {n};mail\n" for n in range(6)
)
TESTERS = [f"test{n}" for n in range(5)]


@pytest.fixture
def here(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DIALOOG_DATABASE_URL", database_url)
    monkeypatch.setenv("DIALOOG_LOG_LEVEL", "WARNING")
    for name in ("DIALOOG_DIALOGUE_FILE", "DIALOOG_DEMO_CALENDAR", "DIALOOG_FACILITATORS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _typed(monkeypatch: pytest.MonkeyPatch, lines: list[str]) -> None:
    feed: Iterator[str] = iter(lines)

    def read(_prompt: str = "") -> str:
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", read)


def test_chat_participants_count_in_no_figure_and_their_answers_stay_apart(
    here: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (here / "genodigden.csv").write_text(SHEET, encoding="utf-8")
    assert main(["import", "genodigden.csv"]) == 0
    capsys.readouterr()
    assert main(["stats"]) == 0
    before = capsys.readouterr().out
    for name in TESTERS:
        _typed(monkeypatch, ["ja", "raadslid", "Utrecht", "Een beeld dat lang genoeg is.", "4"])
        assert main(["chat", "--as", name]) == 0
    chatted = capsys.readouterr().out
    assert "Vraag 2 van 7" in chatted and "Vraag 3 van 7" in chatted  # the chat itself works
    assert main(["stats"]) == 0
    after = capsys.readouterr().out
    assert "Uitgenodigd: 6." in after and "Doet mee: 5" not in after
    assert after == before  # five more who 'take part' in the chat change no figure

    database = Database(database_url)
    with Session(database.engine) as session:
        testers = session.exec(select(ParticipantRow).where(ParticipantRow.is_test)).all()
        assert sorted(p.name or "" for p in testers) == TESTERS
        keys = {a.dialogue_key for a in session.exec(select(AnswerRow)).all()}
        assert keys == {"test:regionale-samenwerking"}  # never under the dialogue's own key
        assert {a.role for a in session.exec(select(AnswerRow)).all()} == {None}
    database.dispose()

    assert main(["mail", "reach", "--list"]) == 0
    listed = capsys.readouterr().out
    assert "test1" not in listed and "Raadslid 1" in listed


def test_the_migration_marks_who_chatted_with_dialoog_chat_before(database_url: str) -> None:
    from datetime import UTC, datetime

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from dialogen.store.database import MIGRATIONS

    database = Database(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0010_contributions")
    with database.engine.begin() as connection:
        for pid, user in (("a" * 32, "cli:anna"), ("b" * 32, "29:bert")):
            connection.execute(
                text(
                    "INSERT INTO participant (id, teams_user_id, consent, opted_out, invited, "
                    "preferred_channel, teams_reachable, mail_undeliverable, corrected_fields, "
                    "created_at) VALUES (:id, :user, true, false, false, 'teams', true, false, "
                    "'', :now)"
                ),
                {"id": pid, "user": user, "now": datetime(2024, 10, 1, tzinfo=UTC)},
            )
    database.migrate()
    with Session(database.engine) as session:
        marked = {p.teams_user_id: p.is_test for p in session.exec(select(ParticipantRow)).all()}
    assert marked == {"cli:anna": True, "29:bert": False}
    database.dispose()
