"""Chart 5: what each role (or each player) got: revenue, savings, needs met, and the game's scores.

Without seats, one bar per group, with revenue and savings per actor of the
group (the group's total divided by its number of actors) and the share of
needs met. With seats (a played game), one bar per player, from the outcomes
of the actors the player drove, plus the player's score when the run has
scores.

Roles differ by orders of magnitude (a household earns a few thousand euros,
the supermarket hundreds of thousands), so revenue and savings bars show the
change since the first round, with the amount written next to the bar; needs
met and scores are drawn as they are, with a black mark at the first round.

The panels are laid out for the width they get: side by side, with the bars' names once on the
left, when each frame keeps :data:`~monnaies_en_jeu.debrief.theme.MIN_BAR_FRAME` pixels; else two
per row, else one above the other (a phone), each row naming its bars.

Seats are read from the game's :class:`~monnaies_en_jeu.debrief.players.Players`
(``seats``: one row per seat and actor: ``seat``, ``player``, ``role``,
``label``, ``actor``; a neighbourhood seat drives several households, whose
outcomes are averaged) and scores from its ``scores`` (``round``, ``seat``,
``score``). Seats without a player (played by bots) are left out.
"""

from __future__ import annotations

import math

import pandas as pd
from bokeh.layouts import column as stacked
from bokeh.layouts import row
from bokeh.models import FactorRange, Title

from monnaies_en_jeu.debrief import names, theme
from monnaies_en_jeu.debrief.panels import BarPanel, Chart
from monnaies_en_jeu.debrief.players import Players
from monnaies_en_jeu.debrief.tables import group_sizes, outcome_rows
from monnaies_en_jeu.economy.run import Run
from monnaies_en_jeu.i18n import _, format_money_short, format_percent
from monnaies_en_jeu.style import GREY, GROUP_COLOURS, ROLE_COLOURS

#: Outcome columns shown as a change since the first round (money) or as they are.
CHANGES = ("revenue", "savings")
#: Below this frame width (pixels) the amounts next to the bars are written short (« 1,12 M € »).
NARROW_FRAME = 260
LEVELS = ("needs_met",)


