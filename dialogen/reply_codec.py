"""Replies as JSON, so a message queued in the outbox is sent exactly as it was previewed."""

from __future__ import annotations

from typing import Any

from dialogen.conversation import Choice, Prompt, PromptKind, Reply, Say

CODEC_VERSION = 1


def encode_replies(replies: tuple[Reply, ...] | list[Reply]) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    for reply in replies:
        if isinstance(reply, Say):
            items.append({"type": "say", "text": reply.text})
        else:
            items.append({
                "type": "prompt", "input_id": reply.input_id, "kind": reply.kind.value, "text": reply.text,
                "choices": [[c.value, c.label] for c in reply.choices], "max_picks": reply.max_picks,
                "hint": reply.hint, "progress": reply.progress, "optional": reply.optional,
                "current": reply.current,
            })
    return {"v": CODEC_VERSION, "replies": items}


def decode_replies(payload: dict[str, Any]) -> tuple[Reply, ...]:
    if payload.get("v") != CODEC_VERSION:
        raise ValueError(f"unsupported reply payload version {payload.get('v')!r}")
    replies: list[Reply] = []
    for item in payload["replies"]:
        if item["type"] == "say":
            replies.append(Say(item["text"]))
        else:
            replies.append(Prompt(
                input_id=item["input_id"], kind=PromptKind(item["kind"]), text=item["text"],
                choices=tuple(Choice(v, label) for v, label in item["choices"]), max_picks=item["max_picks"],
                hint=item["hint"], progress=item["progress"], optional=item["optional"], current=item["current"],
            ))
    return tuple(replies)
