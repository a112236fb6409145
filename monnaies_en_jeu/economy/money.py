"""Exact integer-cent arithmetic: shares of amounts never create or lose a cent.

Rounding rules (documented for trainers): a euro amount becomes cents rounded
half up (:func:`~monnaies_en_jeu.economy.cents.cents`); a share of an amount
is rounded *down* to the cent (:func:`share`), so the remainder stays with
the payer; a multiple of an amount that may exceed it (a buffer of 1.5 months)
is rounded down too (:func:`times`); a sum split between several payees uses the largest-remainder
method (:func:`split`), so the parts add up exactly to the sum.
"""

from __future__ import annotations

import numpy as np

from monnaies_en_jeu.economy.cents import CENT, cents

__all__ = ["CENT", "cents", "share", "split", "times"]


def share(amount: np.ndarray | int, fraction: np.ndarray | float) -> np.ndarray:
    """``fraction`` of ``amount`` (cents), rounded down; never more than ``amount``."""
    amount = np.asarray(amount, dtype=np.int64)
    out = np.floor(amount * np.asarray(fraction, dtype=np.float64)).astype(np.int64)
    return np.minimum(out, amount, out=out) if out.ndim else np.minimum(out, amount)


def times(amount: np.ndarray | int, factor: np.ndarray | float) -> np.ndarray:
    """``factor`` times ``amount`` (cents), rounded down; ``factor`` may exceed 1 (never below 0)."""
    factor = np.maximum(np.asarray(factor, dtype=np.float64), 0.0)
    return np.floor(np.asarray(amount, dtype=np.float64) * factor).astype(np.int64)


def split(total: int, weights: np.ndarray | list[int]) -> np.ndarray:
    """Split ``total`` cents in proportion to ``weights``; the parts sum exactly to ``total``.

    Integer weights are split exactly (Python integers, no overflow): when ``total`` is at most
    their sum, no part exceeds its weight. Ties go to the first weights.
    """
    given = np.asarray(weights)
    if given.dtype.kind in "iu":
        return _split_exact(int(total), [int(w) for w in given])
    weights = given.astype(np.float64)
    wsum = weights.sum()
    if total <= 0 or wsum <= 0:
        return np.zeros(len(weights), dtype=np.int64)
    raw = weights / wsum * total
    parts = np.floor(raw).astype(np.int64)
    rest = int(total - parts.sum())
    if rest:
        order = np.argsort(-(raw - parts), kind="stable")[:rest]
        parts[order] += 1
    return parts


def _split_exact(total: int, weights: list[int]) -> np.ndarray:
    wsum = sum(weights)
    if total <= 0 or wsum <= 0:
        return np.zeros(len(weights), dtype=np.int64)
    parts = [total * w // wsum for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % wsum), i))
    for i in order[:total - sum(parts)]:
        parts[i] += 1
    return np.array(parts, dtype=np.int64)
