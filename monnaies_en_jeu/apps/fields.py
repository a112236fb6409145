"""Widgets for a seat's decisions, drawn from the game's ``DecisionField`` list (light: no numpy).

* money and whole numbers: a text box that accepts « 12,50 » as well as « 12.5 »,
  with − and + buttons (big enough for a thumb) rather than a fiddly slider;
* shares: the same, in percent; shares that must add up to 100 % show their
  total live, say what is missing, and offer to complete the last one;
* yes/no: two toggle buttons « Oui » / « Non »;
* choices: radio buttons with the choices' labels.

The bounds shown come from the field (``min``/``max`` computed by the game for
this seat and round). The widgets only help typing: the game checks every
submission and its French error is shown next to the field it names.
"""

from __future__ import annotations

import math
from typing import Any

import ipywidgets as W

from monnaies_en_jeu.apps.common import esc, html_widget, parse_decimal, plain_number
from monnaies_en_jeu.i18n import N_, _, format_money, format_number, format_percent
from monnaies_en_jeu.numbers import AmbiguousNumber

GROUP_TITLES = {"depenses": N_("Où vont vos achats ?")}


class InputProblem(ValueError):
    """A value that cannot be read (not a number): the field and a French sentence."""

    def __init__(self, field: str, text: str) -> None:
        super().__init__(text)
        self.field = field
        self.text = text

    def message(self, lang: str = "fr") -> str:
        """The sentence (already in the page's language)."""
        return self.text


def _money_step(hi: float | None) -> float:
    """A round step for the − and + buttons: about a hundredth of the bound (1, 2 or 5 × 10ⁿ euros)."""
    if hi is None or hi <= 0:
        return 10.0
    target = hi / 100
    step = 1.0
    while True:
        for factor in (1, 2, 5):
            if step * factor >= target:
                return step * factor
        step *= 10


