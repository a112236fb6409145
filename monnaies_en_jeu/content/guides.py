"""Facilitator guides as data: one guide per module, run sheets by audience, preparation, questionnaires.

What the guides say lives in ``data/guides/`` (French, for trainers):

``mNN.yaml``
    one module's guide: ``public``, ``but``, ``salle``, ``a_dire``, ``plans`` (45, 90 and
    180 minutes: steps of ``minutes`` with a notebook ``section`` number or a ``titre``, and
    ``faire``), ``debats`` (``question``, ``eclairage``, ``appui``), ``objections`` (the
    order of the common objections, all of them), ``adapter`` (``quoi``, ``comment`` and an
    optional ``scenario`` or ``carte`` id), ``depannage`` (``probleme``, ``solution``).
``objections.yaml``
    the objections people raise, each with ``objection``, ``reponse`` and ``sources`` (keys
    of the sources annex).
``seances.yaml``
    run sheets by audience and length: steps are a module's plan (``module`` and
    ``variante``, expanded from that module's guide) or a step of their own.
``preparer.yaml`` and ``questionnaires.yaml``
    the preparation checklist and the before/after questionnaires (their knowledge
    questions are ids of the question bank).

Titles, objectives, durations and answers are not copied here: they are read from
``modules.yaml``, the question bank and the notebooks' section headings, so that a
correction there reaches the guides when they are written again
(``monnaies-en-jeu guides``). :func:`documents` returns every Markdown file; each
check of :func:`validate` raises :class:`GuideError` with a French message.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from monnaies_en_jeu.content.datafiles import data_path
from monnaies_en_jeu.content.modules import modules, reponses_attendues
from monnaies_en_jeu.content.questions import numero as question_number
from monnaies_en_jeu.content.questions import question, reponse_attendue, titre, verifier
from monnaies_en_jeu.sources import source

REPO_ROOT = Path(__file__).resolve().parents[2]
VARIANTS = (45, 90, 180)
OBJECTIONS = ("legalite", "protectionnisme", "cout_public", "fraude", "inutile", "bristol", "peche")
_SECTION = re.compile(r"^##\s+(\d+)\.\s+(.*)$")
_QUESTION = re.compile(r"\b(m\d+_q\d+)\b")
NBSP = "\u00a0"


class GuideError(ValueError):
    """Guide data that does not hold together (French message)."""


# --- reading the sources of truth ------------------------------------------------------------------


@cache
def _parsed(name: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the guides read many files
    return yaml.load(data_path(name).read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (a safe loader)


def load_yaml(name: str) -> Any:
    """A guide data file, parsed once per process; each call gets its own copy."""
    return copy.deepcopy(_parsed(name))


@cache
def _modules() -> dict[int, dict[str, Any]]:
    return {meta["numero"]: meta for meta in modules()}


def module(numero: int) -> dict[str, Any]:
    """A module's metadata from ``modules.yaml`` (read once per process)."""
    return _modules()[numero]


@cache
def _scenario_names() -> tuple[str, ...]:
    from monnaies_en_jeu.economy.scenario import Scenario

    return tuple(Scenario.names())


@cache
def _scenario_description(name: str) -> str:
    from monnaies_en_jeu.economy.scenario import Scenario

    return Scenario.load(name).description()


@cache
def _card_titles() -> dict[str, str]:
    from monnaies_en_jeu.economy.events import cards

    return {key: card.title for key, card in cards().items()}


@cache
def sections(numero: int) -> dict[int, dict[str, Any]]:
    """A module notebook's numbered sections: ``{n: {"titre", "questions"}}`` from its headings and cells."""
    path = REPO_ROOT / module(numero)["fichier"]
    notebook = json.loads(path.read_text(encoding="utf-8"))
    found: dict[int, dict[str, Any]] = {}
    current = None
    for cell in notebook["cells"]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown":
            for line in text.splitlines():
                if line.startswith("## "):
                    match = _SECTION.match(line)
                    current = int(match.group(1)) if match else None
                    if match:
                        found[current] = {"titre": match.group(2).strip(), "questions": []}
        elif current is not None:
            for qid in _QUESTION.findall(text):
                if qid not in found[current]["questions"]:
                    found[current]["questions"].append(qid)
    return found


