"""The debrief: charts of a run, its counterfactual, a French summary, the report and exports.

Every chart is a class whose ``layout`` is a Bokeh layout and whose
``update(run)`` (``update(run, counterfactual)`` for charts comparing the two,
``update(runs, labels)`` for the comparison) changes only the data sources, so
a chart shown in a Voilà app follows the game without being rebuilt; a plain
function returns the layout for one-off use. Builds on the economy engine only.
"""

from __future__ import annotations

from monnaies_en_jeu.debrief.circulation import CirculationChart, circulation_chart
from monnaies_en_jeu.debrief.compare import ComparisonChart, comparison_chart
from monnaies_en_jeu.debrief.counterfactual import counterfactual
from monnaies_en_jeu.debrief.errors import DebriefError
from monnaies_en_jeu.debrief.export import export_csv, export_excel, export_png
from monnaies_en_jeu.debrief.flows import FlowsChart, flows_chart
from monnaies_en_jeu.debrief.inequality import InequalityChart, inequality_chart
from monnaies_en_jeu.debrief.multiplier import MultiplierChart, multiplier_chart
from monnaies_en_jeu.debrief.outcomes import OutcomesChart, outcomes_chart
from monnaies_en_jeu.debrief.report import build_report, cli_report, debrief_charts, write_report
from monnaies_en_jeu.debrief.summary import key_figures, summary
from monnaies_en_jeu.debrief.velocity import VelocityChart, velocity_chart

__all__ = [
    "CirculationChart", "ComparisonChart", "DebriefError", "FlowsChart", "InequalityChart", "MultiplierChart",
    "OutcomesChart", "VelocityChart", "build_report", "circulation_chart", "cli_report", "comparison_chart",
    "counterfactual", "debrief_charts", "export_csv", "export_excel", "export_png", "flows_chart",
    "inequality_chart", "key_figures", "multiplier_chart", "outcomes_chart", "summary", "velocity_chart",
    "write_report",
]
