"""``simulateur.ipynb``: the solo what-if. Pick a scenario, move the settings, watch the debrief charts.

Every change of a setting replays the scenario with the engine's
:func:`~monnaies_en_jeu.simulate` (and its counterfactual, the same territory
without local currency, from the debrief) and passes the new runs to the
charts, which update in place. The counterfactual depends only on the settings
that remain without the currency (households, local preference, months): it is
replayed only when one of those changes. The simulator shows no decomposition
of the gap by mechanism, so it does not compute one.

« Garder ce réglage » keeps the current run aside: the charts then show it next
to the one being changed, side by side when each gets a whole chart's width
(``theme.MIN_CHART_WIDTH``), else one above the other.

The settings and the scenario they make are in
:mod:`~monnaies_en_jeu.apps.simulator_settings`, the key figures' table in
:mod:`~monnaies_en_jeu.apps.simulator_texts`; this module holds the widgets.
"""

from __future__ import annotations

import time
from dataclasses import replace

import ipywidgets as W

from monnaies_en_jeu.apps.charts import CHARTS, ChartStack, ChartView, available, chart_heading
from monnaies_en_jeu.apps.common import (
    Message,
    Unavailable,
    app_box,
    button,
    esc,
    guarded,
    html_widget,
    number_text,
    query_lang,
    render_done,
    request_query,
    running_loop,
    start_or_explain,
)
from monnaies_en_jeu.apps.names import scenario_title
from monnaies_en_jeu.apps.preheat import PreheatedPage, preheated
from monnaies_en_jeu.apps.simulator_settings import (
    BONUS_STEPS,
    DEMURRAGE_STEPS,
    FEE_STEPS,
    HOUSEHOLD_STEPS,
    LOCAL_STEPS,
    MANDATE_STEPS,
    ROUND_STEPS,
    Settings,
    apply_settings,
    nearest,
    settings_of,
    simulator_scenarios,
)
from monnaies_en_jeu.apps.simulator_texts import key_figures_table, settings_differences
from monnaies_en_jeu.i18n import _, check_lang, format_percent

SIMULATOR_CHARTS = ("multiplicateur", "flux", "circulation", "vitesse", "resultats", "inegalites")
#: Runs bigger than this (households × months) show the progress bar.
PROGRESS_ABOVE = 20_000
#: Runs bigger than this (households × months) are not simulated ahead (about half a second).
AHEAD_AT_MOST = 100_000



def _percent_options(steps: tuple, lang: str, digits: int = 0) -> list[tuple[str, float]]:
    return [(format_percent(s, lang, digits), s) for s in steps]


class _Slider:
    """A labelled SelectionSlider (keyboard: arrows), with its help sentence."""

    def __init__(self, label: str, help_: str, options: list[tuple[str, object]], value: object) -> None:
        self.label = html_widget(f"<strong>{esc(label)}</strong>")
        self.slider = W.SelectionSlider(options=options, value=value, continuous_update=False,
                                        layout=W.Layout(width="100%"))
        self.slider.description_allow_html = False
        self.help = html_widget(f"<span class='mej-muted'>{esc(help_)}</span>")
        self.note = html_widget("", "mej-muted")
        self.widget = W.VBox([self.label, self.slider, self.help, self.note],
                             layout=W.Layout(width="100%", padding="4px 8px"))
        self.widget.add_class("mej-setting")

    def enable(self, on: bool, note: str = "") -> None:
        self.slider.disabled = not on
        self.note.value = f"<em>{esc(note)}</em>" if (note and not on) else ""


