"""The HTML of a form field nobody has filled in, rendered once per version of the field.

The public registration form has some twenty fields and a hundred workshop options.
Rendering them through the Jinja macros and the WTForms widgets (markup escaping,
attribute lists) was about 40 % of the form page's CPU in issue 18's profile, on every
request, although an empty field renders the same HTML until the event's form changes.

:func:`rendered_once` keeps that HTML, keyed on everything the macro and the widget read
from the field (its class, name, id, label, description, flags, attributes, choices,
value) and on the macro's other arguments: any change to the form gives a new key. A
field that holds what someone typed or saved, or an error, is never kept (its HTML would
hold personal data) and is rendered every time; nor is any field of a form that does not
say ``keeps_rendered_fields = True``, since a view may fill a field's choices with
people's names.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import Flask, current_app
from markupsafe import Markup
from wtforms.utils import unset_value

SIZE = 1024
"""Fields kept per process: an event's form has a few dozen, so some forty events."""


class _RenderedFields:
    """A small LRU of rendered fields, shared by the threads of a process."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._html: OrderedDict[Hashable, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, render: Callable[[], Markup]) -> Markup:
        with self._lock:
            html = self._html.get(key)
            if html is not None:
                self._html.move_to_end(key)
                return html
        html = Markup(render())
        with self._lock:
            self._html[key] = html
            while len(self._html) > self.size:
                self._html.popitem(last=False)
        return html

    def clear(self) -> None:
        with self._lock:
            self._html.clear()

    def __len__(self) -> int:
        return len(self._html)


rendered = _RenderedFields(SIZE)


def is_pristine(field) -> bool:
    """Nothing typed or saved in *field*: no form data sent, its value the default, and
    its form's choices known to hold no one's data."""
    if not getattr(getattr(field, "_form", None), "keeps_rendered_fields", False):
        return False
    if field.errors or field.raw_data is not None or callable(field.default):
        return False
    return field.object_data is unset_value or field.object_data == field.default


def _widget(widget) -> tuple:
    return type(widget), repr(sorted(vars(widget).items())) if widget is not None else ()


def field_key(field, name: str, arguments: tuple) -> Hashable:
    """Everything the macro *name* and the field's widgets read from *field*."""
    return (name, repr(arguments), type(field), field.type, field.name, field.id,
            field.label.text, field.label.field_id, repr(field.description),
            repr(sorted(vars(field.flags).items())), repr(field.render_kw),
            _widget(field.widget), _widget(getattr(field, "option_widget", None)),
            repr(getattr(field, "choices", None)), repr(field.data))


def rendered_once(name: str, macro, field, *arguments) -> Markup:
    """``macro(field, *arguments)``, kept while the field is as nobody filled it;
    *name* says which macro it is (unique across templates)."""
    if current_app.jinja_env.auto_reload or not is_pristine(field):
        return macro(field, *arguments)
    key = field_key(field, name, arguments)
    return rendered.get(key, lambda: macro(field, *arguments))


def init_app(app: Flask) -> None:
    app.add_template_global(rendered_once, "rendered_once")
