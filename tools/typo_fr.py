"""French typography: no-break spaces before ; : ! ?, inside « guillemets » and in numbers.

    python tools/typo_fr.py --check   # list the places to fix (exit 1 if any)
    python tools/typo_fr.py --fix     # fix them in place

It reads string literals of the package's Python files (with tokenize, so code
is never touched), the msgids of the catalogue, YAML data, Markdown files and
the notebooks' cells. A space is only replaced where French typography puts a
no-break one: before ; : ! ? followed by a space, an end of text or a closing
mark, after « / before », between the digit groups of a number (« 25 000 »,
narrow no-break space as Babel writes them) and between a number and € or %.
"""

from __future__ import annotations

import io
import json
import re
import sys
import tokenize
from pathlib import Path

NBSP = "\u00a0"
ROOT = Path(__file__).resolve().parent.parent
_BEFORE = re.compile(r"(?<=[^\s\[\(]) ([;:!?])(?=[\s\"'*»)\]\\]|$)")
_OPEN = re.compile(r"« ")
_CLOSE = re.compile(r" »")
NNBSP = "\u202f"
_GROUPS = re.compile(r"(?<![\d.,])(\d{1,3})(?:[ \u00a0\u202f](\d{3}))+(?![\d.,]?\d)")
_UNIT = re.compile(r"(?<=\d)(?<!\.\d) (?=[€%](?!\w))")


def _group(match: re.Match) -> str:
    return re.sub(r" (?=\d{3})", NNBSP, match.group(0))


def fix_text(text: str) -> str:
    """The text with French no-break spaces where they belong."""
    text = _BEFORE.sub(NBSP + r"\1", text)
    text = _UNIT.sub(NBSP, _GROUPS.sub(_group, text))
    return _CLOSE.sub(NBSP + "»", _OPEN.sub("«" + NBSP, text))


def _python(path: Path, fix: bool) -> list[str]:
    source = path.read_text(encoding="utf-8")
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    lines = source.splitlines(keepends=True)
    problems, edits = [], []
    for tok in tokens:
        if tok.type != tokenize.STRING or tok.string.startswith(('"""', "'''", 'r"""')):
            continue
        fixed = fix_text(tok.string)
        if fixed != tok.string:
            problems.append(f"{path.relative_to(ROOT)}:{tok.start[0]}: {tok.string[:70]}")
            edits.append((tok.start, tok.end, fixed))
    if fix and edits:
        for (srow, scol), (erow, ecol), fixed in reversed(edits):
            if srow != erow:
                continue
            line = lines[srow - 1]
            lines[srow - 1] = line[:scol] + fixed + line[ecol:]
        path.write_text("".join(lines), encoding="utf-8")
    return problems


def _po(path: Path, fix: bool) -> list[str]:
    out, problems = [], []
    in_msgid = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(keepends=True), 1):
        if line.startswith("msgid "):
            in_msgid = True
        elif line.startswith(("msgstr", "#", "msgctxt")) or not line.strip():
            in_msgid = False
        if in_msgid:
            fixed = fix_text(line)
            if fixed != line:
                problems.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:70]}")
                line = fixed
        out.append(line)
    if fix and problems:
        path.write_text("".join(out), encoding="utf-8")
    return problems


def _plain(path: Path, fix: bool) -> list[str]:
    text = path.read_text(encoding="utf-8")
    fixed_lines, problems, in_code = [], [], False
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        if line.lstrip().startswith("```"):
            in_code = not in_code
        fixed = line if in_code or line.lstrip().startswith("#!") else fix_text(line)
        if fixed != line:
            problems.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:70]}")
        fixed_lines.append(fixed)
    if fix and problems:
        path.write_text("".join(fixed_lines), encoding="utf-8")
    return problems


def _notebook(path: Path, fix: bool) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    problems = []
    for i, cell in enumerate(nb["cells"]):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            fixed = fix_text(source)
        else:
            fixed = source
            for tok in tokenize.generate_tokens(io.StringIO(source).readline):
                if tok.type == tokenize.STRING:
                    fixed = fixed.replace(tok.string, fix_text(tok.string))
        if fixed != source:
            problems.append(f"{path.relative_to(ROOT)}: cell {i}")
            cell["source"] = fixed.splitlines(keepends=True)
    if fix and problems:
        path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return problems


def files() -> list[tuple[Path, object]]:
    """Every file the check covers, with its reader."""
    out: list[tuple[Path, object]] = []
    for path in sorted((ROOT / "monnaies_en_jeu").rglob("*.py")):
        out.append((path, _python))
    for path in sorted((ROOT / "monnaies_en_jeu").rglob("*.po")):
        out.append((path, _po))
    for pattern in ("monnaies_en_jeu/**/*.yaml", "facilitator_guides/**/*.md", "modules/**/*.md",
                    "games/**/*.md", "docs/**/*.md", "README.md"):
        out.extend((p, _plain) for p in sorted(ROOT.glob(pattern)))
    for pattern in ("modules/**/*.ipynb", "games/**/*.ipynb"):
        out.extend((p, _notebook) for p in sorted(ROOT.glob(pattern)))
    return out


def check(fix: bool = False) -> list[str]:
    """Problems found (and fixed when ``fix``)."""
    return [problem for path, reader in files() for problem in reader(path, fix)]


if __name__ == "__main__":
    found = check(fix="--fix" in sys.argv)
    print("\n".join(found[:200]))
    print(f"{len(found)} place(s)")
    sys.exit(1 if found and "--fix" not in sys.argv else 0)
