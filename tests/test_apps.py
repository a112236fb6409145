"""The Voilà apps' views, headless: set widget values, click buttons, check the store and the screen.

Each test builds the app's class directly (no browser, no Voilà) on a fresh
SQLite database; the live refresh is off and tests call ``refresh()`` instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace

import pandas as pd
import pytest
from conftest import run_async

from monnaies_en_jeu.apps.common import app_url, error_message, parse_decimal, plain_number, request_query

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")
PIN = "1357"


@pytest.fixture
def store(tmp_db_url):
    from monnaies_en_jeu.game import GameStore

    return GameStore(tmp_db_url)


@pytest.fixture
def session(store):
    return store.create_session("monnaie_adossee", 2, facilitator_pin=PIN, round_seconds=300)


def _player(store, code, name="Alice", role="menage", lang="fr"):
    from monnaies_en_jeu.apps.player import PlayerApp

    app = PlayerApp(store, lang=lang, code=code, ticker=False)
    app.name_input.value = name
    app.role_input.value = role
    app.join_button.click()
    return app


def _plain(html_text: str) -> str:
    """Markup's text as read: entities decoded, no-break spaces as spaces."""
    import html

    return html.unescape(html_text).replace("\u00a0", " ").replace("\u202f", " ")


def _text(widget) -> str:
    """Every HTML and label text of a widget tree (to search what the screen says)."""
    out = []
    for attr in ("value", "description"):
        value = getattr(widget, attr, None)
        if isinstance(value, str):
            out.append(value)
    for child in getattr(widget, "children", ()):
        out.append(_text(child))
    return "\n".join(out)


# -- common ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, value", [
    ("12,50", 12.5), ("12.5", 12.5), ("1 234,5", 1234.5), ("1\u202f234,50 €", 1234.5), ("30 %", 30.0),
    ("−3", -3.0), ("0", 0.0), (",5", 0.5), ("1.234,56", 1234.56),
])
def test_numbers_typed_the_french_way(text, value):
    assert parse_decimal(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "12,5,0", "1e400", "nan", "--1"])
