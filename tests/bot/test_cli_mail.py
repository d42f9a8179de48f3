"""``dialoog mail extract`` prints what inbound processing reads as the new text."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.command import main
from bot.cli.mail import looks_like_message

FIXTURES = Path(__file__).parent / "mail_fixtures"


@pytest.mark.parametrize("name", ["outlook_nl_desktop", "gmail_nl", "html_only", "iso_8859_1"])
def test_extract_prints_the_new_text_of_a_message(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["mail", "extract", str(FIXTURES / f"{name}.eml")]) == 0
    expected = (FIXTURES / f"{name}.expected.txt").read_text(encoding="utf-8").strip()
    assert capsys.readouterr().out.strip() == expected


def test_extract_takes_a_plain_text_body_and_splits_on_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = tmp_path / "antwoord.txt"
    body.write_text(
        "1. Veel samenwerking\n2. B\n\nMet vriendelijke groet,\nPetra\n\n"
        "Op di 1 okt 2024 om 10:12 schreef Dialoog <dialoog@vng.example>:\n> 1. Vraag een\n",
        encoding="utf-8",
    )
    assert main(["mail", "extract", str(body), "--questions", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. Veel samenwerking\n2. B\n")
    assert "--- vraag 2\nB" in out and "Petra" not in out and "Vraag een" not in out


def test_extract_says_when_the_file_cannot_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["mail", "extract", str(tmp_path / "weg.eml")]) == 2
    assert "weg.eml" in capsys.readouterr().err


def test_a_message_is_told_from_a_body() -> None:
    assert looks_like_message(b"Received: from x\r\nFrom: a@b\r\nSubject: s\r\n\r\nhoi")
    assert not looks_like_message(b"Ja, ik doe mee.\n\nVan: iemand\n")
    assert not looks_like_message(b"Opmerking: dit is gewoon tekst\nmet een dubbele punt\n")


def test_reach_says_which_channel_reaches_whom(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import UTC, datetime

    from dialogen.store.database import Database
    from dialogen.store.tables import ParticipantRow

    url = f"sqlite:///{tmp_path / 'dialoog.db'}"
    database = Database(url)
    database.migrate()
    now = datetime(2024, 10, 1, tzinfo=UTC)
    with database.unit_of_work() as session:
        session.add(
            ParticipantRow(
                id="a" * 32,
                name="Ans",
                email="ans@x.example",
                consent=True,
                preferred_channel="mail",
                created_at=now,
            )
        )
        session.add(
            ParticipantRow(
                id="b" * 32,
                name="Bas",
                email="bas@x.example",
                consent=True,
                mail_undeliverable=True,
                created_at=now,
            )
        )
    database.dispose()
    monkeypatch.setenv("DIALOOG_DATABASE_URL", url)
    assert main(["mail", "reach", "--list"]) == 0
    out = capsys.readouterr().out
    assert "ans@x.example" in out and "e-mail" in out
    assert "e-mailadres onbestelbaar" in out
    assert "Bereikbaar via: e-mail 1, niet bereikbaar 1" in out
