"""What a round changes (:class:`State`) and what it tells the players (:class:`Notice`).

The state is copied before a round, so that a failed round changes nothing.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from monnaies_en_jeu.economy.notice_text import render


@dataclass
class Notice:
    """Something that happened this round, to show to the players (French template + values)."""

    code: str
    template: str
    params: dict[str, Any] = field(default_factory=dict)
    #: the territory it concerns ('' for every territory) and the roles it touches (empty: everyone there)
    territory: str = ""
    roles: tuple[str, ...] = ()

    def text(self, lang: str | None = "fr", rounds: int | None = None) -> str:
        """The notice in ``lang`` (see :func:`render`)."""
        return render(self.template, self.params, lang, rounds)

    def record(self) -> dict[str, Any]:
        """The notice as kept by a run or a game session (JSON-ready; see ``notice_text.record_text``)."""
        return {"code": self.code, "template": self.template, "params": dict(self.params),
                "territory": self.territory, "roles": list(self.roles)}



@dataclass
class State:
    """Everything a round changes; copied before a round so that a failed round changes nothing."""

    round: int
    bal: np.ndarray
    adopted: np.ndarray
    job: np.ndarray
    revenue_last: np.ndarray
    local_out_last: np.ndarray
    last_out_round: np.ndarray
    approved: np.ndarray
    bonus: np.ndarray
    exit_fee: np.ndarray
    dem_rate: np.ndarray
    communication: np.ndarray
    placement: list[str]
    accept_chains: np.ndarray
    accept_fees: np.ndarray
    fund_bonus: np.ndarray
    #: per territory and lever of :data:`~monnaies_en_jeu.economy.procurement.LEVERS`: the commune uses it
    procurement: np.ndarray
    subsidy: np.ndarray
    mandate_share: np.ndarray
    #: per territory: last round in which a court suspends the convention paying expenses in local currency
    suspended_until: np.ndarray
    agreements: dict[tuple[int, int], float]
    mods: dict[str, np.ndarray]
    active: list[dict[str, Any]]
    local_payments: list[np.ndarray]
    #: per currency: euros the reserve lost on its placement and the association has not yet refilled
    reserve_gap: np.ndarray
    #: per account: most it can sell to households this month (cents), from the supplies it paid
    #: last month; -1: no limit
    sales_cap: np.ndarray

    def copy(self) -> State:
        """A copy that shares nothing a round changes (faster than ``copy.deepcopy``, same result).

        Arrays are copied; the containers of arrays (``mods``, ``local_payments``) are copied with
        copies of their arrays; the rest (the active events' dicts, ...) is deep-copied.
        """
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                value = value.copy()
            elif f.name == "mods":
                value = {k: v.copy() for k, v in value.items()}
            elif f.name == "local_payments":
                value = [v.copy() for v in value]
            else:
                value = copy.deepcopy(value)
            out[f.name] = value
        return State(**out)
