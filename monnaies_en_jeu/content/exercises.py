"""Exercises as widgets: learners answer with the mouse and the keyboard, never in code.

:func:`exercice` shows one question of the bank with the input its type needs
(choices, checkboxes, a number typed the French way, a list to put in order;
never codes typed in a list),
a « Valider » button and, under it, the checker's feedback
(:func:`~monnaies_en_jeu.content.questions.verifier`). Numbers go through the
kit's one reader, :func:`monnaies_en_jeu.numbers.read_number`: « 1.000 » is
asked back (« 1 000 ou 1 ? »), never guessed.

:class:`Atelier` is a form (checkboxes, sliders…) whose validated value feeds
views shown in later cells (a chart, a table), so a notebook stays one call
per cell. Every validated answer is kept in this kernel's :data:`JOURNAL`;
:func:`bilan_du_module` shows the learner's recap and offers it as a standalone
HTML page to download.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from monnaies_en_jeu.content.feedback import Feedback
from monnaies_en_jeu.content.questions import question, titre, verifier
from monnaies_en_jeu.i18n import _, check_lang
from monnaies_en_jeu.numbers import NumberError, read_number

#: This kernel's validated answers: question id -> (answer as checked, answer as shown, feedback).
JOURNAL: dict[str, tuple[Any, str, Feedback]] = {}
#: This kernel's open answers: open question id -> (text written, points of the checklist ticked).
REPONSES_LIBRES: dict[str, tuple[str, list[str]]] = {}

_WIDE = {"width": "auto"}
#: Beyond this many checkboxes, they are laid out in columns (the ledger's 34 numbers).
_BOXES_IN_ONE_COLUMN = 12


class SaisieIllisible(Exception):
    """An input that cannot be read; carries the feedback to show instead."""

    def __init__(self, feedback: Feedback) -> None:
        super().__init__(feedback.message)
        self.feedback = feedback


def lire_nombre(texte: str, lang: str | None = "fr"):
    """The number typed in ``texte`` (a Decimal), or None when nothing was typed.

    Raises:
        SaisieIllisible: not a number, or « 1.000 » (the feedback asks which was meant).
    """
    if not str(texte or "").strip():
        return None
    try:
        return read_number(texte)
    except NumberError as error:  # AmbiguousNumber included: its message asks the question
        raise SaisieIllisible(Feedback(False, error.message(lang), lang)) from None


def champ_nombre(description: str, lang: str | None = "fr", valeur: str = ""):
    """A text field for a number typed the French way (read with :func:`lire_nombre`)."""
    import ipywidgets as w

    return w.Text(value=valeur, description=description, placeholder=_("par exemple 12,5", lang),
                  style={"description_width": "initial"}, layout=w.Layout(width="min(36em, 95%)"))


def _not_answered(lang: str) -> Feedback:
    return Feedback(None, _("Répondez, puis cliquez sur « Valider ».", lang), lang)


def _entry_for(item: dict[str, Any], lang: str):
    """The input widget of one question and a function reading it: () -> (answer, shown)."""
    import ipywidgets as w

    kind, elements = item["type"], item.get("elements") or []
    if kind == "choix":
        radio = w.RadioButtons(options=[(f"{k}) {t}", k) for k, t in item["choix"]], value=None,
                               layout=w.Layout(**_WIDE))
        texts = dict(item["choix"])
        return radio, lambda: (radio.value, f"{radio.value}) {texts[radio.value]}" if radio.value else "")
    if kind == "nombre":
        text = w.Text(value="", placeholder=_("par exemple 12,5", lang), continuous_update=False)
        unit = w.Label(item.get("unite") or "")

        def read_number_entry():
            value = lire_nombre(text.value, lang)
            return value, text.value.strip()
        return w.HBox([text, unit]), read_number_entry
    if kind == "ensemble":
        boxes = [(key, w.Checkbox(value=False, description=label, indent=False,
                                  layout=w.Layout(**_WIDE))) for key, label in elements]

        def read_boxes():
            picked = [key for key, box in boxes if box.value]
            return picked, " ; ".join(box.description for _key, box in boxes if box.value)
        children = [box for _key, box in boxes]
        if len(children) > _BOXES_IN_ONE_COLUMN:
            return w.GridBox(children, layout=w.Layout(
                grid_template_columns="repeat(auto-fill, minmax(10em, 1fr))", width="min(48em, 95%)")), read_boxes
        return w.VBox(children), read_boxes
    menus = [w.Dropdown(options=[("—", None), *[(label, key) for key, label in elements]],
                        value=None, description=f"{rank}.", layout=w.Layout(width="min(40em, 95%)"))
             for rank in range(1, len(elements) + 1)]
    labels = dict(elements)

    def read_menus():
        picked = [menu.value for menu in menus if menu.value is not None]
        return picked, " → ".join(labels[key] for key in picked)
    return w.VBox(menus), read_menus


def exercice(question_id: str, lang: str | None = "fr",
             ensuite: Callable[[Any], Any] | None = None):
    """One question of the bank as a widget: its input, « Valider » and the feedback under it.

    Args:
        question_id: id of a question of the bank (``"m2_q3"``; learners only read « Question 3 »).
        lang: ``"fr"`` or ``"en"``.
        ensuite: optional; called with the validated answer, what it returns (a chart,
            a table) is shown under the feedback.

    Returns:
        An ``ipywidgets.VBox``; ``valider()`` clicks the button, ``dernier_retour`` holds
        the last Feedback, ``saisie`` the input widget and ``sortie`` the area under it;
        ``vue(faire)`` is a widget showing ``faire(answer)`` (``faire(None)`` until the
        learner validates), for a later cell.
    """
    import ipywidgets as w

    lang = check_lang(lang)
    try:
        item = question(question_id, lang)
    except KeyError:
        box = w.VBox([w.HTML(verifier(question_id, None, lang)._repr_html_())])
        box.dernier_retour = None
        return box
    entry, read = _entry_for(item, lang)
    button = w.Button(description=_("Valider", lang), icon="check", button_style="primary")
    feedback_area = w.HTML()
    after = w.VBox()
    views: list = []

    def validate(_button=None) -> Feedback:
        try:
            answer, shown = read()
        except SaisieIllisible as unread:  # asked back, not checked: the last answer stays
            feedback_area.value = unread.feedback._repr_html_()
            box.dernier_retour = unread.feedback
            return unread.feedback
        empty = answer is None or answer == []
        feedback = _not_answered(lang) if empty else verifier(question_id, answer, lang)
        feedback_area.value = feedback._repr_html_()
        if not empty:
            JOURNAL[question_id] = (answer, shown, feedback)
            if ensuite is not None:
                after.children = [vue(ensuite(answer), lang)]
            _redraw(views, answer, lang)
        box.dernier_retour = feedback
        return feedback

    button.on_click(validate)
    heading = w.HTML(f"<b>{html.escape(titre(question_id, lang))}</b> — {html.escape(item['enonce'])}")
    box = w.VBox([heading, entry, button, feedback_area, after],
                 layout=w.Layout(margin="0.5em 0 1em 0"))
    box.add_class("mej-exercice")
    box.valider, box.dernier_retour, box.saisie, box.sortie = validate, None, entry, feedback_area
    box.vue = lambda faire, colonnes=None: _add_view(views, faire, colonnes, None, lang)
    return box


def _add_view(views: list, faire: Callable[[Any], Any], colonnes: list[str] | None, valeur: Any,
              lang: str):
    import ipywidgets as w

    def make(value: Any) -> Any:
        shown = faire(value)
        if type(shown).__name__ == "DataFrame":
            from monnaies_en_jeu.content.tables import COLONNES, tableau

            frame = shown.reset_index(drop=all(name is None for name in shown.index.names))
            names = list(colonnes or frame.columns)  # columns the kit does not know keep their (French) name
            shown = tableau(frame, names, lang, libelles={c: str(c) for c in names if c not in COLONNES})
        return shown

    box = w.VBox([vue(make(valeur), lang)])
    box.add_class("mej-vue")
    views.append((box, make))
    return box


def _redraw(views: list, valeur: Any, lang: str) -> None:
    for box, make in views:
        box.children = [vue(make(valeur), lang)]


def _open_question(reflexion_id: str, lang: str) -> dict[str, Any]:
    from monnaies_en_jeu.content.datafiles import load_yaml, texte

    item = load_yaml("reflexions.yaml")[reflexion_id]
    return {"module": item["module"], "consigne": texte(item["consigne"], lang),
            "modele": texte(item["modele"], lang), "points": [texte(p, lang) for p in item["points"]]}


def question_ouverte(reflexion_id: str, lang: str | None = "fr"):
    """An open question (``data/reflexions.yaml``): the learner writes, validates, then compares.

    « Valider » shows a possible answer and a checklist to tick against one's own;
    the text and the ticks go into the module's recap.

    Returns:
        An ``ipywidgets.VBox``; ``valider()`` clicks the button, ``texte`` is the text area
        and ``points`` the checklist's checkboxes.
    """
    import ipywidgets as w

    lang = check_lang(lang)
    item = _open_question(reflexion_id, lang)
    area = w.Textarea(placeholder=_("Votre réponse, en quelques phrases", lang),
                      layout=w.Layout(width="min(48em, 95%)", height="7em"))
    button = w.Button(description=_("Valider", lang), icon="check", button_style="primary")
    boxes = [w.Checkbox(value=False, description=point, indent=False, layout=w.Layout(width="auto"))
             for point in item["points"]]
    comparison = w.VBox()

    def record(_change=None) -> None:
        REPONSES_LIBRES[reflexion_id] = (area.value.strip(), [b.description for b in boxes if b.value])

    def validate(_button=None) -> None:
        record()
        comparison.children = [
            w.HTML(f"<p><b>{html.escape(_('Une réponse possible', lang))}</b>\u00a0: "
                   f"{html.escape(item['modele'])}</p>"
                   f"<p><b>{html.escape(_('Comparez avec la vôtre', lang))}</b>\u00a0:</p>"),
            *boxes]

    for box in boxes:
        box.observe(record, names="value")
    button.on_click(validate)
    widget = w.VBox([w.HTML(f"<b>{html.escape(item['consigne'])}</b>"), area, button, comparison],
                    layout=w.Layout(margin="0.5em 0 1em 0"))
    widget.add_class("mej-question-ouverte")
    widget.valider, widget.texte, widget.points = validate, area, boxes
    return widget


def vue(objet: Any, lang: str | None = "fr"):
    """A widget showing ``objet``: a Bokeh chart (BokehModel), a table, a text or a widget."""
    import ipywidgets as w
    from bokeh.model import Model

    from monnaies_en_jeu.content.charts import graphique_widget

    if isinstance(objet, w.Widget):
        return objet
    if isinstance(objet, Model):
        return graphique_widget(objet)
    if hasattr(objet, "to_html"):  # a pandas Styler from tableau()
        return w.HTML(objet.to_html())
    if hasattr(objet, "_repr_html_"):
        return w.HTML(objet._repr_html_())
    return w.HTML(f"<p>{html.escape(str(objet))}</p>")


@dataclass
class Atelier:
    """A form whose validated value feeds views shown in later cells.

    Attributes:
        controles: the input widgets, in order.
        lire: reads the controls into the value the views are given.
        lang: language of the button.
        valeur: the last validated value (the controls' starting value at first).
    """

    controles: list[Any]
    lire: Callable[[], Any]
    lang: str = "fr"
    valeur: Any = None
    _vues: list[tuple[Any, Callable[[Any], Any]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        import ipywidgets as w

        self.valeur = self.lire()
        self.bouton = w.Button(description=_("Valider", self.lang), icon="check",
                               button_style="primary")
        self.bouton.on_click(self.valider)
        self.message = w.HTML()
        self.widget = w.VBox([*self.controles, self.bouton, self.message])
        self.widget.add_class("mej-atelier")

    def valider(self, _button=None) -> Any:
        """Read the controls and redraw every view (as a click on « Valider » does).

        An input that cannot be read (« 1.000 », a word) is explained under the
        button and the views keep the last valid value.
        """
        try:
            self.valeur = self.lire()
        except SaisieIllisible as unread:
            self.message.value = unread.feedback._repr_html_()
            return self.valeur
        self.message.value = ""
        _redraw(self._vues, self.valeur, self.lang)
        return self.valeur

    def vue(self, faire: Callable[[Any], Any] = lambda valeur: valeur, colonnes: list[str] | None = None):
        """A widget showing ``faire(valeur)``, redrawn each time the form is validated.

        A DataFrame is shown through :func:`~monnaies_en_jeu.content.tables.tableau`
        (only ``colonnes`` when given).
        """
        return _add_view(self._vues, faire, colonnes, self.valeur, self.lang)

    def _repr_mimebundle_(self, **kwargs: Any):
        return self.widget._repr_mimebundle_(**kwargs)


def _questions_of(module: int) -> list[str]:
    from monnaies_en_jeu.content.modules import module as module_entry

    return list(module_entry(module)["questions"])


def recapitulatif(module: int, lang: str | None = "fr") -> str:
    """The learner's answers to one module and the feedback, as a standalone HTML page."""
    from monnaies_en_jeu.content.modules import module as module_entry

    lang = check_lang(lang)
    entry = module_entry(module, lang)
    rows = []
    for qid in _questions_of(module):
        _answer, shown, feedback = JOURNAL.get(qid, (None, "", _not_answered(lang)))
        rows.append(
            f"<section><h2>{html.escape(titre(qid, lang))}</h2>"
            f"<p>{html.escape(question(qid, lang)['enonce'])}</p>"
            f"<p><b>{html.escape(_('Votre réponse', lang))}</b> : "
            f"{html.escape(shown) or '—'}</p>{feedback._repr_html_()}</section>")
    from monnaies_en_jeu.content.datafiles import load_yaml

    for rid, spec in load_yaml("reflexions.yaml").items():
        if spec["module"] != module:
            continue
        item = _open_question(rid, lang)
        text, ticked = REPONSES_LIBRES.get(rid, ("", []))
        checklist = "".join(f"<li>{'☑' if point in ticked else '☐'} {html.escape(point)}</li>"
                            for point in item["points"])
        rows.append(f"<section><h2>{html.escape(_('Question ouverte', lang))}</h2>"
                    f"<p>{html.escape(item['consigne'])}</p>"
                    f"<p><b>{html.escape(_('Votre réponse', lang))}</b>\u00a0: {html.escape(text) or '—'}</p>"
                    f"<p><b>{html.escape(_('Une réponse possible', lang))}</b>\u00a0: {html.escape(item['modele'])}</p>"
                    f"<ul style=\"list-style:none;padding-left:0\">{checklist}</ul></section>")
    page_title = _("Mon bilan — {titre}", lang).format(titre=entry["titre"])
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(page_title)}</title>"
            "<style>body{font-family:sans-serif;max-width:48em;margin:1em auto;padding:0 1em;"
            "line-height:1.4;color:#1A1A1A}h2{font-size:1.1em;margin-top:1.5em}</style></head>"
            f"<body><h1>{html.escape(page_title)}</h1>{''.join(rows)}</body></html>")


