"""A filter form's HTML, drawn once per distinct look and kept (per process).

A list page's filter form (the work queue's nine fields, a few with dozens of choices) is drawn
by Django's form templates, one template per field, label, widget and option: on the work queue
that was about a sixth of the page's time, and it draws the same HTML for every user who opens
the page with the same filters in the same language. :func:`form_as_div` keys the drawn form by
everything the drawing depends on for such a form (its class, the language, the submitted data,
its initial values, and each field's kind, widget, label, help text, flags, initial value,
widget attributes and choices, read afresh with the form) and keeps the last ``MAX_ENTRIES``
looks. The ticket page's action forms carry the ticket's version and a few choices, so tickets
at the same version share their drawing.

Only for forms drawn by Django's own field and widget templates from those values (no custom
widget that reads anything else). The choices are part of the key, so a new team or category
is drawn at once.

A :class:`DeferredForm` (the ticket page's dozen action forms) is not even built when its
drawing is kept: building a form copies every field (``BaseForm.__init__``), which cost more
than drawing it from the kept HTML. Its key is known without the form: the class, the
language, the time zone, the initial values, the arguments and what the class's ``draw_key``
says its ``__init__`` reads beyond them (the choices it fills in, as text). A class must
define ``draw_key`` itself (an inherited one would not know what the subclass reads), or it
is built and keyed as any other form.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Any

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

MAX_ENTRIES = 256

_drawn: OrderedDict[tuple, SafeString] = OrderedDict()
_lock = Lock()


def _choices(field: forms.ChoiceField) -> tuple:
    """The field's choices as text, groups (``(name, [(value, label), …])``) included."""
    return choices_key(field.choices)


def _key(form: forms.BaseForm) -> tuple:
    data = form.data
    submitted = (
        tuple(sorted((k, tuple(v)) for k, v in data.lists()))
        if hasattr(data, "lists")
        else tuple(sorted((k, repr(v)) for k, v in data.items()))
    )
    fields = tuple(
        (
            name,
            type(field).__qualname__,
            type(field.widget).__qualname__,
            str(field.label),
            str(field.help_text),
            field.required,
            field.disabled,
            repr(field.initial),
            tuple(sorted((k, str(v)) for k, v in field.widget.attrs.items())),
            _choices(field) if isinstance(field, forms.ChoiceField) else (),
        )
        for name, field in form.fields.items()
    )
    return (
        type(form).__module__,
        type(form).__qualname__,
        get_language(),
        form.is_bound,
        form.prefix,
        str(form.auto_id),
        submitted,
        tuple(sorted((k, repr(v)) for k, v in form.initial.items())),
        fields,
    )


def choices_key(choices: Any) -> tuple:
    """Choices (``(value, label)`` pairs, groups included) as text: a ``draw_key`` part."""
    found: list[tuple] = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            found.append((str(value), tuple((str(v), str(lb)) for v, lb in label)))
        else:
            found.append((str(value), str(label)))
    return tuple(found)


def _no_other_reads(cls: type, **arguments: Any) -> tuple:
    return ()


#: The ``draw_key`` of a form class whose ``__init__`` reads nothing beyond its arguments
#: (fixed choices): ``draw_key = ARGUMENTS_ONLY`` in the class itself.
ARGUMENTS_ONLY: Any = classmethod(_no_other_reads)


