"""The README's mail try-out, command by command (issue 11, item 8): with the demo calendar the
send window does not hold the invitation back (any day, any hour), a dry run lists who and shows
the message, also when nobody would get it, and ``mail show`` / ``mail answer`` read and answer
the mail in the folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.command import main

SHEET = (
    "e-mail;rol;gemeente;naam;kanaal\n"
    "anna@example.nl;raadslid;Utrecht;Anna de Vries;mail\n"
    "tom@example.nl;griffier;Utrecht;Tom;teams\n"
)


@pytest.fixture
def here(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_url: str) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DIALOOG_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("DIALOOG_LOG_LEVEL", "WARNING")
    for name in (
        "DIALOOG_DIALOGUE_FILE",
        "DIALOOG_DEMO_CALENDAR",
        "DIALOOG_MAIL_TRANSPORT",
        "DIALOOG_FACILITATORS",
    ):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_the_whole_mail_try_out_in_a_few_commands(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (here / "genodigden.csv").write_text(SHEET, encoding="utf-8")
    assert main(["import", "genodigden.csv"]) == 0
    capsys.readouterr()

    assert main(["mail", "invite", "--dry-run"]) == 0
    shown = capsys.readouterr().out
    assert "gaat naar 1 genodigde:" in shown and "anna@example.nl" in shown
    assert "tom@example.nl" not in shown  # prefers Teams
    assert "Doet u mee?" in shown and "\n1. Welk beeld" in shown  # the message itself

    assert main(["mail", "invite"]) == 0
    assert "1 uitnodiging per e-mail klaargezet. De bot verstuurt ze meteen" in (
        capsys.readouterr().out
    )
    assert main(["outbox", "drain", "--once"]) == 0  # due now: the window does not hold it back
    assert "1 verzonden" in capsys.readouterr().out

    assert main(["mail", "show"]) == 0
    invitation = capsys.readouterr().out
    assert "Aan: Anna de Vries <anna@example.nl>" in invitation
    assert "Onderwerp: Uitnodiging: Verenigingsdialoog" in invitation

    assert main(["mail", "answer", "1. Veel samenwerking, weinig grip.\n2. 4\n3. A, E"]) == 0
    assert "mail/in/antwoord-" in capsys.readouterr().out
    assert main(["mail", "poll"]) == 0
    assert "1 verwerkt" in capsys.readouterr().out
    assert main(["outbox", "drain", "--once"]) == 0
    capsys.readouterr()
    assert main(["mail", "show"]) == 0
    confirmation = capsys.readouterr().out
    assert "Onderwerp: Ontvangen: uw antwoorden voor stap Verkennen" in confirmation
    assert "Dit hebben wij opgeslagen:" in confirmation and "Veel samenwerking" in confirmation


def test_dry_runs_show_the_message_even_when_nobody_would_get_it(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["mail", "invite", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "er is niemand" in out and "--include-without-teams" in out
    assert "Wilt u meedoen aan de dialoog?" in out  # the plain invitation: no imported profile

    assert main(["broadcast", "--step", "verkennen", "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Er is niemand") and "Stap Verkennen is begonnen." in out
    assert main(["nudge", "--step", "verkennen", "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Er is niemand") and "Stap Verkennen sluit op" in out
