"""The commune's lawful procurement levers and the share of its purchases local firms can win.

French law forbids local preference in public procurement (equal treatment of
candidates, code de la commande publique, art. L3; CE, 29 juillet 1994,
*Commune de Ventenac-en-Minervois*): a commune cannot decide that local firms get
a share of its purchases. It can make its contracts winnable by small local
firms: lots (L2113-10), social and environmental clauses, the award criterion on
direct supply of agricultural products (R2152-7, producers only) and, below the
thresholds without publicity, consulting local firms among others. Each lever
adds a bounded share that local firms *win* in open competition (a scenario
setting with its stated assumption, :mod:`~monnaies_en_jeu.economy.schema`);
nothing lifts the share above what local firms can supply at all.
"""

from __future__ import annotations

from collections.abc import Mapping

#: The commune's procurement levers (bool decisions), in the order of ``State.procurement``'s
#: columns, with the setting holding the share of purchases each lets local firms win.
LEVERS: dict[str, str] = {
    "allotissement": "commune_lots_gain",
    "clauses": "commune_clauses_gain",
    "petits_marches": "commune_small_contracts_gain",
    "approvisionnement_direct": "commune_direct_supply_gain",
}
#: The lever that benefits producers only (R2152-7: agricultural products), on food purchases.
PRODUCERS_LEVER = "approvisionnement_direct"


def winnable_shares(eco: Mapping[str, float], levers: Mapping[str, bool]) -> tuple[float, float]:
    """Shares of the commune's purchases won by local firms: (shops and craftsmen, producers).

    The shops' and craftsmen's share is the share they win without any lever plus what each lever
    used adds; the producers' is the food purchases' share the R2152-7 criterion lets them win.
    Together they never exceed ``commune_local_capacity``, what firms of the territory can supply.
    """
    general = eco["commune_local_purchasing"] + sum(
        eco[key] for name, key in LEVERS.items() if name != PRODUCERS_LEVER and levers.get(name))
    capacity = eco["commune_local_capacity"]
    general = min(general, capacity)
    producers = eco["commune_food_share"] * eco[LEVERS[PRODUCERS_LEVER]] if levers.get(PRODUCERS_LEVER) else 0.0
    return general, min(producers, capacity - general)
