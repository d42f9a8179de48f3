"""Review before release: a report is a draft until approved; approval is audited; a changed
dialogue makes a new draft; the CLI verbs. On SQLite and PostgreSQL."""

from __future__ import annotations

from sqlmodel import select

from bot.cli.command import main
from dialogen.store import answers as answer_store
from dialogen.store.audit import AuditRow
from tests.conftest import test_settings
from tests.reporting.conftest import make_desk
from tests.support.report_world import build_world


def actions(database) -> list[str]:
    with database.unit_of_work() as session:
        return [r.action for r in session.exec(select(AuditRow).order_by(AuditRow.at)).all()]


def test_draft_until_approved_and_a_change_makes_a_new_draft(
    database, real_dialogue, registry, december
) -> None:
    build_world(database, real_dialogue, registry, people=30)
    desk = make_desk(database, real_dialogue, registry, december)
    first = desk.make(actor="fac")
    assert not first.approved and "Concept" in first.report.made_on
    assert desk.approved_report(actor="fac") is None
    assert "geen rapport" in desk.approve(actor="fac", code="00000000")
    assert "is vastgesteld" in desk.approve(actor="fac", code=first.code)
    again = desk.make(actor="fac")
    assert (again.code, again.approved) == (first.code, True)
    assert again.report.made_on.startswith("Vastgesteld")
    assert desk.approve(actor="fac", code=first.code) == "Dit rapport was al vastgesteld."
    with database.unit_of_work() as session:  # one more answer after approval
        answer_store.save(
            session,
            dialogue_key=real_dialogue.key,
            pseudonym="nieuw",
            answers=[("verkennen", "waardering", 5)],
            role="raadslid",
            province="Utrecht",
            networks="",
            day=december().date(),
        )
    changed = desk.make(actor="fac")
    assert not changed.approved and changed.code != first.code
    assert actions(database).count("report_approved") == 1
    assert "report_approve_refused" in actions(database)


def test_the_cli_verbs(tmp_path, sqlite_database, real_dialogue, registry, monkeypatch, capsys):
    build_world(sqlite_database, real_dialogue, registry, people=30)
    settings = test_settings(tmp_path)
    for name, value in (
        ("DATABASE_URL", settings.database_url),
        ("DIALOOG_PSEUDONYM_SECRET", settings.pseudonym_secret.get_secret_value()),
        ("DIALOOG_DEMO_CALENDAR", "false"),
        ("DIALOOG_MAIL_TRANSPORT", "none"),
    ):
        monkeypatch.setenv(name, value)
    assert main(["report", "--output", str(tmp_path / "rapport.pdf")]) == 2
    assert ".docx of .html" in capsys.readouterr().err
    assert main(["report", "--output", str(tmp_path / "rapport.html")]) == 0
    out, err = capsys.readouterr()
    assert "16" not in err and "9/9" in err  # the progress bar ran to its end
    code = out.split("code ")[1].split(")")[0]
    assert main(["results", "--dry-run"]) == 1  # not approved yet: nothing to send
    assert "vastgesteld" in capsys.readouterr().out
    assert main(["report", "--approve", code]) == 0
    capsys.readouterr()
    assert main(["results", "--dry-run"]) == 0
    assert "naar 15 deelnemers in Teams en 15 per e-mail" in capsys.readouterr().out
    assert main(["results"]) == 0
    assert "klaargezet voor 30 deelnemers" in capsys.readouterr().out
    assert main(["results"]) == 1  # nobody twice
    assert main(["export", "--output", str(tmp_path / "antwoorden.xlsx")]) == 0
    assert (tmp_path / "antwoorden.xlsx").stat().st_size > 1000
    assert main(["export", "--output", str(tmp_path / "antwoorden.ods")]) == 2
    assert {"report_made", "report_approved", "export"} <= set(actions(sqlite_database))


def test_a_report_requested_twice_at_once(sqlite_database, real_dialogue, registry, december):
    """Two facilitators ask at the same moment: both get the report; whichever code is approved,
    the content counts as approved."""
    from concurrent.futures import ThreadPoolExecutor

    build_world(sqlite_database, real_dialogue, registry, people=20)
    desk = make_desk(sqlite_database, real_dialogue, registry, december)
    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(lambda who: desk.make(actor=who), ["a", "b"])
    assert first.report == second.report and not first.approved and not second.approved
    desk.approve(actor="a", code=second.code)
    assert desk.make(actor="c").approved
