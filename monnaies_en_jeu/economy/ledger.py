"""The books: the only way money moves (:meth:`Books.pay`), the round's flows and the ledger.

Every movement updates, together, the balances (in the :class:`State`), the
round's aggregated flows between (group, territory) nodes per currency and
kind, what each account received and paid in local currency this round, and
(optionally) the per-movement ledger. The kinds of movement are listed in
``ids.KINDS``; :data:`SYSTEM_KINDS` are movements of the money system itself,
not payments for goods, work or taxes.
"""

from __future__ import annotations

import numpy as np

from monnaies_en_jeu.economy.errors import InvariantError
from monnaies_en_jeu.economy.ids import KINDS
from monnaies_en_jeu.economy.money import CENT
from monnaies_en_jeu.economy.population import GROUP_LIST
from monnaies_en_jeu.economy.state import State
from monnaies_en_jeu.i18n import N_

KIND_LIST = list(KINDS)
KIND = {k: i for i, k in enumerate(KIND_LIST)}
#: Movements of the money system itself, not payments for goods, work or taxes.
SYSTEM_KINDS = ("ouverture", "conversion", "emission", "bonification", "financement_bonification",
                "reconversion", "remboursement", "compensation", "reconstitution_reserve")
PAYMENT_KIND = np.array([k not in SYSTEM_KINDS for k in KIND_LIST])
LEDGER_COLUMNS = ["round", "payer", "payee", "currency", "amount_cents", "amount", "kind"]