class OutcomesChart(Chart):
    """Revenue, savings and needs met per group or per player, at one round against the first.

    Each bar's source also holds ``amount`` (the value at the round shown) and
    ``amount_first`` (at round 1), read off ``run.outcomes`` (per actor for a group).

    Args:
        run: the run to show.
        round_: the round shown (None: the last one).
        lang: language of the texts.
        width: total width in pixels.
        height: height in pixels (None: enough for every bar).
        players: a played game's seats and scores (None: one bar per group).
        played: a played game's run (rounds read « Manche 3 », not « Mois 3 »).
    """

    def __init__(self, run: Run, round_: int | None = None, lang: str | None = "fr", width: int = 1200,
                 height: int | None = None, players: Players | None = None, played: bool = False) -> None:
        super().__init__(lang, played)
        lang = self.lang
        self.round = round_
        self.players = players
        seated = _players(players)
        bars = seated["seat"].nunique() if seated is not None else int(
            ((run.outcomes["round"] == 1) & (run.outcomes["actor"] == "")).sum())
        self.factors = FactorRange()
        columns = [*CHANGES, *LEVELS, *(["score"] if _scores(players) is not None else [])]
        named = _player_bars(run, seated, 1, lang) if seated is not None else _group_bars(run, 1, lang)
        per_row, self.label_room = _panels_per_row(named["factor"], width, len(columns))
        labels = int(max((theme.text_width(self._label(f), theme.TICK_SIZE) for f in named["factor"]),
                         default=80)) + 30
        rows = -(-len(columns) // per_row)
        rest = self.frame = (width - labels) // per_row
        needed = max(400 if rows == 1 else theme.MIN_PANEL_HEIGHT, 150 + 44 * bars)
        height = (height or needed) if rows == 1 else max(needed, (height or 0) // rows)
        reference = theme.round_text(1, lang, played)
        self.panels: dict[str, BarPanel] = {}
        for i, column in enumerate(columns):
            kind = "percent" if column in (*CHANGES, *LEVELS) else "score"
            first = i % per_row == 0  # the first panel of each row names the bars
            panel = BarPanel(f"resultats.{column}", "", kind, lang, labels + rest if first else rest, height,
                             factors=self.factors, reference_label=reference if column == "needs_met" else "")
            if not first:
                panel.figure.yaxis.visible = False
            text = (_("barre : évolution {since}", lang).format(since=theme.round_text(1, lang, played, "since"))
                    if column in CHANGES else
                    _("trait noir : valeur {at}", lang).format(at=theme.round_text(1, lang, played, "at")))
            text = theme.wrap_text(text, rest - 20, theme.TEXT_SIZE, lines=3) or text  # a frame is about `rest` wide
            panel.figure.add_layout(Title(text=text, text_font_size=theme.TEXT_SIZE, text_font_style="italic",
                                          text_color="#555555"), "above")
            self.panels[column] = panel
        figures = [p.figure for p in self.panels.values()]
        self.layout = (row(*figures) if rows == 1 else
                       stacked(*(row(*figures[i:i + per_row]) for i in range(0, len(figures), per_row))))
        self.update(run, players)

    def update(self, run: Run, players: Players | None = None) -> None:
        """Show ``run`` (and the game's ``players``) at the chosen round (clipped to the run's rounds)."""
        self.players = players
        lang = self.lang
        shown = min(self.round or run.rounds, run.rounds)
        titles = {
            "revenue": _("Revenu, {round}", lang),
            "savings": _("Avoirs", lang),
            "needs_met": _("Besoins couverts", lang),
            "score": _("Score", lang),
        }
        seated = _players(players)
        bars = _player_bars(run, seated, shown, lang) if seated is not None else _group_bars(run, shown, lang)
        bars["factor"] = [self._label(f) for f in bars["factor"]]
        scores = _scores(players) or {}
        for i, (column, panel) in enumerate(self.panels.items()):
            panel.figure.title.text = theme.fit_title(  # a title starts where the frame does
                titles[column].format(round=theme.round_text(shown, lang, self.played, "text")), self.frame + 50)
            if column == "score":
                now = [scores.get((shown, seat), math.nan) for seat in bars["seat"]]
                first = [scores.get((1, seat), math.nan) for seat in bars["seat"]]
            else:
                now, first = bars[column], bars[f"{column}:1"]
            keys = [f"{k}:{column}" for k in bars["key"]]
            extra = {"amount": list(now), "amount_first": list(first)}
            common = {"set_factors": i == 0, "names": _names(bars, column, lang, self.played), "extra": extra}
            if column in CHANGES:
                changes = [(n - f) / abs(f) if f else math.nan for n, f in zip(now, first, strict=True)]
                short = self.frame < NARROW_FRAME
                texts = [_change_text(n, c, lang, short) for n, c in zip(now, changes, strict=True)]
                sizes = sorted(abs(c) for c in changes if math.isfinite(c))
                limit = max(1.0, 3 * sizes[len(sizes) // 2]) if sizes else None
                panel.show(keys, bars["factor"], changes, bars["colour"], texts=texts, limit=limit, **common)
            else:
                panel.show(keys, bars["factor"], now, bars["colour"], first, **common)


    def _label(self, name: str) -> str:
        """A bar's name on the axis: on up to three lines of the room the layout gives the names."""
        return theme.wrap_text(name, self.label_room, theme.TICK_SIZE, lines=3) or name


def _panels_per_row(names: list[str], width: int, panels: int) -> tuple[int, int]:
    """How many panels side by side (all, two or one) and the pixels left to the bars' names.

    As many as keep each frame :data:`theme.MIN_BAR_FRAME` wide with the names (wrapped on up to
    three lines, at most 45 % of the width) on the left of each row.
    """
    for per_row in (panels, 2, 1):
        room = min(int(width * 0.45), width - per_row * theme.MIN_BAR_FRAME) - 30
        if room > 0 and all(theme.wrap_text(n, room, theme.TICK_SIZE, lines=3) for n in names):
            return per_row, room
    return 1, int(width * 0.5) - 20  # one per row (a phone): the names may take half the width


def _change_text(amount: float, change: float, lang: str, short: bool = False) -> str:
    """The text next to a bar: « 1 601 € (+2 %) »; ``short``: « 1,12 M € (+2 %) » above a million."""
    if not math.isfinite(amount):
        return "—"
    money = format_money_short(round(amount * 100), lang) if short else theme.whole_money_text(amount, lang)
    if not math.isfinite(change):
        return money
    sign = "+" if change > 0 else ""
    return f"{money} ({sign}{format_percent(change, lang)})"


def _names(bars: dict[str, list], column: str, lang: str, played: bool = False) -> list[str]:
    """Tooltip names: the bar's name and its value at round 1."""
    first = bars.get(f"{column}:1")
    if first is None:
        return list(bars["name"])
    kind = "percent" if column in LEVELS else "money"
    first_round = theme.round_text(1, lang, played, "text")
    return [_("{name} — {round} : {value}", lang).format(name=n, round=first_round,
                                                          value=theme.value_text(f, kind, lang))
            for n, f in zip(bars["name"], first, strict=True)]


def _players(players: Players | None) -> pd.DataFrame | None:
    """The seats that have a player, one row per (seat, actor); None without seats."""
    if players is None or players.seats is None or not len(players.seats):
        return None
    seats = players.seats
    played = seats[seats["player"].fillna("").astype(str) != ""]
    return played if len(played) else None


def _scores(players: Players | None) -> dict[tuple[int, int], float] | None:
    """Scores by (round, seat), when the game has players and scores."""
    scores = players.scores if players is not None else None
    if _players(players) is None or scores is None or not {"round", "seat", "score"} <= set(scores.columns):
        return None
    first = scores.drop_duplicates(["round", "seat"])
    return {(int(r), int(seat)): float(v) for r, seat, v in zip(first["round"], first["seat"], first["score"],
                                                                strict=True)}


def _empty_bars() -> dict[str, list]:
    bars: dict[str, list] = {k: [] for k in ("key", "factor", "name", "colour", "seat")}
    for column in (*CHANGES, *LEVELS):
        bars[column], bars[f"{column}:1"] = [], []
    return bars


def _group_bars(run: Run, round_: int, lang: str) -> dict[str, list]:
    """One bar per (territory, group): revenue and savings per actor, needs met."""
    sizes = group_sizes(run)
    several = len(run.scenario.territories) > 1
    now = outcome_rows(run, round_)
    start = outcome_rows(run, 1)
    now = now[now["actor"] == ""]
    start = start[start["actor"] == ""].set_index(["territory", "group"])
    bars = _empty_bars()
    for territory, group, *values in zip(now["territory"], now["group"], now["revenue"], now["savings"],
                                         now["needs_met"], strict=True):
        count = sizes.get((territory, group), 1)
        label = names.group_name(group, lang)
        if several:
            label += f" ({names.territory_name(run.scenario, territory, lang)})"
        bars["key"].append(f"{territory}:{group}")
        bars["factor"].append(label)
        bars["name"].append(_("{group}, {per_actor}", lang).format(
            group=label, per_actor=_(names.PER_ACTOR[group], lang)) if count > 1 else label)
        bars["colour"].append(GROUP_COLOURS.get(group, GREY))
        bars["seat"].append(0)
        before = start.loc[(territory, group)] if (territory, group) in start.index else None
        for column, value in zip((*CHANGES, *LEVELS), values, strict=True):
            per = 1 if column in LEVELS else count
            bars[column].append(float(value) / per)
            bars[f"{column}:1"].append(float(before[column]) / per if before is not None else math.nan)
    return bars


def _player_bars(run: Run, seated: pd.DataFrame, round_: int, lang: str) -> dict[str, list]:
    """One bar per seat with a player: the mean outcomes of the actors the seat drove."""
    outcomes = run.outcomes[run.outcomes["actor"] != ""]
    bars = _empty_bars()
    for seat, rows in seated.groupby("seat", sort=True):
        first = rows.iloc[0]
        role = str(first["role"])
        label = f"{first['player']} ({names.role_name(role, lang)})"
        bars["key"].append(f"siege{int(seat)}")
        bars["factor"].append(label)
        detail = str(first["label"]) if "label" in rows else ""
        bars["name"].append(f"{label} — {detail}" if detail else label)
        bars["colour"].append(ROLE_COLOURS.get(role, GREY))
        bars["seat"].append(int(seat))
        mine = outcomes[outcomes["actor"].isin(rows["actor"].astype(str))]
        for column in (*CHANGES, *LEVELS):
            for key, r in ((column, round_), (f"{column}:1", 1)):
                values = mine.loc[mine["round"] == r, column]
                bars[key].append(float(values.mean()) if values.notna().any() else math.nan)
    return bars


def outcomes_chart(run: Run, round_: int | None = None, lang: str | None = "fr", width: int = 1200,
                   height: int | None = None, players: Players | None = None):
    """The layout of :class:`OutcomesChart` for ``run``."""
    return OutcomesChart(run, round_, lang, width, height, players).layout

