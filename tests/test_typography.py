"""French typography of everything a participant, facilitator or trainer reads."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import typo_fr  # noqa: E402


def test_no_break_spaces_before_high_punctuation_and_inside_guillemets():
    places = typo_fr.check(fix=False)
    assert not places, "run `python tools/typo_fr.py --fix`:\n" + "\n".join(places[:30])


def test_the_fixer_handles_french_and_leaves_code_alone():
    assert typo_fr.fix_text("Durée : 75 min ; « oui » !") == "Durée\u00a0: 75 min\u00a0; «\u00a0oui\u00a0»\u00a0!"
    assert typo_fr.fix_text("Seuil : 25 000 € HT, soit 12 %") == (
        "Seuil\u00a0: 25\u202f000\u00a0€ HT, soit 12\u00a0%")
    assert typo_fr.fix_text("1 270 000 eusko") == "1\u202f270\u202f000 eusko"
    for code in ("2013 2014", "1, 234", "3.141 592", "f(1, 2)",
                 "http://exemple.fr", "WHERE code = :code", "{value:.2f}", "x[ :3]", "10:30"):
        assert typo_fr.fix_text(code) == code