class FieldWidget:
    """One decision: label, help sentence, input, and a line for its error.

    Args:
        field: a ``DecisionField`` (name, label, kind, min, max, choices, default, help, group).
        lang: language of the texts.
        on_change: called after any change of value.
    """

    def __init__(self, field: Any, lang: str = "fr", on_change=None) -> None:
        self.field = field
        self.name = field.name
        self.kind = field.kind
        self.lang = lang
        self.on_change = on_change
        self.currency = getattr(field, "unit", "EUR") or "EUR"
        self.error = html_widget("", "mej-field-error")
        label = html_widget(f"<label class='mej-field-label'><strong>{esc(field.label)}</strong></label>")
        parts: list[W.Widget] = [label]
        if self.kind in ("money", "share", "int"):
            parts.append(self._number())
            bounds = self.bounds_text()
            if bounds:
                self.bounds = html_widget(f"<span class='mej-muted'>{esc(bounds)}</span>")
                parts.append(self.bounds)
        elif self.kind == "bool":
            self.input = W.ToggleButtons(options=[(_("Oui", lang), True), (_("Non", lang), False)],
                                         value=bool(field.default), style={"button_width": "110px"},
                                         tooltips=[field.label, field.label])
            self.input.observe(self._changed, names="value")
            parts.append(self.input)
        elif self.kind == "choice":
            options = [(label_, value) for value, label_ in field.choices] or [(str(field.default),
                                                                                field.default)]
            values = [v for _l, v in options]
            self.input = W.RadioButtons(options=options, value=field.default if field.default in values
                                        else values[0], layout=W.Layout(width="100%"))
            self.input.observe(self._changed, names="value")
            parts.append(self.input)
        else:  # an unknown kind: shown as text, sent as typed
            self.input = W.Text(value=str(field.default if field.default is not None else ""))
            parts.append(self.input)
        if field.help:
            parts.append(html_widget(f"<span class='mej-muted'>{esc(field.help)}</span>"))
        self.locked = getattr(field, "locked", None)
        for text, css, kind in ((getattr(field, "note", None), "info", "note"), (self.locked, "wait", "lock")):
            if text:
                parts.append(html_widget(f"<div class='mej-msg mej-msg-{css} mej-field-{kind}' role='note'>"
                                         f"{esc(text)}</div>"))
        self.since = html_widget("", "mej-field-since")
        parts.append(self.since)
        parts.append(self.error)
        self.widget = W.VBox(parts, layout=W.Layout(width="100%"))
        self.widget.add_class("mej-field")
        self.widget.add_class(f"mej-field-{self.name}")
        if self.locked:
            self.widget.add_class("mej-field-locked")
            self.disable()
        self.mark_change()

    # -- numbers ----------------------------------------------------------------------------------------
    def _number(self) -> W.HBox:
        field, lang = self.field, self.lang
        self.scale = 100.0 if self.kind == "share" else 1.0
        if self.kind == "share":
            self.step = 5.0
            self.digits = 1
            unit = "%"
        elif self.kind == "money":
            self.step = _money_step(field.max)
            self.digits = 2
            unit = self.currency if self.currency != "EUR" else "€"
        else:
            self.step = 1.0
            self.digits = 0
            unit = ""
        default = field.default if field.default is not None else (field.min or 0)
        self.exact = (self._text(float(default) * self.scale), float(default))
        self.input = W.Text(value=self.exact[0],
                            continuous_update=True, layout=W.Layout(width="auto", flex="1 1 auto"))
        self.input.add_class("mej-number")
        self.input.observe(self._changed, names="value")
        self.minus = W.Button(description="−", tooltip=_("Diminuer : {label}", lang).format(label=field.label),
                              layout=W.Layout(width="52px", height="auto", flex="0 0 52px"))
        self.plus = W.Button(description="+", tooltip=_("Augmenter : {label}", lang).format(label=field.label),
                             layout=W.Layout(width="52px", height="auto", flex="0 0 52px"))
        for b in (self.minus, self.plus):
            b.add_class("mej-step")
        self.minus.on_click(lambda _b: self.nudge(-1))
        self.plus.on_click(lambda _b: self.nudge(+1))
        self.unit = html_widget(f"<span class='mej-unit'>{esc(unit)}</span>", width="auto")
        self.unit.layout.flex = "0 0 auto"
        box = W.HBox([self.minus, self.input, self.unit, self.plus],
                     layout=W.Layout(width="100%", align_items="center"))
        box.add_class("mej-number-row")
        return box

    def _text(self, number: float) -> str:
        """The number as the input box shows it (money with both decimals: « 12,50 »)."""
        return plain_number(number, self.lang, self.digits, cents=self.kind == "money")

    def bounds_text(self) -> str:
        """« Entre 0 € et 1 234,50 € » for this seat and round."""
        f, lang = self.field, self.lang
        if f.min is None and f.max is None:
            return ""
        if self.kind == "money":
            lo = format_money(round((f.min or 0) * 100), lang, self.currency)
            hi = format_money(round(f.max * 100), lang, self.currency) if f.max is not None else None
            if hi is None:
                return _("Au moins {lo}", lang).format(lo=lo)
            return _("Entre {lo} et {hi} (ce que vous avez ce mois-ci)", lang).format(lo=lo, hi=hi)
        if self.kind == "share":
            return _("Entre {lo} et {hi}", lang).format(lo=format_percent(f.min or 0, lang),
                                                         hi=format_percent(f.max if f.max is not None else 1, lang))
        return _("Entre {lo} et {hi}", lang).format(lo=format_number(f.min or 0, lang, 0),
                                                     hi=format_number(f.max, lang, 0) if f.max is not None else "…")

    def nudge(self, direction: int) -> None:
        """The − or + button: one step down or up, kept within the bounds."""
        try:
            current = parse_decimal(self.input.value)
        except ValueError:
            current = (self.field.default or 0) * self.scale
        q = current / self.step
        if abs(q - round(q)) < 1e-9:
            value = (round(q) + direction) * self.step
        else:  # between two steps: go to the next one in that direction
            value = (math.floor(q) + (1 if direction > 0 else 0)) * self.step
        lo = (self.field.min if self.field.min is not None else -math.inf) * self.scale
        hi = (self.field.max if self.field.max is not None else math.inf) * self.scale
        value = min(max(value, lo), hi)
        self.input.value = self._text(value)

    def previous_text(self) -> str:
        """The seat's last submitted value as text (« 60 % », « 120,00 € », « Oui »), or ''."""
        f, lang = self.field, self.lang
        if f.previous is None:
            return ""
        if self.kind == "money":
            return format_money(round(f.previous * 100), lang, self.currency)
        if self.kind == "share":
            return format_percent(f.previous, lang, 0 if abs(f.previous * 100 - round(f.previous * 100)) < 1e-6 else 1)
        if self.kind == "bool":
            return _("Oui", lang) if f.previous else _("Non", lang)
        if self.kind == "choice":
            return dict(f.choices).get(f.previous, str(f.previous))
        return format_number(f.previous, lang, 0)

    def differs(self) -> bool:
        """The value shown differs from the seat's last submission (False when it never sent this field)."""
        if self.field.previous is None:
            return False
        try:
            now = self.value()
        except InputProblem:
            return True
        if self.kind in ("money", "share", "int"):
            return abs(float(now) - float(self.field.previous)) > 1e-9
        return now != self.field.previous

    def mark_change(self) -> None:
        """Say under the field when it differs from the last submission (« Votre dernier envoi : 60 % »)."""
        if self.differs():
            self.since.value = (f"<span class='mej-changed'>✎ {esc(_('Votre dernier envoi', self.lang))} : "
                                f"{esc(self.previous_text())}</span>")
            self.widget.add_class("mej-field-changed")
        else:
            self.since.value = ""
            self.widget.remove_class("mej-field-changed")

    def _changed(self, _change=None) -> None:
        self.check()
        self.mark_change()
        if self.on_change:
            self.on_change(self)

    def check(self) -> bool:
        """Show a hint under the field when its text is not a number or is out of bounds (live)."""
        if self.kind not in ("money", "share", "int"):
            self.set_error("")
            return True
        lang = self.lang
        try:
            value = parse_decimal(self.input.value) / self.scale
        except AmbiguousNumber as question:
            self.set_error(question.message(lang))
            return False
        except ValueError:
            self.set_error(_("Écrivez un nombre, par exemple 12,50.", lang))
            return False
        f = self.field
        if (f.min is not None and value < f.min - 1e-9) or (f.max is not None and value > f.max + 1e-9):
            self.set_error(_("Hors des limites : {bounds}.", lang).format(bounds=self.bounds_text()))
            return False
        self.set_error("")
        return True

    def shown_number(self) -> float:
        """The number in the box, in the box's unit (percent for shares); exact when untouched.

        Raises:
            ValueError: the text is not a number.
        """
        if self.input.value == self.exact[0]:
            return self.exact[1] * self.scale
        return parse_decimal(self.input.value)

    def set_error(self, text: str) -> None:
        """Show (or clear) the line under the field."""
        self.error.value = (f"<div class='mej-msg mej-msg-error' role='alert'><strong>⚠</strong> {esc(text)}</div>"
                            if text else "")
        if text:
            self.widget.add_class("mej-field-bad")
        else:
            self.widget.remove_class("mej-field-bad")

    def value(self) -> Any:
        """The value to submit (euros for money, 0–1 for shares).

        Raises:
            InputProblem: the text is not a number.
        """
        if self.kind in ("money", "share", "int"):
            try:
                number = parse_decimal(self.input.value)
            except AmbiguousNumber as question:
                raise InputProblem(self.name, question.message(self.lang)) from None
            except ValueError:
                raise InputProblem(self.name, _("« {label} » : écrivez un nombre, par exemple 12,50.", self.lang)
                                   .format(label=self.field.label)) from None
            if self.input.value == self.exact[0]:  # untouched: the exact value, not its rounded text
                return self.exact[1]
            if self.kind == "int":
                return int(number) if float(number).is_integer() else number
            return round(number / self.scale, 6) if self.kind == "share" else round(number, 2)
        return self.input.value

    def set_value(self, value: Any) -> None:
        """Show a value (e.g. the decisions already sent)."""
        if value is None:
            return
        if self.kind in ("money", "share", "int"):
            self.exact = (self._text(float(value) * self.scale), float(value))
            self.input.value = self.exact[0]
        elif self.kind in ("bool", "choice"):
            try:
                self.input.value = value
            except Exception:  # a value no longer offered: keep the current one
                pass
        self.mark_change()

    def disable(self, off: bool = True) -> None:
        """Freeze the input (nothing can be sent); a field the law locked stays frozen."""
        off = off or bool(self.locked)
        self.input.disabled = off
        if self.kind in ("money", "share", "int"):
            self.minus.disabled = self.plus.disabled = off


