"""Euros to integer cents: the kit's one rounding rule (no numpy: the player's kernel uses it).

A euro amount (from a scenario, a form or a script) becomes integer cents
rounded half up to the nearest cent, on the decimal figure as written
(``0.125`` € is 13 cents, ``2.675`` € is 268): what a person reading the
amount expects, whatever its binary representation.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

CENT = 100
_CENT = Decimal("0.01")


def cents(euros: float) -> int:
    """Euros to integer cents, rounded half up to the nearest cent.

    Raises:
        decimal.InvalidOperation: ``euros`` is not finite.
    """
    amount = Decimal(repr(float(euros)))
    with localcontext() as context:  # enough digits for any finite float (1e26 € included)
        context.prec = max(context.prec, amount.adjusted() + 4)
        return int(amount.quantize(_CENT, rounding=ROUND_HALF_UP) * CENT)
