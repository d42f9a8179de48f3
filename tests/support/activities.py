"""Real-shaped Teams activities (personal chat) for tests and benchmarks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
BOT_ID = "28:c9e8c047-2a74-40a2-b28a-b162d5f5327c"


def _base(service_url: str, user: str, kind: str) -> dict[str, Any]:
    aad = str(uuid.uuid5(uuid.NAMESPACE_URL, f"aad:{user}"))
    return {
        "type": kind,
        "id": f"f:{uuid.uuid4().hex}",
        "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "localTimestamp": datetime.now(UTC).isoformat(),
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": f"29:1{user}-teams-user-id", "name": f"Test {user}", "aadObjectId": aad},
        "conversation": {
            "conversationType": "personal",
            "tenantId": TENANT,
            "id": f"a:1personal-{user}",
        },
        "recipient": {"id": BOT_ID, "name": "Dialoogbot"},
        "entities": [
            {
                "locale": "nl-NL",
                "country": "NL",
                "platform": "Web",
                "timezone": "Europe/Amsterdam",
                "type": "clientInfo",
            }
        ],
        "channelData": {"tenant": {"id": TENANT}},
        "locale": "nl-NL",
        "localTimezone": "Europe/Amsterdam",
    }


def message(service_url: str, user: str, text: str) -> dict[str, Any]:
    activity = _base(service_url, user, "message")
    activity.update({"text": text, "textFormat": "plain", "attachments": []})
    return activity


def card_submit(service_url: str, user: str, data: dict[str, Any]) -> dict[str, Any]:
    activity = _base(service_url, user, "message")
    activity.update(
        {
            "value": data,
            "channelData": {
                "tenant": {"id": TENANT},
                "source": {"name": "message"},
                "legacy": {"replyToId": "1:abc"},
            },
            "replyToId": "1:abc",
        }
    )
    return activity


def installation_update(service_url: str, user: str, action: str = "add") -> dict[str, Any]:
    activity = _base(service_url, user, "installationUpdate")
    activity.update(
        {"action": action, "channelData": {"tenant": {"id": TENANT}, "source": {"name": "message"}}}
    )
    return activity


def conversation_update(service_url: str, user: str) -> dict[str, Any]:
    activity = _base(service_url, user, "conversationUpdate")
    activity["membersAdded"] = [{"id": BOT_ID}]
    return activity
