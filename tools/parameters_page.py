"""Generate docs/parametres.md: every behavioural number of a scenario and of an event card, with where it comes from.

    python tools/parameters_page.py --write   # write the page
    python tools/parameters_page.py --check   # exit 1 if the page is stale

The page is French (trainers and experts read it); tests/test_schema_documented.py checks that
it is fresh. Its rows come from the scenario schema (``economy/schema.py``: each field's
``source`` or ``hypothese``) and from the shipped cards' ``params_doc``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.numbers import format_decimal

from monnaies_en_jeu.economy import events, schema
from monnaies_en_jeu.sources import source

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generated_page import write_or_check  # noqa: E402  (beside this tool)
from typo_fr import fix_text  # noqa: E402  (the kit's French typography, beside this tool)

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "parametres.md"

INTRO = """# D'où viennent les chiffres du modèle

Cette page est produite par `tools/parameters_page.py` à partir du schéma des scénarios
(`monnaies_en_jeu/economy/schema.py`) et des cartes événement (`monnaies_en_jeu/economy/cards/`).
Ne la modifiez pas à la main : `python tools/parameters_page.py --write` la régénère et
`tests/test_schema_documented.py` échoue quand elle n'est plus à jour.

Chaque réglage qui décide d'un comportement porte soit une **source** (une entrée de l'annexe des
sources du kit, `monnaies_en_jeu/sources/`), soit une **hypothèse** dite en une phrase : un chiffre
rond d'enseignement ou un ordre de grandeur, jamais présenté comme un fait. Un scénario peut
changer chaque valeur (clé du fichier YAML ou option `--set` de la ligne de commande) ; la
plage est celle que le kit accepte. Ce que donnent ces réglages, comparé aux monnaies locales
réelles, est dans [la calibration des robots](calibration.md).
"""

SECTIONS = (
    ("economy", "Le territoire et ses habitudes (`economy:`)"),
    ("currencies", "Chaque monnaie locale (`currencies:`)"),
    ("territories", "Chaque territoire (`territories:`)"),
    ("agreements", "Les accords entre monnaies (`agreements:`)"),
)


def _number(value: float) -> str:
    return format_decimal(value, "#,##0.####", locale="fr_FR")


def _value(rule: schema.Field) -> str:
    if rule.kind is bool:
        return "oui" if rule.default else "non"
    if rule.kind == "choice":
        return f"`{rule.default}`"
    return _number(rule.default)


def _range(rule: schema.Field) -> str:
    if rule.kind is bool:
        return "oui ou non"
    if rule.kind == "choice":
        return ", ".join(f"`{c}`" for c in rule.choices)
    return f"{_number(rule.lo)} à {_number(rule.hi)}"


def _origin(src: str | None, hypothese: str | None) -> str:
    if src is not None:
        return "Source : " + source(src).citation() + "."
    return hypothese or ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    """The page's Markdown text."""
    lines = [INTRO.rstrip(), ""]
    rows = [(path, rule) for path, rule in schema.every_field() if rule.kind is not str]
    for prefix, title in SECTIONS:
        mine = [(path, rule) for path, rule in rows if path.split(".", 1)[0] == prefix]
        if not mine:
            continue
        lines += [f"## {title}", "", "| réglage | par défaut | plage | d'où vient le chiffre |",
                  "| --- | --- | --- | --- |"]
        lines += [f"| `{path.split('.', 1)[1]}` | {_value(rule)} | {_range(rule)} | "
                  f"{_cell(_origin(rule.source, rule.hypothese))} |" for path, rule in mine]
        lines.append("")
    lines += ["## Les cartes événement", "",
              "| carte | réglage | valeur | d'où vient le chiffre |", "| --- | --- | --- | --- |"]
    for card in sorted(events.shipped_cards().values(), key=lambda c: c.id):
        for key, doc in card.params_doc.items():
            lines.append(f"| {_cell(card.title)} | `{key}` | {_number(card.params[key])} | "
                         f"{_cell(_origin(doc.get('source'), doc.get('hypothese')))} |")
    return fix_text("\n".join(lines)) + "\n"


def main(argv: list[str]) -> int:
    return write_or_check(PAGE, render(), "parameters_page.py", argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
