"""Write a generated documentation page, or say whether the committed one is still fresh."""

from __future__ import annotations

from pathlib import Path


def write_or_check(page: Path, text: str, tool: str, argv: list[str]) -> int:
    """With ``--write`` in ``argv``, write ``text`` to ``page``; else 0 when ``page`` holds it, 1 (and why) when not."""
    if "--write" in argv:
        page.write_text(text, encoding="utf-8")
        return 0
    fresh = page.exists() and page.read_text(encoding="utf-8") == text
    if not fresh:
        print(f"{page} is stale: run python tools/{tool} --write")
    return 0 if fresh else 1
