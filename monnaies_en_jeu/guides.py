"""``monnaies-en-jeu guides``: write the facilitator guides into ``facilitator_guides/``, or check them.

The guides are generated from the content data (:mod:`monnaies_en_jeu.content.guides`)
and the game's rules (:mod:`monnaies_en_jeu.game.role_cards`); the hand-written ones
(``animer_une_session.md``, ``regles_du_jeu.md``) are left alone. ``--check`` writes
nothing and lists the guides that are out of date.
"""

from __future__ import annotations

from pathlib import Path

from monnaies_en_jeu.i18n import _

GUIDES_DIR = Path(__file__).resolve().parent.parent / "facilitator_guides"


def documents() -> dict[str, str]:
    """Every generated guide: ``{path under facilitator_guides/: Markdown}``."""
    from monnaies_en_jeu.content.guides import documents as content_documents
    from monnaies_en_jeu.game.role_cards import cards_page

    return {**content_documents(), "cartes_roles.md": cards_page()}


def stale(folder: Path = GUIDES_DIR) -> list[str]:
    """Generated guides missing from ``folder`` or different from what the data gives."""
    out = []
    for name, text in documents().items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            out.append(name)
    return out


def write(folder: Path = GUIDES_DIR) -> list[str]:
    """Write every generated guide that changed; return their names."""
    changed = []
    for name, text in documents().items():
        path = folder / name
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        changed.append(name)
    return changed


def cli_guides(check: bool = False) -> int:
    """``monnaies-en-jeu guides [--check]``: 0 when the guides are (now) up to date, 1 when some are stale."""
    if check:
        late = stale()
        if late:
            print(_("Guides à réécrire avec « monnaies-en-jeu guides » : {names}.").format(names=", ".join(late)))
            return 1
        print(_("Les guides d'animation sont à jour."))
        return 0
    changed = write()
    print(_("{count} guide(s) réécrit(s) dans {folder}.").format(count=len(changed), folder=GUIDES_DIR))
    return 0
