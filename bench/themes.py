"""Themes for 5,000 contributions: wall time and peak memory of ``find_themes``.

    .venv/bin/python -m bench.themes [--size 5000] [--seed 0] [--count N]

The 573 written contributions of ``tests/dialogen/themes_corpus.tsv`` are stretched to ``--size``
deterministically (``random.Random(seed)``): each new contribution is a corpus text with one of
its sentences or a clause from another text of the same topic added, a few words dropped and the
casing sometimes changed — so texts differ while the topics stay known. Printed: the time of
``find_themes`` (count chosen automatically unless ``--count``), the process's peak resident
memory, the number of themes and purity / NMI against the topics.
Targets on the 2-core machine: under 30 s and 1 GB.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from collections import Counter

from dialogen.analysis.themes import find_themes
from tests.dialogen.test_themes import groups_of, load_corpus, purity_and_nmi


def stretched(size: int, seed: int) -> list[tuple[str, str, str]]:
    corpus = load_corpus()
    rng = random.Random(seed)
    by_topic: dict[str, list[str]] = {}
    for _, topic, text in corpus:
        by_topic.setdefault(topic, []).append(text)
    rows = [(cid, topic, text) for cid, topic, text in corpus]
    while len(rows) < size:
        _, topic, text = rng.choice(corpus)
        words = text.split()
        if len(words) > 6:
            for _ in range(rng.randint(0, 2)):
                del words[rng.randrange(1, len(words))]
        extra = rng.choice(by_topic[topic]).split(". ")[0].rstrip(".")
        if rng.random() < 0.6:
            words += [extra.lower() if rng.random() < 0.5 else extra, "."]
        new = " ".join(words)
        if rng.random() < 0.1:
            new = new.lower()
        rows.append((f"b{len(rows):05d}", topic, new))
    return rows[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=None)
    args = parser.parse_args()
    rows = stretched(args.size, args.seed)

    started = time.perf_counter()
    result = find_themes([(cid, text) for cid, _, text in rows], count=args.count, seed=args.seed)
    finished = time.perf_counter()

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    purity, nmi = purity_and_nmi(groups_of(result), {cid: topic for cid, topic, _ in rows})
    print(f"contributions: {len(rows)}  (topics: {len(Counter(t for _, t, _ in rows))})")
    print(f"find_themes:   {finished - started:.1f} s  (target < 30 s)")
    print(f"peak memory:   {peak_mb:.0f} MB resident  (target < 1024 MB)")
    print(f"themes:        {len(result.themes)}  overig: {len(result.overig)}")
    print(f"purity:        {purity:.3f}  NMI: {nmi:.3f}")
    for theme in result.themes:
        print(f"  {len(theme.members):5d}  {theme.proposed_label}")


if __name__ == "__main__":
    main()
