"""Exact integer-cent arithmetic: shares of amounts never create or lose a cent.

Rounding rule (documented for trainers): a share of an amount is rounded
*down* to the cent (:func:`share`), so the remainder stays with the payer; a
sum split between several payees uses the largest-remainder method
(:func:`split`), so the parts add up exactly to the sum.
"""

from __future__ import annotations

import numpy as np

CENT = 100


def cents(euros: float) -> int:
    """Euros (a float from a scenario or a form) to integer cents, rounded to the nearest cent."""
    return int(round(float(euros) * CENT))


def share(amount: np.ndarray | int, fraction: np.ndarray | float) -> np.ndarray:
    """``fraction`` of ``amount`` (cents), rounded down; never more than ``amount``."""
    out = np.floor(np.asarray(amount, dtype=np.float64) * np.asarray(fraction, dtype=np.float64))
    return np.minimum(out.astype(np.int64), np.asarray(amount, dtype=np.int64))


def split(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` cents in proportion to ``weights``; the parts sum exactly to ``total``."""
    weights = np.asarray(weights, dtype=np.float64)
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
