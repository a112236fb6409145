"""A played session as the engine's ``Run``, and its export (CSV, Excel, JSON).

``Run.seats`` has one row per actor a seat drives: ``seat``, ``player`` (the
name, '' for a bot's seat), ``role``, ``role_label``, ``territory``,
``label``, ``actor``. ``Run.scores`` is long: one row per closed real round,
seat (0 for the territory's collective score, role ``territoire``) and
dimension, with ``value`` and ``bots`` (means over the rounds so far),
``round_value`` and ``round_bots`` (that round), and the seat's ``score`` and
``wins`` (see :mod:`monnaies_en_jeu.game.scoring`).

The export writes, in one folder: the ``Run``'s CSV files and ``run.json``
(``Run.load`` reads them back), ``decisions.csv`` (every submission, with
``counted`` for the one that counted), ``events.csv``, a workbook
``partie_<code>.xlsx`` with the same tables, and ``partie_<code>.json`` (the
session's settings, full scenario, seed, kit version and ordered log). In
the CSV and Excel files, a name that a spreadsheet would read as a formula
(starting with ``=``, ``+``, ``-`` or ``@``) is prefixed with an apostrophe.
Names are only exported when asked for: otherwise a seat a person held says
« joueur·se » and a bot's seat says nothing.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from monnaies_en_jeu.economy.run import Run
from monnaies_en_jeu.game.replay import MONEY, engine_events
from monnaies_en_jeu.game.roles import role_label, seat_label
from monnaies_en_jeu.game.scoring import COLLECTIVE, DIMENSIONS
from monnaies_en_jeu.i18n import N_, _

_FORMULA = ("=", "+", "-", "@", "\t", "\r")
ANONYMOUS = N_("joueur·se")
_SHEETS = {"decisions": "Décisions", "indicators": "Indicateurs", "scores": "Scores", "seats": "Sièges",
           "events": "Événements", "flows": "Flux"}


def _names(scenario: dict[str, Any]) -> dict[str, str]:
    several = len(scenario["territories"]) > 1
    return {t: (spec.get("name") or t) if several else "" for t, spec in scenario["territories"].items()}


def build_run(played, decisions: list[dict], history: list, seat_rows: list, seats: list,
              stored: dict[int, dict[str, Any]]) -> Run:
    """The ``Run`` of a replayed session, with its ``seats`` and ``scores`` tables."""
    run = Run.from_economy(played, decisions, [engine_events(cards) for _decisions, cards in history])
    names = _names(played.scenario.data)
    run.seats = pd.DataFrame([
        {"seat": r.seat, "player": r.player or "", "role": r.role, "role_label": role_label(r.role),
         "territory": r.territory, "label": seat_label(r.kind, r.idx, len(r.actors), names[r.territory]),
         "actor": actor}
        for r in seat_rows for actor in r.actors
    ], columns=["seat", "player", "role", "role_label", "territory", "label", "actor"])
    players = {r.seat: r.player or "" for r in seat_rows}
    roles = {s.seat: (s.role, s.territory) for s in seats}
    rows = []
    for r, record in sorted(stored.items()):
        if r == 0:
            continue
        for territory, rec in record["public"]["collective"].items():
            rows.extend(_score_rows(r, 0, "", "territoire", territory, COLLECTIVE, rec))
        for seat, rec in sorted(record["seats"].items()):
            role, territory = roles[seat]
            rows.extend(_score_rows(r, seat, players[seat], role, territory, DIMENSIONS[role], rec))
    run.scores = pd.DataFrame(rows, columns=["round", "seat", "player", "role", "territory", "dimension", "value",
                                             "bots", "round_value", "round_bots", "score", "wins"])
    return run


def _score_rows(round_: int, seat: int, player: str, role: str, territory: str, spec, rec) -> list[dict]:
    return [{"round": round_, "seat": seat, "player": player, "role": role, "territory": territory,
             "dimension": key, "value": rec["mean"].get(key), "bots": rec["bot_mean"].get(key),
             "round_value": rec["values"].get(key), "round_bots": rec["bots"].get(key), "score": rec["score"],
             "wins": rec["wins"]}
            for key, _label, _unit in spec if key in rec["values"]]


def safe_cell(value: Any) -> Any:
    """A text a spreadsheet will not run as a formula."""
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA) else value


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


def without_names(run: Run) -> Run:
    """``run`` with its players' names replaced by « joueur·se » (in place; also returned)."""
    for table in (run.seats, run.scores):
        if table is not None and "player" in table:
            table["player"] = table["player"].map(lambda name: _(ANONYMOUS) if name else "")
    return run


def write(run: Run, session, entries: list, folder: Path, names: bool = False) -> Path:
    """Write the export of a session into ``folder`` (created if needed), with names or not."""
    folder.mkdir(parents=True, exist_ok=True)
    if not names:
        without_names(run)
    players = dict(zip(run.seats["seat"], run.seats["player"], strict=True))
    roles = dict(zip(run.seats["seat"], run.seats["role"], strict=True))
    for name in ("seats", "scores"):
        table = getattr(run, name).copy()
        table["player"] = table["player"].map(safe_cell)
        setattr(run, name, table)
    run.save(folder)
    last = {(e.round, e.seat): e.seq for e in entries if e.kind == "decision"}
    decisions = pd.DataFrame([
        {"round": e.round, "practice": e.round == 0, "seat": e.seat, "player": safe_cell(players.get(e.seat, "")),
         "role": roles.get(e.seat, ""), "decision": key, "value": value, "at": _iso(e.at),
         "counted": last[(e.round, e.seat)] == e.seq}
        for e in entries if e.kind == "decision" for key, value in _euros(e.payload).items()
    ], columns=["round", "practice", "seat", "player", "role", "decision", "value", "at", "counted"])
    events = pd.DataFrame([
        {"round": e.round, "id": e.payload["id"], "territory": e.payload["territory"], "title": e.payload["title"],
         "at": _iso(e.at)} for e in entries if e.kind == "event"
    ], columns=["round", "id", "territory", "title", "at"])
    decisions.to_csv(folder / "decisions.csv", index=False)
    events.to_csv(folder / "events.csv", index=False)
    tables = {"decisions": decisions, "indicators": run.indicators, "scores": run.scores, "seats": run.seats,
              "events": events, "flows": run.flows}
    with pd.ExcelWriter(folder / f"partie_{session.code}.xlsx", engine="openpyxl") as book:
        for name, sheet in _SHEETS.items():
            tables[name].to_excel(book, sheet_name=sheet, index=False)
    meta = {
        "code": session.code, "scenario_name": session.scenario_name, "scenario": session.scenario,
        "seed": session.seed, "kit_version": session.kit_version, "rounds": session.rounds,
        "closed_rounds": session.closed, "status": session.status, "created_at": _iso(session.created_at),
        "seats": [{"seat": int(seat), "player": player, "role": roles[seat]} for seat, player in players.items()],
        "log": [{"seq": e.seq, "round": e.round, "kind": e.kind, "seat": e.seat, "payload": e.payload,
                 "at": _iso(e.at)} for e in entries],
    }
    (folder / f"partie_{session.code}.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1),
                                                         encoding="utf-8")
    return folder


def _euros(payload: dict[str, Any]) -> dict[str, Any]:
    """A logged submission with money in euros (money decisions are logged in cents)."""
    return {k: v / 100 if k in MONEY else v for k, v in payload.items()}