class DeferredForm:
    """An unbound ``cls(initial=initial, **arguments)``, built only when its drawing is not
    kept (see the module docstring) or when a template reads it as a form."""

    __slots__ = ("_form", "arguments", "cls", "initial")

    def __init__(
        self, cls: type[forms.BaseForm], *, initial: dict[str, Any] | None = None, **arguments: Any
    ) -> None:
        self.cls = cls
        self.initial = initial or {}
        self.arguments = arguments
        self._form: forms.BaseForm | None = None

    @property
    def form(self) -> forms.BaseForm:
        """The form itself, built once."""
        if self._form is None:
            self._form = self.cls(initial=self.initial, **self.arguments)
        return self._form

    def key(self) -> tuple | None:
        """The drawing's key, or None when the class does not say what it reads."""
        if "draw_key" not in self.cls.__dict__:
            return None
        return (
            "deferred",
            self.cls.__module__,
            self.cls.__qualname__,
            get_language(),
            get_current_timezone_name(),  # an initial time is drawn in the user's zone
            tuple(sorted((k, repr(v)) for k, v in self.initial.items())),
            tuple(sorted((k, repr(v)) for k, v in self.arguments.items())),
            self.cls.draw_key(**self.arguments),  # type: ignore[attr-defined]
        )

    def as_div(self) -> Any:
        return form_as_div(self)

    def __str__(self) -> str:
        return str(form_as_div(self))


def _kept(key: tuple, draw: Callable[[], SafeString]) -> SafeString:
    """``draw()``, kept under ``key`` (the last ``MAX_ENTRIES`` keys)."""
    with _lock:
        found = _drawn.get(key)
        if found is not None:
            _drawn.move_to_end(key)
            return found
    drawn = draw()
    with _lock:
        _drawn[key] = drawn
        while len(_drawn) > MAX_ENTRIES:
            _drawn.popitem(last=False)
    return drawn


def form_as_div(form: forms.BaseForm | DeferredForm) -> Any:
    """``form.as_div()``, drawn once per distinct key (see the module docstring)."""
    if isinstance(form, DeferredForm):
        try:
            deferred_key = form.key()
            hash(deferred_key)
        except TypeError:
            deferred_key = None
        if deferred_key is None:
            return form_as_div(form.form)
        return _kept(deferred_key, lambda: form.form.as_div())
    try:
        key = _key(form)
        hash(key)
    except TypeError:  # a choice label or value that cannot be keyed: draw it
        return form.as_div()
    return _kept(key, form.as_div)


def _field_divs(form: forms.BaseForm, names: tuple[str, ...]) -> SafeString:
    """``<div class="field field-NAME">LABEL WIDGET ERRORS</div>`` for each named field, as
    the template ``{{ field.label_tag }} {{ field }}{{ field.errors }}`` draws it."""
    parts = []
    for name in names:
        field = form[name]
        parts.append(
            f'<div class="field field-{conditional_escape(name)}">'
            f"{conditional_escape(field.label_tag())} {conditional_escape(str(field))}"
            f"{conditional_escape(str(field.errors))}</div>"
        )
    return SafeString("".join(parts))


def _kept_divs(form: forms.BaseForm, names: tuple[str, ...]) -> Any:
    """:func:`_field_divs` of an unbound form kept under the same key as :func:`form_as_div`'s
    (and the names); a bound form (its errors come from validation) drawn every time."""
    if form.is_bound:
        return _field_divs(form, names)
    try:
        key = (*_key(form), "field_divs", names)
        hash(key)
    except TypeError:
        return _field_divs(form, names)
    return _kept(key, lambda: _field_divs(form, names))


def field_divs(form: forms.BaseForm, skip: str = "") -> Any:
    """Every field of the form but those named in ``skip`` (comma-separated), each in its
    ``<div class="field field-NAME">`` (a form laid out by hand, as the 360's "log a
    contact"). An unbound form's drawing is kept under the same key as :func:`form_as_div`'s;
    a bound form (its errors come from validation) is drawn every time."""
    skipped = {name.strip() for name in skip.split(",") if name.strip()}
    return _kept_divs(form, tuple(name for name in form.fields if name not in skipped))


def only_field_divs(form: forms.BaseForm, only: str) -> Any:
    """The fields named in ``only`` (comma-separated, in that order), each in its ``<div
    class="field field-NAME">``, kept as :func:`field_divs` keeps them (the 360's notes, set
    apart from the other fields of "log a contact")."""
    return _kept_divs(form, tuple(name.strip() for name in only.split(",") if name.strip()))


def forget() -> None:
    """Drop every kept form (tests)."""
    with _lock:
        _drawn.clear()
