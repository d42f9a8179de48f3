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
    # the same draws as one resample at a time; summed by numpy (exact for whole numbers)
    population = range(n)
    sums = np.stack([dense[rng.choices(population, k=n)].sum(axis=0) for _ in range(resamples)])
    means: list[list[float]] = (sums / n).T.tolist()
    tail = (1 - level) / 2
    return tuple(
        Interval(_quantile(found, tail), _quantile(found, 1 - tail)) for found in map(sorted, means)
    )


def _quantile(ordered: Sequence[float], p: float) -> float:
    position = p * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (position - below) * (ordered[above] - ordered[below])
