"""The debrief page drawn progressively: the first screen at once, the charts below it one by one.

In a kernel (a running event loop) :class:`~monnaies_en_jeu.apps.debrief.DebriefApp` draws the summary,
every heading and the first chart before handing back, then builds each other chart in its own turn of
the loop (the page answers between two charts) and shows it once the browser says it drew the one
before; without a loop (scripts) it draws them all at once.
"""

from __future__ import annotations

import asyncio

import pytest

from monnaies_en_jeu import simulate
from monnaies_en_jeu.apps.debrief import FIRST_CHARTS, DebriefApp


@pytest.fixture(scope="module")
def runs():
    from monnaies_en_jeu.economy.scenario import Scenario

    scenario = Scenario.load("monnaie_adossee").replace(households=150, businesses=15)
    return simulate(scenario, 3, seed=1), simulate(scenario, 4, seed=2)


def _drawn(app: DebriefApp) -> list[str]:
    return list(app.views)


def _placeholders(app: DebriefApp) -> int:
    return sum("Graphique en préparation" in str(getattr(w, "value", "")) for w in _leaves(app.charts_box))


def _leaves(widget):
    for child in getattr(widget, "children", ()):
        yield child
        yield from _leaves(child)


def test_without_an_event_loop_every_chart_is_drawn_at_once(tmp_db_url, runs):
    app = DebriefApp(_store(tmp_db_url))
    app.show(runs[0], "essai")
    assert len(_drawn(app)) == 7 and _placeholders(app) == 0
    assert app.message.widget.value == ""  # « Calcul du débriefing… » is gone


def test_in_a_kernel_the_first_screen_comes_first_then_each_chart_in_its_turn(tmp_db_url, runs):
    async def scenario():
        app = DebriefApp(_store(tmp_db_url))
        app.show(runs[0], "essai")
        first = _drawn(app)
        assert first == ["circulation"][:FIRST_CHARTS] and "En bref" in app.summary.value
        assert _placeholders(app) == 7 - FIRST_CHARTS  # every heading is there, its chart to come
        assert "Calcul du débriefing" in app.message.widget.value
        turns = 0
        while len(app.views) < 7:
            before = len(app.views)
            await asyncio.sleep(0)  # one turn of the loop: what a click would get between two charts
            assert len(app.views) - before <= 1, "one chart per turn"
            turns += 1
            assert turns < 50
        assert app.message.widget.value == ""  # every chart is built…
        # … and shown one after the other, as the browser says it drew the one before
        for hidden in range(7 - FIRST_CHARTS, 0, -1):
            assert _placeholders(app) == hidden
            drawn = app.in_turn.waiting
            drawn._msg_callbacks(drawn, {"kind": "ModelChanged", "attr": "visible"}, [])  # not yet drawn
            assert _placeholders(app) == hidden
            drawn._msg_callbacks(drawn, {"kind": "ModelChanged", "attr": "inner_width"}, [])  # Bokeh laid it out
        assert _placeholders(app) == 0

        # a newer debrief stops the older one's drawing: no chart of the first run is built after it
        app.show(runs[0], "essai")
        drawn = []
        draw = app._draw
        app._draw = lambda key, make, holder: (drawn.append(key), draw(key, make, holder))
        app.show(runs[1], "autre")
        for _ in range(20):
            await asyncio.sleep(0)
        assert drawn == list(app.views) and len(drawn) == 7
        assert all(chart.layout is not None for chart in app.views.values())

    asyncio.run(scenario())


def _store(url: str):
    from monnaies_en_jeu.game import GameStore

    return GameStore(url)
