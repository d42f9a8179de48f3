"""A dialogue with answers in every step, for report, export and results-message tests: invitees
stored as the import stores them, their progress (sealed), and answers, shared contributions and
reactions written through the store's own functions with each participant's real pseudonym and
segment. Deterministic for a seed. (``dialoog simulate`` drives a dialogue through the door; this
is the small, fast stand-in the unit tests use.)"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from dialogen.conversation.kinds import QuestionKind, settings_of
from dialogen.conversation.kinds.open import shared
from dialogen.conversation.kinds.points import PointsSettings
from dialogen.conversation.kinds.ranking import RankingSettings
from dialogen.conversation.state import ConversationState
from dialogen.dialogue.definition import Dialogue, Question
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.stakeholders.segments import Segment, segment_of
from dialogen.store import answers as answer_store
from dialogen.store import contributions as contribution_store
from dialogen.store import participants as participant_store
from dialogen.store.database import Database
from tests.conftest import SEALING, SECRET
from tests.support.teams_people import reference_for

ROLES = (
    "raadslid",
    "raadslid",
    "raadslid",
    "wethouder",
    "burgemeester",
    "griffier",
    "gemeentesecretaris",
    "gemeenteambtenaar",
)
SENTENCES = (
    "De raad heeft te weinig grip op besluiten van de gemeenschappelijke regeling.",
    "Wij werken goed samen in de veiligheidsregio, de lijnen zijn kort.",
    "Er zijn te veel samenwerkingsverbanden en niemand overziet ze nog.",
    "Inwoners weten niet wie verantwoordelijk is voor regionale besluiten.",
    "Het Rijk legt steeds nieuwe regio-indelingen op voor jeugdzorg en wonen.",
    "Kennis delen tussen gemeenten bespaart geld en levert betere dienstverlening op.",
    "De begroting van de regeling komt te laat bij de raad voor een echte zienswijze.",
    "Een regionale raadscommissie helpt raadsleden om invloed te houden.",
    "Kleine gemeenten missen capaciteit om alle overleggen bij te wonen.",
    "Heldere afspraken over rollen en verantwoordelijkheden voorkomen gedoe.",
)


@dataclass
class World:
    dialogue: Dialogue
    pseudonyms: dict[str, str] = field(default_factory=dict)  # participant id -> pseudonym
    segments: dict[str, Segment] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    authors: set[str] = field(default_factory=set)  # participant ids with a contribution
    contributions: dict[str, str] = field(default_factory=dict)  # contribution id -> author id


def build_world(
    database: Database,
    dialogue: Dialogue,
    registry: MunicipalityRegistry,
    *,
    people: int = 60,
    answering: float = 0.8,
    seed: int = 7,
    extra_answers: dict[tuple[str, str], list[Any]] | None = None,
) -> World:
    """``people`` invitees (alternately Teams and mail); a share ``answering`` answers every
    interactive step; ``extra_answers`` (step, question) -> values given by the first few."""
    rng = random.Random(seed)
    codes = [m.cbs_code for m in registry.all()[::9]]
    keyed = Pseudonyms(SECRET)
    world = World(dialogue)
    created = datetime(2024, 9, 1, 9, 0).astimezone()
    interactive = [s for s in dialogue.steps if s.interactive]
    with database.unit_of_work() as session:
        ids = []
        for n in range(people):
            role, code = rng.choice(ROLES), rng.choice(codes)
            row = participant_store.create(
                session,
                now=created,
                name=f"Persoon {n}",
                email=f"persoon{n}@gemeente{n}.example",
                role=role,
                municipality_code=code,
                invited=True,
                consent=True,
                preferred_channel="mail" if n % 2 else "teams",
            )
            ids.append(row.id)
            if row.preferred_channel == "mail":  # the invitation mail went out (the sender)
                row.mail_reached = True
                session.add(row)
            if row.preferred_channel == "teams":  # they opened the bot in Teams
                participant_store.save_reference(
                    session,
                    participant_id=row.id,
                    channel="teams",
                    reference=reference_for("http://127.0.0.1:9", f"p{n}"),
                    now=created,
                )
            world.pseudonyms[row.id] = keyed.of(row.id)
            world.emails[row.id] = row.email or ""
            world.segments[row.id] = segment_of(
                role=role,
                municipality_code=code,
                province=None,
                networks=None,
                municipalities=registry,
            )
        active = [pid for pid in ids if rng.random() < answering]
        for pid in ids:
            done = tuple(s.key for s in interactive) if pid in active else ()
            state = ConversationState(completed_steps=done)
            participant_store.save_state(session, pid, state.to_dict(), cipher=SEALING.progress)
        shared_ids: list[str] = []
        for step in interactive:
            for index, pid in enumerate(active):
                segment = world.segments[pid]
                day = step.opens.date() + timedelta(days=rng.randrange(0, 10))
                values = []
                for question in step.questions:
                    extra = (extra_answers or {}).get((step.key, question.id), [])
                    value = extra[index] if index < len(extra) else _value(question, rng)
                    if value is None:
                        continue
                    values.append((step.key, question.id, value))
                    if question.kind == QuestionKind.OPEN and shared(question):
                        row = contribution_store.add(
                            session,
                            dialogue_key=dialogue.key,
                            step_key=step.key,
                            question_id=question.id,
                            source_key=contribution_store.ANSWER,
                            pseudonym=world.pseudonyms[pid],
                            segment=_segment(segment),
                            text=value,
                            original=value,
                            spans=[],
                            state=contribution_store.VISIBLE,
                            day=day,
                        )
                        world.authors.add(pid)
                        world.contributions[row.id] = pid
                        if step.key == "verkennen":
                            shared_ids.append(row.id)
                    if question.kind == QuestionKind.REACTIONS:
                        _react(session, dialogue.key, world, pid, shared_ids, rng, day)
                answer_store.save(
                    session,
                    dialogue_key=dialogue.key,
                    pseudonym=world.pseudonyms[pid],
                    answers=values,
                    role=segment.role,
                    province=segment.province,
                    networks=segment.networks_text,
                    day=day,
                )
    return world


def _segment(segment: Segment) -> dict[str, Any]:
    return {"role": segment.role, "province": segment.province, "networks": segment.networks_text}


def _react(
    session: Any,
    key: str,
    world: World,
    pid: str,
    shared_ids: list[str],
    rng: random.Random,
    day: date,
) -> None:
    mine = world.pseudonyms[pid]
    segment = world.segments[pid]
    for cid in rng.sample(shared_ids, min(10, len(shared_ids))):
        if world.contributions[cid] == pid:
            continue
        bias = 0.8 if int(cid, 16) % 3 == 0 else (0.5 if segment.role == "raadslid" else 0.2)
        vote = "eens" if rng.random() < bias else rng.choice(("oneens", "pas"))
        contribution_store.react(
            session,
            dialogue_key=key,
            contribution_id=cid,
            pseudonym=mine,
            vote=vote,
            segment=_segment(segment),
            groups=[f"role:{segment.role}"],
            day=day,
        )


def _value(question: Question, rng: random.Random) -> Any:
    kind = question.kind
    options = [o.value for o in question.options]
    if kind == QuestionKind.OPEN:
        if not question.required and rng.random() < 0.3:
            return None
        return " ".join(rng.sample(SENTENCES, 2))
    if kind == QuestionKind.SCALE:
        return rng.choice((2, 3, 3, 4, 4, 4, 5))
    if kind == QuestionKind.SINGLE:
        return rng.choice(options[:3] + options)
    if kind == QuestionKind.MULTIPLE:
        return rng.sample(options, rng.randint(1, question.max_picks or 1))
    if kind == QuestionKind.RANKING:
        top = settings_of(question, RankingSettings).top
        weights = list(range(len(options), 0, -1))
        order: list[str] = []
        while len(order) < top:
            pick = rng.choices(options, weights)[0]
            if pick not in order:
                order.append(pick)
        return order
    if kind == QuestionKind.POINTS:
        total = settings_of(question, PointsSettings).points
        given = dict.fromkeys(options, 0)
        for _ in range(total):
            given[rng.choices(options, range(len(options), 0, -1))[0]] += 1
        return {k: v for k, v in given.items() if v}
    if kind == QuestionKind.REACTIONS:
        return 10
    return None
