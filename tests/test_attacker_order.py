"""The attacker's storage-order join, on small made-up tables: it must find an order of writing
where there is one, and read none into rows stored in the order of random ids."""

from __future__ import annotations

import random

from tests.support.attacker import Snapshot, attack

PEOPLE = [f"participant-{n:06d}" for n in range(6)]
# pseudonyms look random: their own sorted order is not the order people joined in
TRUTH = dict(zip(("ps-e", "ps-b", "ps-f", "ps-a", "ps-d", "ps-c"), PEOPLE, strict=True))


def snapshot(answer_order: list[str]) -> Snapshot:
    people = [{"id": pid, "consent": True} for pid in PEOPLE]  # stored in the order they joined
    answers = [
        {"id": f"a{i}", "pseudonym": p, "question_id": "q", "value": "x"}
        for i, p in enumerate(answer_order)
    ]
    return Snapshot(
        tables={"participant": people, "answer": answers},
        physical={"participant": True, "answer": True},
        files={},
    )


def order_claims(answer_order: list[str]) -> int:
    findings = attack(snapshot(answer_order), questions_in_order={})
    return sum(1 for claim in findings.right(TRUTH) if claim.join == "insertion order")


def test_answers_stored_in_the_order_people_joined_are_linked_by_that_order() -> None:
    written = [p for p in TRUTH for _ in range(3)]  # each answered three questions, in turn
    assert order_claims(written) == len(PEOPLE)


def test_answers_stored_in_random_order_are_not_linked_by_order() -> None:
    rows = [p for p in TRUTH for _ in range(3)]
    for seed in range(20):
        random.Random(seed).shuffle(rows)
        assert order_claims(rows) == 0
