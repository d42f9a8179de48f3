"""'help' from a facilitator lists their own words too (issue 11, item 12); a participant's help
does not."""

from __future__ import annotations

from pathlib import Path

from dialogen.conversation.inputs import Text
from dialogen.conversation.replies import Say
from dialogen.door.events import Identity, InboundEvent
from dialogen.store.database import Database
from tests.conftest import make_runtime, test_settings
from tests.support.clock import FakeClock

FENNA = Identity(channel="teams", aad_object_id="aad-fenna", teams_user_id="29:fenna", name="Fenna")
PIET = Identity(channel="teams", aad_object_id="aad-piet", teams_user_id="29:piet", name="Piet")


def _said(replies: tuple) -> str:
    return "\n".join(r.text for r in replies if isinstance(r, Say))


def test_help_for_a_facilitator_lists_stand_verstuur_herinner_and_planning(
    tmp_path: Path, sqlite_database: Database, real_dialogue, registry, clock: FakeClock
) -> None:
    settings = test_settings(
        tmp_path, facilitators="aad-fenna", database_url=str(sqlite_database.url)
    )
    runtime = make_runtime(
        settings, database=sqlite_database, clock=clock, dialogue=real_dialogue, registry=registry
    )
    door = runtime.door
    facilitator = _said(door.handle(InboundEvent(FENNA, Text("help"))).replies)
    for word in ("**stand**", "**verstuur <stap>**", "**herinner <stap>**", "**planning**"):
        assert word in facilitator
    assert "**mijn antwoorden**" in facilitator  # and the participant's words as before
    participant = _said(door.handle(InboundEvent(PIET, Text("help"))).replies)
    assert "**mijn antwoorden**" in participant and "verstuur" not in participant
