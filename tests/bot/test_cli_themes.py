"""``dialoog themes`` as an operator runs it: compute, list, curate, publish — audited as
``cli:<user>``, bad input refused in Dutch with exit code 1 and nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from bot.cli.command import main
from dialogen.store.audit import AuditRow
from dialogen.store.database import Database
from dialogen.store.themes import ThemeDecisionRow, published_options
from tests.dialogen.test_theme_curation import add_contributions

DIALOGUE_KEY = "regionale-samenwerking"


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_url: str):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DIALOOG_DATABASE_URL", sqlite_url)
    monkeypatch.delenv("DIALOOG_FACILITATORS", raising=False)
    db = Database(sqlite_url)
    db.migrate()
    yield db
    db.dispose()


def test_an_operator_computes_curates_and_publishes_the_themes(database: Database, capsys) -> None:
    add_contributions(database, DIALOGUE_KEY)
    assert main(["themes", "list"]) == 0
    assert "Er zijn nog geen thema's berekend" in capsys.readouterr().out
    assert main(["themes", "compute"]) == 0
    out = capsys.readouterr().out
    assert "thema's berekend uit 198 bijdragen" in out and "1. " in out and "**" not in out
    assert main(["themes", "rename", "1", "Grip van de raad"]) == 0
    assert main(["themes", "merge", "3", "--into", "2"]) == 0
    assert main(["themes", "order", "2", "1"]) == 0
    assert main(["themes", "drop", "3"]) == 0
    capsys.readouterr()
    assert main(["themes", "rename", "99", "Niets"]) == 1
    assert "Thema '99' bestaat niet" in capsys.readouterr().err
    assert main(["themes", "publish"]) == 0
    with database.unit_of_work() as session:
        decisions = session.exec(select(ThemeDecisionRow)).all()
        published = published_options(session, dialogue_key=DIALOGUE_KEY)
        actors = {r.actor for r in session.exec(select(AuditRow)).all()}
    assert [d.action for d in decisions] == ["rename", "merge", "order", "drop"]
    assert published[1][1] == "Grip van de raad"
    assert all(actor.startswith("cli:") for actor in actors)
