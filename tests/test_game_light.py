"""A player's calls stay light: no numpy, pandas or bokeh, and a small process."""

from __future__ import annotations

import json
import subprocess
import sys

from test_game_helpers import PIN, next_round, small

pytest_plugins = ("test_game_helpers",)

PLAYER = """
import json, sys
from monnaies_en_jeu.game import GameStore
store = GameStore(sys.argv[1])
code, token = sys.argv[2], sys.argv[3]
joined = store.join(code, "Nouvelle venue")
form = store.decision_form(joined.token)
store.submit(joined.token, {f.name: f.default for f in form}, round=2)
store.player_view(joined.token)
store.player_view(token)
store.state(code)
heavy = sorted(m for m in ("numpy", "pandas", "bokeh", "monnaies_en_jeu.economy.engine") if m in sys.modules)
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))  # this process's peak
print(json.dumps({"heavy": heavy, "rss_mb": int(peak.split()[1]) / 1024}))
"""


def test_player_calls_load_neither_numpy_nor_pandas_nor_bokeh(store, record_property):
    session = store.create_session(small(), 3, facilitator_pin=PIN, practice=False, round_seconds=600,
                                   auto_close=True)
    first = store.join(session.code, "Première")
    store.start(session.code, PIN)
    next_round(store, session.code)  # results to read back
    out = subprocess.run([sys.executable, "-c", PLAYER, store.url, session.code, first.token],
                         capture_output=True, text=True, timeout=120, check=True)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    record_property("player_rss_mb", round(report["rss_mb"], 1))
    print(f"\nplayer process: {report['rss_mb']:.0f} MB at most")
    assert report["heavy"] == []
    assert report["rss_mb"] <= 130
