"""What the dashboard shows, on SQLite and PostgreSQL: the overview against hand counts, the
chart's series without differences that single anyone out, representation per group, and the
sign-ins (expiry, a sign-in under way taken once, sealed at rest)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from dialogen.dialogue.definition import Dialogue
from dialogen.facilitation.dashboard import DashboardFigures, history_points
from dialogen.facilitation.signins import SignIns
from dialogen.privacy.payload_cipher import PayloadCipher
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store import dashboard as store
from dialogen.store.database import Database
from dialogen.store.tables import ConversationReferenceRow, ParticipantRow
from tests.conftest import AMS, SEALING, SECRET
from tests.support.clock import FakeClock
from tests.support.dashboard_world import populate

MONDAY = datetime(2024, 10, 21, 10, 0, tzinfo=AMS)


@pytest.mark.parametrize("seed", range(20))
def test_no_two_shown_points_differ_by_fewer_than_k(seed: int):
    rng = random.Random(seed)
    value, series = 0, []
    for day in range(30):
        value = max(0, value + rng.choice([0, 0, 1, 2, 3, 4, 6, 9, -1]))
        series.append((date(2024, 10, 1) + timedelta(days=day), value))
    shown = [v for _, v in history_points(series) if v is not None]
    assert all(v >= 5 for v in shown)
    assert all(a == b or abs(a - b) >= 5 for a, b in zip(shown, shown[1:], strict=False))
    # what is shown is the true value of its day
    assert all(v is None or v == dict(series)[d] for d, v in history_points(series))


def test_a_series_that_grows_one_by_one_shows_every_fifth():
    series = [(date(2024, 10, d), d) for d in range(1, 13)]
    assert [v for _, v in history_points(series)] == [None] * 4 + [5] + [None] * 4 + [
        10,
        None,
        None,
    ]


@pytest.fixture
def figures(
    database: Database, real_dialogue: Dialogue, registry: MunicipalityRegistry
) -> tuple[DashboardFigures, object]:
    clock = FakeClock(MONDAY)
    world = populate(
        database,
        dialogue=real_dialogue,
        registry=registry,
        pseudonyms=Pseudonyms(SECRET),
        sealing=SEALING,
        now=clock(),
        invitees=40,
        participants=17,
        days=2,
    )
    return (
        DashboardFigures(
            database=database,
            dialogue=real_dialogue,
            municipalities=registry,
            progress=SEALING.progress,
            clock=clock,
            broadcasts=None,
        ),
        world,
    )


def test_overview_counts_match_the_world_built(figures):
    dashboard, world = figures
    overview = dashboard.overview()
    assert overview.invited == "40"
    by_key = {s.key: s for s in overview.steps}
    for key in ("verkennen", "verrijken"):
        started, completed = world.started[key], world.completed[key]
        assert by_key[key].started == (str(started) if started >= 5 else "< 5")
        assert by_key[key].completed == (str(completed) if completed >= 5 else "< 5")
        assert by_key[key].reached == "40"
    assert by_key["voorkeuren"].status == "nog niet open"
    assert overview.focus == "verrijken"
    # today's totals are kept for the chart, next to the days built
    assert [len(h.points) for h in overview.history] == [3, 3, 3, 3]


def test_reach_per_channel_is_the_report_s_and_under_5_reads_under_5(figures, database: Database):
    dashboard, _ = figures
    with database.unit_of_work() as session:
        people = list(session.exec(select(ParticipantRow).order_by(ParticipantRow.id)).all())
        for number, person in enumerate(people[:8]):
            person.mail_reached = True
            person.mail_undeliverable = number == 0  # bounced since: not reached
            session.add(
                ConversationReferenceRow(
                    participant_id=person.id,
                    channel="teams",
                    reference={"conversation": {"id": f"a:{number}"}},
                    updated_at=datetime(2024, 10, 1, tzinfo=AMS),
                )
            )
            person.teams_reachable = number != 1  # removed the bot since: not reachable
        people[2].is_test = True  # `dialoog chat`: counts nowhere
    overview = dashboard.overview()
    assert (overview.reached_in_teams, overview.reached_by_mail) == ("6", "6")
    with database.unit_of_work() as session:
        for person in session.exec(select(ParticipantRow)).all():
            person.mail_reached = person.mail_reached and person.id in {p.id for p in people[3:6]}
    assert dashboard.overview().reached_by_mail == "< 5"


def test_todays_totals_are_replaced_not_added(figures, database: Database):
    dashboard, _ = figures
    dashboard.overview()
    dashboard.overview()
    with database.unit_of_work() as session:
        rows = session.exec(select(store.ParticipationDayRow)).all()
    assert len(rows) == 3 * 4


def test_representation_has_every_dimension_with_k_applied(figures):
    dashboard, _ = figures
    view = dashboard.representation("verkennen")
    assert view.step_name == "Verkennen"
    assert [d.dimension for d in view.dimensions] == [
        "Per rolgroep",
        "Per provincie",
        "Per netwerk",
    ]
    for dimension in view.dimensions:
        for group in dimension.groups:
            for cell in (group.invited, group.responded):
                assert cell.count is None or cell.count == 0 or cell.count >= 5
    assert dashboard.representation("vinden").step_key == "verrijken"  # not interactive: focus


# ------------------------------------------------------------ sign-ins


def _signins(database: Database, clock: FakeClock) -> SignIns:
    cipher = PayloadCipher.derived_from(Pseudonyms(SECRET), b"dashboard sign-in")
    return SignIns(database=database, clock=clock, cipher=cipher)


def test_a_sign_in_idles_out_and_cannot_outlive_its_longest(database: Database):
    clock = FakeClock(MONDAY)
    signins = _signins(database, clock)
    token, signed = signins.open(actor="fenna@gemeente.example", name="Fenna")
    assert signins.find(token).sign_in == signed
    assert signins.find("anders").sign_in is None
    clock.advance(minutes=31)
    found = signins.find(token)
    assert found.sign_in is None and found.expired
    assert not signins.find(token).expired  # gone now
    token, _ = signins.open(actor="fenna@gemeente.example", name="Fenna")
    for _ in range(20):
        clock.advance(minutes=25)
        if signins.find(token).sign_in is None:
            break
    assert clock() - MONDAY - timedelta(minutes=31) <= timedelta(hours=8, minutes=25)


def test_the_token_itself_is_not_stored(database: Database):
    signins = _signins(database, FakeClock(MONDAY))
    token, _ = signins.open(actor="fenna@gemeente.example", name="Fenna")
    with database.unit_of_work() as session:
        rows = session.exec(select(store.DashboardSessionRow)).all()
    assert [r.id for r in rows] != [token] and token not in str([r.model_dump() for r in rows])


def test_a_sign_in_under_way_is_sealed_and_taken_once(database: Database):
    clock = FakeClock(MONDAY)
    signins = _signins(database, clock)
    flow = {"state": "s1", "code_verifier": "geheim-verifier-1234567890", "nonce": "n"}
    signins.hold_login("s1", flow)
    with database.unit_of_work() as session:
        stored = session.exec(select(store.DashboardSessionRow)).one()
    assert "geheim-verifier" not in (stored.flow or "")
    assert signins.take_login("s2") is None
    assert signins.take_login("s1") == flow
    assert signins.take_login("s1") is None
    signins.hold_login("s3", flow)
    clock.advance(minutes=11)
    assert signins.take_login("s3") is None
