"""A thin quiz widget: the question, a choice, a « Vérifier » button and the feedback.

All the logic stays in :func:`~monnaies_en_jeu.content.questions.verifier`;
this module only wires ipywidgets to it.
"""

from __future__ import annotations

from typing import Any

from monnaies_en_jeu.content.questions import question, titre, verifier
from monnaies_en_jeu.i18n import _


def _input_for(item: dict[str, Any], lang: str | None = "fr"):
    import ipywidgets as w

    layout = w.Layout(width="auto")
    if item["type"] == "choix":
        return w.RadioButtons(options=[(f"{k}) {t}", k) for k, t in item["choix"]], value=None,
                              layout=layout)
    if item.get("elements") and item["type"] == "ensemble":
        return w.SelectMultiple(options=[(t, k) for k, t in item["elements"]], value=(),
                                rows=min(8, len(item["elements"])), layout=w.Layout(width="90%"))
    placeholder = _("votre réponse", lang) if item["type"] == "nombre" else "a, b, c"
    return w.Text(value="", placeholder=placeholder)


def quiz(question_id: str, lang: str | None = "fr"):
    """A widget asking one question of the bank and showing the checker's feedback.

    Args:
        question_id: id of a question of the bank (``"m1_q1"``).
        lang: ``"fr"`` or ``"en"``.

    Returns:
        An ``ipywidgets.VBox``; its ``reponse`` attribute is the input widget,
        ``sortie`` the output area, ``verifier()`` clicks the button and
        ``dernier_retour`` holds the last Feedback (handy in tests).
    """
    import ipywidgets as w

    try:
        item = question(question_id, lang)
    except KeyError:
        box = w.VBox([w.HTML(verifier(question_id, None, lang)._repr_html_())])
        box.reponse, box.sortie = None, None
        return box
    enonce = w.HTML(f"<b>{titre(question_id, lang)}</b> — {item['enonce']}")
    entry = _input_for(item, lang)
    button = w.Button(description=_("Vérifier", lang), icon="check", button_style="primary")
    output = w.Output()

    def on_click(_button=None) -> None:
        value = entry.value
        if isinstance(value, str) and item["type"] in ("ensemble", "ordre"):
            value = [part.strip() for part in value.split(",") if part.strip()]
        feedback = verifier(question_id, value, lang)
        box.dernier_retour = feedback
        output.outputs = ()
        output.append_display_data(feedback)

    button.on_click(on_click)
    box = w.VBox([enonce, entry, button, output])
    box.reponse, box.sortie, box.verifier, box.dernier_retour = entry, output, on_click, None
    return box
