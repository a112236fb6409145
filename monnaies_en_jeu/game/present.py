"""Reading what the store recorded, and shaping it into the views the apps show.

Everything here reads the database only (no economy engine), so the player's
calls stay light. Names are given as typed and escaped (``name_html``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from monnaies_en_jeu.economy.ids import MECHANISM_ROLES
from monnaies_en_jeu.economy.notice_text import located
from monnaies_en_jeu.economy.scenario import currency_units, territory_names
from monnaies_en_jeu.game import db
from monnaies_en_jeu.game.consequences import ConsequenceView, announcement, notice_text, seat_consequences
from monnaies_en_jeu.game.fields import stored_bounds
from monnaies_en_jeu.game.roles import DESCRIPTIONS, SEATS, SeatPlan, role_label, seat_label, shown_names
from monnaies_en_jeu.game.scoring import COLLECTIVE, DIMENSIONS
from monnaies_en_jeu.game.security import escape
from monnaies_en_jeu.game.views import (
    CollectiveView,
    DimensionView,
    EventView,
    GameState,
    NoticeView,
    PlayerSummary,
    PlayerView,
    SeatCount,
    SeatResultView,
    TimerView,
)
from monnaies_en_jeu.i18n import N_, _

OPEN = ("practice", "playing", "paused")
STATUS_LABELS = {
    "lobby": N_("En attente des joueurs"),
    "practice": N_("Manche d'essai"),
    "playing": N_("En cours"),
    "paused": N_("En pause"),
    "results": N_("Résultats"),
    "finished": N_("Terminée"),
}


def plan(row) -> SeatPlan:
    """A seat row as a :class:`SeatPlan`."""
    return SeatPlan(row.seat, row.role, row.territory, row.idx, row.kind, tuple(row.actors), row.currency,
                    row.euro_backed)


def seat_row(code: str, p: SeatPlan) -> dict[str, Any]:
    """A :class:`SeatPlan` as a row of the ``seats`` table (no player yet)."""
    return {"code": code, "seat": p.seat, "role": p.role, "territory": p.territory, "idx": p.index,
            "kind": p.kind, "actors": list(p.actors), "currency": p.currency, "euro_backed": p.euro_backed}


def form(conn: Connection, code: str, round_: int, seat: int) -> dict[str, Any]:
    """The stored form of a seat for a round (the practice round uses round 1's)."""
    row = conn.execute(select(db.forms).where(db.forms.c.code == code, db.forms.c.round == max(1, round_),
                                              db.forms.c.seat == seat)).first()
    return {"fields": row.fields, "holdings": row.holdings}


def last_sent(conn: Connection, code: str, seat: int, before: int) -> dict[str, Any] | None:
    """The seat's last submission in a round before ``before`` (normalised: money in cents), or None."""
    return conn.execute(select(db.log.c.payload).where(
        db.log.c.code == code, db.log.c.round < before, db.log.c.seat == seat,
        db.log.c.kind == "decision").order_by(db.log.c.seq.desc()).limit(1)).scalar()


def history(conn: Connection, code: str, upto: int) -> list[tuple[dict[int, dict], list[dict]]]:
    """The logged inputs of rounds 0 to ``upto``: per round, the last submission of each seat and the cards."""
    out: list[tuple[dict[int, dict], list[dict]]] = [({}, []) for _ in range(upto + 1)]
    rows = conn.execute(select(db.log).where(db.log.c.code == code, db.log.c.round <= upto)
                        .order_by(db.log.c.seq)).all()
    for row in rows:
        if row.kind == "decision":
            out[row.round][0][row.seat] = row.payload
        else:
            out[row.round][1].append(row.payload)
    return out


def bounds(conn: Connection, code: str, upto: int) -> list[dict[int, dict[str, list[int]]]]:
    """The money bounds stored with the forms of rounds 0 to ``upto`` (the practice round uses round 1's).

    Per round: seat → money decision → each of its actors' bound in cents (see
    :func:`~monnaies_en_jeu.game.replay.engine_decisions`).
    """
    rows = conn.execute(select(db.forms.c.round, db.forms.c.seat, db.forms.c.fields).where(
        db.forms.c.code == code, db.forms.c.round <= max(1, upto))).all()
    by_round: dict[int, dict[int, dict[str, list[int]]]] = {}
    for row in rows:
        by_round.setdefault(row.round, {})[row.seat] = stored_bounds(row.fields)
    return [by_round.get(max(1, r), {}) for r in range(upto + 1)]


def digests(conn: Connection, code: str, upto: int) -> dict[int, str]:
    """Recorded state digests of the real rounds 1 to ``upto``."""
    rows = conn.execute(select(db.results.c.round, db.results.c.digest).where(
        db.results.c.code == code, db.results.c.round >= 1, db.results.c.round <= upto)).all()
    return dict(rows)


def records(conn: Connection, code: str, round_: int) -> dict[str, Any]:
    """The records of a closed round: ``{"collective": {territory: ...}, "seats": {seat: ...}}``."""
    public = conn.execute(select(db.results.c.public).where(db.results.c.code == code,
                                                            db.results.c.round == round_)).scalar()
    seats = conn.execute(select(db.seat_results.c.seat, db.seat_results.c.private).where(
        db.seat_results.c.code == code, db.seat_results.c.round == round_)).all()
    return {"collective": public["collective"] if public else {}, "seats": dict(seats)}


def all_records(conn: Connection, code: str) -> dict[int, dict[str, Any]]:
    """Every closed round's records: round → ``{"public": ..., "seats": {seat: ...}}``."""
    out: dict[int, dict[str, Any]] = {}
    for r, public in conn.execute(select(db.results.c.round, db.results.c.public).where(
            db.results.c.code == code).order_by(db.results.c.round)).all():
        out[r] = {"public": public, "seats": {}}
    for r, seat, private in conn.execute(select(db.seat_results.c.round, db.seat_results.c.seat,
                                                db.seat_results.c.private).where(db.seat_results.c.code == code)):
        out[r]["seats"][seat] = private
    return out


def event_view(round_: int, payload: dict[str, Any], lang: str | None) -> EventView:
    """A logged card as shown on a screen."""
    english = lang == "en" and payload.get("title_en")
    return EventView(round=round_, id=payload["id"], territory=payload["territory"],
                     title=payload["title_en"] if english else payload["title"],
                     text=payload["text_en"] if english else payload["text"],
                     roles=list(MECHANISM_ROLES.get(payload.get("mechanism", ""), ())))


def notice_view(round_: int, notice: dict[str, Any], lang: str | None, rounds: int,
                names: dict[str, str] | None = None) -> NoticeView:
    """A recorded notice as shown on a screen, its durations in the game's rounds.

    With the territories' ``names`` of a scenario that has several, the text starts with the
    name of the territory the notice concerns (« Pays d'Amont : … »).
    """
    return NoticeView(round=round_, code=notice["code"], text=located(notice, notice_text(notice, lang, rounds),
                                                                      names, lang),
                      territory=notice.get("territory", ""), roles=list(notice.get("roles", ())))


def timer(s, now: float) -> TimerView:
    """The session's timer."""
    if s.status == "paused":
        remaining = s.remaining
    elif s.deadline is not None:
        remaining = max(0.0, s.deadline - now)
    else:
        remaining = None
    return TimerView(round_seconds=s.round_seconds, remaining=remaining,
                     running=s.status in ("practice", "playing") and s.deadline is not None and now < s.deadline,
                     auto_close=bool(s.auto_close), closing=closing(s, now))


#: A close mark older than this is a close that died with its process: no longer shown.
CLOSING_SHOWN_S = 120.0


def closing(s, now: float) -> bool:
    """A close was asked (:meth:`GameStore.close_round`) and is being computed: the screens say so."""
    return (s.status in ("practice", "playing") and s.closing_since is not None
            and now - s.closing_since < CLOSING_SHOWN_S)


def _dimensions(spec: tuple[tuple[str, str, str], ...], record: dict[str, Any], lang) -> list[DimensionView]:
    return [DimensionView(id=key, label=_(label, lang), unit=unit, value=record["mean"].get(key),
                          bots=record["bot_mean"].get(key), round_value=record["values"].get(key),
                          round_bots=record["bots"].get(key))
            for key, label, unit in spec if key in record["values"]]


def _territory_names(s) -> dict[str, str]:
    return territory_names(s.scenario)


def _label(row, names: dict[str, str], lang) -> str:
    several = len(names) > 1
    return seat_label(row.kind, row.idx, len(row.actors), names[row.territory] if several else "", lang)


def _practice(s) -> bool:
    return s.status in OPEN and s.round == 0


def _description(scenario: dict[str, Any], lang: str | None) -> str:
    if lang == "en" and scenario.get("description_en"):
        return scenario["description_en"]
    return scenario.get("description", "")


def state(conn: Connection, s, now: float, lang: str | None) -> GameState:
    """The public state of session row ``s``."""
    seat_rows = conn.execute(select(db.seats).where(db.seats.c.code == s.code).order_by(db.seats.c.seat)).all()
    submitted = set(conn.execute(select(db.log.c.seat).where(
        db.log.c.code == s.code, db.log.c.round == s.round, db.log.c.kind == "decision").distinct()).scalars())
    open_round = s.status in OPEN
    names = _territory_names(s)
    shown = shown_names(seat_rows)
    players = [PlayerSummary(seat=r.seat, name=shown[r.seat], name_html=escape(shown[r.seat]), role=r.role,
                             role_label=role_label(r.role, lang), territory=r.territory,
                             seat_label=_label(r, names, lang), submitted=open_round and r.seat in submitted)
               for r in seat_rows if r.player is not None]
    counts = [SeatCount(role=role, role_label=role_label(role, lang),
                        taken=sum(1 for r in seat_rows if r.role == role and r.player is not None),
                        seats=sum(1 for r in seat_rows if r.role == role))
              for role in SEATS if any(r.role == role for r in seat_rows)]
    indicators: list[dict[str, Any]] = []
    collective: list[CollectiveView] = []
    notices: list[NoticeView] = []
    announcements: list[NoticeView] = []
    for r, public in conn.execute(select(db.results.c.round, db.results.c.public).where(
            db.results.c.code == s.code).order_by(db.results.c.round)).all():
        if r:
            indicators.extend(public["indicators"])
        for t, record in public["collective"].items():
            collective.append(CollectiveView(round=r, practice=r == 0, score=record["score"], wins=record["wins"],
                                             dimensions=_dimensions(COLLECTIVE, record, lang), territory=t,
                                             territory_name=names.get(t, t)))
        notices.extend(notice_view(r, n, lang, s.rounds, names) for n in public["notices"])
        if r == s.closed:
            announcements = [NoticeView(round=r, code=n["code"], text=located(n, said, names, lang),
                                        territory=n.get("territory", ""),
                                        roles=list(n.get("roles", ())))
                             for n in public["notices"] if (said := announcement(n, r, s.rounds, lang))]
    events = [event_view(row.round, row.payload, lang) for row in conn.execute(
        select(db.log).where(db.log.c.code == s.code, db.log.c.kind == "event").order_by(db.log.c.seq))]
    return GameState(
        code=s.code, scenario=s.scenario_name,
        scenario_description=_description(s.scenario, lang),
        status=s.status, status_label=_(STATUS_LABELS[s.status], lang), step=s.step, round=s.round,
        rounds=s.rounds,
        closed_rounds=s.closed, practice=_practice(s),
        rehearsal=s.rehearsal, timer=timer(s, now), capacity=s.capacity, players=players, seats=counts,
        indicators=indicators, collective=collective, events=events, notices=notices,
        announcements=announcements if s.status != "lobby" else [],
    )


def player_view(conn: Connection, s, seat, now: float, lang: str | None) -> PlayerView:
    """The private view of ``seat`` (a seat row) in session row ``s``."""
    results: list[SeatResultView] = []
    for r, private in conn.execute(select(db.seat_results.c.round, db.seat_results.c.private).where(
            db.seat_results.c.code == s.code, db.seat_results.c.seat == seat.seat)
            .order_by(db.seat_results.c.round)).all():
        results.append(SeatResultView(
            round=r, practice=r == 0, score=private["score"], wins=private["wins"],
            dimensions=_dimensions(DIMENSIONS[seat.role], private, lang),
            decided=private["decisions"] is not None, played_rounds=private.get("played_rounds", 0),
            room_score=private.get("room", {}).get("score", 100.0), holdings=private["holdings"]))
    names = _territory_names(s)
    collective = [CollectiveView(round=r, practice=r == 0, score=record["score"], wins=record["wins"],
                                 dimensions=_dimensions(COLLECTIVE, record, lang), territory=seat.territory,
                                 territory_name=names.get(seat.territory, seat.territory))
                  for r, public in conn.execute(select(db.results.c.round, db.results.c.public).where(
                      db.results.c.code == s.code).order_by(db.results.c.round)).all()
                  if (record := public["collective"].get(seat.territory))]
    stored = form(conn, s.code, s.round, seat.seat)
    money = {f["name"] for f in stored["fields"] if f["kind"] == "money"}
    last = conn.execute(select(db.log.c.payload).where(
        db.log.c.code == s.code, db.log.c.round == s.round, db.log.c.seat == seat.seat,
        db.log.c.kind == "decision").order_by(db.log.c.seq.desc()).limit(1)).scalar()
    open_round = s.status in OPEN
    decisions = {k: (v / 100 if k in money else v) for k, v in last.items()} if last and open_round else None
    events = [event_view(s.round, p, lang) for p in conn.execute(
        select(db.log.c.payload).where(db.log.c.code == s.code, db.log.c.round == s.round,
                                       db.log.c.kind == "event").order_by(db.log.c.seq)).scalars()]
    name = shown_names(conn.execute(select(db.seats.c.seat, db.seats.c.player, db.seats.c.joined_at).where(
        db.seats.c.code == s.code, db.seats.c.player.is_not(None))).all()).get(seat.seat, seat.player)
    return PlayerView(
        code=s.code, seat=seat.seat, name=name, name_html=escape(name), role=seat.role,
        role_label=role_label(seat.role, lang), role_description=_(DESCRIPTIONS[seat.role], lang),
        seat_label=_label(seat, names, lang), territory=seat.territory, actors=len(seat.actors),
        status=s.status, round=s.round, rounds=s.rounds,
        practice=_practice(s), timer=timer(s, now),
        submitted=decisions is not None, decisions=decisions,
        holdings=results[-1]["holdings"] if results and s.status == "finished" else stored["holdings"],
        units=currency_units(s.scenario),
        results=results, collective=collective, events=events if open_round else [],
        consequences=_consequences(conn, s, seat, lang),
    )


def _form_or_none(conn: Connection, code: str, round_: int, seat: int) -> list[dict[str, Any]] | None:
    row = conn.execute(select(db.forms.c.fields).where(db.forms.c.code == code, db.forms.c.round == round_,
                                                       db.forms.c.seat == seat)).first()
    return row.fields if row else None


def _consequences(conn: Connection, s, seat, lang: str | None) -> list[ConsequenceView]:
    """What the last close did to ``seat`` (see :func:`~monnaies_en_jeu.game.consequences.seat_consequences`)."""
    row = conn.execute(select(db.results.c.round, db.results.c.public).where(db.results.c.code == s.code)
                       .order_by(db.results.c.round.desc()).limit(1)).first()
    if row is None:
        return []
    closed, public = row
    private = conn.execute(select(db.seat_results.c.private).where(
        db.seat_results.c.code == s.code, db.seat_results.c.round == closed,
        db.seat_results.c.seat == seat.seat)).scalar()
    asked = ((private or {}).get("decisions") or {}).get("apply_approval")
    approval = None
    before, after = _form_or_none(conn, s.code, max(1, closed), seat.seat), \
        _form_or_none(conn, s.code, closed + 1, seat.seat)
    if closed > 0 and asked is not None and before is not None and after is not None:
        was = next((bool(f["default"]) for f in before if f["name"] == "apply_approval"), False)
        now = next((bool(f["default"]) for f in after if f["name"] == "apply_approval"), False)
        approval = (bool(asked), was, now)
    return seat_consequences(seat.role, seat.territory, closed, public["notices"], approval, s.rounds, lang)
