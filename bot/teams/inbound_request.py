"""Reading ``POST /api/messages`` safely: authenticate first, then parse what came in defensively.

With an app id nothing of the body is read before the Bearer token is shown to be Bot Framework's
(signature, issuer, audience, lifetime — the same validation botbuilder applies; the token's own
service URL claim stands in for the activity's, which botbuilder checks again against the parsed
activity). So an unauthenticated caller gets 401 whatever the body, charset or content type.

Then the body is read as an activity — in local mode too — without trusting any of it: JSON is
UTF-8 (RFC 8259) whatever charset the header claims, nesting is bounded (a 200 KB ``[[[[…`` body
would otherwise exhaust the recursion limit), the activity must be a JSON object whose schema
botbuilder can read, with a ``type`` and an http(s) ``serviceUrl``. Anything else is a
:class:`Refused`: a status (400 or 415), a friendly body, and one warning line for the log.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import jwt
from botbuilder.schema import Activity
from botframework.connector.auth import BotFrameworkAuthentication

MAX_DEPTH = 32  # Teams activities nest about 8 levels deep (cards inside attachments)
MAX_ROUTING_ID = 1024  # a conversation id goes into the reply's URL and a header
_TEXT_FIELDS = ("text", "textFormat", "action", "locale", "replyToId", "channelId", "name")
_OBJECT_FIELDS = ("from", "recipient", "conversation")
_UNROUTABLE = re.compile("[^\x21-\x7e]")  # Bot Framework ids are printable ASCII

FRIENDLY = {
    400: "Dit verzoek kan de bot niet lezen.",
    401: "Unauthorized",
    415: "Stuur een Bot Framework-activiteit als JSON (application/json).",
}


@dataclass(frozen=True)
class Refused(Exception):
    """The request is not read further: ``status``, and ``reason`` for the log (no content)."""

    status: int
    reason: str

    def body(self) -> dict[str, str]:
        return {"error": FRIENDLY.get(self.status, FRIENDLY[400])}


async def authenticate(authentication: BotFrameworkAuthentication, header: str) -> None:
    """Raise :class:`Refused` (401) unless ``header`` carries a valid Bot Framework token."""
    scheme, _, token = header.strip().partition(" ")
    if scheme != "Bearer" or not token.strip():
        raise Refused(401, "no Bearer token")
    try:
        claims = jwt.decode(token.strip(), options={"verify_signature": False})
    except jwt.PyJWTError:
        raise Refused(401, "token is not a JWT") from None
    service_url = claims.get("serviceurl") if isinstance(claims, dict) else None
    probe = Activity(channel_id="", service_url=service_url if isinstance(service_url, str) else "")
    try:
        await authentication.authenticate_request(probe, header.strip())
    except Exception as error:  # noqa: BLE001 - botbuilder raises bare Exceptions for bad tokens
        raise Refused(401, f"token validation failed ({type(error).__name__})") from None


def check_content_type(content_type: str) -> None:
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise Refused(415, "content type is not application/json")


def parse_activity(raw: bytes) -> Activity:
    """The activity in ``raw``, or :class:`Refused` (400) saying why not."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "body is not UTF-8") from None
    if _depth(text) > MAX_DEPTH:
        raise Refused(400, f"body nests deeper than {MAX_DEPTH} levels")
    try:
        body = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise Refused(400, "body is not valid JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
        raise Refused(400, "not an activity (no type)")
    service_url = body.get("serviceUrl")
    if not isinstance(service_url, str) or not service_url.startswith(("http://", "https://")):
        raise Refused(400, "activity without an http(s) serviceUrl")
    for name in _TEXT_FIELDS:
        if body.get(name) is not None and not isinstance(body[name], str):
            raise Refused(400, f"activity field {name} is not text")
    for name in _OBJECT_FIELDS:
        if body.get(name) is not None and not isinstance(body[name], dict):
            raise Refused(400, f"activity field {name} is not an object")
    conversation = body.get("conversation")
    conversation_id = conversation.get("id") if isinstance(conversation, dict) else None
    if not _routable(conversation_id):
        raise Refused(400, "activity without a usable conversation id")
    if "id" in body and body["id"] is not None and not _routable(body["id"]):
        raise Refused(400, "activity id is not usable")
    try:
        activity = Activity().deserialize(body)
    except Exception as error:  # noqa: BLE001 - msrest raises several kinds for wrong types
        raise Refused(400, f"activity fields of the wrong type ({type(error).__name__})") from None
    if not isinstance(activity.type, str):
        raise Refused(400, "not an activity (no type)")
    return activity


def _routable(value: object) -> bool:
    """Usable in the reply's URL and headers: printable ASCII text, not too long."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_ROUTING_ID
        and _UNROUTABLE.search(value) is None
    )


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def _depth(text: str) -> int:
    """How deep JSON brackets nest (strings skipped), without building anything."""
    depth = deepest = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", text)):
        if bracket.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                break
        else:
            depth -= 1
    return deepest
