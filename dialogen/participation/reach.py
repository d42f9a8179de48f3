"""How the channels' deliveries reach participants: what the outbox's transports may ask the domain.

A transport gets a queued message for a participant id and needs to know where it goes (a Teams
conversation reference, a working e-mail address), whether it still may go (opted out since), and
— for a mail listing a step's questions — which of them this participant already answered. It
asks here; it never touches the database or computes a pseudonym itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dialogen.dialogue.definition import Dialogue
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


class Reach:
    def __init__(self, *, database: Database, dialogue: Dialogue, pseudonyms: Pseudonyms) -> None:
        self._database = database
        self._dialogue = dialogue
        self._pseudonyms = pseudonyms

    def targets(self, participant_ids: Sequence[str], *, channel: str) -> dict[str, Target]:
        """Each participant's reachability and stored conversation reference on ``channel``."""
        with self._database.read() as connection:
            return reachability.targets(
                connection, participant_ids=participant_ids, channel=channel
            )

    def mail_target(self, participant_id: str, *, step_key: str | None) -> MailTarget | None:
        """The participant's mail contact, and what they answered of ``step_key`` (None: gone)."""
        with self._database.read() as connection:
            contact = mail_contacts.by_id(connection, participant_id)
            if contact is None:
                return None
            answered: frozenset[str] = frozenset()
            if step_key:
                given = answer_store.load_values(
                    connection,
                    dialogue_key=self._dialogue.key,
                    pseudonym=self._pseudonyms.of(participant_id),
                )
                answered = frozenset(q for (s, q) in given if s == step_key)
        return MailTarget(contact, answered)

    def mark_undeliverable(self, participant_id: str) -> None:
        """A mail server refused their address: mail no longer counts as a way to reach them."""
        with self._database.unit_of_work() as session:
            mail_contacts.mark_undeliverable(session, participant_id)
