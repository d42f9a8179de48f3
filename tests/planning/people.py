"""Participants for planning tests, brought into their state the way real people get there:
through the one door (install, consent, profile, answers)."""

from __future__ import annotations

from typing import Any

from dialogen.conversation.inputs import Input, Install, Submit, Text
from dialogen.conversation.replies import Prompt, PromptKind, Reply
from dialogen.door.door import Door
from dialogen.door.events import Identity, InboundEvent, Outcome
from dialogen.store import participants as participant_store
from dialogen.store.database import Database
from tests.support.teams_people import reference_for

OPEN_ANSWER = "Dit is mijn antwoord over de samenwerking in de regio."


class People:
    def __init__(
        self,
        door: Door,
        *,
        service_url: str = "http://127.0.0.1:9",
        database: Database | None = None,
    ) -> None:
        self.door = door
        self.database = database  # for setting up what the door would not do
        self.service_url = service_url  # where their stored Teams conversation references point
        self.identities: dict[str, Identity] = {}
        self.ids: dict[str, str] = {}
        self.last: dict[str, tuple[Reply, ...]] = {}

    def send(self, name: str, message: Input) -> Outcome:
        identity = self.identities[name]
        reference = reference_for(self.service_url, name) if identity.channel == "teams" else None
        outcome = self.door.handle(InboundEvent(identity, message, reference=reference))
        self.ids[name] = outcome.participant_id
        self.last[name] = outcome.replies
        return outcome

    def join(self, name: str, *, channel: str = "teams", consent: bool = True) -> str:
        """Someone who opened the bot (Teams) or wrote in (mail), consented and gave a profile."""
        if channel == "teams":
            identity = Identity(
                channel="teams", teams_user_id=f"29:{name}", aad_object_id=f"aad-{name}", name=name
            )
        elif channel == "mail":
            identity = Identity(channel="mail", email=f"{name}@gemeente.example", name=name)
        else:  # reachable nowhere: no Teams reference, no e-mail address
            identity = Identity(channel="cli", teams_user_id=f"cli:{name}", name=name)
        self.identities[name] = identity
        self.send(name, Install())
        if consent:
            self.send(name, Submit("consent", "ja"))
            self.send(name, Text("raadslid"))
            self.send(name, Text("Utrecht"))
        return self.ids[name]

    def answer(self, name: str, count: int) -> None:
        """Answer the next ``count`` questions of the open step."""
        for _ in range(count):
            prompt = next(
                r for r in self.last[name] if isinstance(r, Prompt) and r.input_id.startswith("q:")
            )
            value: Any = OPEN_ANSWER if prompt.kind is PromptKind.OPEN else prompt.choices[0].value
            self.send(
                name,
                Submit(prompt.input_id, [value] if prompt.kind is PromptKind.MULTIPLE else value),
            )

    def complete(self, name: str) -> None:
        while any(isinstance(r, Prompt) and r.input_id.startswith("q:") for r in self.last[name]):
            self.answer(name, 1)

    def opt_out(self, name: str) -> None:
        self.send(name, Text("afmelden"))
        self.send(name, Submit("stop", "ja"))

    def mark_teams_unreachable(self, name: str) -> None:
        assert self.database is not None, "People(..., database=...) to change rows directly"
        with self.database.unit_of_work() as session:
            row = participant_store.get(session, self.ids[name])
            assert row is not None
            row.teams_reachable = False
            session.add(row)
