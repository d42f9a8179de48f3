"""The report follows what facilitators decided: the published (curated) themes — their names and
membership — instead of themes computed on the fly, and the Verdiepen answers per top theme (the
confirmed follow-up questions), in the model and in the Word and HTML files. Figures under k read
"< 5"."""

from __future__ import annotations

import io
import re
from datetime import datetime
from html.parser import HTMLParser

import pytest
from docx import Document

from bot.reporting.page import report_html
from bot.reporting.word import report_docx
from dialogen.facilitation.follow_up import FIRST_RANKED_ID, FollowUps
from dialogen.facilitation.themes import ThemeCuration
from dialogen.reporting import messages as rmsg
from dialogen.reporting.model import Block, Report
from dialogen.reporting.question_part import THEMES_SHOWN
from dialogen.store import answers as answer_store
from dialogen.store import follow_ups as follow_up_store
from tests.conftest import AMS
from tests.reporting.conftest import DECEMBER, make_desk
from tests.reporting.test_report_content import small_counts
from tests.support.clock import FakeClock
from tests.support.report_world import SENTENCES, build_world

VERRIJKEN = datetime(2024, 10, 20, 10, 0, tzinfo=AMS)  # themes are curated before Voorkeuren
EVE_OF_VERDIEPEN = datetime(2024, 11, 10, 12, 0, tzinfo=AMS)
RENAMED = "Grip van de raad op regionale besluiten"


def block_of(report: Report, step: str, heading: str) -> Block:
    return next(b for b in report.section(step).blocks if b.heading == heading)


def test_the_report_shows_the_published_curated_themes(database, real_dialogue, registry) -> None:
    build_world(database, real_dialogue, registry, people=80)
    desk = make_desk(database, real_dialogue, registry, FakeClock(DECEMBER))
    curation = ThemeCuration(database=database, dialogue=real_dialogue, clock=FakeClock(VERRIJKEN))
    assert curation.compute(actor="fenna").done
    computed = curation.current()
    assert computed is not None and len(computed.themes) >= 3
    first, second = computed.themes[0], computed.themes[1]
    assert curation.rename(actor="fenna", theme=first.key, label=RENAMED).done
    assert curation.merge(actor="fenna", source=second.key, target=first.key).done
    beeld = real_dialogue.step("verkennen").question("beeld").text

    # Curated but not published: the report still computes its own themes.
    unpublished = block_of(desk.make(actor="t").report, "verkennen", beeld)
    assert not any(RENAMED in b for b in unpublished.bullets)

    assert curation.publish(actor="fenna").done
    curated = curation.current()
    assert curated is not None
    facts = desk.facts()
    in_beeld = {
        c.id
        for c in facts.contributions
        if (c.step_key, c.question_id) == ("verkennen", "beeld") and c.visible
    }
    report = desk.make(actor="t").report
    block = block_of(report, "verkennen", beeld)
    by_hand = len(set(first.members + second.members) & in_beeld)
    assert by_hand >= report.k
    assert rmsg.theme_line(RENAMED, str(by_hand)) in block.bullets
    assert not any(b.startswith(f"{second.label} (") for b in block.bullets)
    assert any(q.note == f"{rmsg.THEMES}: {RENAMED}" for q in block.quotes)
    # The themes shown are the published ones in the facilitators' order, each with its curated
    # count in this question (those of at least k contributions).
    counted = [(t.label, len(set(t.members) & in_beeld)) for t in curated.themes]
    shown = [re.fullmatch(r"(.+) \((\d+) bijdragen\)", bullet).groups() for bullet in block.bullets]
    assert shown == [(label, str(n)) for label, n in counted if n >= report.k][:THEMES_SHOWN]
    # Voorkeuren asks about the published themes: the ranking lists their labels.
    ranking = block_of(report, "voorkeuren", real_dialogue.step("voorkeuren").questions[0].text)
    named = [row[1] for table in ranking.tables for row in table.rows]
    assert RENAMED in named and second.label not in named
    assert small_counts(report) == []


def follow_up_world(
    database, real_dialogue, registry, answering: dict[str, int], *, legacy: bool = False
):
    """A dialogue whose follow-up questions were previewed and confirmed from the Voorkeuren top
    themes; ``answering`` question id -> how many people answered it. ``legacy``: stored as before
    the theme was kept with each question (id and text only)."""
    build_world(database, real_dialogue, registry, people=80)
    follow_ups = FollowUps(
        database=database, dialogue=real_dialogue, clock=FakeClock(EVE_OF_VERDIEPEN)
    )
    assert not isinstance(follow_ups.preview(actor="fenna"), str)
    confirmed = follow_ups.confirm(actor="fenna")
    assert not isinstance(confirmed, str)
    if legacy:
        with database.unit_of_work() as session:
            follow_up_store.save(
                session,
                dialogue_key=real_dialogue.key,
                step_key="verdiepen",
                questions=[{"id": i, "text": t} for i, t in confirmed.questions],
                now=EVE_OF_VERDIEPEN,
                confirmed=True,
            )
    with database.unit_of_work() as session:
        for n in range(max(answering.values())):
            answers = [
                ("verdiepen", qid, f"{SENTENCES[n % len(SENTENCES)]} ({qid})")
                for qid, count in answering.items()
                if n < count
            ]
            answer_store.save(
                session,
                dialogue_key=real_dialogue.key,
                pseudonym=f"verdieper-{n}",
                answers=answers,
                role="raadslid",
                province="Utrecht",
                networks="",
                day=DECEMBER.date(),
            )
    return confirmed