def guide_data(numero: int) -> dict[str, Any]:
    """The raw guide data of module ``numero`` (``data/guides/mNN.yaml``)."""
    return load_yaml(f"guides/m{numero:02d}.yaml")


def objections() -> dict[str, dict[str, Any]]:
    """The common objections, by key, in the file's order."""
    return load_yaml("guides/objections.yaml")


def run_sheets() -> dict[str, Any]:
    """Audiences, lengths and the run sheets (``seances.yaml``)."""
    return load_yaml("guides/seances.yaml")


# --- checks -------------------------------------------------------------------------------------------


def _fail(where: str, message: str) -> GuideError:
    return GuideError(f"{where} : {message}")


def plan_minutes(plan: list[dict[str, Any]]) -> int:
    """Total minutes of a plan's steps."""
    return sum(int(step["minutes"]) for step in plan)


def _check_steps(where: str, steps: list[dict[str, Any]], numero: int | None) -> None:
    for step in steps:
        if not isinstance(step.get("minutes"), int) or step["minutes"] <= 0:
            raise _fail(where, f"une étape sans durée entière positive ({step}).")
        if "section" in step:
            if numero is None or step["section"] not in sections(numero):
                raise _fail(where, f"la section {step['section']} n'existe pas dans le carnet.")
        elif not step.get("titre"):
            raise _fail(where, f"une étape sans section ni titre ({step}).")


def _check_sources(where: str, keys: list[str]) -> None:
    if not keys:
        raise _fail(where, "aucune source citée.")
    for key in keys:
        try:
            source(key)
        except KeyError as error:
            raise _fail(where, str(error)) from None


def validate() -> None:
    """Check every guide, objection and run sheet against the modules, the bank, the annex and the engine."""
    for key, entry in objections().items():
        _check_sources(f"objections.yaml, « {key} »", entry.get("sources", []))
    if set(objections()) != set(OBJECTIONS):
        raise _fail("objections.yaml", f"les objections attendues sont {', '.join(OBJECTIONS)}.")
    for numero in _modules():
        where = f"guides/m{numero:02d}.yaml"
        data = guide_data(numero)
        for field in ("public", "but", "salle", "a_dire", "plans", "debats", "objections", "adapter", "depannage"):
            if not data.get(field):
                raise _fail(where, f"le champ « {field} » manque.")
        shown = _QUESTION.search(json.dumps(data, ensure_ascii=False))
        if shown:
            raise _fail(where, f"« {shown.group(1)} » : nommez la question comme l'apprenant la voit "
                               f"(« question {question_number(shown.group(1))} »), pas par son identifiant.")
        if sorted(data["plans"]) != list(VARIANTS):
            raise _fail(where, "il faut un plan en 45, 90 et 180 minutes.")
        for minutes, plan in data["plans"].items():
            _check_steps(f"{where}, plan en {minutes} min", plan, numero)
            if plan_minutes(plan) != minutes:
                raise _fail(where, f"le plan en {minutes} minutes dure {plan_minutes(plan)} minutes.")
        if sorted(data["objections"]) != sorted(OBJECTIONS):
            raise _fail(where, f"les objections doivent être exactement : {', '.join(OBJECTIONS)}.")
        for item in data["adapter"]:
            if item.get("scenario") and item["scenario"] not in _scenario_names():
                raise _fail(where, f"scénario inconnu « {item['scenario']} ».")
            if item.get("carte") and item["carte"] not in _card_titles():
                raise _fail(where, f"carte événement inconnue « {item['carte']} ».")
    sheets = run_sheets()
    for sheet in sheets["seances"]:
        where = f"seances.yaml, « {sheet['fichier']} »"
        if sheet["public"] not in sheets["publics"]:
            raise _fail(where, f"public inconnu « {sheet['public']} ».")
        steps = expand_sheet(sheet)
        _check_steps(where, [s for s in steps if "_module" not in s], None)
        if plan_minutes(steps) != sheet["duree_minutes"]:
            raise _fail(where, f"la feuille dure {plan_minutes(steps)} minutes au lieu de {sheet['duree_minutes']}.")
        for step in sheet["etapes"]:
            if step.get("scenario") and step["scenario"] not in _scenario_names():
                raise _fail(where, f"scénario inconnu « {step['scenario']} ».")
    for qid in questionnaire_questions():
        item = question(qid)  # KeyError for an id that left the bank
        if not item.get("choix") and not item.get("elements"):
            raise _fail("questionnaires.yaml", f"« {qid} » n'a pas de choix à cocher : il faut une question fermée.")


