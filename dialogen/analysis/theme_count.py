"""How many themes: the count whose grouping survives resampling best.

Stability analysis (Lange, Roth, Braun & Buhmann 2004, "Stability-based validation of clustering
solutions", Neural Computation 16; applied to NMF topic models by Greene, O'Callaghan & Cunningham
2014, "How many topics? Stability analysis for topic models", ECML PKDD): for each candidate count
k, factorise all rows once (the reference), then factorise several random 80 % subsamples; the
score of k is the mean adjusted Rand index between each subsample's grouping and the reference's
grouping of the same rows. A count that matches real structure in the texts gives the same
grouping whatever rows are left out; too few themes force unrelated texts together in different
ways, too many split real themes at random. The highest mean wins; a tie goes to the smaller count.

On the project's test corpus (10 known topics plus "overig") the score rises to a plateau at 8-12
and peaks at 12, where coherence (NPMI of the top terms) kept falling from 5 and cosine
silhouette kept rising to 15; see tests/dialogen/test_themes.py for the figures.

Deterministic for a fixed seed: the subsamples come from ``numpy.random.default_rng(seed)`` and
the factorisations start from NNDSVDa on a seeded randomized SVD, computed once per matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
from sklearn.decomposition import NMF  # type: ignore[import-untyped]
from sklearn.metrics import adjusted_rand_score  # type: ignore[import-untyped]
from sklearn.utils.extmath import randomized_svd  # type: ignore[import-untyped]

SUBSAMPLES = 6
SUBSAMPLE_SHARE = 0.8
MAX_ROWS = 1500  # larger inputs choose the count on a seeded sample of this many rows
MAX_ITER = 400


@dataclass(frozen=True)
class CountChoice:
    """The chosen count and the stability score of every candidate (for reports and tests)."""

    count: int
    scores: tuple[tuple[int, float], ...]


@dataclass(frozen=True)
class Spectrum:
    """The leading singular triplets of a feature matrix, computed once for every count."""

    left: np.ndarray
    values: np.ndarray
    right: np.ndarray
    mean: float

    @classmethod
    def of(cls, features: csr_matrix, most: int, *, seed: int) -> Spectrum:
        rank = max(1, min(most, min(features.shape) - 1)) if min(features.shape) > 1 else 1
        left, values, right = randomized_svd(features, rank, random_state=seed)
        return cls(left, values, right, float(features.mean()))


def _unit(vector: np.ndarray) -> tuple[np.ndarray, float]:
    norm = float(np.linalg.norm(vector))
    return (vector / norm if norm > 0 else vector), norm


def _dominant_part(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """The positive or the negative part of a singular pair, whichever carries more."""
    (xp, xp_norm), (yp, yp_norm) = _unit(np.maximum(x, 0)), _unit(np.maximum(y, 0))
    (xn, xn_norm), (yn, yn_norm) = _unit(np.maximum(-x, 0)), _unit(np.maximum(-y, 0))
    if xp_norm * yp_norm >= xn_norm * yn_norm:
        return xp, yp, xp_norm * yp_norm
    return xn, yn, xn_norm * yn_norm


def nndsvda(spectrum: Spectrum, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The NNDSVDa start for ``count`` themes (Boutsidis & Gallopoulos 2008, "SVD based
    initialization: a head start for nonnegative matrix factorization", Pattern Recognition 41):
    the first singular pair in absolute value, every further pair by its dominant part; zeros are
    then filled with the matrix mean so that the solver can move them."""
    rows, columns = spectrum.left.shape[0], spectrum.right.shape[1]
    weights, terms = np.zeros((rows, count)), np.zeros((count, columns))
    for index in range(min(count, len(spectrum.values))):
        x, y = spectrum.left[:, index], spectrum.right[index, :]
        if index == 0:
            u, v, sigma = np.abs(x), np.abs(y), 1.0
        else:
            u, v, sigma = _dominant_part(x, y)
        scale = np.sqrt(spectrum.values[index] * sigma)
        weights[:, index], terms[index, :] = scale * u, scale * v
    fill = spectrum.mean or 1e-6
    weights[weights < 1e-6], terms[terms < 1e-6] = fill, fill
    return weights, terms


def factorise(
    features: csr_matrix, count: int, *, spectrum: Spectrum
) -> tuple[np.ndarray, np.ndarray]:
    """NMF of the rows into ``count`` themes: (row weights W, term weights H)."""
    start_weights, start_terms = nndsvda(spectrum, count)
    model = NMF(n_components=count, init="custom", max_iter=MAX_ITER)
    weights = model.fit_transform(features, W=start_weights, H=start_terms)
    return np.asarray(weights), np.asarray(model.components_)


def _groups(features: csr_matrix, count: int, spectrum: Spectrum) -> np.ndarray:
    weights, _ = factorise(features, count, spectrum=spectrum)
    return np.asarray(weights.argmax(axis=1))


def choose_count(features: csr_matrix, candidates: range, *, seed: int) -> CountChoice:
    """The most stable count among ``candidates`` (see the module docstring)."""
    rng = np.random.default_rng(seed)
    rows = features.shape[0]
    if rows > MAX_ROWS:
        features = features[np.sort(rng.choice(rows, MAX_ROWS, replace=False))]
        rows = MAX_ROWS
    size = max(2, int(round(SUBSAMPLE_SHARE * rows)))
    samples = [np.sort(rng.choice(rows, size, replace=False)) for _ in range(SUBSAMPLES)]
    most = max(candidates)
    spectrum = Spectrum.of(features, most, seed=seed)
    parts = [(rows_, features[rows_]) for rows_ in samples]
    spectra = [Spectrum.of(part, most, seed=seed) for _, part in parts]
    scores: list[tuple[int, float]] = []
    for count in candidates:
        reference = _groups(features, count, spectrum)
        agreement = [
            adjusted_rand_score(reference[rows_], _groups(part, count, part_spectrum))
            for (rows_, part), part_spectrum in zip(parts, spectra, strict=True)
        ]
        scores.append((count, float(np.mean(agreement))))
    best = max(scores, key=lambda item: (round(item[1], 6), -item[0]))
    return CountChoice(count=best[0], scores=tuple(scores))
