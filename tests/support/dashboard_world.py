"""A dialogue in progress, built fast for the dashboard's tests and ``bench/dashboard.py``:
invitees (role, municipality), participants with sealed progress and anonymous answers,
contributions waiting for moderation, the step prompts in the audit log and a few days of
participation totals. Rows go in with bulk inserts, so 12,000 invitees take seconds.

The random choices come from ``seed``: the same arguments build the same dialogue (ids apart).
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import insert

from dialogen.conversation.state import STATE_VERSION
from dialogen.dialogue.definition import Dialogue
from dialogen.privacy.payload_cipher import Sealing
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.stakeholders.roles import ROLES
from dialogen.store.audit import AuditRow
from dialogen.store.contributions import ContributionRow
from dialogen.store.dashboard import ParticipationDayRow
from dialogen.store.database import Database
from dialogen.store.tables import AnswerRow, ParticipantRow, ProgressRow, table_of

CHUNK = 1000


@dataclass(frozen=True)
class World:
    invitees: int
    participants: int
    started: dict[str, int]  # per step: participants who answered something
    completed: dict[str, int]
    contribution_codes: tuple[str, ...]


def populate(
    database: Database,
    *,
    dialogue: Dialogue,
    registry: MunicipalityRegistry,
    pseudonyms: Pseudonyms,
    sealing: Sealing,
    now: datetime,
    invitees: int,
    participants: int,
    contributions: int = 0,
    days: int = 0,
    seed: int = 15,
) -> World:
    rng = random.Random(seed)
    municipalities = list(registry.all())
    roles = [r.value for r in ROLES]
    opened = [s for s in dialogue.steps if s.interactive and s.opens <= now]
    people: list[dict[str, object]] = []
    progress: list[dict[str, object]] = []
    answers: list[dict[str, object]] = []
    started = {s.key: 0 for s in dialogue.steps if s.interactive}
    completed = dict(started)
    for number in range(invitees):
        person = secrets.token_hex(16)
        place = rng.choice(municipalities)
        role = rng.choice(roles)
        takes_part = number < participants
        people.append(
            {
                "id": person,
                "name": f"Genodigde {number:05}",
                "email": f"genodigde{number:05}@gemeente.example",
                "role": role,
                "municipality_code": place.cbs_code,
                "consent": takes_part,
                "opted_out": False,
                "invited": True,
                "preferred_channel": "teams",
                "teams_reachable": True,
                "mail_undeliverable": False,
                "corrected_fields": "",
                "created_at": now,
            }
        )
        if not takes_part:
            continue
        done: list[str] = []
        for index, step in enumerate(opened):
            if index and rng.random() < 0.3:
                break  # took part in the earlier steps only
            started[step.key] += 1
            answers.append(
                {
                    "id": secrets.token_hex(16),
                    "dialogue_key": dialogue.key,
                    "pseudonym": pseudonyms.of(person),
                    "step_key": step.key,
                    "question_id": step.questions[0].id,
                    "value": "antwoord",
                    "role": role,
                    "province": place.province,
                    "networks": ",".join(sorted(registry.networks_of(place.cbs_code))),
                    "recorded_on": step.opens.date(),
                }
            )
            if rng.random() < 0.7:
                done.append(step.key)
                completed[step.key] += 1
        state = {
            "v": STATE_VERSION,
            "phase": "idle",
            "step": None,
            "question": None,
            "resume": None,
            "suggestions": [],
            "completed": done,
            "skipped": [],
        }
        progress.append({"participant_id": person, "state": sealing.progress.seal_json(state)})
    codes = []
    verrijken = dialogue.step("verrijken") or opened[-1]
    contribution_rows = []
    for number in range(contributions):
        code = secrets.token_hex(16)
        codes.append(code[:8])
        text = f"Bijdrage {number}: samenwerking in de regio vraagt om duidelijke afspraken."
        contribution_rows.append(
            {
                "id": code,
                "dialogue_key": dialogue.key,
                "step_key": verrijken.key,
                "question_id": verrijken.questions[0].id,
                "source_key": "",
                "pseudonym": secrets.token_hex(32),
                "role": None,
                "province": None,
                "networks": "",
                "text": text,
                "original": text,
                "spans": [],
                "state": "pending",
                "hidden_reason": None,
                "reports": 0,
                "agree": 0,
                "disagree": 0,
                "passes": 0,
                "groups": {},
                "created_on": now.date(),
                "visible_on": None,
            }
        )
    audits = [
        {
            "id": secrets.token_hex(16),
            "at": step.opens,
            "actor": "scheduler",
            "action": "step_prompt",
            "target": step.key,
            "count": invitees,
            "details": {"channels": {"teams": invitees}, "occasion": f"step_prompt:{step.key}"},
        }
        for step in opened
    ]
    history = _history(dialogue.key, now.date(), days, started, completed)
    with database.unit_of_work() as session:
        for table, rows in (
            (table_of(ParticipantRow), people),
            (table_of(ProgressRow), progress),
            (table_of(AnswerRow), answers),
            (table_of(ContributionRow), contribution_rows),
            (table_of(AuditRow), audits),
            (table_of(ParticipationDayRow), history),
        ):
            for start in range(0, len(rows), CHUNK):
                session.execute(insert(table), rows[start : start + CHUNK])
    return World(invitees, participants, started, completed, tuple(codes))


def _history(
    key: str, today: date, days: int, started: dict[str, int], completed: dict[str, int]
) -> list[dict[str, object]]:
    """``days`` days before today, each step's totals growing towards today's."""
    rows = []
    for back in range(days, 0, -1):
        share = (days - back + 1) / (days + 1)
        for step in started:
            rows.append(
                {
                    "dialogue_key": key,
                    "day": today - timedelta(days=back),
                    "step_key": step,
                    "started": int(started[step] * share),
                    "completed": int(completed[step] * share),
                }
            )
    return rows
