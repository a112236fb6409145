"""JupyterLab in French by default: ``python -m monnaies_en_jeu.lab_locale``.

The French language pack is pinned in ``pyproject.toml``; JupyterLab still starts
in English until a locale is chosen. This writes the environment's default
(``<prefix>/share/jupyter/lab/settings/overrides.json``, keeping any other
override), so that trainers see the menus the modules' instructions name
(« Noyau → Redémarrer le noyau et exécuter toutes les cellules… »). ``make venv``
and Binder's ``postBuild`` run it. It imports nothing of the package.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

PLUGIN = "@jupyterlab/translation-extension:plugin"
LOCALE = "fr_FR"


def write_default_locale(prefix: Path = Path(sys.prefix), locale: str = LOCALE) -> Path:
    """Set JupyterLab's default locale in ``prefix``'s ``overrides.json``; return that file."""
    target = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    settings = json.loads(target.read_text(encoding="utf-8")) if target.is_file() else {}
    settings.setdefault(PLUGIN, {})["locale"] = locale
    target.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    print(write_default_locale())
