"""The economy engine: scenarios, the territory's accounts and rounds, the ledger and indicators.

It knows nothing of widgets, sessions or charts; the game, the debrief and
the apps build on it.
"""