def report_of(database, real_dialogue, registry) -> Report:
    return make_desk(database, real_dialogue, registry, FakeClock(DECEMBER)).make(actor="t").report


ANSWERING = {"vervolg-1": 12, "vervolg-2": 9, "vervolg-3": 7, "vervolg-4": 3}
FIRST_CHOICE = 6  # people who said why they put their first choice first


@pytest.mark.parametrize("legacy", [False, True], ids=["stored-theme", "legacy"])
def test_verdiepen_answers_are_shown_per_top_theme(
    database, real_dialogue, registry, legacy: bool
) -> None:
    answering = {**ANSWERING, FIRST_RANKED_ID: FIRST_CHOICE}
    confirmed = follow_up_world(database, real_dialogue, registry, answering, legacy=legacy)
    report = report_of(database, real_dialogue, registry)
    top = [h.split(": ", 1)[1] for h in report.headlines if h.startswith("Aandachtspunt")][:2]
    assert len(top) == 2
    verdiepen = report.section("verdiepen")
    grouped = [(b.group, b.heading) for b in verdiepen.blocks if b.group]
    texts = [text for _, text in confirmed.questions]
    assert grouped == [
        (rmsg.top_theme(1, top[0]), texts[0]),
        (rmsg.top_theme(1, top[0]), texts[1]),
        (rmsg.top_theme(2, top[1]), texts[2]),
        (rmsg.top_theme(2, top[1]), texts[3]),
    ]
    counts = {b.heading: b.paragraphs[0] for b in verdiepen.blocks if b.group}
    for (qid, answered), text in zip(ANSWERING.items(), texts, strict=True):
        shown = str(answered) if answered >= report.k else f"< {report.k}"
        assert counts[text] == rmsg.respondents(shown), qid
    # Why people put their own first choice first: everyone's answers together, under no theme.
    (first,) = [b for b in verdiepen.blocks if b.heading == rmsg.FIRST_RANKED]
    assert first.group == "" and first.paragraphs[0] == rmsg.respondents(str(FIRST_CHOICE))
    assert small_counts(report) == []
    # The file's own Verdiepen questions gave way to the confirmed ones.
    assert real_dialogue.step("verdiepen").questions[0].text not in counts


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._tag = ""

    def handle_starttag(self, tag: str, attrs) -> None:
        self._tag = tag if tag in {"h2", "h3", "h4"} else ""

    def handle_data(self, data: str) -> None:
        if self._tag:
            self.found.append((self._tag, data))
            self._tag = ""


def test_the_files_put_each_top_theme_over_its_questions(database, real_dialogue, registry):
    confirmed = follow_up_world(database, real_dialogue, registry, ANSWERING)
    report = report_of(database, real_dialogue, registry)
    groups = list(dict.fromkeys(b.group for b in report.section("verdiepen").blocks if b.group))
    texts = [text for _, text in confirmed.questions]
    expected = [
        ("theme", groups[0]),
        ("question", texts[0]),
        ("question", texts[1]),
        ("theme", groups[1]),
        ("question", texts[2]),
        ("question", texts[3]),
    ]
    wanted = {*groups, *texts}

    document = Document(io.BytesIO(report_docx(report)))
    levels = {"Heading 2": "theme", "Heading 3": "question"}
    in_word = [
        (levels.get(p.style.name, p.style.name), p.text)
        for p in document.paragraphs
        if p.text in wanted and p.style.name.startswith("Heading")
    ]
    assert in_word == expected

    page = _Headings()
    page.feed(report_html(report))
    tags = {"h3": "theme", "h4": "question"}
    in_html = [(tags.get(tag, tag), text) for tag, text in page.found if text in wanted]
    assert in_html == expected


def test_a_theme_merged_after_publishing_is_counted_once_under_its_target(
    sqlite_database, real_dialogue, registry
) -> None:
    build_world(sqlite_database, real_dialogue, registry, people=80)
    curation = ThemeCuration(
        database=sqlite_database, dialogue=real_dialogue, clock=FakeClock(VERRIJKEN)
    )
    assert curation.compute(actor="fenna").done
    assert curation.publish(actor="fenna").done
    published = curation.current()
    assert published is not None
    first, second = published.themes[0], published.themes[1]
    assert curation.merge(actor="fenna", source=first.key, target=second.key).done
    desk = make_desk(sqlite_database, real_dialogue, registry, FakeClock(DECEMBER))
    themes = {t.label: t for t in desk.facts().themes}
    # The published list stands; the merged-away theme stands for its target, counted once.
    assert set(themes) == {t.label for t in published.themes}
    assert set(themes[second.label].members) == set(first.members + second.members)
    assert themes[first.label].members == ()
    counted = [m for t in themes.values() for m in t.members]
    assert len(counted) == len(set(counted))
