"""Participants who can be reached in Teams: a participant row plus the conversation reference a
Teams install would have stored, pointing at a local connector stub."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dialogen.store import participants
from dialogen.store.database import Database
from tests.support.activities import BOT_ID, TENANT


def conversation_of(name: str) -> str:
    return f"a:1personal-{name}"


def reference_for(service_url: str, name: str) -> dict[str, Any]:
    """The shape ``TurnContext.get_conversation_reference(activity).serialize()`` stores."""
    return {
        "activityId": f"f:{name}",
        "user": {"id": f"29:1{name}-teams-user-id", "name": f"Test {name}"},
        "bot": {"id": BOT_ID, "name": "Dialoogbot"},
        "conversation": {
            "conversationType": "personal",
            "id": conversation_of(name),
            "tenantId": TENANT,
        },
        "channelId": "msteams",
        "locale": "nl-NL",
        "serviceUrl": service_url,
    }


def add_teams_participant(
    database: Database, name: str, service_url: str, now: datetime, email: str | None = None
) -> str:
    with database.unit_of_work() as session:
        row = participants.create(
            session,
            now=now,
            name=f"Test {name}",
            teams_user_id=f"29:1{name}-teams-user-id",
            email=email,
            tenant_id=TENANT,
        )
        participants.save_reference(
            session,
            participant_id=row.id,
            channel="teams",
            reference=reference_for(service_url, name),
            now=now,
        )
        return row.id