class ShareGroup:
    """Shares that must add up to 100 %: their fields, the live total and a « complete » button."""

    def __init__(self, group: str, fields: list[FieldWidget], lang: str = "fr") -> None:
        self.group = group
        self.fields = fields
        self.lang = lang
        self.total = html_widget("")
        self.complete = W.Button(description=_("Compléter avec la dernière part", lang),
                                 tooltip=_("Ajuste la dernière part pour que le total fasse 100 %.", lang),
                                 layout=W.Layout(width="auto", height="auto"))
        self.complete.add_class("mej-button")
        self.complete.on_click(lambda _b: self.fill_last())
        title = GROUP_TITLES.get(group)
        head = [html_widget(f"<h3>{esc(_(title, lang))}</h3><p class='mej-muted'>"
                            f"{esc(_('Ces parts doivent faire 100 % à elles toutes.', lang))}</p>")] if title else [
            html_widget(f"<p class='mej-muted'>{esc(_('Ces parts doivent faire 100 % à elles toutes.', lang))}</p>")]
        self.widget = W.VBox([*head, *[f.widget for f in fields], self.total, self.complete],
                             layout=W.Layout(width="100%"))
        self.widget.add_class("mej-card")
        self.widget.add_class("mej-share-group")
        self.update()

    def percents(self) -> list[float] | None:
        """Each share in percent, or None when one is not a number."""
        try:
            return [f.shown_number() for f in self.fields]
        except ValueError:
            return None

    def update(self, _field: FieldWidget | None = None) -> None:
        """Refresh the total line (called on every change)."""
        lang = self.lang
        values = self.percents()
        if values is None:
            self.total.value = (f"<div class='mej-total mej-total-bad' role='status' aria-live='polite'>"
                                f"{esc(_('Total : impossible à calculer (un nombre est mal écrit).', lang))}</div>")
            self.complete.layout.display = "none"
            return
        total = sum(values)
        shown = format_number(total, lang, 1 if abs(total - round(total)) > 1e-9 else 0)
        if abs(total - 100) < 1e-6:
            text = _("Total : {total} % ✓ le compte est bon.", lang).format(total=shown)
            cls, show_button = "mej-total-ok", False
        elif total < 100:
            missing = format_number(100 - total, lang, 1 if abs(total - round(total)) > 1e-9 else 0)
            text = _("Total : {total} % — il manque {gap} points pour faire 100 %.", lang).format(
                total=shown, gap=missing)
            cls, show_button = "mej-total-bad", True
        else:
            extra = format_number(total - 100, lang, 1 if abs(total - round(total)) > 1e-9 else 0)
            text = _("Total : {total} % — {gap} points de trop : il faut 100 %.", lang).format(
                total=shown, gap=extra)
            cls, show_button = "mej-total-bad", True
        icon = "✓" if cls == "mej-total-ok" else "⚠"
        self.total.value = (f"<div class='mej-total {cls}' role='status' aria-live='polite'>"
                            f"<span aria-hidden='true'>{icon}</span> {esc(text)}</div>")
        self.complete.layout.display = "" if show_button else "none"

    def is_complete(self) -> bool:
        """The shares add up to 100 %."""
        values = self.percents()
        return values is not None and abs(sum(values) - 100) < 1e-6

    def fill_last(self) -> None:
        """Set the last share to what is missing (lowering the others when it is not enough)."""
        values = self.percents()
        if values is None:
            return
        rest = 100 - sum(values[:-1])
        if rest >= 0:
            self.fields[-1].input.value = plain_number(rest, self.lang, 1)
            return
        scale = 100 / sum(values[:-1])
        for f, v in zip(self.fields[:-1], values[:-1], strict=True):
            f.input.value = plain_number(v * scale, self.lang, 1)
        self.fields[-1].input.value = plain_number(0, self.lang, 1)


