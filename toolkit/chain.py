"""The label chain over a speech: learned transitions, forward-backward posteriors."""

from __future__ import annotations

import itertools

import numpy as np


def log_transitions(classes, sequences) -> np.ndarray:
    """Log P(label | previous label) from label sequences, add-one smoothed.

    No start distribution: every speech opens with a title, and a prior for
    that would drag a one-sentence request towards ``other``.
    """
    index = {label: i for i, label in enumerate(classes)}
    counts = np.ones((len(classes), len(classes)))
    for labels in sequences:
        for previous, current in itertools.pairwise(labels):
            counts[index[previous], index[current]] += 1
    return np.log(counts / counts.sum(axis=1, keepdims=True))


def posteriors(emissions: np.ndarray, log_transitions: np.ndarray, weight: float) -> np.ndarray:
    """Posterior marginals of a first-order chain, by prefix products of k×k matrices.

    alpha_t ∝ e_0 · M_1 ⋯ M_t and beta_t ∝ M_{t+1} ⋯ M_{n-1} · 1 with
    M_s = T · diag(e_s); the products come from a log-depth scan over the
    whole speech, so the cost is a few batched matmuls, not a Python loop.
    """
    if not weight or len(emissions) < 2:
        return emissions
    transitions = np.exp(weight * log_transitions)
    steps = transitions[None, :, :] * emissions[1:, None, :]
    forward = _prefix_products(steps)
    backward = _prefix_products(steps[::-1].transpose(0, 2, 1))[::-1].transpose(0, 2, 1)
    n, k = emissions.shape
    alpha = np.empty((n, k))
    alpha[0] = emissions[0]
    alpha[1:] = np.einsum("j,tjk->tk", emissions[0], forward)
    beta = np.ones((n, k))
    beta[:-1] = backward.sum(axis=2)
    posterior = alpha / alpha.sum(axis=1, keepdims=True)
    posterior *= beta / beta.sum(axis=1, keepdims=True)
    return posterior / posterior.sum(axis=1, keepdims=True)


def _prefix_products(matrices: np.ndarray) -> np.ndarray:
    """``P[t] = M[0] @ … @ M[t]``, each rescaled to max 1, by a Hillis–Steele scan."""
    products = matrices / matrices.max(axis=(1, 2), keepdims=True)
    step = 1
    while step < len(products):
        combined = products.copy()
        combined[step:] = products[:-step] @ products[step:]
        combined[step:] /= combined[step:].max(axis=(1, 2), keepdims=True)
        products = combined
        step *= 2
    return products
