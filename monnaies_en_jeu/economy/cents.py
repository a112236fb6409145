"""Euros to integer cents: the kit's one rounding rule (no numpy: the player's kernel uses it).

A euro amount (from a scenario, a form or a script) becomes integer cents
rounded half up to the nearest cent, on the decimal figure as written
(``0.125`` € is 13 cents, ``2.675`` € is 268): what a person reading the
amount expects, whatever its binary representation.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = 100
_CENT = Decimal("0.01")


def cents(euros: float) -> int:
    """Euros to integer cents, rounded half up to the nearest cent.

    Raises:
        decimal.InvalidOperation: ``euros`` is not finite.
    """
    return int(Decimal(repr(float(euros))).quantize(_CENT, rounding=ROUND_HALF_UP) * CENT)
