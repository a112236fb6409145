"""Colours shared by every chart of the kit: one per currency and one per group.

The palette is Okabe and Ito's (2008), safe for the common colour-vision
deficiencies; charts never rely on colour alone (labels and legends name
every series).
"""

from __future__ import annotations

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
GREY = "#8C8C8C"

GROUP_COLOURS: dict[str, str] = {
    "menages": "#0072B2",
    "alimentation": "#009E73",
    "cafe_restaurant": "#56B4E9",
    "producteurs": "#F0E442",
    "artisans_services": "#CC79A7",
    "grande_surface": "#D55E00",
    "commune": "#E69F00",
    "association": "#000000",
    "banque": GREY,
    "emission": GREY,
    "exterieur": "#5A5A5A",
}
ROLE_COLOURS: dict[str, str] = {
    "menage": GROUP_COLOURS["menages"],
    "commerce": GROUP_COLOURS["alimentation"],
    "producteur": GROUP_COLOURS["producteurs"],
    "grande_surface": GROUP_COLOURS["grande_surface"],
    "association": GROUP_COLOURS["association"],
    "commune": GROUP_COLOURS["commune"],
}
EURO_COLOUR = "#0072B2"
_LOCAL_CURRENCY_COLOURS = ("#009E73", "#CC79A7", "#E69F00", "#56B4E9")


def currency_colour(currency: str, local_currencies: list[str] | tuple[str, ...] = ()) -> str:
    """Colour of a currency: the euro is always blue; local ones by their order in the scenario."""
    if currency == "EUR":
        return EURO_COLOUR
    ordered = sorted(local_currencies) if local_currencies else [currency]
    index = ordered.index(currency) if currency in ordered else 0
    return _LOCAL_CURRENCY_COLOURS[index % len(_LOCAL_CURRENCY_COLOURS)]
