"""Shapes of what :meth:`GameStore.state` and :meth:`GameStore.player_view` return.

Both are plain dicts (JSON-ready: no NaN, money in integer cents unless said
otherwise) whose keys are documented here as ``TypedDict`` classes. Texts are
in the language asked for. A player's name is given twice: ``name`` as typed
(for a text widget) and ``name_html``, escaped, for anything rendered as HTML.
"""

from __future__ import annotations

from typing import Any, TypedDict

from monnaies_en_jeu.game.consequences import ConsequenceView


class TimerView(TypedDict):
    """The round's timer."""

    round_seconds: int | None  #: length of a round in seconds (None: no timer)
    remaining: float | None  #: seconds left (None without a timer; 0 once over)
    running: bool  #: counting down now (a round is open and the session is not paused)
    auto_close: bool  #: the round closes by itself when the time is up
    closing: bool  #: the facilitator asked for the close and its results are being computed


class DimensionView(TypedDict):
    """One score dimension after a round."""

    id: str  #: stable id (see ``monnaies_en_jeu.game.scoring``)
    label: str  #: its name
    unit: str  #: ``share`` (0–1), ``money`` (euros, a float) or ``number``
    value: float | None  #: mean over the rounds played so far
    bots: float | None  #: the same mean in the bots-alone game
    round_value: float | None  #: this round's value
    round_bots: float | None  #: this round's value in the bots-alone game


class ScoreView(TypedDict):
    """A score after a round: 100 is the reference (the bots alone; for a seat, its own bot)."""

    round: int  #: the round (0 = practice round)
    practice: bool  #: the practice round (does not count)
    score: float  #: the score (above 100: better than the bots)
    wins: bool  #: the score, rounded to one decimal, is above 100
    dimensions: list[DimensionView]


class CollectiveView(ScoreView):
    """The collective score of a territory after a round."""

    territory: str  #: territory id
    territory_name: str  #: its name


class SeatResultView(ScoreView):
    """A seat's private result after a round."""

    decided: bool  #: the player's decisions were applied (else the seat's bot played: never a win)
    played_rounds: int  #: rounds the player has played so far (the score counts only those)
    room_score: float  #: what the rest of the room changed for the seat (100: nothing; its own-bot game
    #: against the bots-alone game)
    holdings: dict[str, int]  #: what the seat holds after the round, per currency (cents)


class PlayerSummary(TypedDict):
    """A player as everybody may see them."""

    seat: int  #: seat number
    name: str  #: name as typed, namesakes numbered (« Zoé (2) »; may contain markup: never render it as HTML)
    name_html: str  #: the name escaped for HTML
    role: str  #: role id
    role_label: str  #: role name
    territory: str  #: territory id
    seat_label: str  #: what the seat stands for (« Quartier n° 3 (33 foyers) »)
    submitted: bool  #: has submitted for the open round


class SeatCount(TypedDict):
    """Seats of one role."""

    role: str  #: role id
    role_label: str  #: role name
    taken: int  #: seats with a player
    seats: int  #: seats in the session


class EventView(TypedDict):
    """An event card drawn for a round."""

    round: int  #: the round it applies to
    id: str  #: card id
    territory: str  #: territory id
    title: str  #: title
    text: str  #: short text for the screen
    roles: list[str]  #: the roles whose situation it changes


class NoticeView(TypedDict):
    """Something that happened in a round (the engine's notices)."""

    round: int  #: the round
    code: str  #: stable id of the notice (e.g. ``recours_prefet``)
    text: str  #: what happened (durations in the game's rounds)
    territory: str  #: the territory it concerns ('' for all)
    roles: list[str]  #: the roles it touches (empty: everyone there)


class GameState(TypedDict):
    """Public state of a session (``GameStore.state``): what the projected screen shows."""

    code: str  #: session code
    scenario: str  #: scenario id
    scenario_description: str  #: one-line description
    status: str  #: ``lobby``, ``practice``, ``playing``, ``paused``, ``results`` or ``finished``
    status_label: str  #: the status in words
    step: int  #: the facilitator's step: pass it back to the actions that move the game (``step=``)
    round: int  #: the open round (0: practice round or not started; the last one when finished)
    rounds: int  #: rounds planned
    closed_rounds: int  #: real rounds closed
    practice: bool  #: the open round is the practice round
    rehearsal: bool  #: a rehearsal (bots only)
    timer: TimerView
    capacity: int  #: players the session can take
    players: list[PlayerSummary]  #: the players, by seat
    seats: list[SeatCount]  #: seats per role
    indicators: list[dict[str, Any]]  #: engine indicator rows of every closed real round (None for NaN)
    collective: list[CollectiveView]  #: collective score per closed round (practice included) and territory
    events: list[EventView]  #: event cards drawn, by round
    notices: list[NoticeView]  #: what happened, by round
    announcements: list[NoticeView]  #: the last closed round's news about a whole territory, one short line each
    #: (the projector's)


class PlayerView(TypedDict):
    """A player's own view (``GameStore.player_view``): nothing about any other seat."""

    code: str  #: session code
    seat: int  #: seat number
    name: str  #: name as typed, namesakes numbered (« Zoé (2) »; never render it as HTML)
    name_html: str  #: the name escaped for HTML
    role: str  #: role id
    role_label: str  #: role name
    role_description: str  #: one sentence on the role
    seat_label: str  #: what the seat stands for
    territory: str  #: territory id
    actors: int  #: actors the seat drives (households of a neighbourhood, else 1)
    status: str  #: the session's status (as in ``GameState``)
    round: int  #: the open round (0: practice)
    rounds: int  #: rounds planned
    practice: bool  #: the open round is the practice round
    timer: TimerView
    submitted: bool  #: has submitted for the open round
    decisions: dict[str, Any] | None  #: the last submission for the open round (money in euros)
    holdings: dict[str, int]  #: what the seat holds now, per currency (cents)
    units: dict[str, str]  #: currency id → the unit to show its amounts in (``EUR``, « flot »)
    results: list[SeatResultView]  #: the seat's results, round by round (practice first)
    collective: list[CollectiveView]  #: the collective score of the seat's territory, round by round
    events: list[EventView]  #: event cards of the open round
    consequences: list[ConsequenceView]  #: what the last close did to this seat, each with why
