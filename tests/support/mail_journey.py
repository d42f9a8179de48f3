"""From the invitation by mail to the first stored answer: replies and mails counted.

Shared by ``tests/bot/mail/test_joining_by_mail.py`` and ``bench/join_round_trips.py``. A round
trip is one reply by the participant; mails counts both directions (the bot's mails and the
participant's replies) until the first answer is stored.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from dialogen.store.tables import ParticipantRow
from tests.support.mail_replies import outlook_nl_reply
from tests.support.mail_world import MailWorld

WHEN = datetime(2024, 10, 1, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
ANSWERS = "1. We werken veel samen, maar de raad ziet er weinig van.\n2. 4\n3. A, E\n"
THREE_TRIPS = ("ja", "ja", ANSWERS)  # consent, the imported profile confirmed, then the questions
ONE_REPLY = (ANSWERS,)  # the invitation answered with the answers


@dataclass(frozen=True)
class Journey:
    replies: int  # replies the participant sent before the first answer was stored
    mails: int  # mails both ways until then
    texts: tuple[str, ...]  # the bot's mails, as plain text


def invitee(world: MailWorld, name: str) -> str:
    """Imported with role and municipality, preferring mail (as ``dialoog import`` stores)."""
    with world.database.unit_of_work() as session:
        row = ParticipantRow(
            id=uuid.uuid4().hex,
            email=world.address(name),
            name=name.title(),
            role="griffier",
            municipality_code="0344",
            invited=True,
            preferred_channel="mail",
            created_at=world.clock(),
        )
        session.add(row)
        return row.id


async def to_first_answer(world: MailWorld, name: str, replies: tuple[str, ...]) -> Journey:
    """Invite ``name`` by mail and answer each mail the bot sends with the next of ``replies``."""
    from tests.support.mail_replies import plain_text

    participant = invitee(world, name)
    assert world.runtime.invitations.invite(actor="cli:bench") == 1
    await world.send_outbox()
    (last,) = world.sent()
    texts, mails, sent = [plain_text(last)], 1, 0
    for text in replies:
        world.drop(
            outlook_nl_reply(
                last, sender=world.address(name), name=name.title(), text=text, when=WHEN
            )
        )
        sent += 1
        mails += 1
        await world.poll()
        if world.answers(participant):
            return Journey(sent, mails, tuple(texts))
        await world.send_outbox()
        (last,) = world.sent()
        texts.append(plain_text(last))
        mails += 1
    raise AssertionError(f"no answer stored after {sent} replies; last mail:\n{texts[-1]}")
