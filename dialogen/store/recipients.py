"""Queries behind proactive messages: who could be reached, what they answered, what is queued.

The decisions (who is due, what they get) are made in :mod:`dialogen.participation.outreach`;
this module only reads. Answers are read per pseudonym, never joined to participants in SQL.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from dialogen.conversation.state import ConversationState
from dialogen.participation.outreach import TEAMS, Contact
from dialogen.privacy.payload_cipher import PayloadCipher
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.store.outbox import OutboxRow, OutboxStatus, utc
from dialogen.store.participants import open_state
from dialogen.store.tables import AnswerRow, ConversationReferenceRow, ParticipantRow, ProgressRow

log = logging.getLogger(__name__)


def contacts(
    session: Session, *, cipher: PayloadCipher, participant_id: str | None = None
) -> list[Contact]:
    """Every participant who gave consent and did not opt out, with how they can be reached
    (only ``participant_id``, when given; ``cipher`` opens their sealed progress)."""
    # SQLAlchemy's select() and Session.execute(): sqlmodel's select() is typed for four columns
    statement = (
        sa_select(
            col(ParticipantRow.id),
            col(ParticipantRow.consent),
            col(ParticipantRow.opted_out),
            col(ParticipantRow.preferred_channel),
            col(ParticipantRow.email),
            col(ParticipantRow.teams_reachable),
            col(ProgressRow.state),
            col(ConversationReferenceRow.channel),
            col(ParticipantRow.mail_undeliverable),
        )
        .outerjoin(ProgressRow, col(ProgressRow.participant_id) == ParticipantRow.id)
        .outerjoin(
            ConversationReferenceRow,
            and_(
                col(ConversationReferenceRow.participant_id) == ParticipantRow.id,
                col(ConversationReferenceRow.channel) == TEAMS,
            ),
        )
        .where(
            col(ParticipantRow.consent).is_(True),
            col(ParticipantRow.opted_out).is_(False),
            col(ParticipantRow.is_test).is_(False),  # `dialoog chat`: never messaged
        )
        .order_by(col(ParticipantRow.id))
    )
    if participant_id is not None:
        statement = statement.where(col(ParticipantRow.id) == participant_id)
    found: list[Contact] = []
    unreadable = 0
    for (
        pid,
        consent,
        opted_out,
        preferred,
        email,
        reachable,
        state,
        reference,
        bounced,
    ) in session.execute(statement).all():
        try:
            parsed = ConversationState.from_dict(open_state(state, cipher))
        except (ValueError, KeyError):
            unreadable += 1
            continue
        found.append(
            Contact(
                participant_id=pid,
                consent=consent,
                opted_out=opted_out,
                preferred_channel=preferred,
                has_email=bool(email) and not bounced,
                has_teams_reference=reference is not None,
                teams_reachable=reachable,
                state=parsed,
            )
        )
    if unreadable:
        log.warning("skipped %d participants with an unreadable conversation state", unreadable)
    return found


def answered_questions(
    session: Session,
    *,
    pseudonyms: Pseudonyms,
    dialogue_key: str,
    step_key: str,
    participant_ids: Iterable[str],
) -> dict[str, dict[str, Any]]:
    """Participant id -> question id -> stored value, for ``step_key`` (who has, and who has not,
    answered a step, and how far — a reactions question stores progress). Answers are found by
    pseudonym; the participant ids never reach the SQL."""
    by_pseudonym = step_values(session, dialogue_key=dialogue_key, step_key=step_key)
    return {pid: by_pseudonym.get(pseudonyms.of(pid), {}) for pid in participant_ids}


def step_values(session: Session, *, dialogue_key: str, step_key: str) -> dict[str, dict[str, Any]]:
    """Pseudonym -> question id -> stored value, for ``step_key`` (one query)."""
    rows = session.exec(
        select(AnswerRow.pseudonym, AnswerRow.question_id, AnswerRow.value).where(
            AnswerRow.dialogue_key == dialogue_key, AnswerRow.step_key == step_key
        )
    ).all()
    by_pseudonym: dict[str, dict[str, Any]] = defaultdict(dict)
    for pseudonym, question_id, value in rows:
        by_pseudonym[pseudonym][question_id] = value
    return dict(by_pseudonym)


def queued_keys(session: Session, *, kind: str, step_key: str) -> set[str]:
    """Idempotency keys of every message of this kind for this step, whatever its status."""
    return set(
        session.exec(
            select(OutboxRow.key).where(OutboxRow.kind == kind, OutboxRow.step_key == step_key)
        ).all()
    )


def nudged_between(session: Session, *, step_key: str, start: datetime, end: datetime) -> set[str]:
    """Participants with a nudge for this step that goes out (``not_before``) in [start, end)."""
    return set(
        session.exec(
            select(OutboxRow.participant_id).where(
                OutboxRow.kind == "nudge",
                OutboxRow.step_key == step_key,
                OutboxRow.not_before >= utc(start),
                OutboxRow.not_before < utc(end),
            )
        ).all()
    )


def queue_state(
    session: Session, *, kind: str, step_key: str, key_part: str = ""
) -> tuple[int, int]:
    """(all, still waiting or being sent) messages of this kind for this step; ``key_part`` narrows
    it to keys ending in it (e.g. one nudge offset)."""
    conditions = [col(OutboxRow.kind) == kind, col(OutboxRow.step_key) == step_key]
    if key_part:
        conditions.append(col(OutboxRow.key).endswith(key_part))
    total = session.exec(select(func.count()).select_from(OutboxRow).where(*conditions)).one()
    waiting = session.exec(
        select(func.count())
        .select_from(OutboxRow)
        .where(*conditions, col(OutboxRow.status).in_((OutboxStatus.PENDING, OutboxStatus.SENDING)))
    ).one()
    return int(total), int(waiting)


def contact_by_pseudonym(
    session: Session, *, pseudonyms: Pseudonyms, pseudonym: str, cipher: PayloadCipher
) -> Contact | None:
    """The participant whose pseudonym this is, as a contact (None: gone, opted out, no consent).
    Computes the pseudonym of each participant until one matches: it needs the server secret."""
    for participant_id in session.exec(select(ParticipantRow.id)).all():
        if pseudonyms.of(participant_id) == pseudonym:
            found = contacts(session, cipher=cipher, participant_id=participant_id)
            return found[0] if found else None
    return None
