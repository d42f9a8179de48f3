"""A redelivered chat activity — the bot committed the turn and died before its reply left — gets
the replies of the first processing again, and nothing is processed twice; what is kept for that
is sealed. On SQLite and PostgreSQL."""

from __future__ import annotations

import json

from sqlalchemy import text

from dialogen.conversation.inputs import Install, Text
from dialogen.dialogue.definition import Dialogue
from dialogen.door.events import Identity, InboundEvent
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.database import Database
from tests.conftest import SEALING, make_door
from tests.support.clock import FakeClock

ANNA = Identity(channel="teams", aad_object_id="aad-anna", teams_user_id="29:anna", name="Anna")


def test_a_redelivered_activity_gets_the_same_replies_and_is_processed_once(
    database: Database, real_dialogue: Dialogue, registry: MunicipalityRegistry, clock: FakeClock
):
    door = make_door(database, real_dialogue, registry, clock)
    door.handle(InboundEvent(ANNA, Install(), "conv\x00install"))
    door.handle(InboundEvent(ANNA, Text("ja"), "conv\x00consent"))
    answer = InboundEvent(ANNA, Text("5"), "conv\x00role")  # Griffier
    first = door.handle(answer)
    again = door.handle(answer)  # the redelivery
    assert first.replies and again.replies == first.replies
    assert again.duplicate and not first.duplicate
    # processed once: the conversation went on from the first answer, not from a second one
    following = door.handle(InboundEvent(ANNA, Text("Utrecht"), "conv\x00place"))
    assert following.replies != first.replies
    with database.engine.connect() as connection:
        kept = [
            row[0] if isinstance(row[0], str) else json.dumps(row[0])
            for row in connection.execute(text("SELECT replies FROM processed_event"))
        ]
    assert len(kept) == 4 and all('"sealed"' in value for value in kept)
    assert not any("Bij welke gemeente" in value for value in kept)  # not readable as stored
    opened = [SEALING.replies.open_json(json.loads(value)) for value in kept]
    assert any("Bij welke gemeente" in json.dumps(document) for document in opened)


def test_a_redelivery_of_an_activity_answered_before_replays_existed_gets_nothing(
    database: Database, real_dialogue: Dialogue, registry: MunicipalityRegistry, clock: FakeClock
):
    door = make_door(database, real_dialogue, registry, clock)
    door.handle(InboundEvent(ANNA, Install(), "conv\x00install"))
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE processed_event SET replies = NULL"))
    again = door.handle(InboundEvent(ANNA, Install(), "conv\x00install"))
    assert again.duplicate and again.replies == ()
