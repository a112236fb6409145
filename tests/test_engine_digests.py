"""The engine's numbers do not move: every run gives the digests recorded in ``tests/data/engine_digests.json``.

The recorded digests come from the engine before its split (issue 11); see
``tests/engine_digests.py`` for what is run and how to record them again.
"""

from __future__ import annotations

import json

import pytest
from engine_digests import RECORDED, game_digests, scenario_digest, scenario_keys

RECORDS = json.loads(RECORDED.read_text(encoding="utf-8"))


def test_every_run_is_recorded():
    assert set(RECORDS) == {*scenario_keys(), "game/played", "game/bots", "game/decisions"}


@pytest.mark.parametrize("key", scenario_keys())
def test_a_scenario_run_gives_the_recorded_digests(key):
    assert scenario_digest(key) == RECORDS[key]


def test_the_played_game_replayed_gives_the_recorded_digests():
    got = game_digests()
    assert got == {key: RECORDS[key] for key in got}
