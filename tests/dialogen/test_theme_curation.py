"""Theme curation: decisions replayed on the computed themes (pure), and the facilitator commands
through the door on SQLite and PostgreSQL — compute, rename, merge, split, move, order, drop,
publish; rights checked and audited; recomputation keeps the decisions; refused once Voorkeuren
opened; the published themes are what participants rank (chat and mail form)."""

from __future__ import annotations

import csv
import hashlib
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from bot.mail.outbound.body import render_body
from bot.runtime import Runtime
from dialogen.analysis.theme_matching import carry_keys
from dialogen.analysis.themes import Theme, ThemeSet
from dialogen.conversation import messages as msg
from dialogen.conversation.inputs import Text
from dialogen.conversation.options import as_asked
from dialogen.conversation.replies import Prompt, Say
from dialogen.door.events import Identity, InboundEvent
from dialogen.facilitation import messages as fmsg
from dialogen.facilitation import theme_messages as tmsg
from dialogen.facilitation.theme_decisions import Decision, curate, option_value
from dialogen.facilitation.themes import ThemeCuration, ThemeView
from dialogen.store import answers as answer_store
from dialogen.store.audit import AuditRow
from dialogen.store.contributions import ContributionRow
from dialogen.store.database import Database
from dialogen.store.themes import ThemeDecisionRow
from tests.conftest import AMS, make_runtime, test_settings
from tests.planning.people import People
from tests.support.clock import FakeClock

CORPUS = Path(__file__).with_name("themes_corpus.tsv")
FENNA = Identity(channel="teams", aad_object_id="aad-fenna", teams_user_id="29:fenna", name="Fenna")
PIET = Identity(channel="teams", aad_object_id="aad-piet", teams_user_id="29:piet", name="Piet")
VOORKEUREN_OPEN = datetime(2024, 10, 29, 10, 0, tzinfo=AMS)


def theme(key: str, members: str, label: str | None = None) -> Theme:
    ids = tuple(members.split())
    return Theme(key, (key,), label or key, ids, ids[:1], 0.1)


COMPUTED = ThemeSet(
    themes=(theme("raad", "a1 a2 a3"), theme("zorg", "b1 b2 b3 b4"), theme("geld", "c1 c2 c3")),
    overig=("x1",),
)


# ---------------------------------------------------------------- pure: decisions


def test_each_decision_changes_the_list_as_a_facilitator_expects() -> None:
    decisions = [
        Decision("rename", {"key": "raad", "label": "Grip van de raad"}),
        Decision(
            "split",
            {"key": "zorg", "new_key": "zorg~s2", "label": "Jeugd", "members": ["b3", "b4"]},
        ),
        Decision("move", {"contribution": "x1", "target": "geld"}),
        Decision("merge", {"source": "geld", "target": "raad"}),
        Decision("order", {"keys": ["zorg~s2", "zorg"]}),
    ]
    curated = curate(COMPUTED, decisions)
    assert [(t.label, t.members) for t in curated.themes] == [
        ("Jeugd", ("b3", "b4")),
        ("zorg", ("b1", "b2")),
        ("Grip van de raad", ("a1", "a2", "a3", "c1", "c2", "c3", "x1")),
    ]
    assert curated.overig == () and curated.merged == {"geld": "raad"} and curated.skipped == ()
    dropped = curate(COMPUTED, [*decisions, Decision("drop", {"key": "zorg"})])
    assert [t.key for t in dropped.themes] == ["zorg~s2", "raad"]
    assert dropped.overig == ("b1", "b2")


def test_a_recomputation_keeps_the_decisions_and_skips_only_what_no_longer_exists() -> None:
    decisions = [
        Decision("rename", {"key": "zorg", "label": "Zorg dichtbij"}),
        Decision("move", {"contribution": "a3", "target": "zorg"}),
        Decision("drop", {"key": "geld"}),
    ]
    # New contributions came in; the terms shifted, so the keys are new, the members mostly not.
    fresh = ThemeSet(
        themes=(
            theme("zorg-wijk", "b1 b2 b3 b4 b5"),
            theme("raad-grip", "a1 a2 a3 a4"),
            theme("wonen", "d1 d2 d3"),
        ),
        overig=("x1", "c1", "c2", "c3"),
    )
    carried = carry_keys(COMPUTED, fresh)
    assert [t.key for t in carried.themes] == ["zorg", "raad", "wonen"]
    curated = curate(carried, decisions)
    assert [(t.label, t.members) for t in curated.themes] == [
        ("Zorg dichtbij", ("b1", "b2", "b3", "b4", "b5", "a3")),
        ("raad-grip", ("a1", "a2", "a4")),
        ("wonen", ("d1", "d2", "d3")),
    ]
    assert curated.skipped == (2,)  # "geld" is gone: its drop no longer applies


