"""The results message: refused before approval and before Voortzetten opens, previewed, queued
once per participant in their channel (idempotent), the contribution line for authors only and
right for them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from dialogen.conversation.reply_codec import decode_replies
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.reporting.facts import ContributionFact
from dialogen.reporting.results import contribution_lines
from dialogen.stakeholders.segments import Segment
from dialogen.store.outbox import OutboxRow
from planning.results import ResultsMessages
from tests.conftest import AMS, SEALING, SECRET
from tests.reporting.conftest import make_desk
from tests.support.clock import FakeClock
from tests.support.report_world import build_world


def messages(database, dialogue, registry, clock) -> ResultsMessages:
    return ResultsMessages(
        database=database,
        reports=make_desk(database, dialogue, registry, clock),
        clock=clock,
        pseudonyms=Pseudonyms(SECRET),
        sealing=SEALING,
    )


def queued(database) -> dict[str, tuple[str, str]]:
    with database.unit_of_work() as session:
        rows = session.exec(select(OutboxRow).where(OutboxRow.kind == "results")).all()
        return {
            r.participant_id: (
                r.channel,
                decode_replies(SEALING.outbox.open_json(r.payload))[0].text,
            )
            for r in rows
        }


def test_preview_confirm_once_and_the_authors_line(
    database, real_dialogue, registry, december
) -> None:
    world = build_world(database, real_dialogue, registry, people=40, answering=0.7)
    sender = messages(database, real_dialogue, registry, december)
    refused = sender.preview(actor="fac")
    assert refused.problem and "vastgesteld" in refused.problem and not refused.recipients
    assert sender.send(actor="fac") == 0
    desk = make_desk(database, real_dialogue, registry, december)
    desk.approve(actor="fac", code=desk.make(actor="fac").code)
    preview = sender.preview(actor="fac")
    assert preview.problem is None
    assert preview.recipients == {"teams": 20, "mail": 20}
    assert preview.authors == len(world.authors) > 0
    (say,) = preview.replies
    assert "Aandachtspunt 1: " in say.text and "Uw bijdrage" not in say.text
    assert sender.send(actor="fac") == 40
    assert sender.send(actor="fac") == 0  # idempotent: nobody twice
    assert "iedereen heeft ze al" in (sender.preview(actor="fac").problem or "")
    sent = queued(database)
    assert len(sent) == 40
    for pid, (channel, text) in sent.items():
        number = int(world.emails[pid].removeprefix("persoon").split("@")[0])
        assert channel == ("mail" if number % 2 else "teams")
        assert ("Uw bijdrage over" in text) == (pid in world.authors)
        assert "Aandachtspunt 1: " in text
    texts = _texts(database)
    for author in world.authors:  # one line per own contribution, about that contribution
        own = [t for cid, t in texts.items() if world.contributions.get(cid) == author]
        lines = [x for x in sent[author][1].splitlines() if x.startswith("- Uw bijdrage over")]
        assert len(lines) == len(own)
        topics = sorted(x.split("‘")[1].split("’")[0] for x in lines)
        assert topics == sorted(" ".join(t.split()[:8]) + "…" for t in own)


def _texts(database) -> dict[str, str]:
    from dialogen.store.contributions import ContributionRow

    with database.unit_of_work() as session:
        return {r.id: r.text for r in session.exec(select(ContributionRow)).all()}


def test_not_before_voortzetten_opens(sqlite_database, real_dialogue, registry) -> None:
    november = FakeClock(datetime(2024, 11, 20, 10, 0, tzinfo=AMS))
    build_world(sqlite_database, real_dialogue, registry, people=10)
    preview = messages(sqlite_database, real_dialogue, registry, november).preview(actor="f")
    assert preview.problem and "Voortzetten" in preview.problem


def test_the_contribution_line_shows_a_share_only_over_k_readers() -> None:
    nobody = Segment(None, None, frozenset())

    def contribution(text: str, agree: int, disagree: int, passes: int, visible=True):
        return ContributionFact(
            "c" + text[:3],
            "p",
            "verkennen",
            "beeld",
            text,
            visible,
            agree,
            disagree,
            passes,
            nobody,
        )

    lines = contribution_lines(
        [
            contribution("De raad heeft te weinig grip op de regio en dat moet anders", 7, 2, 1),
            contribution("Kort en goed", 2, 1, 1),
            contribution("Verborgen bijdrage", 9, 0, 0, visible=False),
        ]
    )
    assert lines == (
        "Uw bijdrage over ‘De raad heeft te weinig grip op de…’ werd door 70% van de lezers "
        "onderschreven.",
        "Uw bijdrage over ‘Kort en goed’ werd door minder dan 5 deelnemers beoordeeld; daarover "
        "noemen we geen cijfer.",
    )


def test_counts_of_recipients_under_k_read_less_than_k() -> None:
    from dialogen.reporting.messages import results_authors, results_queued

    assert results_authors(3).startswith("< 5 van hen")
    assert results_authors(0).startswith("0 van hen")
    assert results_authors(5).startswith("5 van hen")
    assert "klaargezet voor < 5 deelnemers" in results_queued(4)
    assert "klaargezet voor 12 deelnemers" in results_queued(12)


def test_the_preview_shows_a_contributor_s_message_with_made_up_contributions(
    database, real_dialogue, registry, december
) -> None:
    build_world(database, real_dialogue, registry, people=20, answering=0.7)
    sender = messages(database, real_dialogue, registry, december)
    assert sender.preview(actor="fac").contributor == ()  # not approved: nothing to show
    desk = make_desk(database, real_dialogue, registry, december)
    desk.approve(actor="fac", code=desk.make(actor="fac").code)
    preview = sender.preview(actor="fac")
    (everyone,) = preview.replies
    (contributor,) = preview.contributor
    lines = [x for x in contributor.text.splitlines() if x.startswith("- Uw bijdrage over")]
    assert lines == [
        "- Uw bijdrage over ‘[de eerste woorden van de bijdrage]’ werd door 60% van de lezers "
        "onderschreven.",
        "- Uw bijdrage over ‘[de eerste woorden van de bijdrage]’ werd door minder dan 5 "
        "deelnemers beoordeeld; daarover noemen we geen cijfer.",
    ]
    # the rest of the message is the one everyone gets
    assert everyone.text.split("\n\n")[:2] == contributor.text.split("\n\n")[:2]
