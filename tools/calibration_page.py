"""Generate docs/calibration.md from the calibration targets and the bots' measured figures.

    python tools/calibration_page.py --write   # measure (5 seeds) and write the page
    python tools/calibration_page.py --check   # exit 1 if the page is stale

The page is French (trainers and experts read it); tests/test_calibration.py checks that it
is fresh.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from babel.numbers import format_decimal, format_percent

from monnaies_en_jeu.economy.calibration import SEEDS, measure_all, targets
from monnaies_en_jeu.sources import source

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generated_page import write_or_check  # noqa: E402  (beside this tool)
from typo_fr import fix_text  # noqa: E402  (the kit's French typography, beside this tool)

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "calibration.md"
NBSP = "\u00a0"

INTRO = f"""# La calibration des robots

Cette page est produite par `tools/calibration_page.py` à partir de
`monnaies_en_jeu/economy/calibration.yaml` et des chiffres mesurés sur les scénarios livrés, joués
par les seuls robots ({len(SEEDS)} graines{NBSP}: {{seeds}}). Ne la modifiez pas à la main :
`python tools/calibration_page.py --write` la régénère et `tests/test_calibration.py` échoue quand
elle n'est plus à jour.

## Ce que veut dire « calibré »

Un territoire où personne ne joue doit ressembler à un vrai territoire de monnaie locale : une
petite part des ménages l'utilise, elle pèse peu dans leurs dépenses, chaque euro converti y
circule quelques fois avant de revenir à l'euro. Chaque ligne ci-dessous est un chiffre publié,
avec sa source, la monnaie et l'étape auxquelles il se rapporte, et une bande : l'écart publié
entre les monnaies citées, ou ×/÷{NBSP}1,5 autour d'un seul chiffre, jamais plus large que ×{NBSP}3.

Les territoires du jeu ont 2{NBSP}000 ménages. Les cibles sont des parts et des rapports (part des
ménages, part des dépenses, tours de circulation, part des commerces) : elles valent à toute
taille, et un bourg de 2{NBSP}000 ménages calibré sur l'eusko compte une trentaine d'adhérents, pas
six cents. Ce sont les joueurs, pas les robots, qui peuvent faire grandir la monnaie : c'est la
leçon du jeu.

La colonne de droite dit si la moyenne des cinq graines est dans la bande ; le test de
calibration échoue dès qu'un chiffre en sort. Ce que règlent les robots pour y arriver (courbe
d'adhésion, part payée en monnaie locale, durée de détention, reconversion des commerces, part
du patron) est dans le schéma des scénarios, chaque valeur avec sa source ou son hypothèse.
"""


def _number(value: float, unit: str) -> str:
    if not np.isfinite(value):
        return "—"
    if unit == "part":
        return format_percent(value, "#,##0.00 %", locale="fr_FR")
    if unit == "euros":
        return format_decimal(round(value), "#,##0", locale="fr_FR") + f"{NBSP}€"
    return format_decimal(value, "#,##0.00", locale="fr_FR")


def render(measured: dict[tuple[str, str], list[float]]) -> str:
    """The page's Markdown text."""
    lines = [INTRO.format(seeds=", ".join(map(str, SEEDS))).rstrip(), ""]
    lines += ["## Les cibles et les chiffres mesurés", "",
              "| chiffre | publié | référence | bande | scénario | mois | mesuré (moyenne ; min – max) | |",
              "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for t in targets().values():
        for name in t.scenarios:
            values = np.array(measured[(t.key, name)], dtype=float)
            mean = float(np.mean(values))
            spread = f"{_number(float(values.min()), t.unite)} – {_number(float(values.max()), t.unite)}"
            verdict = "dans la bande" if t.holds(mean) else "hors bande"
            lines.append(
                f"| {t.chiffre} | {_number(t.valeur, t.unite)} | {t.reference} | "
                f"{_number(t.bas, t.unite)} – {_number(t.haut, t.unite)} | `{name}` | "
                f"{t.mois[0]} à {t.mois[1]} | {_number(mean, t.unite)} ; {spread} | {verdict} |")
    lines += ["", "## Chaque ligne expliquée", ""]
    for t in targets().values():
        cited = " ; ".join(source(k).citation() for k in t.sources)
        lines += [f"### {t.chiffre}", "", t.explication, "",
                  f"Bande{NBSP}: {t.bande}. Sources{NBSP}: {cited}.", ""]
    return fix_text("\n".join(lines)) + "\n"


def main(argv: list[str]) -> int:
    return write_or_check(PAGE, render(measure_all()), "calibration_page.py", argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
