"""The actors of a scenario and their fixed traits (wages, employers, favourite shops).

Built once from the ``population`` and ``network`` random streams, so that two
scenarios with the same territory and seed have the same people and shops.
Actors are laid out territory by territory: households, businesses, the
supermarket, the commune, the association, the bank holding the reserve
fund, the issuance account; the outside world comes last.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from monnaies_en_jeu.economy.ids import GROUPS, SECTORS

GROUP_LIST = list(GROUPS)
JOB_OUTSIDE, JOB_BUSINESS, JOB_SUPERMARKET, JOB_COMMUNE, JOB_NONE = range(5)
SINGLETONS = ("grande_surface", "commune", "association", "banque", "emission")


@dataclass
class Territory:
    """Actor indices of one territory."""

    id: str
    name: str
    households: np.ndarray  # actor indices
    businesses: np.ndarray
    grande_surface: int
    commune: int
    association: int
    banque: int
    emission: int


@dataclass
class Population:
    """All actors and their fixed traits (arrays indexed by household or business position)."""

    actor_ids: list[str]
    group: np.ndarray  # index in GROUP_LIST
    terr: np.ndarray  # territory index; the outside world has n_territories
    role: list[str]
    territories: list[Territory]
    exterieur: int
    # households, by position
    hh: np.ndarray
    hh_terr: np.ndarray
    wage: np.ndarray  # nominal monthly wage, cents
    job: np.ndarray
    employer: np.ndarray  # actor index of the employer (outside world for commuters and transfers)
    fav: np.ndarray  # (H, 4) favourite business per sector, actor index
    cross: np.ndarray  # favourite business in another territory (-1 if none)
    # businesses, by position
    biz: np.ndarray
    biz_sector: np.ndarray
    biz_terr: np.ndarray
    biz_weight: np.ndarray
    biz_owner: np.ndarray  # actor index of the owner household
    biz_supplier: np.ndarray  # actor index of its local producer
    approval_draw: np.ndarray  # uniform draw compared with the charter's approved share
    sector_spending: np.ndarray  # households' local spending by sector (shares summing to one)
    hh_pos: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    biz_pos: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def n(self) -> int:
        """Number of actors."""
        return len(self.actor_ids)


def sector_shares(eco: dict, key: str) -> np.ndarray:
    """A per-sector setting of the schema (``sector_business_share``, ...) as shares summing to one."""
    shares = np.array([eco[key][s] for s in SECTORS], dtype=np.float64)
    total = shares.sum()
    if total <= 0:
        return np.full(len(SECTORS), 1.0 / len(SECTORS))
    return shares if abs(total - 1.0) < 1e-9 else shares / total


def _pick(rng: np.random.Generator, candidates: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    if len(candidates) == 0:
        return np.full(size, -1, dtype=np.int64)
    p = weights / weights.sum()
    return candidates[rng.choice(len(candidates), size=size, p=p)]


def build(data: dict, pop_rng: np.random.Generator, net_rng: np.random.Generator) -> Population:
    """Create the actors of a validated scenario's data."""
    eco = data["economy"]
    terr_ids = list(data["territories"])
    several = len(terr_ids) > 1
    exchange = data["kind"] == "echange_aleatoire"
    ids: list[str] = []
    group: list[int] = []
    terr: list[int] = []
    role: list[str] = []
    territories: list[Territory] = []

    def add(name: str, grp: str, rl: str, t: int) -> int:
        ids.append(f"{terr_ids[t]}.{name}" if several else name)
        group.append(GROUP_LIST.index(grp))
        terr.append(t)
        role.append(rl)
        return len(ids) - 1

    business_shares = sector_shares(eco, "sector_business_share")
    hh_parts, biz_parts, biz_sector = [], [], []
    for t, tid in enumerate(terr_ids):
        spec = data["territories"][tid]
        n_hh = data["agents"] if exchange else (spec["households"] or data["households"])
        n_biz = 0 if exchange else (spec["businesses"] or data["businesses"])
        width = max(4, len(str(n_hh)))
        households = np.array([add(f"menage_{i:0{width}d}", "menages", "menage", t) for i in range(n_hh)])
        counts = np.floor(business_shares * n_biz).astype(int)
        counts[np.argsort(-(business_shares * n_biz - counts))[: n_biz - counts.sum()]] += 1
        if n_biz:
            counts = np.maximum(counts, 1)
        businesses = []
        k = 0
        for s, sector in enumerate(SECTORS):
            rl = "producteur" if sector == "producteurs" else "commerce"
            for _ in range(counts[s]):
                businesses.append(add(f"{sector}_{k:04d}", sector, rl, t))
                biz_sector.append(s)
                k += 1
        singles = {name: add(name, name, name, t) for name in SINGLETONS}
        territories.append(Territory(tid, spec["name"] or tid, households, np.array(businesses, dtype=np.int64),
                                     **singles))
        hh_parts.append(households)
        biz_parts.append(np.array(businesses, dtype=np.int64))
    ext = len(ids)
    ids.append("exterieur")
    group.append(GROUP_LIST.index("exterieur"))
    terr.append(len(terr_ids))
    role.append("exterieur")

    hh = np.concatenate(hh_parts).astype(np.int64)
    biz = np.concatenate(biz_parts).astype(np.int64) if biz_parts else np.zeros(0, np.int64)
    terr_arr = np.array(terr, dtype=np.int64)
    hh_terr = terr_arr[hh]
    n_h, n_b = len(hh), len(biz)
    # Fixed traits, drawn in a fixed order from the population stream.
    z = pop_rng.standard_normal(n_h)
    wage = np.rint(eco["median_wage"] * 100 * np.exp(eco["wage_sigma"] * z)).astype(np.int64)
    u_job = pop_rng.random(n_h)
    cuts = np.cumsum([eco["share_outside_jobs"], eco["share_business_jobs"],
                      eco["share_supermarket_jobs"], eco["share_commune_jobs"]])
    job = np.searchsorted(cuts, u_job, side="right").astype(np.int64)
    biz_weight = np.exp(eco["business_size_sigma"] * pop_rng.standard_normal(n_b))  # business sizes, lognormal
    biz_terr = terr_arr[biz] if n_b else np.zeros(0, np.int64)
    biz_sector_arr = np.array(biz_sector, dtype=np.int64)
    employer = np.full(n_h, ext, dtype=np.int64)
    fav = np.full((n_h, 4), -1, dtype=np.int64)
    cross = np.full(n_h, -1, dtype=np.int64)
    biz_owner = np.zeros(n_b, dtype=np.int64)
    biz_supplier = np.zeros(n_b, dtype=np.int64)
    for t, territory in enumerate(territories):
        in_t = hh_terr == t
        count = int(in_t.sum())
        b_in = biz_terr == t
        cands, weights = biz[b_in], biz_weight[b_in]
        jobs_t = job[in_t]
        emp = np.where(jobs_t == JOB_SUPERMARKET, territory.grande_surface,
                       np.where(jobs_t == JOB_COMMUNE, territory.commune, ext))
        if len(cands):
            picked = _pick(pop_rng, cands, weights, count)
            emp = np.where(jobs_t == JOB_BUSINESS, picked, emp)
        else:
            jobs_t = np.where(jobs_t == JOB_BUSINESS, JOB_OUTSIDE, jobs_t)
        job[in_t] = jobs_t
        employer[in_t] = emp
        for s in range(4):
            mask = b_in & (biz_sector_arr == s)
            if mask.any():
                fav[in_t, s] = _pick(pop_rng, biz[mask], biz_weight[mask], count)
        if several:
            others = (biz_terr != t)
            cross[in_t] = _pick(pop_rng, biz[others], biz_weight[others], count)
        if len(cands):
            biz_owner[b_in] = pop_rng.choice(territory.households, size=len(cands))
            producers = b_in & (biz_sector_arr == SECTORS.index("producteurs"))
            biz_supplier[b_in] = _pick(pop_rng, biz[producers], biz_weight[producers], len(cands))
    approval_draw = net_rng.random(n_b)
    hh_pos = np.full(len(ids), -1, dtype=np.int64)
    hh_pos[hh] = np.arange(n_h)
    biz_pos = np.full(len(ids), -1, dtype=np.int64)
    biz_pos[biz] = np.arange(n_b)
    return Population(
        actor_ids=ids, group=np.array(group, dtype=np.int64), terr=terr_arr, role=role,
        territories=territories, exterieur=ext, hh=hh, hh_terr=hh_terr, wage=wage, job=job,
        employer=employer, fav=fav, cross=cross, biz=biz, biz_sector=biz_sector_arr, biz_terr=biz_terr,
        biz_weight=biz_weight, biz_owner=biz_owner, biz_supplier=biz_supplier,
        approval_draw=approval_draw, sector_spending=sector_shares(eco, "sector_spending_share"),
        hh_pos=hh_pos, biz_pos=biz_pos,
    )
