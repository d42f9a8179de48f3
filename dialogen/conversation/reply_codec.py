"""Replies as JSON, so a message queued in the outbox is sent exactly as it was previewed."""

from __future__ import annotations

from typing import Any

from dialogen.conversation.replies import Choice, Prompt, PromptKind, Receipt, Reply, Say

CODEC_VERSION = 1


def encode_replies(replies: tuple[Reply, ...] | list[Reply]) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    for reply in replies:
        if isinstance(reply, Say):
            items.append({"type": "say", "text": reply.text})
        elif isinstance(reply, Receipt):
            items.append(_encode_receipt(reply))
        else:
            items.append(
                {
                    "type": "prompt",
                    "input_id": reply.input_id,
                    "kind": reply.kind.value,
                    "text": reply.text,
                    "choices": [[c.value, c.label] for c in reply.choices],
                    "max_picks": reply.max_picks,
                    "hint": reply.hint,
                    "progress": reply.progress,
                    "optional": reply.optional,
                    "current": reply.current,
                    "quote": reply.quote,
                    "item": reply.item,
                    "note": reply.note,
                    "actions": [[c.value, c.label] for c in reply.actions],
                    "total": reply.total,
                }
            )
    return {"v": CODEC_VERSION, "replies": items}


def decode_replies(payload: dict[str, Any]) -> tuple[Reply, ...]:
    if payload.get("v") != CODEC_VERSION:
        raise ValueError(f"unsupported reply payload version {payload.get('v')!r}")
    replies: list[Reply] = []
    for item in payload["replies"]:
        if item["type"] == "say":
            replies.append(Say(item["text"]))
        elif item["type"] == "receipt":
            replies.append(_decode_receipt(item))
        else:
            replies.append(
                Prompt(
                    input_id=item["input_id"],
                    kind=PromptKind(item["kind"]),
                    text=item["text"],
                    choices=tuple(Choice(v, label) for v, label in item["choices"]),
                    max_picks=item["max_picks"],
                    hint=item["hint"],
                    progress=item["progress"],
                    optional=item["optional"],
                    current=item["current"],
                    quote=item.get("quote"),
                    item=item.get("item"),
                    note=item.get("note"),
                    actions=tuple(Choice(v, label) for v, label in item.get("actions", ())),
                    total=item.get("total"),
                )
            )
    return tuple(replies)


def _encode_receipt(receipt: Receipt) -> dict[str, Any]:
    return {
        "type": "receipt",
        "step": receipt.step_key,
        "name": receipt.step_name,
        "closes": receipt.closes,
        "recorded": [list(r) for r in receipt.recorded],
        "problems": [list(p) for p in receipt.problems],
        "open": list(receipt.open_numbers),
        "passed_over": list(receipt.passed_over),
        "closed": receipt.closed,
        "unplaced_ignored": receipt.unplaced_ignored,
        "batch": receipt.batch,
    }


def _decode_receipt(item: dict[str, Any]) -> Receipt:
    return Receipt(
        step_key=item["step"],
        step_name=item["name"],
        closes=item["closes"],
        recorded=tuple((int(n), str(q), str(v)) for n, q, v in item["recorded"]),
        problems=tuple((int(n), str(h)) for n, h in item["problems"]),
        open_numbers=tuple(int(n) for n in item["open"]),
        passed_over=tuple(int(n) for n in item.get("passed_over", ())),
        closed=bool(item["closed"]),
        unplaced_ignored=bool(item.get("unplaced_ignored")),
        batch=bool(item.get("batch")),
    )
