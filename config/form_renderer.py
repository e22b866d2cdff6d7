"""Django's form renderer, with its commonest widget templates written out in Python.

Rendering a <select> through the stock templates includes one template per option and one
more per option for its attributes: the queue's filter form and the review page's six forms
spent more time there than in everything else the pages do (docs/performance.md, "Pages").
For the stock input, select, textarea and radio/checkbox-option templates this renderer
builds the same HTML directly, applying what the templates apply — `stringformat:'s'`, then
localisation and conditional escaping, as `{{ }}` does; any other template, or an option
with a template of its own, goes to the stock renderer. tests/claims/test_form_renderer.py
compares both renderers byte for byte on every form of the app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs

WIDGETS = "django/forms/widgets/"
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input", "text", "hidden", "number", "date", "datetime", "time", "email", "url",
        "password", "search", "tel", "color", "checkbox",
    )
}
OPTIONS = {f"{WIDGETS}{name}.html" for name in ("input_option", "radio_option", "checkbox_option")}
SELECT_OPTION = f"{WIDGETS}select_option.html"


class Fallback(Exception):
    """This context needs the stock templates."""


def out(value: Any) -> str:
    """What `{{ value }}` prints: local time, localised, escaped unless already safe."""
    return conditional_escape(localize(template_localtime(value)))


def formatted(value: Any) -> str:
    """What `{{ value|stringformat:'s' }}` prints: the filter keeps safe input safe."""
    try:
        text: str = "%s" % (str(value) if isinstance(value, tuple) else value)
    except (ValueError, TypeError):
        return ""
    return text if isinstance(value, SafeData) else conditional_escape(text)


def attrs(widget: dict[str, Any]) -> str:
    return "".join(
        f" {out(name)}" if value is True else f' {out(name)}="{formatted(value)}"'
        for name, value in widget["attrs"].items()
        if value is not False
    )


def input_tag(widget: dict[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{formatted(widget["value"])}"'
    kind, name = out(widget["type"]), out(widget["name"])
    return f'<input type="{kind}" name="{name}"{value}{attrs(widget)}>'


def input_option(widget: dict[str, Any]) -> str:
    if not widget.get("wrap_label"):
        return input_tag(widget)
    target = widget["attrs"].get("id")
    label_for = f' for="{out(target)}"' if target else ""
    # input.html ends with a newline, which the include keeps.
    return f"<label{label_for}>{input_tag(widget)}\n {out(widget['label'])}</label>"


def select(widget: dict[str, Any]) -> str:
    parts = [f'<select name="{out(widget["name"])}"{attrs(widget)}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{out(group_name)}">')
        for option in options:
            if option["template_name"] != SELECT_OPTION:
                raise Fallback
            parts.append(  # select_option.html ends with a newline, which the include keeps
                f'\n  <option value="{formatted(option["value"])}"{attrs(option)}>'
                f"{out(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def textarea(widget: dict[str, Any]) -> str:
    value = out(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{out(widget["name"])}"{attrs(widget)}>\n{value}</textarea>'


BUILDERS: dict[str, Callable[[dict[str, Any]], str]] = {
    **dict.fromkeys(INPUTS, input_tag),
    **dict.fromkeys(OPTIONS, input_option),
    f"{WIDGETS}select.html": select,
    f"{WIDGETS}textarea.html": textarea,
}


class FastWidgetRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        build = BUILDERS.get(template_name)
        if build is not None:
            try:
                return SafeString(build(context["widget"]).strip())
            except Fallback:
                pass
        return super().render(template_name, context, request)
