"""``dialoog import``, ``dialoog stats`` and ``dialoog teams-install`` as an operator runs them."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlmodel import select

from bot.cli.command import main
from dialogen.store.audit import AuditRow
from dialogen.store.database import Database
from dialogen.store.tables import ParticipantRow


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_url: str) -> str:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DIALOOG_DATABASE_URL", sqlite_url)
    for name in ("DIALOOG_TEAMS_CATALOG_APP_ID", "DIALOOG_FACILITATORS"):
        monkeypatch.delenv(name, raising=False)
    return sqlite_url


def stored(url: str) -> list[ParticipantRow]:
    database = Database(url)
    try:
        with database.unit_of_work() as session:
            return list(session.exec(select(ParticipantRow).order_by(ParticipantRow.email)).all())
    finally:
        database.dispose()


def test_import_reports_counts_and_each_rejected_line(env, tmp_path, capsys) -> None:
    path = tmp_path / "genodigden.csv"
    path.write_text(
        "Naam;E-mail;Rol;Gemeente\n"
        "Ans;ans@amsterdam.nl;Burgemeester;Amsterdam\n"
        "Ans;ANS@amsterdam.nl;Burgemeester;\n"
        "Kok;kok@x.nl;Kok;Utrecht\n"
        "Wim;wim@;Wethouder;Ede\n",
        encoding="utf-8-sig",
    )
    assert main(["import", str(path)]) == 1
    out = capsys.readouterr().out
    assert (
        "Geaccepteerd: 1 (nieuw: 1, bijgewerkt: 0). "
        "Samengevoegd (zelfde e-mailadres): 1. Afgewezen: 2." in out
    )
    assert "  regel 4: rol 'Kok' is onbekend" in out
    assert "  regel 5: e-mailadres 'wim@' is ongeldig" in out
    assert "ans@" not in out.split("Afgewezen regels:")[1]
    assert [p.email for p in stored(env)] == ["ans@amsterdam.nl"]


def test_a_clean_xlsx_import_exits_0_and_re_running_it_changes_nothing(
    env, tmp_path, capsys
) -> None:
    path = tmp_path / "genodigden.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Naam", "E-mail", "Rol", "Gemeente", "Kanaal"])
    workbook.active.append(["Ans", "ans@amsterdam.nl", "Burgemeester", "Amsterdam", "mail"])
    workbook.save(path)
    assert main(["import", str(path)]) == 0
    assert main(["import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "nieuw: 1, bijgewerkt: 0" in out and "nieuw: 0, bijgewerkt: 0" in out
    (ans,) = stored(env)
    assert ans.preferred_channel == "mail"


def test_dry_run_and_unreadable_files(env, tmp_path, capsys) -> None:
    path = tmp_path / "genodigden.csv"
    path.write_text(
        "e-mail,rol,gemeente\nans@amsterdam.nl,burgemeester,Amsterdam\n", encoding="utf-8"
    )
    assert main(["import", "--dry-run", str(path)]) == 0
    assert "Controle zonder opslaan. Geaccepteerd: 1." in capsys.readouterr().out
    assert stored(env) == []
    assert main(["import", str(tmp_path / "weg.xlsx")]) == 2
    assert "kan niet worden gelezen" in capsys.readouterr().err


def test_stats_prints_the_same_table_as_stand_and_is_audited(env, tmp_path, capsys) -> None:
    path = tmp_path / "genodigden.csv"
    rows = [f"B{n};b{n}@utrecht.nl;Burgemeester;Utrecht" for n in range(6)] + [
        "W;w@utrecht.nl;Wethouder;Utrecht"
    ]
    path.write_text("Naam;E-mail;Rol;Gemeente\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert main(["import", str(path)]) == 0
    capsys.readouterr()
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "Uitgenodigd: 7." in out
    # The one alderman would single themselves out: mayors and alderman count as role group
    # Bestuur (k-safe segments), and the rows of the roles themselves stay empty.
    bestuur = next(line for line in out.splitlines() if line.startswith("Bestuur (rolgroep)"))
    wethouder = next(line for line in out.splitlines() if line.startswith("Wethouder"))
    assert bestuur.split()[2] == "7" and wethouder.split()[1:] == [
        "<",
        "5",
        "<",
        "5",
        "<",
        "5",
    ]
    assert main(["stats", "--step", "bestaatniet"]) == 2
    database = Database(env)
    with database.unit_of_work() as session:
        actions = [r.action for r in session.exec(select(AuditRow)).all()]
    database.dispose()
    assert actions.count("stats") == 1 and actions.count("import") == 1


def test_teams_install_without_configuration_does_nothing_and_says_so(env, capsys) -> None:
    assert main(["teams-install"]) == 2
    assert "per e-mail bereikt" in capsys.readouterr().err
