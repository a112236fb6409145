"""The legal basis of every decision of every role, and the levers French law forbids.

One entry per decision of :data:`~monnaies_en_jeu.economy.decisions.SCHEMA`: its status
(``libre``: a private choice the law does not frame; ``legal``: lawful on the conditions
said; ``interdit``: unlawful, kept in the game only because the engine sanctions it,
the sanction named), one French sentence, and the keys of its sources in the kit's
annex (:mod:`monnaies_en_jeu.sources`). The role cards and the rules print it;
``tests/test_legal_basis.py`` checks that every decision has one and none is in
:data:`FORBIDDEN`.
"""

from __future__ import annotations

from dataclasses import dataclass

from monnaies_en_jeu.i18n import N_

LIBRE, LEGAL, INTERDIT = "libre", "legal", "interdit"


@dataclass(frozen=True)
class Basis:
    """Why a decision is lawful (or how the game sanctions it when it is not)."""

    status: str
    text: str
    sources: tuple[str, ...] = ()
    sanction: str = ""  #: for ``interdit``: the code of the engine's notice that sanctions it


_APPROVAL = Basis(LEGAL, N_("L'agrément est accordé par l'association selon sa charte : des critères clairs, "
                            "non discriminatoires et proportionnés ; accepter la monnaie reste volontaire."),
                  ("blanc_fare_agrement", "labolex_charte", "cmf_l111_1"))
_SOURCING = Basis(LIBRE, N_("Choix commercial de l'entreprise : acheter à des producteurs du territoire."))
_BUSINESS = {
    "apply_approval": _APPROVAL,
    "local_sourcing": _SOURCING,
    "reconvert": Basis(LEGAL, N_("Les professionnels agréés peuvent reconvertir en euros, avec des frais fixés "
                                 "par l'association (5 % pour l'eusko)."), ("eusko_reconversion_faq",)),
    "staff_bonus_share": Basis(LEGAL, N_("Une prime versée volontairement en monnaie locale, en plus du salaire dû "
                                         "en euros ; pratique d'employeurs (au Royaume-Uni, le conseil de Lambeth "
                                         "en 2012), sans texte français qui l'encadre trouvé par le kit."),
                               ("brixton_nesta_2012",)),
}

LEGAL_BASIS: dict[str, dict[str, Basis]] = {
    "menage": {
        "convert_eur": Basis(LEGAL, N_("Chacun peut échanger des euros contre des titres de monnaie locale, émis "
                                       "par une structure de l'économie sociale et solidaire ; les euros vont au "
                                       "fonds de garantie."), ("cmf_l311_5", "sol_reseau_faq")),
        "share_local": Basis(LIBRE, N_("Où l'on fait ses achats est un choix privé.")),
        "share_supermarket": Basis(LIBRE, N_("Où l'on fait ses achats est un choix privé.")),
        "share_online": Basis(LIBRE, N_("Où l'on fait ses achats est un choix privé.")),
    },
    "commerce": _BUSINESS,
    "producteur": _BUSINESS,
    "grande_surface": {
        "apply_approval": _APPROVAL,
        "price_pressure": Basis(LIBRE, N_("Les prix sont libres, sans revendre à perte.")),
    },
    "association": {
        "bonus": Basis(LEGAL, N_("L'association finance la bonification sur ses fonds, qu'une collectivité peut "
                                 "abonder par une subvention en euros."), ("rep_min_02761_2018", "sol_reseau_faq")),
        "exit_fee": Basis(LEGAL, N_("Frais de reconversion fixés par l'association pour les professionnels."),
                          ("eusko_reconversion_faq",)),
        "demurrage_rate": Basis(LEGAL, N_("Une règle de la monnaie que l'association fixe, comme la fonte du "
                                          "Chiemgauer."), ("chiemgauer_wikipedia_en",)),
        "accept_chains": Basis(LEGAL, N_("La charte choisit ses critères d'agrément, à condition qu'ils soient "
                                         "clairs et non discriminatoires."), ("blanc_fare_agrement", "labolex_charte")),
        "communication": Basis(LIBRE, N_("Une dépense de l'association sur ses fonds.")),
        "reserve_placement": Basis(LEGAL, N_("Les euros convertis forment un fonds de garantie placé en banque, "
                                             "souvent éthique ; le placement ne change pas son montant."),
                                   ("sol_reseau_faq",)),
    },
    "commune": {
        "accept_fees": Basis(LEGAL, N_("Les régies peuvent encaisser la monnaie locale après une délibération et "
                                       "une convention avec l'association."),
                             ("rep_min_02761_2018", "decret_2012_1246", "cgct_regies", "eusko_regies")),
        "fund_bonus": Basis(LEGAL, N_("Une subvention en euros à l'association, qui finance la bonification ; la "
                                      "commune ne peut pas acheter de monnaie locale pour la distribuer."),
                            ("rep_min_02761_2018", "loi_2000_321_art9_1")),
        "allotissement": Basis(LEGAL, N_("Allotir les marchés (art. L2113-10 du code de la commande publique) "
                                         "ouvre des lots aux petites entreprises, sans préférence locale."),
                               ("code_commande_publique", "ce_1994_ventenac")),
        "clauses": Basis(LEGAL, N_("Des clauses sociales et environnementales ouvertes à tous les candidats, "
                                   "liées à l'objet du marché."), ("code_commande_publique",)),
        "petits_marches": Basis(LEGAL, N_("Sans publicité ni mise en concurrence sous 60 000 € HT (fournitures et "
                                          "services, depuis le 1er avril 2026) et 100 000 € HT (travaux, depuis le "
                                          "1er janvier 2026), sans toujours choisir le même fournisseur."),
                                ("decret_2025_1386", "code_commande_publique")),
        "approvisionnement_direct": Basis(LEGAL, N_("Critère d'attribution sur les approvisionnements directs de "
                                                    "produits de l'agriculture (art. R2152-7) : il ne vaut que pour "
                                                    "les produits agricoles."), ("code_commande_publique",)),
        "subsidy": Basis(LEGAL, N_("Une subvention en euros à l'association pour son propre projet : la voie "
                                   "ordinaire du soutien public."), ("loi_2000_321_art9_1", "subventions_exemples")),
        "mandate_share": Basis(LEGAL, N_("Le mandat : avec l'accord des créanciers, la commune paie l'association en "
                                         "euros, qui règle les fournisseurs en monnaie locale."),
                               ("rep_min_9555_2019", "rep_min_19432_2021")),
        "pay_expenses_in_local": Basis(INTERDIT, N_("Une commune ne paie pas ses dépenses en monnaie locale : le "
                                                    "préfet défère la convention et le tribunal suspend le paiement "
                                                    "des dépenses (Bayonne, mai 2018)."),
                                       ("rep_min_02761_2018", "rep_min_9555_2019", "note_hal_bayonne_2018"),
                                       sanction="recours_prefet"),
    },
}

#: Levers French law forbids, that no role may hold, and why.
FORBIDDEN: dict[str, Basis] = {
    "local_purchasing": Basis(INTERDIT, N_("Réserver une part des achats publics aux entreprises locales : la "
                                           "préférence locale viole l'égalité de traitement des candidats."),
                              ("code_commande_publique", "ce_1994_ventenac")),
    "buy_local_currency": Basis(INTERDIT, N_("Une commune qui achète de la monnaie locale pour la distribuer ou "
                                             "faire de petits achats."), ("rep_min_02761_2018",)),
    "taxes_in_local": Basis(INTERDIT, N_("Encaisser les impôts en monnaie locale."), ("rep_min_02761_2018",)),
}