class SimulatorApp:
    """The solo simulator.

    Args:
        lang: ``fr`` or ``en``.
        scenario: the scenario shown first.
        rounds: months simulated (snapped to the slider's steps).
        households: households of the territory (None: the scenario's).
        fast: small runs (tests, CI).
        width: width of the charts in pixels.
    """

    def __init__(self, lang: str = "fr", scenario: str = "monnaie_adossee", rounds: int = 24,
                 households: int | None = None, fast: bool = False, width: int = 1180) -> None:
        from monnaies_en_jeu.economy.scenario import Scenario

        self.lang = lang = check_lang(lang)
        self.width = width
        self.fast = fast
        self._cache: dict[Settings, tuple] = {}
        self._counterfactuals: dict[tuple, object] = {}
        self._muted = False
        self.kept: tuple[Settings, object, object] | None = None
        self.runs_done = 0
        self.message = Message(lang)
        names = simulator_scenarios()
        if scenario not in names:
            scenario = names[0]
        self.scenario = Scenario.load(scenario)
        start = settings_of(self.scenario, rounds)
        if households:
            start = replace(start, households=nearest(HOUSEHOLD_STEPS, households))
        elif fast:
            start = replace(start, households=250, rounds=6)
        self.base_settings = start

        # -- controls
        self.scenario_pick = W.Dropdown(options=[(scenario_title(n, lang), n) for n in names], value=scenario,
                                        layout=W.Layout(width="100%"))
        self.description = html_widget("", "mej-muted")
        pct = lambda steps: _percent_options(steps, lang)  # noqa: E731
        self.bonus = _Slider(_("Bonification à la conversion", lang),
                             _("100 € changés donnent 100 unités plus ce pourcentage.", lang), pct(BONUS_STEPS), 0.0)
        self.exit_fee = _Slider(_("Frais de reconversion", lang),
                                _("Prélevés quand un professionnel repasse en euros.", lang), pct(FEE_STEPS), 0.0)
        self.demurrage = _Slider(_("Fonte", lang), "", pct(DEMURRAGE_STEPS), 0.0)
        self.share_local = _Slider(_("Préférence locale des ménages", lang),
                                   _("Part de leurs achats faite dans les commerces du territoire.", lang),
                                   pct(LOCAL_STEPS), 0.3)
        self.households = _Slider(
            _("Nombre de ménages", lang), _("La taille du territoire.", lang),
            [(number_text(n, lang), n) for n in HOUSEHOLD_STEPS], 2000)
        self.rounds = _Slider(
            _("Durée simulée", lang), _("En mois.", lang),
            [(_("{count} mois", lang).format(count=n), n) for n in ROUND_STEPS], 24)
        self.accept_fees = W.ToggleButtons(options=[(_("Non", lang), False), (_("Oui", lang), True)],
                                           value=False, style={"button_width": "80px"})
        self.fund_bonus = W.ToggleButtons(options=[(_("Non", lang), False), (_("Oui", lang), True)],
                                          value=False, style={"button_width": "80px"})
        self.mandate = _Slider(_("Part des achats locaux payée par mandat", lang),
                               _("La commune paie l'association en euros, qui règle le fournisseur en "
                                 "monnaie locale : la voie légale.", lang), pct(MANDATE_STEPS), 0.0)
        self.commune_note = html_widget("", "mej-muted")
        commune = W.VBox([
            html_widget(f"<strong>{esc(_('Engagement de la commune', lang))}</strong>"),
            W.HBox([html_widget(_("Accepte la monnaie aux guichets (services publics)", lang),
                                width="60%"), self.accept_fees], layout=W.Layout(align_items="center")),
            W.HBox([html_widget(_("Subventionne la bonification", lang), width="60%"), self.fund_bonus],
                   layout=W.Layout(align_items="center")),
            self.mandate.widget, self.commune_note,
        ], layout=W.Layout(width="100%", padding="4px 8px"))
        commune.add_class("mej-setting")
        self.commune_box = commune

        grid = W.GridBox(
            [self.bonus.widget, self.exit_fee.widget, self.demurrage.widget, self.share_local.widget,
             self.households.widget, self.rounds.widget],
            layout=W.Layout(grid_template_columns="repeat(auto-fill, minmax(260px, 1fr))", grid_gap="6px 14px",
                            width="100%"))
        self.progress = W.IntProgress(value=0, min=0, max=1, description="", layout=W.Layout(width="100%"))
        self.progress_text = html_widget("", "mej-muted")
        self.progress_box = W.VBox([self.progress_text, self.progress],
                                   layout=W.Layout(width="100%", display="none"))
        self.keep_button = button(_("Garder ce réglage pour comparer", lang), "primary",
                                  _("Les graphiques montreront ce réglage à côté du suivant.", lang))
        self.stop_button = button(_("Arrêter la comparaison", lang), "",
                                  _("Revenir à un seul réglage.", lang))
        self.stop_button.layout.display = "none"
        self.reset_button = button(_("Revenir aux réglages du scénario", lang))
        self.figures = html_widget("")
        self.compare_title = html_widget("")

        specs = available(SIMULATOR_CHARTS)
        self.specs = specs
        self._set_controls(start)
        self.settings = self.current_settings()
        run, cf = self._simulate(self.settings)
        self.run, self.counterfactual = run, cf
        self.stack = ChartStack(specs, run, cf, lang, width)
        self.compare_box = W.VBox(layout=W.Layout(width="100%", display="none"))
        self.compare_views: list[tuple[ChartView, ChartView]] = []
        self._show_figures()

        intro = _("Choisissez un scénario, déplacez les réglages : les graphiques suivent. "
                  "Les pointillés gris montrent le même territoire sans monnaie locale.", lang)
        head = html_widget(f"<h1>{esc(_('Simulateur solo', lang))}</h1><p>{esc(intro)}</p>")
        controls = W.VBox([
            html_widget(f"<strong>{esc(_('Scénario', lang))}</strong>"), self.scenario_pick, self.description,
            grid, commune, W.HBox([self.keep_button, self.stop_button, self.reset_button],
                                  layout=W.Layout(flex_flow="row wrap", grid_gap="8px")),
            self.progress_box, self.message.widget,
        ], layout=W.Layout(width="100%"))
        controls.add_class("mej-card")
        self.widget = app_box([head, controls, self.compare_title, self.figures, self.stack.widget,
                               self.compare_box, render_done("simulateur")], "mej-wide")

        self._moves = 0  # the learner's changes so far (work done ahead stops at the next one)
        #: Each slider and the field of :class:`Settings` it sets.
        self._fields = {slider.slider: field for slider, field in (
            (self.bonus, "bonus"), (self.exit_fee, "exit_fee"), (self.demurrage, "demurrage"),
            (self.share_local, "share_local"), (self.households, "households"), (self.rounds, "rounds"),
            (self.mandate, "mandate_share"))}
        for slider in self._fields:
            slider.observe(self._changed, names="value")
        for toggle in (self.accept_fees, self.fund_bonus):
            toggle.observe(self._changed, names="value")
        self.scenario_pick.observe(guarded(self.message, self._scenario_changed), names="value")
        self.keep_button.on_click(guarded(self.message, lambda _b: self.keep()))
        self.stop_button.on_click(guarded(self.message, lambda _b: self.stop_comparing()))
        self.reset_button.on_click(guarded(self.message, lambda _b: self.reset()))

    @classmethod
    def from_request(cls, lang: str = "fr", scenario: str = "monnaie_adossee", rounds: int = 24,
                     fast: bool = False) -> SimulatorApp | Unavailable | PreheatedPage:
        """The app for this page: ``?lang=en`` and ``?scenario=fonte`` override the notebook's values.

        In a preheated kernel the app is built for the notebook's values at once, then
        rebuilt only if the request asks for another language or scenario.
        """
        def build(query: dict[str, str], early=None) -> SimulatorApp | Unavailable:
            asked_lang, asked = query_lang(query, lang), query.get("scenario") or scenario
            if isinstance(early, SimulatorApp) and (early.lang, early.scenario.name) == (asked_lang, asked):
                return early
            return start_or_explain(lambda: cls(lang=asked_lang, scenario=asked, rounds=rounds, fast=fast),
                                    asked_lang, "simulateur")

        if preheated():
            return PreheatedPage(build, lang, early=build({}))
        return build(request_query())

    # -- settings ------------------------------------------------------------------------------------
    def _set_controls(self, settings: Settings) -> None:
        lang = self.lang
        self._muted = True
        try:
            self.description.value = esc(self.scenario.description(lang))
            s = settings
            self.bonus.slider.value = nearest(BONUS_STEPS, s.bonus or 0.0)
            self.exit_fee.slider.value = nearest(FEE_STEPS, s.exit_fee or 0.0)
            self.demurrage.slider.value = nearest(DEMURRAGE_STEPS, s.demurrage or 0.0)
            self.share_local.slider.value = nearest(LOCAL_STEPS, s.share_local)
            self.households.slider.value = nearest(HOUSEHOLD_STEPS, s.households)
            self.rounds.slider.value = s.rounds
            self.accept_fees.value = bool(s.accept_fees)
            self.fund_bonus.value = bool(s.fund_bonus)
            self.mandate.slider.value = nearest(MANDATE_STEPS, s.mandate_share or 0.0)
            no_local = _("Ce scénario n'a pas de monnaie locale.", lang)
            no_euro = _("Sans objet : la monnaie de ce scénario n'est pas adossée à l'euro.", lang)
            has_local = s.demurrage is not None
            has_euro = s.bonus is not None
            for slider in (self.bonus, self.exit_fee):
                slider.enable(has_euro, no_local if not has_local else no_euro)
            self.demurrage.enable(has_local, no_local)
            months = self._demurrage_period()
            self.demurrage.help.value = "<span class='mej-muted'>" + esc(
                _("Les soldes perdent ce pourcentage tous les {months} mois : on dépense plus vite.", lang)
                .format(months=months)) + "</span>"
            self.mandate.enable(has_euro, "")
            self.accept_fees.disabled = self.fund_bonus.disabled = not has_euro
            self.commune_note.value = "" if has_euro else f"<em>{esc(no_local if not has_local else no_euro)}</em>"
        finally:
            self._muted = False

    def _demurrage_period(self) -> int:
        local = self.scenario.local_currencies
        if not local:
            return 3
        return int(self.scenario.data["currencies"][local[0]]["demurrage"]["period_months"])

    def current_settings(self) -> Settings:
        """The settings the controls show."""
        base = settings_of(self.scenario, self.rounds.slider.value)
        has_local, has_euro = base.demurrage is not None, base.bonus is not None
        return Settings(
            scenario=self.scenario.name, rounds=int(self.rounds.slider.value),
            households=int(self.households.slider.value), share_local=float(self.share_local.slider.value),
            bonus=float(self.bonus.slider.value) if has_euro else None,
            exit_fee=float(self.exit_fee.slider.value) if has_euro else None,
            demurrage=float(self.demurrage.slider.value) if has_local else None,
            accept_fees=bool(self.accept_fees.value) if has_euro else None,
            fund_bonus=bool(self.fund_bonus.value) if has_euro else None,
            mandate_share=float(self.mandate.slider.value) if has_euro else None,
        )

    # -- running --------------------------------------------------------------------------------------
    def _simulate(self, settings: Settings, quiet: bool = False):
        """The run and its counterfactual for ``settings`` (cached); ``quiet``: no progress bar."""
        if settings in self._cache:
            return self._cache[settings]
        from monnaies_en_jeu.economy.run import simulate

        scenario = apply_settings(self.scenario, settings)
        size = settings.households * settings.rounds
        show = size > PROGRESS_ABOVE and not quiet
        total = settings.rounds * 2
        if show:
            self.progress.max, self.progress.value = total, 0
            self.progress_box.layout.display = "flex"
        lang = self.lang

        def progress(done: int, rounds: int, offset: int = 0, what: str = "") -> None:
            if show:
                self.progress.value = offset + done
                self.progress_text.value = esc(what.format(round=done, rounds=rounds))

        try:
            run = simulate(scenario, settings.rounds, seed=0, progress=lambda d, n: progress(
                d, n, 0, _("Simulation avec la monnaie locale : mois {round} sur {rounds}…", lang)))
            if show:
                self.progress_text.value = esc(_("Le même territoire sans monnaie locale…", lang))
            counterfactual = self._counterfactual(run)
            if show:
                self.progress.value = total
        finally:
            self.progress_box.layout.display = "none"
        self.runs_done += 1
        if len(self._cache) > 12:
            self._cache.pop(next(iter(self._cache)))
        self._cache[settings] = (run, counterfactual)
        return run, counterfactual

    def _counterfactual(self, run):
        """The run's counterfactual, replayed only when what remains without the currency changed."""
        import json

        from monnaies_en_jeu.debrief.counterfactual import counterfactual

        key = (json.dumps(run.scenario.without_local_currencies().data, sort_keys=True, default=str), run.seed,
               run.rounds, json.dumps(run.decisions, sort_keys=True, default=str),
               json.dumps(run.events, default=str), tuple(sorted({str(a) for a in run.outcomes["actor"] if a})))
        if key not in self._counterfactuals:
            if len(self._counterfactuals) > 6:
                self._counterfactuals.pop(next(iter(self._counterfactuals)))
            self._counterfactuals[key] = counterfactual(run)
        return self._counterfactuals[key]

    def _changed(self, change=None) -> None:
        if self._muted:
            return
        self._moves += 1
        try:
            self.refresh()
        except Exception as error:  # shown in French, the page stays usable
            self.message.error(error)
            return
        if change is not None:
            self._ahead(change)

    def _ahead(self, change) -> None:
        """While the learner reads the charts, simulate the slider's next step in the same direction.

        One run (a quarter of a second for 2 000 households over 24 months), in a later turn of the
        kernel's loop, unless the learner moved something meanwhile; the next step then comes from the
        cache. Not for a run longer than :data:`AHEAD_AT_MOST` (it would hold the kernel when the learner
        moves another slider), nor without a running loop (tests, scripts).
        """
        field = self._fields.get(change["owner"])
        loop = running_loop()
        if field is None or loop is None or getattr(self.settings, field) is None:
            return
        values = [v for _label, v in change["owner"].options]
        old, new = values.index(change["old"]), values.index(change["new"])
        following = new + (1 if new >= old else -1)
        if not 0 <= following < len(values):
            return
        settings, moves = replace(self.settings, **{field: values[following]}), self._moves
        if settings.households * settings.rounds > AHEAD_AT_MOST:
            return

        def simulate() -> None:
            if moves == self._moves and settings not in self._cache:
                self._simulate(settings, quiet=True)

        loop.call_soon(simulate)

    def refresh(self) -> None:
        """Simulate the controls' settings and show the result in every chart."""
        self.message.clear()
        settings = self.current_settings()
        started = time.perf_counter()
        run, cf = self._simulate(settings)
        self.settings, self.run, self.counterfactual = settings, run, cf
        if self.kept is None:
            self.stack.update(run, cf)
        else:
            for _a, b in self.compare_views:
                b.update(run, cf)
        self._show_figures()
        elapsed = time.perf_counter() - started
        if elapsed > 3:
            self.message.show("info", _("Simulation faite en {seconds} s.", self.lang).format(
                seconds=number_text(elapsed, self.lang, 1)))

    def _scenario_changed(self, change) -> None:
        from monnaies_en_jeu.economy.scenario import Scenario

        self.scenario = Scenario.load(change["new"])
        base = settings_of(self.scenario, self.rounds.slider.value)
        base = replace(base, households=self.households.slider.value if self.fast else base.households)
        self._set_controls(base)
        self.refresh()

    def reset(self) -> None:
        """Put the scenario's own settings back."""
        base = settings_of(self.scenario, self.rounds.slider.value)
        if self.fast:
            base = replace(base, households=self.households.slider.value)
        self._set_controls(base)
        self.refresh()

    # -- comparing ------------------------------------------------------------------------------------
    def keep(self) -> None:
        """Keep the current run aside; the charts then show it next to the one being changed."""
        from monnaies_en_jeu.debrief.theme import MIN_CHART_WIDTH

        lang = self.lang
        self.kept = (self.settings, self.run, self.counterfactual)
        side_by_side = (self.width - 20) // 2 >= MIN_CHART_WIDTH  # else A above B, each at full width
        width = (self.width - 20) // 2 if side_by_side else self.width
        rows = []
        self.compare_views = []
        for spec in self.specs:
            a = ChartView(spec, self.run, self.counterfactual, lang, width, spec.height, heading=False)
            b = ChartView(spec, self.run, self.counterfactual, lang, width, spec.height, heading=False)
            self.compare_views.append((a, b))
            heading = chart_heading(spec, lang)
            columns = [self._column(_("Réglage A (gardé)", lang), a, side_by_side),
                       self._column(_("Réglage B (en cours)", lang), b, side_by_side)]
            box = (W.HBox(columns, layout=W.Layout(width="100%", grid_gap="16px")) if side_by_side
                   else W.VBox(columns, layout=W.Layout(width="100%")))
            rows.append(W.VBox([heading, box]))
        self.compare_box.children = rows
        self.stack.widget.layout.display = "none"
        self.compare_box.layout.display = "flex"
        self.keep_button.description = _("Garder le réglage B à la place de A", lang)
        self.stop_button.layout.display = ""
        self._show_figures()
        self.message.show("ok", _("Réglage A gardé. Changez les réglages : B suit, A reste.", lang))

    @staticmethod
    def _column(title: str, view: ChartView, half: bool) -> W.VBox:
        label = html_widget(f"<h3>{esc(title)}</h3>")
        return W.VBox([label, view.widget], layout=W.Layout(width="50%" if half else "100%"))

    def stop_comparing(self) -> None:
        """Back to one setting."""
        self.kept = None
        self.compare_box.children = []
        self.compare_views = []
        self.compare_box.layout.display = "none"
        self.stack.widget.layout.display = "flex"
        self.stack.update(self.run, self.counterfactual)
        self.keep_button.description = _("Garder ce réglage pour comparer", self.lang)
        self.stop_button.layout.display = "none"
        self._show_figures()
        self.message.clear()

    # -- key figures ----------------------------------------------------------------------------------
    def _show_figures(self) -> None:
        self.figures.value = key_figures_table(
            [(_("Réglage A (gardé)", self.lang), *self.kept[1:])] if self.kept else [], self.run,
            self.counterfactual, self.lang, current_label=_("Réglage B (en cours)", self.lang)
            if self.kept else _("Avec ces réglages", self.lang),
            differences=settings_differences(self.kept[0], self.settings, self.lang) if self.kept else "")


__all__ = ["CHARTS", "Settings", "SimulatorApp", "apply_settings", "settings_of"]