def test_an_option_value_is_stable_for_a_key_and_fits_an_option() -> None:
    assert option_value("raad+grip~s2") == option_value("raad+grip~s2")
    assert option_value("raad+grip") != option_value("raad+grip~s2")
    assert option_value("a").replace("-", "").isalnum() and len(option_value("a")) <= 60


# ---------------------------------------------------------------- through the door


@pytest.fixture
def runtime(
    tmp_path: Path, database: Database, real_dialogue, registry, clock: FakeClock
) -> Runtime:
    settings = test_settings(tmp_path, facilitators="aad-fenna", database_url=str(database.url))
    return make_runtime(
        settings, database=database, clock=clock, dialogue=real_dialogue, registry=registry
    )


def add_contributions(database: Database, dialogue_key: str, per_topic: int = 18) -> list[str]:
    """Visible contributions from the corpus: ``per_topic`` of each of its topics."""
    with CORPUS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    taken: dict[str, int] = {}
    ids = []
    with database.unit_of_work() as session:
        # fixed ids and authors, numbered on from those stored: the computation reads the texts
        # in id order, so random ids would give another factorisation on every run
        stored = len(session.exec(select(ContributionRow.id)).all())
        for row in rows:
            if taken.get(row["topic"], 0) >= per_topic:
                continue
            taken[row["topic"]] = taken.get(row["topic"], 0) + 1
            number = stored + len(ids)
            cid = hashlib.sha256(f"contribution {number}".encode()).hexdigest()[:32]
            ids.append(cid)
            session.add(
                ContributionRow(
                    id=cid,
                    dialogue_key=dialogue_key,
                    step_key="verkennen",
                    question_id="zorgen",
                    pseudonym=hashlib.sha256(f"author {number}".encode()).hexdigest(),
                    text=row["text"],
                    original=row["text"],
                    spans=[],
                    created_on=date(2024, 9, 18),
                )
            )
    return ids


def ask(runtime: Runtime, who: Identity, text: str) -> tuple:
    return runtime.door.handle(InboundEvent(who, Text(text))).replies


def texts(replies: tuple) -> list[str]:
    return [r.text for r in replies if isinstance(r, Say)]


def view_of(replies: tuple) -> ThemeView:
    (view,) = [r for r in replies if isinstance(r, ThemeView)]
    return view


def audited(runtime: Runtime) -> list[str]:
    with runtime.database.unit_of_work() as session:
        rows = session.exec(select(AuditRow).where(AuditRow.action.startswith("themes"))).all()
        return sorted(r.action for r in rows)


def decision_count(runtime: Runtime) -> int:
    with runtime.database.unit_of_work() as session:
        return len(session.exec(select(ThemeDecisionRow)).all())


def test_a_facilitator_computes_and_curates_the_themes_and_every_step_is_audited(
    runtime: Runtime,
) -> None:
    add_contributions(runtime.database, runtime.dialogue.key)
    assert texts(ask(runtime, FENNA, "thema's")) == [tmsg.NO_THEMES]
    computed = ask(runtime, FENNA, "thema's bereken")
    assert (
        texts(computed)[0].endswith("bijdragen.") and "thema's berekend uit" in texts(computed)[0]
    )
    view = view_of(computed)
    themes = view.curated.themes
    assert len(themes) >= 4
    assert all(view.texts[m] for t in themes for m in t.representative)

    ask(runtime, FENNA, "thema hernoem 1 Grip van de raad op regionale besluiten")
    second, third = themes[1], themes[2]
    merged = ask(runtime, FENNA, "thema voeg 3 bij 2")
    assert texts(merged) == [tmsg.merged(third.label, second.label)]
    after = view_of(merged).curated
    assert after.themes[0].label == "Grip van de raad op regionale besluiten"
    assert set(third.members) <= set(after.themes[1].members)
    assert len(after.themes) == len(themes) - 1

    codes = ",".join(m[:8] for m in after.themes[1].members[:2])
    split = view_of(ask(runtime, FENNA, f"thema splits 2 {codes} Afgesplitst"))
    assert split.curated.themes[2].label == "Afgesplitst"
    assert len(split.curated.themes[2].members) == 2
    moving = split.curated.themes[0].members[0]
    moved = view_of(ask(runtime, FENNA, f"thema verplaats {moving[:8]} 3")).curated
    assert moving in moved.themes[2].members and moving not in moved.themes[0].members
    ordered = view_of(ask(runtime, FENNA, "thema volgorde 3 1")).curated
    assert ordered.themes[0].label == "Afgesplitst"
    dropped = view_of(ask(runtime, FENNA, "thema schrap 2")).curated
    assert "Grip van de raad op regionale besluiten" not in [t.label for t in dropped.themes]
    assert audited(runtime) == sorted(
        [
            "themes_list",
            "themes_computed",
            "themes_rename",
            "themes_merge",
            "themes_split",
            "themes_move",
            "themes_order",
            "themes_drop",
        ]
    )


