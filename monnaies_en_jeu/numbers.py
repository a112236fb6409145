"""Numbers as people type them: one reader for the game's forms and the modules' exercises.

« 12,5 », « 12.5 », « 1 000 », « 1 000,50 », « 1.000,50 », « -3 », « 25 % » and « 12,50 € » are
read; « 1.000 » and « 1,000 » could be one thousand or one, so they are never guessed: the
reader raises :class:`AmbiguousNumber`, whose message asks which was meant. Amounts come back
as :class:`~decimal.Decimal`, exact. This module imports only the package's translations.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from monnaies_en_jeu.i18n import _, format_number

#: Spaces people and Babel put between groups of digits (space, no-break, narrow no-break, thin).
_SPACES = "\u0020\u00a0\u202f\u2009"
_UNIT = re.compile(r"\s*(€|%|eur|euros?|[a-zà-ÿ'’]+)\s*$", re.IGNORECASE)
_NUMBER = re.compile(r"[+-]?[0-9][0-9.,]*|[+-]?[.,][0-9]+")
_GROUPS = re.compile(r"[0-9]{1,3}(?:[.,][0-9]{3})+")


class NumberError(ValueError):
    """A text that is not a number; ``message(lang)`` says why in French or English."""

    code = "nombre_illisible"

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(self.message())

    def message(self, lang: str | None = "fr") -> str:
        """Why the text is not read, in ``lang``."""
        return _("« {text} » n'est pas un nombre : écrivez par exemple 1 250,50.", lang).format(text=self.text)


class AmbiguousNumber(NumberError):
    """« 1.000 » or « 1,000 »: a thousand, or one? The reader asks instead of guessing."""

    code = "nombre_ambigu"

    def __init__(self, text: str, thousands: Decimal, decimal: Decimal) -> None:
        self.choices = (thousands, decimal)
        super().__init__(text)

    def message(self, lang: str | None = "fr") -> str:
        """The question: which of the two readings was meant, in ``lang``."""
        big, small = (format_number(value, lang, digits=_digits(value)) for value in self.choices)
        return _("« {text} » : voulez-vous dire {big} ou {small} ? Écrivez {plain_big} ou {plain_small}.",
                 lang).format(text=self.text, big=big, small=small, plain_big=_plain(self.choices[0], lang),
                              plain_small=_plain(self.choices[1], lang))


def _digits(value: Decimal) -> int:
    return max(0, -value.normalize().as_tuple().exponent)


def _plain(value: Decimal, lang: str | None) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",") if lang != "en" else text


def read_number(text: str) -> Decimal:
    """The number in ``text``, exact; a unit (€, %, eusko…) after it is allowed and dropped.

    Raises:
        AmbiguousNumber: « 1.000 » or « 1,000 » (a thousand or one?).
        NumberError: anything else that is not a number.
    """
    raw = str(text).strip()
    body = _UNIT.sub("", raw).replace("\u2212", "-")
    body = re.sub(f"(?<=[0-9])[{_SPACES}](?=[0-9]{{3}}(?:[^0-9]|$))", "", body)  # « 1 000 »: thousands
    if not _NUMBER.fullmatch(body):
        raise NumberError(raw)
    sign = "-" if body.startswith("-") else ""
    digits = body.lstrip("+-")
    commas, dots = digits.count(","), digits.count(".")
    if commas and dots:  # « 1.000,50 » or « 1,000.50 »: the last mark is the decimal one
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
        whole, _sep, fraction = digits.rpartition(decimal_mark)
        if decimal_mark in whole or not _GROUPS.fullmatch(whole):
            raise NumberError(raw)
        digits = re.sub("[.,]", "", whole) + "." + fraction
    elif commas + dots > 1:  # « 1.000.000 »: only thousands can repeat
        if not _GROUPS.fullmatch(digits):
            raise NumberError(raw)
        digits = re.sub("[.,]", "", digits)
    elif commas + dots == 1:
        whole, _sep, fraction = digits.replace(",", ".").partition(".")
        if len(fraction) == 3 and whole and whole != "0" and len(whole) <= 3 and not whole.startswith("0"):
            raise AmbiguousNumber(raw, Decimal(sign + whole + fraction), Decimal(sign + whole + "." + fraction))
        digits = (whole or "0") + "." + fraction
    try:
        return Decimal(sign + digits)
    except InvalidOperation:
        raise NumberError(raw) from None
