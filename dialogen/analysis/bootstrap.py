"""How sure a mean over respondents is: a percentile bootstrap over respondents.

Method (Efron & Tibshirani, *An Introduction to the Bootstrap*, 1993, ch. 13, the percentile
interval): draw ``resamples`` samples of n respondents *with replacement* from the n who
answered; compute the means of every column (theme) in each; the interval is the (1-level)/2 and
(1+level)/2 quantiles of those means. Respondents are resampled whole, so the columns of one
respondent stay together. Quantiles interpolate linearly between order statistics (position
p·(B-1) in the sorted B means: Hyndman & Fan's type 7, numpy's default).

Defaults: B = 1000 resamples, level 0.90. The draws come from ``random.Random(seed)`` with a string
seed (hashed with SHA-512 by Python, the same on every platform), so the same answers and seed
give the same interval; callers derive one seed per group so that a group's interval does not
depend on which other groups exist.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

RESAMPLES = 1000
LEVEL = 0.90


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def __contains__(self, value: float) -> bool:
        return self.low <= value <= self.high


def mean_intervals(
    rows: Sequence[Sequence[tuple[int, float]]],
    columns: int,
    *,
    seed: str,
    resamples: int = RESAMPLES,
    level: float = LEVEL,
) -> tuple[Interval, ...]:
    """Percentile intervals for the mean of each of ``columns`` columns over ``rows``; a row lists
    its non-zero values as (column, value)."""
    if not rows:
        raise ValueError("a bootstrap needs at least one respondent")
    if resamples < 1 or not 0 < level < 1:
        raise ValueError("resamples must be positive and level between 0 and 1")
    n = len(rows)
    rng = random.Random(seed)
    dense = np.zeros((n, columns))
    for index, row in enumerate(rows):
        for column, value in row:
            dense[index, column] += value
    sums = np.concatenate(
        [dense[chunk].sum(axis=1) for chunk in _draws(rng, n, resamples)]
    ).reshape(resamples, columns)
    means: list[list[float]] = (sums / n).T.tolist()
    tail = (1 - level) / 2
    return tuple(
        Interval(_quantile(found, tail), _quantile(found, 1 - tail)) for found in map(sorted, means)
    )


CHUNK = 64  # resamples indexed at once (memory: CHUNK x n x columns floats)


def _draws(rng: random.Random, n: int, resamples: int) -> list[np.ndarray]:
    """The resamples' indices, exactly those ``rng.choices(range(n), k=n)`` would draw one
    resample after another: numpy's legacy Mersenne Twister continues from ``rng``'s state and
    makes its doubles the way :func:`random.random` does, and ``floor(u * n)`` is how
    :meth:`random.Random.choices` picks (so seeded intervals are unchanged, only faster)."""
    _version, internal, _gauss = rng.getstate()
    twister = np.random.RandomState()
    keys = np.asarray(internal[:624], dtype=np.uint32)
    twister.set_state(("MT19937", keys, int(internal[624]), 0, 0.0))
    chunks = []
    for start in range(0, resamples, CHUNK):
        count = min(CHUNK, resamples - start)
        drawn = np.floor(twister.random_sample(count * n) * float(n)).astype(np.intp)
        chunks.append(drawn.reshape(count, n))
    return chunks


def _quantile(ordered: Sequence[float], p: float) -> float:
    position = p * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (position - below) * (ordered[above] - ordered[below])