class DecisionForm:
    """Every decision of a seat for a round, grouped, with what to submit.

    Args:
        fields: the game's ``DecisionField`` list.
        lang: language.
    """

    def __init__(self, fields: list[Any], lang: str = "fr") -> None:
        self.lang = lang
        self.widgets: list[FieldWidget] = []
        self.groups: dict[str, ShareGroup] = {}
        members: dict[str, list[FieldWidget]] = {}
        order: list[object] = []
        for field in fields:
            fw = FieldWidget(field, lang)
            self.widgets.append(fw)
            if field.group:
                if field.group not in members:
                    members[field.group] = []
                    order.append(field.group)
                members[field.group].append(fw)
            else:
                order.append(fw)
        children = []
        for item in order:
            if isinstance(item, str):
                group = ShareGroup(item, members[item], lang)
                self.groups[item] = group
                for fw in members[item]:
                    fw.on_change = group.update
                children.append(group.widget)
            else:
                item.widget.add_class("mej-card")
                children.append(item.widget)
        persists = _("Vos parts, réglages et choix restent ceux de votre dernier envoi ; les montants sont "
                     "proposés chaque mois à ce que ferait votre robot. Ce que montre ce formulaire est "
                     "exactement ce qui sera envoyé.", lang)
        intro = html_widget(f"<p class='mej-muted mej-form-persists'>{esc(persists)}</p>")
        self.widget = W.VBox([intro, *children], layout=W.Layout(width="100%"))
        self.widget.add_class("mej-form")

    def field(self, name: str) -> FieldWidget | None:
        """The widget of a decision."""
        return next((f for f in self.widgets if f.name == name), None)

    def values(self) -> dict[str, Any]:
        """Decision name → value, as :meth:`GameStore.submit` takes them.

        Raises:
            InputProblem: a number is not readable (the field shows it).
        """
        out = {}
        for fw in self.widgets:
            if fw.locked:  # the law turned it off: not sent, the engine keeps it as it is
                continue
            try:
                out[fw.name] = fw.value()
            except InputProblem as problem:
                fw.set_error(problem.text)
                raise
        return out

    def set_values(self, values: dict[str, Any] | None) -> None:
        """Show decisions already sent."""
        for name, value in (values or {}).items():
            fw = self.field(name)
            if fw is not None:
                fw.set_value(value)
        for group in self.groups.values():
            group.update()

    def show_error(self, name: str | None, text: str) -> bool:
        """Show an error under the field it concerns; False when no field has that name."""
        fw = self.field(name) if name else None
        if fw is None:
            return False
        fw.set_error(text)
        return True

    def clear_errors(self) -> None:
        """Remove every field's error line."""
        for fw in self.widgets:
            fw.set_error("")

    def disable(self, off: bool = True) -> None:
        """Freeze every input."""
        for fw in self.widgets:
            fw.disable(off)
        for group in self.groups.values():
            group.complete.disabled = off