# --- Markdown -----------------------------------------------------------------------------------------


def _clock(minutes: int) -> str:
    return f"{minutes // 60}{NBSP}h{NBSP}{minutes % 60:02d}"


def _cell(text: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", str(text)).strip().replace("|", "\\|")  # keeps no-break spaces


def _module_link(numero: int, prefix: str = "") -> str:
    return f"[module {numero} — {module(numero)['titre']}]({prefix}modules/module_{numero:02d}.md)"


def _questions_named(ids: list[str]) -> str:
    """« question 2 », « questions 1 et 2 », « questions 1, 2 et 3 »: guides never show question ids."""
    numbers = [str(question_number(qid)) for qid in ids]
    if len(numbers) == 1:
        return f"question {numbers[0]}"
    return f"questions {', '.join(numbers[:-1])} et {numbers[-1]}"


def _step_title(step: dict[str, Any], numero: int | None) -> str:
    if "section" in step:
        info = sections(numero)[step["section"]]
        questions = f" ({_questions_named(info['questions'])})" if info["questions"] else ""
        return f"Section {step['section']}. {info['titre']}{questions}"
    return step["titre"]


def _plan_table(steps: list[dict[str, Any]], numero: int | None, start: int = 0, clock: bool = False) -> list[str]:
    head = "| Horaire | Durée | Étape | Ce que fait l'animateur |" if clock else "| Minutes | Durée | Étape | " \
        "Ce que fait l'animateur |"
    lines = [head, "|---|---|---|---|"]
    at = start
    for step in steps:
        number = step.get("_module", numero)
        end = at + step["minutes"]
        when = f"{_clock(at)}–{_clock(end)}" if clock else f"{at}–{end}"
        title = _step_title(step, number)
        if step.get("_module") is not None:
            title = f"**Module {number}** · {title}" if step.get("_first") else f"Module {number} · {title}"
        lines.append(f"| {when} | {step['minutes']}{NBSP}min | {_cell(title)} | {_cell(step.get('faire', ''))} |")
        at = end
    return lines


def _expected(item: dict[str, Any], written: str) -> str:
    """The expected answer; for a list, each element with its letter, in the answer's order."""
    elements = [(written.find(text), key, text) for key, text in item.get("elements", []) if text in written]
    if not elements:
        return written
    return " ; ".join(f"{key}. {text}" if text != key else text for _at, key, text in sorted(elements))


def _answer_key(numero: int) -> list[str]:
    lines = []
    for answer in reponses_attendues(numero):
        lines.append(f"**{titre(answer['id'])}** — {answer['enonce']}")
        lines.append("")
        item = question(answer["id"])
        lines.append(f"- Réponse attendue : **{_expected(item, answer['reponse'])}**")
        if answer["explication"]:
            lines.append(f"- Pourquoi : {answer['explication']}")
        hint = item["indice"]
        for key, text in item.get("choix", []):
            feedback = verifier(answer["id"], key)
            if feedback.ok is False:
                why = feedback.message.removesuffix(hint).strip() if hint else feedback.message
                lines.append(f"- Si le groupe choisit « {key} » ({text}) : {why}")
        if hint:
            lines.append(f"- Indice à donner à qui bloque : {hint}")
        if answer["source"]:
            lines.append(f"- Source : {answer['source']}")
        lines.append("")
    return lines


def _objection_lines(key: str, level: str = "###") -> list[str]:
    entry = objections()[key]
    lines = [f"{level} « {entry['objection']} »", "", entry["reponse"].strip(), "", "Sources :", ""]
    for key in entry["sources"]:
        cited = source(key)
        lines.append(f"- [{cited.titre}]({cited.url}) — {cited.auteur}, {cited.date}")
    lines.append("")
    return lines


def module_guide(numero: int) -> str:
    """The Markdown guide of module ``numero``."""
    meta, data = module(numero), guide_data(numero)
    lines = [f"# Guide d'animation — module {numero} : {meta['titre']}", "",
             f"*Carnet : `{meta['fichier']}` · durée du carnet seul : {meta['duree_minutes']}{NBSP}min · "
             f"prérequis : {', '.join(meta['prerequis'])}. Guide écrit par `monnaies-en-jeu guides` à partir de "
             f"`monnaies_en_jeu/content/data/guides/m{numero:02d}.yaml` : ne le modifiez pas ici.*", "",
             "## Le but", "", data["but"].strip(), "", "**Objectifs du module :**", ""]
    lines += [f"- {o}" for o in meta["objectifs"]]
    lines += ["", "## Pour qui", "", data["public"].strip(), "", "## Salle et matériel", ""]
    lines += [f"- {item}" for item in data["salle"]]
    lines += ["", "## Les plans minutés", ""]
    for minutes in VARIANTS:
        lines += [f"### En {minutes}{NBSP}minutes", ""]
        if minutes == 45 and meta["version_45_min"]:
            lines += [f"*En bref (`modules.yaml`){NBSP}: {meta['version_45_min']}*", ""]
        lines += _plan_table(data["plans"][minutes], numero)
        lines.append("")
    lines += ["## Ce qu'il faut dire", ""]
    lines += [f"{i}. {text.strip()}" for i, text in enumerate(data["a_dire"], 1)]
    lines += ["", "## Corrigé, avec le raisonnement", "",
              "*Les réponses et les explications viennent de la banque de questions du module, celle du "
              "vérificateur du carnet.*", ""]
    lines += _answer_key(numero)
    lines += ["## Questions pour le débat", ""]
    for debate in data["debats"]:
        lines += [f"### {debate['question'].strip()}", "",
                  f"- **Ce que le débat doit faire apparaître :** {debate['eclairage'].strip()}",
                  f"- **Sur quoi s'appuyer :** {debate['appui'].strip()}", ""]
    lines += ["## Les objections qu'on vous fera", ""]
    for key in data["objections"]:
        lines += _objection_lines(key)
    lines += ["## Adapter le module", ""]
    for item in data["adapter"]:
        extra = ""
        if item.get("scenario"):
            extra = f" (scénario `{item['scenario']}` — {_scenario_description(item['scenario'])})"
        if item.get("carte"):
            extra = f" (carte «\u00a0{_card_titles()[item['carte']]}\u00a0», `{item['carte']}`)"
        lines.append(f"- **{item['quoi'].strip()}**{extra} : {item['comment'].strip()}")
    lines += ["", "## Dépannage", "", "| Problème | Que faire |", "|---|---|"]
    lines += [f"| {_cell(p['probleme'])} | {_cell(p['solution'])} |" for p in data["depannage"]]
    lines += ["", "*Avant l'atelier : [Préparer un atelier](../preparer_un_atelier.md). Toutes les objections : "
              "[objections.md](../objections.md).*", ""]
    return "\n".join(lines)


def expand_sheet(sheet: dict[str, Any]) -> list[dict[str, Any]]:
    """A run sheet's steps, each module block replaced by the steps of that module's plan."""
    steps = []
    for step in sheet["etapes"]:
        if "module" in step:
            plan = guide_data(step["module"])["plans"][step["variante"]]
            for i, item in enumerate(plan):
                steps.append({**item, "_module": step["module"], "_first": i == 0})
        else:
            steps.append(step)
    return steps


def _parse_clock(text: str) -> int:
    hours, _sep, minutes = str(text).partition(":")
    return int(hours) * 60 + int(minutes or 0)


def run_sheet(sheet: dict[str, Any]) -> str:
    """The Markdown run sheet of one audience and length."""
    data = run_sheets()
    audience = data["publics"][sheet["public"]]
    lines = [f"# Feuille de route — {audience['nom']}, {sheet['duree_libelle']}", "",
             "*Écrite par `monnaies-en-jeu guides` à partir de `monnaies_en_jeu/content/data/guides/seances.yaml` "
             "et des plans des modules.*", "",
             f"**Pour qui :** {audience['qui'].strip()}", "",
             f"**Ce que le groupe emporte :** {sheet['but'].strip()}", "",
             "## Déroulé minute par minute", ""]
    lines += _plan_table(expand_sheet(sheet), None, start=_parse_clock(sheet["debut"]), clock=True)
    used = sorted({s["module"] for s in sheet["etapes"] if "module" in s})
    if used:
        lines += ["", "Guides des modules utilisés : " + " ; ".join(_module_link(n, "../") for n in used) + "."]
    if any(s.get("scenario") for s in sheet["etapes"]):
        lines += ["", "Le jeu : [animer une session](../animer_une_session.md) (création de la partie, manches, "
                  "débriefing) · [cartes de rôle à imprimer](../cartes_roles.md)."]
    lines += ["", "## Matériel", ""]
    lines += [f"- {item}" for item in [*data["materiel_commun"], *sheet.get("materiel", [])]]
    if sheet.get("conseils"):
        lines += ["", "## Conseils", ""]
        lines += [f"- {item.strip()}" for item in sheet["conseils"]]
    lines += ["", "*Avant l'atelier : [Préparer un atelier](../preparer_un_atelier.md) ; questionnaires "
              "avant/après : [questionnaires.md](../questionnaires.md).*", ""]
    return "\n".join(lines)


def preparation() -> str:
    """« Préparer un atelier »: the checklist from a week before to the day itself."""
    data = load_yaml("guides/preparer.yaml")
    lines = ["# Préparer un atelier", "", "*Écrit par `monnaies-en-jeu guides` à partir de "
             "`monnaies_en_jeu/content/data/guides/preparer.yaml`.*", "", data["intro"].strip(), ""]
    for moment in data["moments"]:
        lines += [f"## {moment['quand']}", ""]
        lines += [f"- [ ] {item.strip()}" for item in moment["faire"]]
        lines.append("")
    lines += ["## Ce que vérifie `monnaies-en-jeu check`", ""]
    lines += [f"- {item.strip()}" for item in data["verifie"]]
    lines += ["", "## Si la vérification signale un problème", "", "| Message | Que faire |", "|---|---|"]
    lines += [f"| {_cell(p['message'])} | {_cell(p['faire'])} |" for p in data["si_probleme"]]
    lines.append("")
    return "\n".join(lines)


def questionnaire_questions() -> list[str]:
    """Ids of the bank's questions asked in both questionnaires."""
    return list(load_yaml("guides/questionnaires.yaml")["connaissances"])


def questionnaires() -> str:
    """The printable before/after questionnaires, then the answer key for the trainer."""
    data = load_yaml("guides/questionnaires.yaml")
    lines = ["# Questionnaires avant et après l'atelier", "", "*Écrits par `monnaies-en-jeu guides` à partir de "
             "`monnaies_en_jeu/content/data/guides/questionnaires.yaml` et de la banque de questions. À imprimer "
             "depuis un navigateur : un questionnaire par page.*", "", data["intro"].strip(), ""]
    for key, title in (("avant", "Avant l'atelier : ce que je sais"), ("apres", "Après l'atelier : ce que j'emporte")):
        lines += ["---", "", f"## {title}", "", "Prénom ou pseudonyme (facultatif) : ____________________", "",
                  "**Sur une échelle de 1 (pas du tout) à 5 (tout à fait) :**", ""]
        lines += [f"- {s.strip()} 1 ☐ 2 ☐ 3 ☐ 4 ☐ 5 ☐" for s in data["echelles"]]
        lines += ["", "**Quelques questions (une ou plusieurs réponses) :**", ""]
        for i, qid in enumerate(data["connaissances"], 1):
            item = question(qid)
            lines.append(f"{i}. {item['enonce']}")
            for choice_key, text in item.get("choix", []) or item.get("elements", []):
                lines.append(f"   - ☐ {choice_key}. {text}")
            if not item.get("choix") and not item.get("elements"):
                lines.append("   - Réponse : ____________________")
        lines += ["", "**En quelques mots :**", ""]
        lines += [f"- {q.strip()}" + "\n\n  ______________________________________________\n" for q in data[key]]
        lines += ["", '<div style="page-break-after: always"></div>', ""]
    lines += ["## Pour l'animateur : corrigé et lecture des résultats", "", data["lecture"].strip(), ""]
    for i, qid in enumerate(data["connaissances"], 1):
        where = f"module {question(qid)['module']}, {titre(qid).lower()}"
        lines.append(f"- Question {i} ({where}){NBSP}: {_expected(question(qid), reponse_attendue(qid))}")
    lines.append("")
    return "\n".join(lines)


def objections_page() -> str:
    """Every objection with its answer and sources, on one page."""
    lines = ["# Les objections et comment y répondre", "", "*Écrit par `monnaies-en-jeu guides` à partir de "
             "`monnaies_en_jeu/content/data/guides/objections.yaml` ; chaque réponse cite l'annexe des sources "
             "(`monnaies_en_jeu/sources/`).*", ""]
    for key in objections():
        lines += _objection_lines(key, "##")
    return "\n".join(lines)


def index() -> str:
    """``facilitator_guides/README.md``: what is where."""
    sheets = run_sheets()
    lines = ["# Guides d'animation", "", "*Écrit par `monnaies-en-jeu guides` : pour changer un guide, modifiez ses "
             "données dans `monnaies_en_jeu/content/data/guides/` (ou `modules.yaml`, la banque de questions, les "
             "carnets), puis relancez `monnaies-en-jeu guides`. Un test échoue quand un guide n'est plus à jour.*", "",
             "## Préparer", "", "- [Préparer un atelier](preparer_un_atelier.md) (avec `monnaies-en-jeu check`)",
             "- [Questionnaires avant et après](questionnaires.md)",
             "- [Les objections et comment y répondre](objections.md)", "", "## Feuilles de route", ""]
    lines += ["| Public | " + " | ".join(sheets["durees"].values()) + " |",
              "|---|" + "---|" * len(sheets["durees"])]
    for key, audience in sheets["publics"].items():
        cells = []
        for duration in sheets["durees"]:
            found = [s for s in sheets["seances"] if s["public"] == key and s["duree"] == duration]
            cells.append(" ; ".join(f"[{s['duree_libelle']}](seances/{s['fichier']}.md)" for s in found) or "—")
        lines.append(f"| {audience['nom']} | " + " | ".join(cells) + " |")
    lines += ["", "## Les modules", ""]
    lines += [f"- {_module_link(n)} ({m['duree_minutes']}{NBSP}min seul)" for n, m in _modules().items()]
    lines += ["", "## Le jeu « Le Marché »", "", "- [Animer une session](animer_une_session.md)",
              "- [Règles du jeu](regles_du_jeu.md)", "- [Cartes de rôle à imprimer](cartes_roles.md)", ""]
    return "\n".join(lines)


def documents() -> dict[str, str]:
    """Every generated guide of this layer: ``{path under facilitator_guides/: Markdown}``."""
    validate()
    out = {"README.md": index(), "preparer_un_atelier.md": preparation(), "questionnaires.md": questionnaires(),
           "objections.md": objections_page()}
    for numero in _modules():
        out[f"modules/module_{numero:02d}.md"] = module_guide(numero)
    for sheet in run_sheets()["seances"]:
        out[f"seances/{sheet['fichier']}.md"] = run_sheet(sheet)
    return out

