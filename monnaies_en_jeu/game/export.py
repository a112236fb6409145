"""A played session as the engine's ``Run`` plus its seats and scores, and its export (CSV, Excel, JSON).

The ``Run`` holds the economics; the seats and scores are two tables the
game hands to the debrief alongside it (``debrief.players.Players``).
``seats`` has one row per actor a seat drives: ``seat``, ``player`` (the
name, '' for a bot's seat), ``role``, ``role_label``, ``territory``,
``label``, ``actor``. ``scores`` is long: one row per closed real round,
seat (0 for the territory's collective score, role ``territoire``) and
dimension, with ``value`` and ``bots`` (means over the rounds so far),
``round_value`` and ``round_bots`` (that round), and the seat's ``score`` and
``wins`` (see :mod:`monnaies_en_jeu.game.scoring`).

The export writes, in one folder: the ``Run``'s CSV files and ``run.json``
(``Run.load`` reads them back), ``seats.csv`` and ``scores.csv``
(``debrief.players.load_players`` reads them back), ``decisions.csv`` (every submission, with
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
from monnaies_en_jeu.game.roles import role_label, seat_label, shown_names
from monnaies_en_jeu.game.scoring import COLLECTIVE, DIMENSIONS
from monnaies_en_jeu.i18n import N_, _

_FORMULA = ("=", "+", "-", "@", "\t", "\r")
ANONYMOUS = N_("joueur·se")
_SHEETS = {"decisions": "Décisions", "indicators": "Indicateurs", "scores": "Scores", "seats": "Sièges",
           "events": "Événements", "flows": "Flux"}


def _names(scenario: dict[str, Any]) -> dict[str, str]:
    several = len(scenario["territories"]) > 1
    return {t: (spec.get("name") or t) if several else "" for t, spec in scenario["territories"].items()}


def build_run(played, decisions: list[dict], history: list) -> Run:
    """The ``Run`` of a replayed session."""
    return Run.from_economy(played, decisions, [engine_events(cards) for _decisions, cards in history])


def players_tables(scenario: dict[str, Any], seat_rows: list, seats: list,
                   stored: dict[int, dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The session's ``seats`` and ``scores`` tables (see above), from its stored seats and records."""
    names = _names(scenario)
    shown = shown_names(seat_rows)
    seat_table = pd.DataFrame([
        {"seat": r.seat, "player": shown.get(r.seat, ""), "role": r.role, "role_label": role_label(r.role),
         "territory": r.territory, "label": seat_label(r.kind, r.idx, len(r.actors), names[r.territory]),
         "actor": actor}
        for r in seat_rows for actor in r.actors
    ], columns=["seat", "player", "role", "role_label", "territory", "label", "actor"])
    players = {r.seat: shown.get(r.seat, "") for r in seat_rows}
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
    scores = pd.DataFrame(rows, columns=["round", "seat", "player", "role", "territory", "dimension", "value",
                                         "bots", "round_value", "round_bots", "score", "wins"])
    return seat_table, scores


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


def anonymous(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` (seats or scores) with its players' names replaced by « joueur·se »."""
    out = table.copy()
    out["player"] = out["player"].map(lambda name: _(ANONYMOUS) if name else "")
    return out


def write(run: Run, seats: pd.DataFrame, scores: pd.DataFrame, session, entries: list, folder: Path,
          names: bool = False) -> Path:
    """Write the export of a session into ``folder`` (created if needed), with names or not."""
    folder.mkdir(parents=True, exist_ok=True)
    seats, scores = (anonymous(seats), anonymous(scores)) if not names else (seats.copy(), scores.copy())
    players = dict(zip(seats["seat"], seats["player"], strict=True))
    roles = dict(zip(seats["seat"], seats["role"], strict=True))
    for table in (seats, scores):
        table["player"] = table["player"].map(safe_cell)
    run.save(folder)
    seats.to_csv(folder / "seats.csv", index=False)
    scores.to_csv(folder / "scores.csv", index=False)
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
    tables = {"decisions": decisions, "indicators": run.indicators, "scores": scores, "seats": seats,
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
