"""The take-home report: one standalone HTML file with the charts, a French summary and the settings.

Bokeh's JavaScript is inlined (the file opens with no network), the summary
is generated from the numbers (:mod:`monnaies_en_jeu.debrief.summary`), and
the scenario's settings, the event cards, what happened and what the
counterfactual left out close the document. ``monnaies-en-jeu report``
calls :func:`cli_report`.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import NamedTuple

from babel.dates import format_date
from bokeh.core.templates import get_env
from bokeh.document import Document
from bokeh.embed import file_html
from bokeh.resources import INLINE, Resources

from monnaies_en_jeu.debrief import names, theme
from monnaies_en_jeu.debrief.circulation import CirculationChart
from monnaies_en_jeu.debrief.compare import ComparisonChart
from monnaies_en_jeu.debrief.counterfactual import Counterfactual, dropped_reason
from monnaies_en_jeu.debrief.counterfactual import counterfactual as replay
from monnaies_en_jeu.debrief.errors import DebriefError
from monnaies_en_jeu.debrief.export import export_png
from monnaies_en_jeu.debrief.flows import FlowsChart
from monnaies_en_jeu.debrief.inequality import InequalityChart
from monnaies_en_jeu.debrief.multiplier import MultiplierChart
from monnaies_en_jeu.debrief.outcomes import OutcomesChart
from monnaies_en_jeu.debrief.panels import Chart
from monnaies_en_jeu.debrief.parameters import scenario_parameters
from monnaies_en_jeu.debrief.players import Players, load_players
from monnaies_en_jeu.debrief.sections import SECTIONS
from monnaies_en_jeu.debrief.summary import DROPPED_TITLE, summary
from monnaies_en_jeu.debrief.velocity import VelocityChart
from monnaies_en_jeu.economy.events import cards
from monnaies_en_jeu.economy.ids import scenario_title
from monnaies_en_jeu.economy.notice_text import located
from monnaies_en_jeu.economy.run import Run
from monnaies_en_jeu.economy.scenario import territory_names
from monnaies_en_jeu.i18n import N_, _, check_lang, format_number, locale_of

#: Groups of a single actor per territory, named without a count.
SINGLE_GROUPS = frozenset({"grande_surface", "commune", "association"})


class ReportFiles(NamedTuple):
    """What :func:`write_report` wrote: the HTML file and the PNG images (if asked for)."""

    html: Path
    pngs: list[Path]


def debrief_charts(run: Run, counterfactual: Run | None = None, lang: str | None = "fr",
                   width: int = 1200, players: Players | None = None) -> dict[str, Chart]:
    """The seven charts of a debrief, by section id, in the report's order.

    The comparison chart (the run against its counterfactual) is left out when
    there is no counterfactual or when the run has no local currency. With ``players``
    (a played game) rounds read « Manche 3 », else « Mois 3 ».
    """
    return {key: make() for key, make in chart_makers(run, counterfactual, lang, width, players).items()}


def chart_makers(run: Run, counterfactual: Run | None = None, lang: str | None = "fr", width: int = 1200,
                 players: Players | None = None) -> dict[str, Callable[[], Chart]]:
    """What builds each chart of :func:`debrief_charts`, by section id, in order (a page can draw them one by one)."""
    played = players is not None
    makers: dict[str, Callable[[], Chart]] = {
        "circulation": lambda: CirculationChart(run, lang, width, played=played),
        "vitesse": lambda: VelocityChart(run, lang, width, played=played),
        "flux": lambda: FlowsChart(run, lang=lang, width=width, played=played),
        "multiplicateur": lambda: MultiplierChart(run, counterfactual, lang, width, played=played),
        "resultats": lambda: OutcomesChart(run, lang=lang, width=width, players=players, played=played),
        "inegalites": lambda: InequalityChart(run, counterfactual, lang, width, played=played),
    }
    if counterfactual is not None and run.scenario.local_currencies:
        labels = [names.with_currency_label(run.scenario, lang),
                  names.counterfactual_label(counterfactual.scenario, lang)]
        own = run.scenario.local_currencies[0]
        styles = [(theme.colour_of_currency(own, run.scenario.local_currencies), "solid", "circle"),
                  (theme.COUNTERFACTUAL_COLOUR, "dashed", "square")]
        makers["comparaison"] = lambda: ComparisonChart([run, counterfactual], labels, lang, width, styles=styles,
                                                         played=played)
    return makers


_TEMPLATE = get_env().from_string("""\
{% from macros import embed %}
<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title | e }}</title>
<style>
  body { font-family: "Helvetica Neue", Helvetica, Arial, sans-serif; font-size: 18px; line-height: 1.5;
         color: #222; margin: 0; background: #fff; }
  main { max-width: 1240px; margin: 0 auto; padding: 24px 20px 60px; }
  h1 { font-size: 34px; margin: 0 0 6px; }
  h2 { font-size: 26px; margin: 44px 0 6px; border-top: 3px solid #0072B2; padding-top: 14px; }
  h3 { font-size: 21px; margin: 24px 0 6px; }
  .meta { color: #555; margin: 0 0 18px; }
  .read { color: #444; margin: 0 0 14px; max-width: 60em; }
  .summary { background: #f3f7fb; border-left: 6px solid #0072B2; padding: 14px 22px; }
  .summary ul { margin: 6px 0; padding-left: 1.2em; }
  .summary li { margin: 6px 0; }
  table { border-collapse: collapse; margin: 8px 0 16px; font-size: 17px; width: 100%; max-width: 1000px; }
  th, td { text-align: left; padding: 6px 14px 6px 0; border-bottom: 1px solid #ddd; vertical-align: top; }
  table.settings td:first-child { width: 50%; }
  th { font-weight: 600; }
  .chart { margin: 8px 0 0; overflow-x: auto; }
  .narrow-only { display: none; }
  @media (max-width: 700px) {
    body { font-size: 16px; } main { padding: 14px 12px 40px; }
    h1 { font-size: 24px; } h2 { font-size: 20px; margin-top: 30px; } h3 { font-size: 18px; }
    .summary { padding: 10px 14px; } table { font-size: 15px; }
    .narrow-only { display: block; }
  }
</style>
{{ head }}
{{ bokeh_css }}
{% if bokeh_src %}<script src="{{ bokeh_src | e }}"></script>{% else %}{{ bokeh_js }}{% endif %}
</head>
<body>
<main>
<h1>{{ title | e }}</h1>
<p class="meta">{{ meta | e }}</p>
{{ note }}
<p class="meta narrow-only">{{ scroll_hint | e }}</p>
<section class="summary" aria-label="{{ summary_title | e }}">
<h2 style="border: 0; margin-top: 4px; padding-top: 0;">{{ summary_title | e }}</h2>
<p>{{ summary[0] | e }}</p>
<ul>{% for line in summary[1:] %}<li>{{ line | e }}</li>{% endfor %}</ul>
</section>
{% for section in sections %}
<section>
<h2>{{ section.title | e }}</h2>
<p class="read">{{ section.read | e }}</p>
<div class="chart">{{ embed(roots[section.id]) }}</div>
</section>
{% endfor %}
{% for block in tables %}
<section>
<h2>{{ block.title | e }}</h2>
{% if block.text %}<p class="read">{{ block.text | e }}</p>{% endif %}
{% for part in block.parts %}
{% if part.title %}<h3>{{ part.title | e }}</h3>{% endif %}
<table{% if not part.header %} class="settings"{% endif %}>
{% if part.header %}<tr>{% for cell in part.header %}<th>{{ cell | e }}</th>{% endfor %}</tr>{% endif %}
{% for line in part.rows %}<tr>{% for cell in line %}<td>{{ cell | e }}</td>{% endfor %}</tr>{% endfor %}
</table>
{% endfor %}
</section>
{% endfor %}
</main>
{{ plot_script }}
</body>
</html>
""")


def build_report(run: Run, counterfactual: Run | None = None, lang: str | None = "fr",
                 charts: dict[str, Chart] | None = None, players: Players | None = None, head: str = "",
                 note: str = "", bokeh_src: str = "") -> str:
    """The report's HTML (standalone: Bokeh's JavaScript inlined, no external link, unless ``bokeh_src``).

    Args:
        run: the run.
        counterfactual: its counterfactual (see :func:`counterfactual`); None to leave comparisons out.
        lang: language of the report.
        charts: the charts to embed (default: :func:`debrief_charts`).
        players: a played game's seats and scores (None for a simulation).
        head: HTML put in the page's head as it is (the server's page adds a script).
        note: HTML put under the report's first line as it is (a link).
        bokeh_src: where a server serves BokehJS (the browser keeps it between pages): the page
            loads it from there instead of carrying it (1,2 MB).
    """
    lang = check_lang(lang)
    charts = charts if charts is not None else debrief_charts(run, counterfactual, lang, players=players)
    for chart_id, chart in charts.items():
        chart.layout.name = chart_id
    sections = [{"id": cid, "title": _(title, lang), "read": _(read, lang)}
                for cid, title, read, *_class in SECTIONS if cid in charts]
    scenario = run.scenario
    today = format_date(date.today(), format="long", locale=locale_of(lang))
    meta = report_meta(run, lang, played=players is not None, today=today)
    variables = {
        "lang": lang,
        "title": _("Débriefing : {description}", lang).format(
            description=(scenario.description(lang) or scenario.name).rstrip(".")),
        "meta": meta,
        "summary_title": _("En bref", lang),
        "summary": summary(run, counterfactual, lang, played=players is not None),
        "sections": sections,
        "tables": closing_tables(run, counterfactual, players, lang),
        "head": head,
        "note": note,
        "bokeh_src": bokeh_src,
        "scroll_hint": _("Sur un écran étroit, chaque graphique défile de côté : faites-le glisser du doigt.", lang),
    }
    resources = Resources(mode="server", root_url="/") if bokeh_src else INLINE  # server: its script unused
    layouts = [c.layout for c in charts.values()]
    _one_document(layouts)
    return file_html(layouts, resources, variables["title"], template=_TEMPLATE,
                     template_variables=variables)


def _one_document(layouts: list) -> None:
    """Charts in no document yet join a new one in one pass (0,17 s less for the seven charts).

    Bokeh adds them one by one otherwise, going over every model of the document at each one.
    """
    if not layouts or any(layout.document is not None for layout in layouts):
        return
    doc = Document()
    with doc.models.freeze():
        for layout in layouts:
            doc.add_root(layout)


def report_meta(run: Run, lang: str | None = "fr", played: bool = False, today: str = "") -> str:
    """The line under the report's title: « Partie jouée, scénario « … », 4 manches — rapport du … ».

    A simulation also gives its months and its seed (to replay it); a played game has no seed to give.
    """
    title = scenario_title(run.scenario.name, lang)
    if played:
        text = (_("Partie jouée, scénario « {name} », {rounds} manche", lang) if run.rounds == 1
                else _("Partie jouée, scénario « {name} », {rounds} manches", lang))
    else:
        text = _("Simulation, scénario « {name} », {rounds} mois, graine {seed}", lang)
    text = text.format(name=title, rounds=run.rounds, seed=run.seed)
    return _("{what} — rapport du {today}.", lang).format(what=text, today=today) if today else text + "."


def closing_tables(run: Run, counterfactual: Run | None, players: Players | None, lang: str) -> list[dict]:
    """The closing sections: settings, cards played, what happened, what the counterfactual left out.

    Each block has a ``title``, a ``text`` and ``parts`` (each a ``title``, a ``header`` and ``rows``
    of text cells); the report and the debrief app show them.
    """
    blocks = [{"title": _("Les réglages du scénario", lang), "text": "",
               "parts": [{"title": title, "header": [], "rows": rows}
                         for title, rows in scenario_parameters(run.scenario, lang)]}]
    game, where = players is not None, territory_names(run.scenario.data)
    deck = cards() if any(run.events) else {}
    played = []
    for r, events in enumerate(run.events, start=1):
        for item in events:
            card_id = item if isinstance(item, str) else item.get("id", "")
            title = deck[card_id].display(lang)[0] if card_id in deck else card_id
            played.append([_when([r], lang, game), located(item, title, where, lang) if isinstance(item, dict)
                           else title])
    happened = [[_when([r], lang, game), text] for r, texts in enumerate(
        run.notice_texts(lang, players.rounds if game else None, located=True), start=1) for text in texts]
    rows = played + happened
    if rows:
        blocks.append({"title": _("Ce qui s'est passé", lang), "text": "",
                       "parts": [{"title": "", "header": [_("Quand", lang), _("Quoi", lang)], "rows": rows}]})
    if isinstance(counterfactual, Counterfactual) and counterfactual.dropped:
        header = [_("Quand", lang), _("Qui", lang), _("Pourquoi", lang)]
        rows = _dropped_rows(run, players, counterfactual.dropped, lang)
        blocks.append({"title": _(DROPPED_TITLE, lang),
                       "text": _("Rejouée sans monnaie locale, l'économie garde les mêmes habitants, les mêmes "
                                 "décisions et les mêmes événements, sauf ceux-ci.", lang),
                       "parts": [{"title": "", "header": header, "rows": rows}]})
    return blocks


def _when(rounds: list[int], lang: str, game: bool = False) -> str:
    """« Mois 3 », « Mois 1 à 4 », « Mois 1, 3 et 5 »; in a played game « Manche 3 », « Manches 1 à 4 »…."""
    rounds = sorted(set(rounds))
    if len(rounds) == 1:
        return (_("Manche {round}", lang) if game else _("Mois {round}", lang)).format(round=rounds[0])
    if rounds == list(range(rounds[0], rounds[-1] + 1)):
        return (_("Manches {first} à {last}", lang) if game else _("Mois {first} à {last}", lang)).format(
            first=rounds[0], last=rounds[-1])
    return (_("Manches {rounds}", lang) if game else _("Mois {rounds}", lang)).format(
        rounds=names.join_names([str(r) for r in rounds], lang))


def _who(run: Run, players: Players | None, actors: list[str], lang: str) -> str:
    """Who took the decisions: the players' names, else the actors' groups with their number."""
    seats = players.seats if players is not None else None
    if seats is not None and len(seats):
        players = seats[seats["actor"].isin(actors) & (seats["player"].fillna("").astype(str) != "")]
        if len(players):
            return names.join_names(sorted(set(players["player"].astype(str))), lang)
    groups = run.actors.set_index("actor")["group"]
    counts: dict[str, int] = {}
    for actor in actors:
        group = groups.get(actor, "")
        counts[group] = counts.get(group, 0) + 1
    parts = [names.group_name(g, lang) if g in SINGLE_GROUPS else f"{names.group_name(g, lang)} ({n})"
             for g, n in counts.items()]
    return names.join_names(parts, lang) or "—"


def _dropped_rows(run: Run, players: Players | None, dropped: list[dict], lang: str) -> list[list[str]]:
    """What the counterfactual left out, one line per decision (or card) and reason, actors counted."""
    groups: dict[tuple, list[dict]] = {}
    for entry in dropped:
        key = (entry["code"], entry["decision"], entry["event"], entry.get("detail", ""))
        groups.setdefault(key, []).append(entry)
    rows = []
    for entries in groups.values():
        actors = sorted({e["actor"] for e in entries if e["actor"]})
        rows.append([_when([e["round"] for e in entries], lang, players is not None), _who(run, players, actors, lang),
                     dropped_reason(entries[0], lang)])
    return rows


def write_report(run: Run, out: str | os.PathLike[str], png_dir: str | os.PathLike[str] | None = None,
                 lang: str | None = "fr", counterfactual_run: Run | None = None,
                 players: Players | None = None) -> ReportFiles:
    """Write the standalone HTML report (and each chart as a PNG image when ``png_dir`` is given).

    Args:
        run: the run (from ``simulate``, ``Run.load`` or a game session).
        out: path of the HTML file to write.
        png_dir: folder for the PNG images (None: no images).
        lang: language of the report.
        counterfactual_run: the run's counterfactual, if already computed (else replayed here
            when the run has a local currency).
        players: a played game's seats and scores (None for a simulation).
    """
    if run.rounds < 1:
        raise DebriefError(N_("Aucun mois n'a encore été joué : le débriefing sera prêt après le premier mois."),
                           code="aucun_mois")
    lang = check_lang(lang)
    counterfactual = counterfactual_run
    if counterfactual is None and run.scenario.local_currencies:
        counterfactual = replay(run)
    charts = debrief_charts(run, counterfactual, lang, players=players)
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(build_report(run, counterfactual, lang, charts, players), encoding="utf-8")
    pngs = export_png({cid: chart.layout for cid, chart in charts.items()}, png_dir) if png_dir else []
    return ReportFiles(target, pngs)


def cli_report(args: argparse.Namespace, run: Run | None = None, players: Players | None = None) -> int:
    """``monnaies-en-jeu report SOURCE --out F [--png DIR] [--lang]``: write the debrief.

    Args:
        args: ``source`` (a run folder), ``out``, ``png`` and ``lang``.
        run: the run when the command line resolved SOURCE itself (a game session code).
        players: that game's seats and scores.

    Raises:
        DebriefError: SOURCE is not a saved run.
    """
    lang = check_lang(getattr(args, "lang", "fr"))
    if run is None:
        folder = Path(args.source)
        if not (folder / "run.json").is_file():
            raise DebriefError(N_("« {source} » n'est pas le dossier d'une simulation enregistrée (run.json "
                                  "manque). Donnez le dossier écrit par « monnaies-en-jeu simulate --out » ou "
                                  "le code d'une partie."), code="source_inconnue", source=args.source)
        run = Run.load(folder)
        players = load_players(folder)
    files = write_report(run, args.out, png_dir=getattr(args, "png", None), lang=lang, players=players)
    size = format_number(files.html.stat().st_size / 1e6, lang, digits=1)
    print(_("Débriefing écrit dans {path} ({size} Mo).", lang).format(path=files.html, size=size))
    if files.pngs:
        print(_("{count} graphiques enregistrés en PNG dans {folder}.", lang).format(
            count=len(files.pngs), folder=files.pngs[0].parent))
    return 0