def test_bad_curation_input_gets_a_dutch_correction_and_stores_nothing(runtime: Runtime) -> None:
    add_contributions(runtime.database, runtime.dialogue.key)
    count = len(view_of(ask(runtime, FENNA, "thema's bereken")).curated.themes)
    assert texts(ask(runtime, FENNA, "thema hernoem 99 Iets")) == [tmsg.unknown_theme("99", count)]
    assert texts(ask(runtime, FENNA, "thema voeg 2 bij 2")) == [tmsg.MERGE_SAME]
    assert texts(ask(runtime, FENNA, "thema verplaats abcdef12 1")) == [
        tmsg.unknown_contribution("abcdef12")
    ]
    assert texts(ask(runtime, FENNA, "thema volgorde 1 1")) == [tmsg.ORDER_REPEATS]
    assert decision_count(runtime) == 0


def test_someone_who_is_no_facilitator_is_refused_and_nothing_changes(runtime: Runtime) -> None:
    add_contributions(runtime.database, runtime.dialogue.key)
    ask(runtime, FENNA, "thema's bereken")
    for command in ("thema's", "thema hernoem 1 Mijn thema", "thema's publiceer", "prioriteiten"):
        assert texts(ask(runtime, PIET, command)) == [fmsg.REFUSED]
    assert decision_count(runtime) == 0
    with runtime.database.unit_of_work() as session:
        refused = session.exec(select(AuditRow).where(AuditRow.action == "refused")).all()
    assert len(refused) == 4


def test_recomputing_after_new_contributions_keeps_the_facilitators_decisions(
    runtime: Runtime,
) -> None:
    add_contributions(runtime.database, runtime.dialogue.key, per_topic=14)
    first = view_of(ask(runtime, FENNA, "thema's bereken")).curated
    ask(runtime, FENNA, "thema hernoem 1 Onze eigen naam")
    ask(runtime, FENNA, "thema schrap 2")
    add_contributions(runtime.database, runtime.dialogue.key, per_topic=4)
    again = ask(runtime, FENNA, "thema's bereken")
    said = texts(again)[0]
    # Both decisions are kept; one whose theme the new computation no longer has is said so.
    assert "2 besluit(en) van begeleiders toegepast" in said or (
        "1 besluit(en) van begeleiders toegepast" in said and "1 besluit(en) passen niet" in said
    )
    curated = view_of(again).curated
    named = next(t for t in curated.themes if t.label == "Onze eigen naam")
    assert named.key == first.themes[0].key
    assert first.themes[1].key not in [t.key for t in curated.themes]


def test_publishing_fixes_the_options_and_curation_is_refused_once_voorkeuren_opened(
    runtime: Runtime, clock: FakeClock
) -> None:
    add_contributions(runtime.database, runtime.dialogue.key)
    curated = view_of(ask(runtime, FENNA, "thema's bereken")).curated
    ask(runtime, FENNA, "thema hernoem 1 Grip van de raad")
    assert texts(ask(runtime, FENNA, "thema's publiceer")) == [tmsg.published(len(curated.themes))]
    clock.set(VOORKEUREN_OPEN)
    for command in ("thema hernoem 1 Later", "thema's bereken", "thema's publiceer"):
        assert texts(ask(runtime, FENNA, command)) == [tmsg.themes_locked("Voorkeuren")]
    assert decision_count(runtime) == 1
    assert audited(runtime).count("themes_refused") == 3

    people = People(runtime.door)
    people.join("anna")
    outcome = people.send("anna", Text("verder"))
    (asked,) = [r for r in outcome.replies if isinstance(r, Prompt)]
    assert asked.input_id == "q:voorkeuren:volgorde"
    assert [c.label for c in asked.choices][0] == "Grip van de raad"
    assert [c.value for c in asked.choices] == [t.value for t in curated.themes]
    people.send("anna", Text("2, 1, 3"))
    with runtime.database.unit_of_work() as session:
        rows = answer_store.rows_of_question(
            session,
            dialogue_key=runtime.dialogue.key,
            step_key="voorkeuren",
            question_id="volgorde",
        )
    first_three = [t.value for t in curated.themes[:3]]
    assert [value for *_, value in rows] == [[first_three[i] for i in (1, 0, 2)]]

    # The mail form lists the same published themes with letters.
    reach = runtime.reach.mail_target(people.ids["anna"], step_key="voorkeuren")
    assert (
        reach is not None
        and reach.options[("voorkeuren", "volgorde")][0].label == "Grip van de raad"
    )
    body = render_body(
        (),
        dialogue=as_asked(runtime.dialogue, reach.options),
        form_step="voorkeuren",
        signature="Dialoog",
        unsubscribe_url=None,
    )
    assert "A. Grip van de raad" in body.text