def lien_recapitulatif(module: int, lang: str | None = "fr") -> str:
    """An HTML link downloading :func:`recapitulatif` (a data: address, nothing on the server)."""
    lang = check_lang(lang)
    page = base64.b64encode(recapitulatif(module, lang).encode("utf-8")).decode("ascii")
    name = f"bilan_module_{module:02d}.html"
    label = _("Télécharger mon bilan (page HTML)", lang)
    return (f'<a class="mej-recap" download="{name}" href="data:text/html;charset=utf-8;base64,{page}" '
            f'style="font-weight:bold">⬇ {html.escape(label)}</a>')


def bilan_du_module(module: int, lang: str | None = "fr"):
    """« Voir mon bilan »: a chart of the learner's answers and the recap to download.

    Returns:
        An ``ipywidgets.VBox``; ``actualiser()`` does what the button does.
    """
    import ipywidgets as w

    from monnaies_en_jeu.content.questions import graphique_bilan

    lang = check_lang(lang)
    button = w.Button(description=_("Voir mon bilan", lang), icon="list", button_style="info")
    area = w.VBox()

    def refresh(_button=None) -> None:
        answers = {qid: JOURNAL.get(qid, (None,))[0] for qid in _questions_of(module)}
        area.children = [vue(graphique_bilan(answers, lang), lang),
                         w.HTML(lien_recapitulatif(module, lang))]

    button.on_click(refresh)
    refresh()
    box = w.VBox([button, area])
    box.add_class("mej-bilan")
    box.actualiser = refresh
    return box
