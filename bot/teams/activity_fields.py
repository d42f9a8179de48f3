"""The fields of a Teams activity that the bot keeps or keys on, made safe to store.

Teams and Entra allow more than a careless schema does, and a hostile client sends anything: a
display name of 256 characters (Entra's documented maximum), ids of any length, NUL characters,
lone UTF-16 surrogates (``"\\ud800"`` is valid JSON but cannot be encoded), ``channelData.tenant``
as a string or a number. Each field is read here once:

* text: NUL removed, lone surrogates replaced by U+FFFD;
* a display name longer than :data:`NAME_LIMIT` is shortened (it is only used to greet);
* an object id or tenant id longer than :data:`GUID_LIMIT` is no GUID: left out, with a warning;
* a user id longer than :data:`USER_ID_LIMIT` cannot be stored: :func:`user_id` says so (None),
  and the activity is ignored with a warning.

The limits match the ``participant`` columns (``dialogen/store/tables.py``, migration 0011).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from botbuilder.schema import Activity

from dialogen.door.events import Identity

log = logging.getLogger(__name__)

NAME_LIMIT = 256  # Entra ID displayName
GUID_LIMIT = 64  # aadObjectId and tenant id are GUIDs (36 characters); the columns hold 64
USER_ID_LIMIT = 512  # Teams documents no bound for from.id ("29:…"); the column holds 512

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(value: object) -> str | None:
    """A text value as it can be stored: None when it is not text (or empty)."""
    if not isinstance(value, str):
        return None
    value = _LONE_SURROGATE.sub("\ufffd", value.replace("\x00", ""))
    return value or None


def clean_document(value: Any) -> Any:
    """A JSON-shaped value (the conversation reference, submitted card data) with every string
    cleaned as :func:`clean` does (keys too)."""
    if isinstance(value, str):
        return clean(value) or ""
    if isinstance(value, dict):
        return {clean_document(k): clean_document(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_document(v) for v in value]
    return value


def user_id(activity: Activity) -> str | None:
    """The sender's Teams user id; None when there is none or it is too long to be one."""
    sender = activity.from_property
    found = clean(getattr(sender, "id", None))
    if found is not None and len(found) > USER_ID_LIMIT:
        log.warning("teams activity refused: from.id longer than %d characters", USER_ID_LIMIT)
        return None
    return found


def event_id(activity: Activity) -> str | None:
    """What identifies the activity for redelivery: activity ids are unique per conversation only,
    so the conversation id goes with it (the door adds the channel)."""
    activity_id = clean(activity.id)
    if activity_id is None:
        return None
    conversation = clean(getattr(activity.conversation, "id", None)) or ""
    return f"{conversation}\x00{activity_id}"


def identity_of(activity: Activity) -> Identity:
    sender = activity.from_property
    name = clean(getattr(sender, "name", None))
    return Identity(
        channel="teams",
        aad_object_id=_guid(getattr(sender, "aad_object_id", None), "aadObjectId"),
        teams_user_id=user_id(activity),
        tenant_id=_guid(tenant_of(activity), "tenant id"),
        name=name[:NAME_LIMIT] if name else None,
    )


def tenant_of(activity: Activity) -> object:
    """``channelData.tenant.id``, else the conversation's tenant id — whatever type they have."""
    data: Any = activity.channel_data
    tenant = data.get("tenant") if isinstance(data, dict) else None
    found = tenant.get("id") if isinstance(tenant, dict) else None
    if found is None and activity.conversation is not None:
        # The schema maps "tenantID"; Teams sends "tenantId", which lands in additional_properties.
        extra = getattr(activity.conversation, "additional_properties", None) or {}
        found = getattr(activity.conversation, "tenant_id", None) or (
            extra.get("tenantId") if isinstance(extra, dict) else None
        )
    return found


def _guid(value: object, field: str) -> str | None:
    found = clean(value)
    if found is not None and len(found) > GUID_LIMIT:
        log.warning("teams activity: %s longer than %d characters left out", field, GUID_LIMIT)
        return None
    return found
