"""Translations and French number formats for every user-visible string.

Source strings are written in French and marked with :func:`_` (or :func:`N_`
for strings translated later, such as table entries). The English catalogue is
``locale/en/LC_MESSAGES/monnaies_en_jeu.po``; it is read directly with Babel,
so no compiled ``.mo`` file is needed. ``make i18n`` refreshes it after new
strings are marked.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources

from babel import dates, numbers
from babel.messages.pofile import read_po

DEFAULT_LANG = "fr"
LANGS = ("fr", "en")
DOMAIN = "monnaies_en_jeu"
_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def check_lang(lang: str | None) -> str:
    """Return a supported language code (``fr`` when ``lang`` is None or unknown)."""
    return lang if lang in LANGS else DEFAULT_LANG


@cache
def _catalogue(lang: str) -> dict[str, str]:
    if lang == DEFAULT_LANG:
        return {}
    path = resources.files("monnaies_en_jeu") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


def _(message: str, lang: str | None = DEFAULT_LANG) -> str:
    """Translate a French source string into ``lang`` (French is returned as is)."""
    lang = check_lang(lang)
    return _catalogue(lang).get(message, message) if lang != DEFAULT_LANG else message


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional name)
    """Mark a French string for extraction without translating it now."""
    return message


def accorder(n: float, singulier: str, pluriel: str, lang: str | None = DEFAULT_LANG) -> str:
    """``singulier`` or ``pluriel`` (both marked with :func:`N_`), translated, agreeing with ``n``.

    French puts 0 and 1 in the singular (« 0 bonne réponse »), English only 1.
    """
    one = abs(n) < 2 if check_lang(lang) == DEFAULT_LANG else n == 1
    return _(singulier if one else pluriel, lang)


def locale_of(lang: str | None) -> str:
    """Babel locale name for a language code."""
    return _LOCALES[check_lang(lang)]


def format_money(cents: int, lang: str | None = DEFAULT_LANG, unit: str = "EUR") -> str:
    """Format an amount in cents: ``1 234,50 €`` in French, or ``1 234,50 eusko``.

    Args:
        cents: exact amount in cents.
        lang: language code.
        unit: ``EUR`` or the display name of a local currency.
    """
    value = Decimal(int(cents)) / 100
    loc = locale_of(lang)
    if unit == "EUR":
        return numbers.format_currency(value, "EUR", locale=loc)
    return f"{numbers.format_decimal(value, format='#,##0.00', locale=loc)}\u00a0{unit}"


def format_money_short(cents: int, lang: str | None = DEFAULT_LANG) -> str:
    """An amount in euros short enough for a phone's column: ``845,20 €``, ``216 658 €``, ``1,48 M €``.

    Cents below 1 000 €, whole euros below a million, then Babel's compact format
    (two decimals). :func:`format_money` gives the exact amount.
    """
    value = Decimal(int(cents)) / 100
    loc = locale_of(lang)
    if abs(value) < 1000:
        return numbers.format_currency(value, "EUR", locale=loc)
    if abs(value.quantize(Decimal(1), ROUND_HALF_UP)) < 1_000_000:
        return format_money_whole(cents, lang)
    return numbers.format_compact_currency(value, "EUR", locale=loc, fraction_digits=2)


def format_money_whole(cents: int, lang: str | None = DEFAULT_LANG) -> str:
    """An amount rounded to the euro (half up): ``26 652 €`` (labels where space is short)."""
    euros = (Decimal(int(cents)) / 100).quantize(Decimal(1), ROUND_HALF_UP)
    pattern = "#,##0\u00a0¤" if check_lang(lang) == DEFAULT_LANG else "¤#,##0"
    return numbers.format_currency(euros, "EUR", format=pattern, locale=locale_of(lang), currency_digits=False)


def format_number(value: float, lang: str | None = DEFAULT_LANG, digits: int = 2) -> str:
    """Format a number with the language's separators (``1 234,57``)."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return numbers.format_decimal(value, format=pattern, locale=locale_of(lang))


#: Decimals of a game score wherever it is shown (the game judges scores to this precision).
SCORE_DIGITS = 1


def format_score(score: float, lang: str | None = DEFAULT_LANG) -> str:
    """A game score as every screen shows it and the game judges it, to one decimal: « 104 », « 99,7 »."""
    shown = round(float(score), SCORE_DIGITS)
    return format_number(shown, lang, 0 if shown == int(shown) else SCORE_DIGITS)


def format_percent(share: float, lang: str | None = DEFAULT_LANG, digits: int = 0) -> str:
    """Format a fraction 0–1 as a percentage (``12 %`` in French)."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    pattern += "%" if check_lang(lang) == "en" else "\u00a0%"
    return numbers.format_percent(share, format=pattern, locale=locale_of(lang))


def format_date_text(value: str, lang: str | None = DEFAULT_LANG) -> str:
    """An ISO date (``2025-12-30``) as people write it (« 30 décembre 2025 »); a year or any other text as is."""
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return value
    return dates.format_date(day, format="long", locale=locale_of(lang))
