"""Every French string marked with _() or N_() has an English translation.

When this fails after you marked new strings: run ``make i18n``, translate the
listed messages in monnaies_en_jeu/locale/en/LC_MESSAGES/monnaies_en_jeu.po
(and delete their ``#, fuzzy`` line once checked), then run the tests again.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from monnaies_en_jeu import i18n

PACKAGE = Path(i18n.__file__).resolve().parent
PO = PACKAGE / "locale" / "en" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
FIELD = re.compile(r"\{[^{}]*\}")


def _extract() -> dict[str, list[str]]:
    """French source strings of the package -> 'file:line' locations (as ``make i18n``)."""
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords={"_": None, "N_": None}
    ):
        if isinstance(message, tuple):  # a call with extra arguments: _("…", lang)
            message = message[0]
        if message:
            found.setdefault(message, []).append(f"{filename}:{lineno}")
    return found


def _catalogue():
    with PO.open("rb") as handle:
        return read_po(handle, locale="en")


def test_every_marked_string_has_an_english_translation():
    translated = {m.id for m in _catalogue() if m.id and m.string and not m.fuzzy}
    missing = {msg: where for msg, where in _extract().items() if msg not in translated}
    report = "\n".join(f"  {msg!r}  ({', '.join(where)})" for msg, where in sorted(missing.items()))
    if missing:
        pytest.fail(
            f"{len(missing)} French string(s) without a checked English translation: run"
            f" `make i18n`, then translate them in {PO.relative_to(PACKAGE.parent)}:\n{report}",
            pytrace=False,
        )


def test_translations_keep_the_format_fields():
    wrong = [
        f"  {m.id!r} -> {m.string!r}"
        for m in _catalogue()
        if m.id and m.string and sorted(FIELD.findall(m.id)) != sorted(FIELD.findall(m.string))
    ]
    if wrong:
        pytest.fail("translations whose {fields} differ from the French:\n" + "\n".join(wrong))


def test_translate_function():
    assert i18n._("Monnaies en jeu est prêt.", "en") == "Monnaies en jeu is ready."
    assert i18n._("Monnaies en jeu est prêt.") == "Monnaies en jeu est prêt."
    assert i18n._("Monnaies en jeu est prêt.", "de") == "Monnaies en jeu est prêt."
    assert i18n._("Texte jamais marqué", "en") == "Texte jamais marqué"
    assert i18n.N_("Ménages") == "Ménages"


def test_french_money_format():
    # Babel's fr_FR: narrow no-break space (U+202F) between thousands,
    # no-break space (U+00A0) before the euro sign.
    assert i18n.format_money(123450) == "1\u202f234,50\u00a0€"
    assert i18n.format_money(-5) == "-0,05\u00a0€"
    assert i18n.format_money(123450, "en") == "€1,234.50"


def test_short_money_fits_a_phone_column_and_rounds_like_the_exact_amount():
    from monnaies_en_jeu.i18n import format_money_short

    assert format_money_short(84520, "fr") == "845,20\u00a0€"
    assert format_money_short(2245850, "fr") == "22\u202f459\u00a0€"  # whole euros, half up
    assert format_money_short(21665830, "fr") == "216\u202f658\u00a0€"
    assert format_money_short(147641468, "fr") == "1,48\u00a0M\u00a0€"
    assert format_money_short(99999950, "fr") == "1\u00a0M\u00a0€"  # never « 1 000 000 € »
    assert format_money_short(-110294284, "fr") == "-1,1\u00a0M\u00a0€"
    assert format_money_short(2245810, "en") == "€22,458"
    from monnaies_en_jeu.debrief.theme import whole_money_text
    from monnaies_en_jeu.i18n import format_money_whole

    assert format_money_whole(2665250, "fr") == "26\u202f653\u00a0€" == whole_money_text(26652.50)  # one rule, half up
    assert format_money_whole(123456789, "fr") == "1\u202f234\u202f568\u00a0€"  # never compact


def test_the_phone_s_tables_show_short_amounts_with_the_exact_one_in_the_title():
    from monnaies_en_jeu.apps.player_cards import dimensions_table

    result = {"dimensions": [{"label": "Trésorerie", "unit": "money", "round_value": 1476414.68,
                              "round_bots": 1476000.0, "value": 0, "bots": 0}]}
    html = dimensions_table(result, "fr")
    assert ">1,48\u00a0M\u00a0€</td>" in html and "title='1\u202f476\u202f414,68\u00a0€'" in html
