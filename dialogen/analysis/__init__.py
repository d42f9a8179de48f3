"""Analysis: pure functions over anonymous rows, every output through one k-suppression.

Rows carry no identity: a :class:`Respondent` is an opaque key (a pseudonym) and a coarse segment
(role group, province, networks). Outputs are frozen dataclasses whose figures are display cells
(:class:`Cell`: text, and the count only when it is shown), so the report, the exports, the
dashboard and the results messages can render them without ever seeing a small count.

The public API:

``suppress(counts, relations, *, k=5, withhold=(), keep=())`` -> :class:`Suppressed`
    The one k-suppression (:mod:`.suppression`). Counts under k read "< 5", a percentage only
    next to a shown count (``Suppressed.percent``), and no hidden count of 1..k-1 can be computed
    back from what is shown: partitions (:class:`Sum`), nested groups, one cell per figure across
    tables, subgroups (:class:`Within`); what exactly is covered is in that module.
``approval(rows, themes)``, ``borda(rows, themes, positions=N)``, ``points(rows, themes)``
    -> :class:`Prioritisation` (:mod:`.priorities`): top-N counts and shares, truncated Borda
    (Loomio), mean points; each mean with a 90 % bootstrap interval (B = 1000, seeded); for
    everyone and per role group, province and network, with groups under k not shown.
``reaction_consensus(reactions, dimension=ROLE)``, ``theme_consensus(approval_result)``
    -> tuple of :class:`Consensus` (:mod:`.consensus`): support per group, Polis's group-aware
    consensus, "breed gedragen" and "verdeeld".
``representation(counts, step=, dimension=, partition=)`` -> :class:`Representation`
    (:mod:`.representation`): response rate per group, Go Vocal's representation score (lowest
    rate / highest rate), the groups furthest behind, alerts.

Dimensions are :data:`ROLE`, :data:`PROVINCE` (partitions) and :data:`NETWORK` (a respondent can
be in several networks, or none).
"""

from dialogen.analysis.bootstrap import Interval
from dialogen.analysis.consensus import (
    Consensus,
    GroupSupport,
    Reaction,
    Stance,
    reaction_consensus,
    theme_consensus,
)
from dialogen.analysis.priorities import (
    Allocation,
    GroupScores,
    Method,
    Picks,
    Prioritisation,
    Ranking,
    ThemeScore,
    approval,
    borda,
    points,
)
from dialogen.analysis.representation import (
    Alert,
    AlertReason,
    GroupCount,
    GroupRate,
    Representation,
    representation,
)
from dialogen.analysis.respondents import DIMENSIONS, NETWORK, PROVINCE, ROLE, Respondent
from dialogen.analysis.suppression import Cell, Hidden, Sum, Suppressed, Within, suppress

__all__ = [
    "DIMENSIONS",
    "NETWORK",
    "PROVINCE",
    "ROLE",
    "Alert",
    "AlertReason",
    "Allocation",
    "Cell",
    "Consensus",
    "GroupCount",
    "GroupRate",
    "GroupScores",
    "GroupSupport",
    "Hidden",
    "Interval",
    "Method",
    "Picks",
    "Prioritisation",
    "Ranking",
    "Reaction",
    "Representation",
    "Respondent",
    "Stance",
    "Sum",
    "Suppressed",
    "ThemeScore",
    "Within",
    "approval",
    "borda",
    "points",
    "reaction_consensus",
    "representation",
    "suppress",
    "theme_consensus",
]