def test_a_theme_merged_away_at_the_moment_voorkeuren_opens_refuses_the_old_card(
    runtime: Runtime, clock: FakeClock
) -> None:
    """A facilitator on another replica, whose clock is a moment behind, merges and publishes
    while a participant has the card: the card's choice is refused, nothing is half-stored."""
    add_contributions(runtime.database, runtime.dialogue.key)
    ask(runtime, FENNA, "thema's bereken")
    ask(runtime, FENNA, "thema's publiceer")
    clock.set(VOORKEUREN_OPEN)
    people = People(runtime.door)
    people.join("anna")
    (card,) = [r for r in people.send("anna", Text("verder")).replies if isinstance(r, Prompt)]
    gone = card.choices[1].value

    late = ThemeCuration(
        database=runtime.database,
        dialogue=runtime.dialogue,
        clock=lambda: datetime(2024, 10, 28, 8, 59, tzinfo=AMS),
    )
    assert late.merge(actor="aad-fenna", source="2", target="1").done
    assert late.publish(actor="aad-fenna").done

    from dialogen.conversation.inputs import Submit

    refused = people.send(
        "anna", Submit(card.input_id, [card.choices[0].value, gone, card.choices[2].value])
    )
    assert msg.OPTION_GONE in texts(refused.replies)
    (current,) = [r for r in refused.replies if isinstance(r, Prompt)]
    assert gone not in [c.value for c in current.choices]
    with runtime.database.unit_of_work() as session:
        assert not answer_store.rows_of_question(
            session,
            dialogue_key=runtime.dialogue.key,
            step_key="voorkeuren",
            question_id="volgorde",
        )


def test_a_mail_reply_ranks_and_divides_points_over_the_published_themes(
    runtime: Runtime, clock: FakeClock
) -> None:
    from dialogen.conversation.inputs import Answers
    from dialogen.door.events import MailKind, MailReceived, VouchedToken

    add_contributions(runtime.database, runtime.dialogue.key)
    curated = view_of(ask(runtime, FENNA, "thema's bereken")).curated
    ask(runtime, FENNA, "thema's publiceer")
    clock.set(VOORKEUREN_OPEN)
    people = People(runtime.door)
    pid = people.join("mila", channel="mail")
    values = [t.value for t in curated.themes]

    def mail(event_id: str, *parts: tuple[int, str]) -> None:
        runtime.door.handle(
            MailReceived(
                kind=MailKind.REPLY,
                event_id=event_id,
                from_address="mila@gemeente.example",
                token=VouchedToken(pid, "voorkeuren"),
                message=Answers("voorkeuren", parts),
            )
        )

    def stored(question: str) -> list:
        with runtime.database.unit_of_work() as session:
            rows = answer_store.rows_of_question(
                session,
                dialogue_key=runtime.dialogue.key,
                step_key="voorkeuren",
                question_id=question,
            )
        return [value for *_, value in rows]

    mail("m1", (1, "1. B  2. Z  3. A"), (2, "A 5, B 3, C 3"))  # Z is no theme; 11 points
    assert stored("volgorde") == [] and stored("punten") == []
    mail("m2", (1, "1. B  2. A  3. C"), (2, "A 5, B 3, C 2"))
    assert stored("volgorde") == [[values[1], values[0], values[2]]]
    given = {values[0]: 5, values[1]: 3, values[2]: 2}
    assert stored("punten") == [{value: given.get(value, 0) for value in values}]
