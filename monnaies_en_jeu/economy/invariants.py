"""The money invariants, checked after every round: a broken one is a bug, and the round is undone.

Each currency's balances sum to zero; no account is negative except the
outside world (euros) and the issuing accounts (units); every euro-backed
unit issued has its euro in the reserve, or in the reserve's recorded loss on
its placement that the association still has to refill; a mutual-credit account stays above
its credit limit.
"""

from __future__ import annotations

import numpy as np

from monnaies_en_jeu.economy.errors import InvariantError
from monnaies_en_jeu.economy.world import World
from monnaies_en_jeu.i18n import N_


def check(w: World) -> None:
    """Raise :class:`InvariantError` when a money invariant is broken."""
    s, pop = w.s, w.pop
    bal = s.bal
    totals = bal.sum(axis=0)
    for c, total in enumerate(totals):
        if total != 0:
            raise InvariantError(N_("Conservation violée pour {currency} : la somme des comptes vaut "
                                    "{amount} centimes au lieu de 0."), currency=w.currencies[c],
                                 amount=int(total))
    _no_negative(w, 0, pop.exterieur)
    for c in range(1, len(w.currencies)):
        t = w.cur_terr[c]
        if w.euro_backed[c]:
            _no_negative(w, c, w.t_emission)
            outstanding = -int(bal[w.t_emission[t], c])
            reserve = int(bal[w.t_banque[t], 0]) + int(s.reserve_gap[c])
            if outstanding != reserve:
                raise InvariantError(N_("Adossement violé pour {currency} : {outstanding} centimes émis "
                                        "pour une réserve de {reserve} centimes."),
                                     currency=w.currencies[c], outstanding=outstanding, reserve=reserve)
        else:
            low = int(bal[:, c].min())
            if low < -w.credit_limit[c]:
                a = int(bal[:, c].argmin())
                raise InvariantError(N_("Crédit mutuel : le compte {actor} est à {amount} centimes, "
                                        "sous sa limite."), actor=pop.actor_ids[a], amount=low)


def _no_negative(w: World, c: int, allowed: np.ndarray) -> None:
    """No account but the ``allowed`` ones (account numbers) is negative in currency ``c``."""
    bad = w.s.bal[:, c] < 0
    bad[allowed] = False
    if bad.any():
        a = int(np.nonzero(bad)[0][0])
        raise InvariantError(N_("Solde négatif interdit : {actor} a {amount} centimes en {currency}."),
                             actor=w.pop.actor_ids[a], amount=int(w.s.bal[a, c]),
                             currency=w.currencies[c])