class Books:
    """The round's accumulators and the record of movements.

    Args:
        n: number of accounts.
        n_currencies: number of currencies (``EUR`` first).
        gt: each account's (group, territory) node.
        n_gt: number of nodes.
        keep: keep the per-movement ledger.

    Attributes:
        flows: this round's amounts per currency, kind and (payer node, payee node), in cents.
        inflow: what each account received this round in payments (not system movements).
        out_local: what each account paid this round in local currencies.
        entries: the ledger, one tuple ``(round, payer, payee, currency, amounts, kind)`` per movement.
        flow_log: one block of flows per recorded round.
    """

    def __init__(self, n: int, n_currencies: int, gt: np.ndarray, n_gt: int, keep: bool) -> None:
        self.n, self.gt, self.n_gt, self.keep = n, gt, n_gt, keep
        self.flows = np.zeros((n_currencies, len(KIND_LIST), n_gt * n_gt), dtype=np.int64)
        self.inflow = np.zeros(n, dtype=np.int64)
        self.out_local = np.zeros(n, dtype=np.int64)
        self.entries: list[tuple] = []
        self.flow_log: list[np.ndarray] = []

    def pay(self, s: State, payer, payee, c: int, amount, kind: str, unique_payer: bool = False) -> None:
        """Move ``amount`` cents of currency ``c``; arrays broadcast; zero amounts are skipped.

        ``unique_payer`` says that no payer appears twice, so balances are updated without grouping.
        """
        amount = np.asarray(amount, dtype=np.int64)
        if amount.ndim == 0:
            amount = amount.reshape(1)
        payer = np.asarray(payer, dtype=np.int64)
        payee = np.asarray(payee, dtype=np.int64)
        if amount.size == 0:
            return
        low = amount.min()  # one pass: negative (a bug), zeros to skip, or all positive
        if low < 0:
            raise InvariantError(N_("Mouvement négatif ({kind}) : {amount} centimes."),
                                 kind=kind, amount=int(low))
        if low == 0:
            keep = amount > 0
            amount = amount[keep]
            payer = payer[keep] if payer.ndim else payer
            payee = payee[keep] if payee.ndim else payee
            if amount.size == 0:
                return
        n = self.n
        bal = s.bal[:, c]
        total = int(amount.sum())
        if payer.ndim and unique_payer:
            bal[payer] -= amount
        elif payer.ndim:
            bal -= np.bincount(payer, weights=amount, minlength=n).astype(np.int64)
        else:
            bal[payer] -= total
        if payee.ndim:
            inflow = np.bincount(payee, weights=amount, minlength=n).astype(np.int64)
            bal += inflow
        else:
            bal[payee] += total
            inflow = None
        k = KIND[kind]
        gt_from = self.gt[payer]
        gt_to = self.gt[payee]
        if gt_from.ndim or gt_to.ndim:
            key = gt_from * self.n_gt + gt_to
            if key.shape != amount.shape:
                key = np.broadcast_to(key, amount.shape)
            self.flows[c, k] += np.bincount(key, weights=amount, minlength=self.n_gt ** 2).astype(np.int64)
        else:
            self.flows[c, k, gt_from * self.n_gt + gt_to] += total
        if PAYMENT_KIND[k]:
            if inflow is None:
                self.inflow[payee] += total
            else:
                self.inflow += inflow
            if c:
                s.last_out_round[payer, c] = s.round
                if payer.ndim and unique_payer:
                    self.out_local[payer] += amount
                elif payer.ndim:
                    self.out_local += np.bincount(payer, weights=amount, minlength=n).astype(np.int64)
                else:
                    self.out_local[payer] += total
        if self.keep:
            self.entries.append((s.round, payer, payee, c, amount, k))

    def start_round(self) -> None:
        """Clear what a round accumulates per account."""
        self.inflow[:] = 0
        self.out_local[:] = 0

    def end_round(self, round_: int, record: bool) -> np.ndarray:
        """The round's flows as one block (round, currency, kind, from node, to node, cents); cleared."""
        # the few (currency, kind) rows that moved, then their nonzero cells (same order as a
        # nonzero over the whole array, at a fraction of its cost)
        active_c, active_k = np.nonzero(self.flows.any(axis=2))
        rows = self.flows[active_c, active_k]
        r, key = np.nonzero(rows)
        amounts = rows[r, key]
        block = np.empty((6, len(r)), dtype=np.int64)
        block[0] = round_
        block[1], block[2], block[5] = active_c[r], active_k[r], amounts
        np.divmod(key, self.n_gt, out=(block[3], block[4]))
        self.flows[active_c, active_k] = 0
        if record:
            self.flow_log.append(block)
        return block

    def mark(self) -> tuple[int, int]:
        """Where the records stand (to :meth:`rewind` a failed round)."""
        return len(self.entries), len(self.flow_log)

    def rewind(self, mark: tuple[int, int]) -> None:
        """Forget what was recorded since ``mark`` and the round's accumulators."""
        del self.entries[mark[0]:]
        del self.flow_log[mark[1]:]
        self.flows[:] = 0
        self.inflow[:] = 0
        self.out_local[:] = 0

    def flows_frame(self, blocks: list[np.ndarray], territories: list[str], currencies: list[str]):
        """Blocks of flows as a table between (group, territory) nodes."""
        import pandas as pd

        data = np.concatenate(blocks, axis=1) if blocks else np.zeros((6, 0), dtype=np.int64)
        n_t = len(territories) + 1
        terr = np.array([*territories, "exterieur"], dtype=object)
        groups = np.array(GROUP_LIST, dtype=object)
        frame = pd.DataFrame({
            "round": data[0], "from_group": groups[data[3] // n_t], "from_territory": terr[data[3] % n_t],
            "to_group": groups[data[4] // n_t], "to_territory": terr[data[4] % n_t],
            "currency": np.array(currencies, dtype=object)[data[1]],
            "kind": np.array(KIND_LIST, dtype=object)[data[2]], "amount_cents": data[5].astype(np.int64),
        })
        frame["amount"] = frame["amount_cents"] / CENT
        return frame

    def ledger_frame(self, actor_ids: list[str], currencies: list[str]):
        """Every recorded movement, one row each (see :data:`LEDGER_COLUMNS`)."""
        import pandas as pd

        if not self.entries:
            return pd.DataFrame(columns=LEDGER_COLUMNS)
        entries = self.entries
        ids = np.array(actor_ids, dtype=object)
        rounds = np.concatenate([np.full(len(e[4]), e[0]) for e in entries])
        payer = np.concatenate([np.broadcast_to(e[1], e[4].shape) for e in entries])
        payee = np.concatenate([np.broadcast_to(e[2], e[4].shape) for e in entries])
        cur = np.concatenate([np.full(len(e[4]), e[3]) for e in entries])
        kind = np.concatenate([np.full(len(e[4]), e[5]) for e in entries])
        amount = np.concatenate([e[4] for e in entries])
        frame = pd.DataFrame({
            "round": rounds, "payer": ids[payer], "payee": ids[payee],
            "currency": np.array(currencies, dtype=object)[cur],
            "amount_cents": amount.astype(np.int64),
        })
        frame["amount"] = frame["amount_cents"] / CENT
        frame["kind"] = np.array(KIND_LIST, dtype=object)[kind]
        return frame