def test_not_numbers(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_plain_number_for_input_boxes():
    assert plain_number(12.5) == "12,5"
    assert plain_number(1234.567, digits=2) == "1234,57"
    assert plain_number(30.0, digits=1) == "30"
    assert plain_number(12.5, "en") == "12.5"
    assert plain_number(2789.6, cents=True) == "2789,60" and plain_number(30.0, cents=True) == "30"
    assert plain_number(0.004, cents=True) == "0" and plain_number(12.5, "en", cents=True) == "12.50"


def test_errors_are_french_sentences_never_tracebacks(capfd):
    from monnaies_en_jeu.game import NotFound

    error = NotFound("partie_inconnue", "Aucune partie n'a le code « {code} ».", code="ZZ")
    assert error_message(error) == "Aucune partie n'a le code « ZZ »."
    text = error_message(ZeroDivisionError("boom"))
    assert "Traceback" not in text and "boom" not in text and "Réessayez" in text
    assert "ZeroDivisionError" in capfd.readouterr().err  # the console keeps it for the facilitator


def test_query_string_and_addresses(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "code=ab12cd&lang=en&token=x%2By")
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    assert request_query() == {"code": "ab12cd", "lang": "en", "token": "x+y"}
    monkeypatch.setenv("VOILA_BASE_URL", "/user/x/")
    assert app_url("joueur.ipynb", {"code": "K7", "lang": ""}) == "/user/x/voila/render/joueur.ipynb?code=K7"
    assert app_url("joueur.ipynb", None, "http://10.0.0.2:8866").startswith("http://10.0.0.2:8866/user/x/")


# -- decision widgets ---------------------------------------------------------------------------------------
def test_decision_form_reads_french_numbers_and_shares(store, session):
    from monnaies_en_jeu.apps.fields import DecisionForm, InputProblem

    player = store.join(session.code, "Alice", "menage")
    fields = store.decision_form(player.token)
    form = DecisionForm(fields)
    amount = form.field("convert_eur")
    amount.input.value = "12,50"
    assert form.values()["convert_eur"] == 12.5
    amount.input.value = "0"
    amount.plus.click()
    assert parse_decimal(amount.input.value) == amount.step
    amount.minus.click()
    amount.minus.click()
    assert parse_decimal(amount.input.value) == 0  # never below the bound
    amount.input.value = "1000000000000"
    assert "Hors des limites" in amount.error.value
    amount.input.value = "douze"
    with pytest.raises(InputProblem):
        form.values()
    assert "écrivez un nombre" in amount.error.value.lower()
    amount.input.value = "10"

    group = form.groups["depenses"]
    assert group.is_complete() and "100 %" in group.total.value  # the defaults add up exactly
    local = form.field("share_local")
    local.input.value = "50"
    assert not group.is_complete()
    assert "de trop" in group.total.value or "il manque" in group.total.value
    group.complete.click()
    assert group.is_complete() and "le compte est bon" in group.total.value
    values = form.values()
    assert sum(values[k] for k in ("share_local", "share_supermarket", "share_online")) == pytest.approx(1)


def test_bool_and_choice_fields(store, session):
    from monnaies_en_jeu.apps.fields import DecisionForm

    player = store.join(session.code, "Asso", "association")
    form = DecisionForm(store.decision_form(player.token))
    placement = form.field("reserve_placement")
    assert placement.kind == "choice" and "Livret solidaire" in str(placement.input.options)
    chains = form.field("accept_chains")
    chains.input.value = True
    assert form.values()["accept_chains"] is True


# -- the player's app ---------------------------------------------------------------------------------------
def test_envoyer_reads_the_form_once_its_last_keystroke_has_arrived(store, session):
    """A click reaches the kernel before the keystrokes typed just before it (ipywidgets queues those)."""
    import asyncio

    from monnaies_en_jeu.apps.player import SETTLE_S

    app = _player(store, session.code, name="Zoé")
    store.start(session.code, PIN)
    app.refresh()
    amount = app.form.field("convert_eur")

    async def main() -> None:
        amount.input.value = "12"
        app.submit_button.click()
        await asyncio.sleep(SETTLE_S / 5)
        assert not store.player_view(app.token)["submitted"]  # not yet: a keystroke may still come
        amount.input.value = "12,50"  # the last keystroke, arriving after the click
        await asyncio.sleep(SETTLE_S * 3)

    run_async(main)
    assert store.player_view(app.token)["decisions"]["convert_eur"] == 12.5
    assert "C'est envoyé" in _plain(app.form_message.widget.value)


def test_wrong_code_shows_a_french_error(store, session):
    app = _player(store, "ZZZZZZ")
    assert app.token == ""
    assert "Aucune partie n'a le code « ZZZZZZ »" in _plain(app.message.widget.value)
    assert "Traceback" not in _text(app.widget)


def test_a_player_round_trip(store, session):
    app = _player(store, session.code, name="Zoé <script>")
    assert app.token and app.view["status"] == "lobby"
    assert 'data-state="joined"' in app.seat_marker.value and app.token in app.seat_marker.value
    assert "Zoé &lt;script&gt;" in app.header.value and "<script>" not in app.header.value
    store.start(session.code, PIN)
    app.refresh()
    assert app.view["practice"] and app.form is not None
    assert "Manche d&#x27;essai" in app.header.value or "Manche d'essai" in app.header.value
    assert app.submit()
    assert store.state(session.code)["players"][0]["submitted"]

    store.close_round(session.code, PIN)
    app.refresh()
    assert app.view["status"] == "results" and "Résultat de la manche d" in app.result_html.value
    assert list(app.body.children) == [app.result_html, app.practice_html, app.leave_button]  # no form, no timer
    assert "ouvrira la manche 1" in _plain(app.practice_html.value) and app.timer.value == ""
    store.open_round(session.code, PIN)
    app.refresh()
    assert app.view["round"] == 1 and app.form_box in app.body.children
    amount = app.form.field("convert_eur")
    amount.input.value = str(int(amount.field.max) + 1000)
    assert not app.submit()
    assert "ne disposez que de" in _plain(app.form_message.widget.value)
    assert "ne disposez que de" in _plain(amount.error.value)  # shown under the field it concerns
    assert not store.player_view(app.token)["submitted"]
    amount.input.value = "12,50"
    assert app.submit()
    assert store.player_view(app.token)["decisions"]["convert_eur"] == 12.5

    store.close_round(session.code, PIN)
    store.open_round(session.code, PIN)
    app.refresh()
    store.close_round(session.code, PIN)
    app.refresh()
    assert app.view["status"] == "finished"
    summary = _text(app.body)
    assert "Votre bilan" in summary and "mieux que votre robot sur" in summary and "que vous avez joué" in summary
    assert "(s)" not in summary  # French plural, not « manche(s) »
    assert "data:text/html" in summary  # the summary to keep


def test_the_seat_comes_back_with_its_token(store, session):
    from monnaies_en_jeu.apps.player import PlayerApp

    first = _player(store, session.code, name="Bruno", role="commune")
    again = PlayerApp(store, token=first.token, ticker=False)  # a refresh, a culled kernel, another phone
    assert again.view["seat"] == first.view["seat"] and again.view["name"] == "Bruno"
    lost = PlayerApp(store, token="not-a-token", ticker=False)
    assert lost.token == "" and 'data-state="left"' in lost.seat_marker.value
    assert "n'est pas (ou plus) valable" in _plain(lost.message.widget.value)
    first.leave()
    assert 'data-state="left"' in first.seat_marker.value


def test_a_closed_round_refuses_a_late_submission(store, session):
    app = _player(store, session.code)
    store.start(session.code, PIN)
    app.refresh()
    store.close_round(session.code, PIN)  # the player has not refreshed yet
    assert not app.submit()
    assert "close" in _plain(app.form_message.widget.value)
    assert app.view["round"] == 1  # and the page moved to the open round


def test_the_player_app_in_english(store, session):
    app = _player(store, session.code, lang="en")
    assert "Waiting for the start" in app.header.value


def test_the_player_kernel_stays_light(tmp_db_url, store, session):
    """Joining, playing and reading one's view load neither numpy, pandas nor Bokeh."""
    store.start(session.code, PIN)
    code = f"""
import sys, json
from monnaies_en_jeu.apps.player import PlayerApp
app = PlayerApp(code={session.code!r}, ticker=False)
app.join(name="Léa", role="commerce")
app.submit()
app.refresh()
print(json.dumps(sorted(m for m in ("numpy", "pandas", "bokeh", "jupyter_bokeh") if m in sys.modules)))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=dict(os.environ, MONNAIES_DB_URL=tmp_db_url))
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


# -- the facilitator's app -------------------------------------------------------------------------------
def _facilitator(store):
    from monnaies_en_jeu.apps.facilitator import FacilitatorApp

    return FacilitatorApp(store, live=False)


def test_create_play_and_purge_a_session(store):
    app = _facilitator(store)
    app.start_screen.rounds.value = 2
    app.start_screen.seconds.value = 120
    app.start_screen.pin_input.value = PIN
    app.start_screen.create_button.click()
    code = app.code
    assert code and store.state(code)["status"] == "lobby"
    assert "<svg" in app.join_panel.value and f"code={code}" in app.join_panel.value
    alice = _player(store, code)
    app.refresh()
    assert "Alice" in app.players_html.value

    app.start_button.click()
    assert store.state(code)["status"] == "practice"
    alice.refresh()
    alice.submit()
    app.refresh()
    assert "1 sur 1 ont envoyé" in app.top.value
    app.close_button.click()  # asks first, and computes the close ahead while the question is read
    assert app.confirm.pending and store.state(code)["round"] == 0
    assert code in app.store._prepared
    app.confirm.no.click()
    assert store.state(code)["round"] == 0 and "rien n'a changé" in _plain(app.message.widget.value)
    app.close_button.click()
    app.confirm.yes.click()
    state = store.state(code)
    assert (state["status"], state["round"], state["timer"]["remaining"]) == ("results", 1, None)
    assert app.next_button.layout.display == "" and app.close_button.layout.display == "none"
    assert "« Manche suivante »" in _plain(app.todo.value) and "Manche suivante" in _plain(app.message.widget.value)
    app.next_button.click()
    assert store.state(code)["status"] == "playing" and store.state(code)["timer"]["running"]

    app.events.pick.value = "festival"
    app.events.button.click()
    app.confirm.yes.click()
    assert [e["id"] for e in store.state(code)["events"]] == ["festival"]
    assert app.events.pick.value == "" and any("déjà annoncée" in label for label, _v in app.events.pick.options)

    app.pause_button.click()
    assert store.state(code)["status"] == "paused"
    app.pause_button.click()
    assert store.state(code)["status"] == "playing"

    app.close_button.click()
    app.confirm.yes.click()
    assert store.state(code)["closed_rounds"] == 1 and app.charts is not None
    app.undo_button.click()
    app.confirm.yes.click()
    assert store.state(code)["closed_rounds"] == 0 and store.state(code)["round"] == 1

    app.seats.pick.value = app.seats.pick.options[0][1]
    url = app.reissue()
    assert "token=" in url and "<svg" in app.seats.reissued.value
    new_token = url.split("token=")[1].split("&")[0]
    assert store.player_view(new_token)["name"] == "Alice"
    from monnaies_en_jeu.game import GameError

    with pytest.raises(GameError):
        store.player_view(alice.token)  # the old link no longer works

    app.finish_button.click()
    app.confirm.yes.click()
    assert store.state(code)["status"] == "finished"
    assert app.controls.layout.display == "none" and app.seats.widget.layout.display == "none"
    assert f"debrief.ipynb?code={code}" in app.end.debrief_link.value and app.end.widget.layout.display == "flex"
    assert "débriefing complet" in _plain(app.todo.value)
    app.end.export_button.click()
    assert "data:application/zip;base64," in app.end.export_link.value
    app.end.purge_button.click()
    app.confirm.yes.click()
    assert code not in [s.code for s in store.sessions()]
    assert app.home.layout.display == "flex"


def test_reopen_opens_only_the_sessions_the_sign_in_grants(store, session):
    """Signed in with a session's PIN: that session only, reopened without typing the PIN again."""
    from monnaies_en_jeu.apps.access import Access
    from monnaies_en_jeu.apps.facilitator import FacilitatorApp

    other = store.create_session("monnaie_adossee", 2, facilitator_pin="9999")
    app = FacilitatorApp(store, live=False, access=Access(sessions=frozenset({session.code})))
    assert [v for _l, v in app.start_screen.sessions_pick.options] == [session.code]
    assert app.home.children[0].children[0].layout.display == "none"  # no creation without the secret
    app.start_screen.reopen_button.click()
    assert app.code == session.code
    app.close_dashboard()
    app.start_screen.sessions_pick.options = [(other.code, other.code)]
    app.start_screen.reopen_button.click()
    assert app.code is None and "se connecter avec son code animateur" in _plain(app.message.widget.value)


def test_the_signed_in_facilitator_is_never_locked_out_by_wrong_pins(store, session):
    """Five wrong PINs lock the session's PIN in the store; the signed-in dashboard still acts."""
    from monnaies_en_jeu.apps.access import Access
    from monnaies_en_jeu.apps.facilitator import FacilitatorApp
    from monnaies_en_jeu.game import AccessDenied

    for _n in range(5):
        with pytest.raises(AccessDenied):
            store.check_pin(session.code, "0000")
    with pytest.raises(AccessDenied) as locked:
        store.check_pin(session.code, PIN)
    assert locked.value.code == "code_animateur_bloque"
    app = FacilitatorApp(store, live=False, code=session.code, access=Access(facilitator=True))
    assert app.code == session.code  # ?code= reopens the dashboard at once (a reloaded tab)
    app.start_button.click()
    assert store.state(session.code)["status"] == "practice"


def test_a_rehearsal_played_by_bots(store):
    app = _facilitator(store)
    app.start_screen.rounds.value = 2
    app.start_screen.kind.value = True
    app.start_screen.create_button.click()
    app.start_button.click()
    app.play_all_button.click()
    state = store.state(app.code)
    assert state["rehearsal"] and state["status"] == "finished" and state["closed_rounds"] == 2
    assert app.charts is not None and app.charts_round == 2


# -- the projector ---------------------------------------------------------------------------------------------
def test_the_projector_shows_the_session(store, session):
    from monnaies_en_jeu.apps.projector import ProjectorApp

    _player(store, session.code, name="Élu <i>")
    screen = ProjectorApp(store, code=session.code, live=False, charts=False)
    assert session.code in screen.join.value and "<svg" in screen.join.value
    assert "Élu &lt;i&gt;" in screen.players.value
    store.start(session.code, PIN)
    screen.refresh()
    assert "0 sur 1 ont envoyé" in screen.players.value
    wrong = ProjectorApp(store, code="NOPE99", live=False)
    assert "Aucune partie" in _plain(wrong.message.widget.value) and wrong.screen.layout.display == "none"


def test_a_close_reaches_the_phone_and_the_projector_at_their_next_tick(store, session):
    """A tick reads the session's step alone; when it moved, the whole view at once (no two-second wait)."""
    from monnaies_en_jeu.apps.projector import ProjectorApp

    alice = _player(store, session.code)
    screen = ProjectorApp(store, code=session.code, live=False, charts=False)
    store.start(session.code, PIN)
    alice.refresh(force=True)
    screen.refresh()
    store.close_round(session.code, PIN)  # the practice round: its results
    alice._tick()  # the player just polled: only the step says something moved
    screen._tick()
    assert alice.view["status"] == "results" and "Résultat de la manche d'essai" in _plain(alice.result_html.value)
    assert screen.phase == "results"
    pulse = store.pulse(session.code)
    alice._tick()
    assert alice.seat.pulse == pulse  # nothing moved: no new read


def test_the_phone_and_the_projector_say_the_round_is_closing_while_the_close_runs(store, session, monkeypatch):
    """The facilitator's click marks the close at once; the screens' next tick says so, the phone stops sending.

    Meanwhile the phone's kernel looks at the session more often, to show the results soon after.
    """
    from monnaies_en_jeu.apps.projector import ProjectorApp

    alice = _player(store, session.code)
    screen = ProjectorApp(store, code=session.code, live=False, charts=False)
    store.start(session.code, PIN)
    alice.refresh(force=True)
    screen.refresh()
    assert not alice.submit_button.disabled and "se clôt" not in _plain(alice.timer.value)
    seen = {}
    original = store._close
    alice.ticker.disabled = False  # a ticking phone: its kernel looks more often while the close runs
    looks = []
    monkeypatch.setattr(alice.closing_watch, "start", lambda: looks.append("start"))

    def close(code, auto, step=None):  # the screens tick while the close is being computed
        alice._tick()
        screen._tick()
        seen.update(phone=_plain(alice.timer.value), sending=not alice.submit_button.disabled,
                    wall=_plain(screen.timer.value), looks=list(looks))
        return original(code, auto, step)

    monkeypatch.setattr(store, "_close", close)
    store.close_round(session.code, PIN)
    assert "La manche se clôt : vos résultats arrivent." in seen["phone"] and not seen["sending"]
    assert "Clôture de la manche en cours" in seen["wall"]
    assert seen["looks"] == ["start"]
    stopped = []
    monkeypatch.setattr(alice.closing_watch, "stop", lambda: stopped.append("stop"))
    alice._closing_look()  # the kernel's own look, before the browser's next tick: the result at once
    assert "Résultat de la manche d'essai" in _plain(alice.result_html.value) and stopped == ["stop"]
    alice._tick()
    screen._tick()
    assert "se clôt" not in _plain(alice.timer.value) and screen.phase == "results"


def test_the_projector_builds_its_chart_while_the_room_decides_and_only_updates_it_at_the_close(store, session):
    """The first close used to build the results chart (the slowest part of the projector's close)."""
    from monnaies_en_jeu.apps.projector import ProjectorApp

    _player(store, session.code)
    screen = ProjectorApp(store, code=session.code, live=False)
    store.start(session.code, PIN)
    screen.refresh()
    screen._tick()  # nothing moved: the tick warms up
    assert screen._warm and len(screen.charts) == 1 and screen.charts_round == -1
    view, model = screen.charts[0], screen.charts[0].model
    assert model is not None and screen.phase == "deciding"
    assert list(view.sources()["multiplicateur.mois.points"].data["x"]) == []  # empty: no round closed yet
    store.close_round(session.code, PIN)  # the practice round (not in the game's run)
    store.open_round(session.code, PIN)
    screen._tick()
    assert screen.phase == "deciding" and screen.charts[0] is view
    store.close_round(session.code, PIN)
    screen._tick()
    assert screen.phase == "results" and screen.charts_round == 1
    assert screen.charts[0] is view and view.model is model  # updated in place, not built again
    assert len(view.sources()["multiplicateur.mois.points"].data["x"]) > 0


# -- the simulator ----------------------------------------------------------------------------------------------
def test_the_simulator_follows_its_sliders():
    from monnaies_en_jeu.apps.simulator import SimulatorApp, apply_settings

    app = SimulatorApp(fast=True)
    first = app.run
    app.bonus.slider.value = 0.12
    assert app.run is not first
    assert app.run.scenario.data["currencies"]["eusko"]["bonus"] == pytest.approx(0.12)
    economy = app.run.scenario.data["economy"]
    app.share_local.slider.value = 0.6
    economy = app.run.scenario.data["economy"]
    assert economy["share_local"] == pytest.approx(0.6)
    assert sum(economy[k] for k in ("share_local", "share_supermarket", "share_online", "share_fees")) == \
        pytest.approx(1)
    app.keep()
    kept = app.kept[1]
    app.exit_fee.slider.value = 0.1
    assert app.kept[1] is kept and app.run is not kept
    assert "Frais de reconversion" in app.figures.value and "Réglage A" in app.figures.value
    app.stop_comparing()
    app.scenario_pick.value = "sans_monnaie_locale"
    assert app.bonus.slider.disabled and app.demurrage.slider.disabled
    assert not app.run.scenario.local_currencies
    assert apply_settings  # imported for the doc


def test_the_simulator_replays_the_counterfactual_only_when_it_changes():
    """A currency setting leaves the territory without currency as it was: its replay is reused, and equal."""
    from monnaies_en_jeu.apps.simulator import SimulatorApp
    from monnaies_en_jeu.debrief.counterfactual import counterfactual

    app = SimulatorApp(fast=True)
    first = app.counterfactual
    app.bonus.slider.value = 0.12
    assert app.counterfactual is first
    fresh = counterfactual(app.run)
    pd.testing.assert_frame_equal(first.indicators, fresh.indicators)
    app.share_local.slider.value = 0.6
    assert app.counterfactual is not first
    pd.testing.assert_frame_equal(app.counterfactual.indicators, counterfactual(app.run).indicators)
    assert app.counterfactual.decomposition is None  # the simulator shows none: it computes none


def test_the_simulator_simulates_the_slider_s_next_step_while_the_charts_are_read():
    """In a kernel, a slider's next step (same direction) is simulated in a later turn of the loop; a move
    made meanwhile stops it; the step then comes from the cache, with the same numbers."""
    import asyncio

    from monnaies_en_jeu.apps.simulator import SimulatorApp, apply_settings
    from monnaies_en_jeu.economy.run import simulate

    async def main() -> None:
        app = SimulatorApp(fast=True)
        steps = [v for _l, v in app.bonus.slider.options]
        at = steps.index(app.bonus.slider.value)
        app.bonus.slider.value = steps[at + 1]
        ahead = replace(app.settings, bonus=steps[at + 2])
        assert ahead not in app._cache  # not during the move itself
        await asyncio.sleep(0.05)
        assert ahead in app._cache
        cached = app._cache[ahead][0]
        app.bonus.slider.value = steps[at + 2]
        assert app.run is cached
        fresh = simulate(apply_settings(app.scenario, ahead), ahead.rounds, seed=0)
        pd.testing.assert_frame_equal(cached.indicators, fresh.indicators)
        local = [v for _l, v in app.share_local.slider.options]
        at = local.index(app.share_local.slider.value)
        app.share_local.slider.value = local[at + 2]  # two moves before the loop turns: only the last one's
        app.share_local.slider.value = local[at + 1]  # next step is simulated ahead
        await asyncio.sleep(0.05)
        assert replace(app.settings, share_local=local[at]) in app._cache
        assert replace(app.settings, share_local=local[at + 3]) not in app._cache

    run_async(main)


def test_the_simulator_compares_with_charts_at_a_readable_width():
    """Half of 1180 px squeezed the charts until labels overlapped: A and B stack unless each gets a whole chart."""
    from monnaies_en_jeu.apps.simulator import SimulatorApp
    from monnaies_en_jeu.debrief.theme import MIN_CHART_WIDTH

    app = SimulatorApp(fast=True)
    app.keep()
    assert all(view.width == app.width for pair in app.compare_views for view in pair)
    assert all(view.height == view.spec.height for pair in app.compare_views for view in pair)
    wide = SimulatorApp(fast=True, width=2 * MIN_CHART_WIDTH + 40)
    wide.keep()
    assert all(view.width >= MIN_CHART_WIDTH for pair in wide.compare_views for view in pair)


def test_the_simulator_charts_update_in_place():
    from monnaies_en_jeu.apps.simulator import SimulatorApp

    app = SimulatorApp(fast=True)
    view = app.stack.view("circulation")
    model = view.model
    def data():
        return {name: {k: [str(x) for x in v] for k, v in src.data.items()} for name, src in view.sources().items()}

    before = data()
    app.households.slider.value = 500
    assert view.model is model  # the same chart, new data
    after = data()
    assert before.keys() == after.keys() and before != after


def test_the_projector_shows_only_a_session_the_sign_in_grants(store, session):
    """It shows who joined: another session's code is refused, in French, and nothing is projected."""
    from monnaies_en_jeu.apps.access import Access
    from monnaies_en_jeu.apps.projector import ProjectorApp

    other = store.create_session("monnaie_adossee", 2, facilitator_pin="9999")
    screen = ProjectorApp(store, code=other.code, live=False, charts=False,
                          access=Access(sessions=frozenset({session.code})))
    assert screen.code == "" and "se connecter avec son code animateur" in _plain(screen.message.widget.value)
    screen.show(session.code)
    assert screen.code == session.code


# -- the debrief ----------------------------------------------------------------------------------------------------
def test_the_debrief_of_a_saved_run_and_of_a_session(store, session, tmp_path):
    from monnaies_en_jeu import simulate
    from monnaies_en_jeu.apps.debrief import DebriefApp

    run = simulate("monnaie_adossee", 2)
    run.save(tmp_path / "dossiers" / "essai")
    run.save(tmp_path / "ailleurs")
    app = DebriefApp(store, runs=tmp_path / "dossiers")
    assert [v for _l, v in app.folder.options] == ["essai"]
    app.folder.value = "essai"
    app.folder_button.click()
    assert app.run is not None and app.run.rounds == 2 and len(app.charts_box.children) >= 6
    assert "En bref" in app.summary.value
    app.downloads_button.click()
    for kind in ("data:text/html;base64,", "data:application/zip;base64,", "spreadsheetml"):
        assert kind in app.downloads.value
    app.run = None
    for path in (str(tmp_path / "ailleurs"), "../ailleurs", "rien"):  # a path given by the page: never read
        app.open_folder(path)
        assert app.run is None and "Aucune simulation enregistrée" in _plain(app.message.widget.value)

    store.start(session.code, PIN)
    store.close_round(session.code, PIN)
    store.open_round(session.code, PIN)
    store.close_round(session.code, PIN)
    app.refresh_sessions()
    app.session_pick.value = session.code
    app.session_button.click()
    assert app.run.rounds == 1 and session.code in app.title.value


def test_the_debrief_of_a_played_game_says_rounds_played_and_shows_what_it_promises(store, session):
    """« 1 manche jouée », not « mois de simulation »; the list the summary points to is on the page."""
    import base64
    import io
    import re
    import zipfile

    from monnaies_en_jeu.apps.debrief import DebriefApp

    store.join(session.code, "Zéphyrine")
    store.start(session.code, PIN)
    for _round in range(2):
        store.close_round(session.code, PIN)
        if _round == 0:
            store.open_round(session.code, PIN)
    app = DebriefApp(store, code=session.code)
    summary = _plain(app.summary.value)
    played = app.run.rounds  # the trial round is not part of the economy's run
    assert (f"Sur {played} manches jouées" if played > 1 else "Sur 1 manche jouée") in summary
    assert "mois de simulation" not in summary
    page = " ".join(_plain(getattr(w, "value", "")) for w in app.charts_box.children)
    assert "Les réglages du scénario" in page
    if "ont été écartées" in summary:
        assert "Ce que la simulation de comparaison a écarté" in page
    app.downloads_button.click()
    archives = re.findall(r"download='([^']+)' href='data:application/zip;base64,([^']+)'", app.downloads.value)
    assert [name for name, _data in archives] == ["debriefing-csv.zip", "debriefing-csv-brut.zip"], app.downloads.value
    french, raw = (zipfile.ZipFile(io.BytesIO(base64.b64decode(data))) for _name, data in archives)
    assert french.read("flux.csv").startswith("\ufeffMois;Qui paie;".encode())
    assert raw.read("flux.csv").startswith(b"round,from_group,")


def test_without_the_sign_in_the_debrief_shows_only_a_finished_game_without_names(store, session, tmp_path):
    from monnaies_en_jeu.apps.access import NOBODY
    from monnaies_en_jeu.apps.debrief import DebriefApp

    (tmp_path / "dossiers" / "essai").mkdir(parents=True)
    store.join(session.code, "Zéphyrine")
    store.start(session.code, PIN)
    store.close_round(session.code, PIN)
    store.open_round(session.code, PIN)
    store.close_round(session.code, PIN)
    app = DebriefApp(store, access=NOBODY, runs=tmp_path / "dossiers")
    assert app.session_pick.value == "" and [v for _l, v in app.folder.options] == [""]
    assert len(app.sources.children) == 1  # the simulation only: no list of sessions, no folders
    app.open_session(session.code)
    assert app.run is None and "quand elle sera terminée" in _plain(app.message.widget.value)
    store.finish(session.code, PIN)
    app.open_session(session.code)
    players = app.players
    assert app.run is not None and "Zéphyrine" not in set(players.seats["player"]) | set(players.scores["player"])
    named = DebriefApp(store, code=session.code)
    assert "Zéphyrine" in set(named.players.seats["player"])


# -- translations ----------------------------------------------------------------------------------------------------
def test_texts_inside_f_strings_are_listed_for_extraction():
    """Babel cannot see ``_()`` inside an f-string (Python 3.11): apps/texts.py must list each such text."""
    import ast
    from pathlib import Path

    from monnaies_en_jeu.apps import texts

    folder = Path(texts.__file__).parent
    missing = []
    for path in [*sorted(folder.glob("*.py")), folder.parent / "serve_access.py", folder.parent / "serve_limits.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in ast.walk(node):
                if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in ("_", "N_")
                        and call.args and isinstance(call.args[0], ast.Constant)
                        and call.args[0].value not in texts.FSTRING_TEXTS):
                    missing.append(f"{path.name}: {call.args[0].value!r}")
    assert not missing, "add to monnaies_en_jeu/apps/texts.py:\n" + "\n".join(missing)


def test_the_player_page_says_in_french_when_the_game_cannot_start(monkeypatch, tmp_path):
    """No database to open: the phone reads a French sentence, not Voilà's cell error."""
    import html

    from monnaies_en_jeu.apps.player_page import PlayerPage

    (tmp_path / "fichier").write_text("pas un dossier")  # a folder that cannot be created
    monkeypatch.setenv("MONNAIES_DB_URL", f"sqlite:///{tmp_path / 'fichier' / 'dossier' / 'jeu.db'}")
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    page = PlayerPage(lang="fr", ticker=False)
    assert page.app is None
    shown = html.unescape(" ".join(getattr(w, "value", "") for w in page.holder.children[0].children))
    assert "L'application n'a pas pu démarrer" in shown and "Rechargez la page" in shown
    assert "Traceback" not in shown and "sqlite" not in shown.lower() and str(tmp_path) not in shown
    assert "ne peut être ni créée ni ouverte" in shown  # the store's own French reason


def test_a_score_that_loses_is_never_shown_as_100():
    """The game judges scores to one decimal: 99,7 loses and must not read « 100 »."""
    from monnaies_en_jeu.apps.phases import score_line, score_text

    assert score_text(99.74, "fr") == "99,7" and score_text(100.04, "fr") == "100" and score_text(104.0, "en") == "104"
    losing = score_line({"score": 99.74, "wins": False}, "fr")
    assert "99,7" in losing and "moins bien" in losing and "100" not in losing
    assert "autant" in score_line({"score": 100.04, "wins": False}, "fr")


def test_the_debrief_says_when_no_game_was_played(tmp_path):
    """An empty list of games reads « Aucune partie jouée », not a blank box."""
    from monnaies_en_jeu.apps.debrief import DebriefApp
    from monnaies_en_jeu.game import GameStore

    app = DebriefApp(GameStore(f"sqlite:///{tmp_path / 'vide.db'}"))
    assert app.session_pick.label == "Aucune partie jouée" and app.session_pick.value == ""


def test_every_app_that_cannot_start_says_why_in_the_page_language(monkeypatch, tmp_path):
    """A database that cannot be opened: a sentence in the page's language, no traceback, the end marker drawn."""
    import html

    from monnaies_en_jeu.apps.common import Unavailable, start_or_explain
    from monnaies_en_jeu.apps.debrief import DebriefApp
    from monnaies_en_jeu.apps.facilitator import FacilitatorApp
    from monnaies_en_jeu.apps.projector import ProjectorApp

    def shown(page) -> str:
        return html.unescape(" ".join(getattr(w, "value", "") for w in page.widget.children))

    (tmp_path / "fichier").write_text("pas un dossier")  # a folder that cannot be created
    monkeypatch.setenv("MONNAIES_DB_URL", f"sqlite:///{tmp_path / 'fichier' / 'dossier' / 'jeu.db'}")
    for name, page in (("animation", FacilitatorApp.from_request(lang="fr")),
                       ("projection", ProjectorApp.from_request(lang="fr", code="ABCDEF"))):
        assert isinstance(page, Unavailable), name
        assert "L'application n'a pas pu démarrer" in shown(page) and "Traceback" not in shown(page)
        assert f'data-app="{name}"' in shown(page)
    assert not isinstance(DebriefApp.from_request(lang="fr"), Unavailable)  # its store opens when asked for

    def broken():
        raise RuntimeError("disque plein")

    english = start_or_explain(broken, "en", "simulateur")
    assert "The app could not start" in shown(english) and "disque plein" not in shown(english)
