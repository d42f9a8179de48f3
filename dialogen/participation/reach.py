"""How the channels' deliveries reach participants: what the outbox's transports may ask the domain.

A transport gets a queued message for a participant id and needs to know where it goes (a Teams
conversation reference, a working e-mail address), whether it still may go (opted out since), and
— for a mail listing a step's questions — which of them this participant already answered. It
asks here; it never touches the database or computes a pseudonym itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dialogen.contracts import Clock
from dialogen.conversation.batch_answers import batch_question
from dialogen.conversation.offers import Offer
from dialogen.conversation.options import OptionLists
from dialogen.dialogue.definition import Dialogue, Step
from dialogen.door.turns import Turns
from dialogen.facilitation.follow_up import questions_as_asked
from dialogen.facilitation.themes import published_options
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.store import answers as answer_store
from dialogen.store import mail_contacts, reachability
from dialogen.store.database import Database
from dialogen.store.mail_contacts import MailContact
from dialogen.store.reachability import Target

__all__ = ["MailContact", "MailTarget", "Reach", "Target"]


@dataclass(frozen=True)
class MailTarget:
    """A participant as a mail to them needs them (identity: never logged)."""

    contact: MailContact
    answered: frozenset[str]  # question ids of the asked-about step already answered
    batch: tuple[Offer, ...] = ()  # contributions to react to, when the step asks that now
    options: OptionLists = field(default_factory=dict)  # the published themes (Turn.options)
    dialogue: Dialogue | None = None  # as asked: with Verdiepen's confirmed follow-ups


class Reach:
    def __init__(
        self,
        *,
        database: Database,
        dialogue: Dialogue,
        pseudonyms: Pseudonyms,
        turns: Turns | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._database = database
        self._dialogue = dialogue
        self._pseudonyms = pseudonyms
        self._turns = turns  # for the batch of contributions a Verrijken mail lists
        self._clock = clock

    def targets(self, participant_ids: Sequence[str], *, channel: str) -> dict[str, Target]:
        """Each participant's reachability and stored conversation reference on ``channel``."""
        with self._database.read() as connection:
            return reachability.targets(
                connection, participant_ids=participant_ids, channel=channel
            )

    def mail_target(self, participant_id: str, *, step_key: str | None) -> MailTarget | None:
        """The participant's mail contact, what they answered of ``step_key`` (None: gone), and —
        when that step asks them to react to contributions now — the batch the mail lists
        (remembered by pseudonym, so their reply's numbers can be read)."""
        with self._database.read() as connection:
            contact = mail_contacts.by_id(connection, participant_id)
            if contact is None:
                return None
            given: dict[str, Any] = {}
            options: OptionLists = {}
            asked: Dialogue | None = None
            if step_key:
                values = answer_store.load_values(
                    connection,
                    dialogue_key=self._dialogue.key,
                    pseudonym=self._pseudonyms.of(participant_id),
                )
                given = {q: v for (s, q), v in values.items() if s == step_key}
                options = published_options(connection, self._dialogue)
                asked = questions_as_asked(
                    connection, self._dialogue, answer_store.as_values(values)
                )
        step = self._dialogue.step(step_key) if step_key else None
        batch: tuple[Offer, ...] = ()
        if step is not None and batch_question(step, given) is not None and self._turns is not None:
            batch = self._batch(participant_id, step)
        return MailTarget(contact, frozenset(given), batch, options, asked)

    def _batch(self, participant_id: str, step: Step) -> tuple[Offer, ...]:
        assert self._turns is not None and self._turns.contributions is not None
        now = self._clock() if self._clock else None
        if now is None or not step.is_open(now):
            return ()
        self._turns.prepare(now)  # a stale routing pool is rebuilt before the write lock
        with self._database.unit_of_work() as session:
            author = self._turns.author_of(session, participant_id, now=now)
            if author is None:
                return ()
            return self._turns.contributions.mail_batch(session, author=author, step=step, now=now)

    def mark_undeliverable(self, participant_id: str) -> None:
        """A mail server refused their address: mail no longer counts as a way to reach them."""
        with self._database.unit_of_work() as session:
            mail_contacts.mark_undeliverable(session, participant_id)
