"""The audit log as people read it: one row per changed field, before → after, with the
field's translated name, a choice's label instead of its code, and Chinese shown as Chinese
(django-auditlog stores JSON values as text with ``\\uXXXX`` escapes).

No queries: field names and choices come from the model class of the entry's content type
(content types are cached by Django)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
EMPTY = "∅"
MAX_VALUE = 300


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


def unescape(text: str) -> str:
    """``\\u4e2d`` → 中 (only the escapes; everything else is left as it is)."""
    return ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _readable(value: Any, field: Any) -> str:
    if value is None or value == "None" or value == "":
        return EMPTY
    if isinstance(value, (list, dict)):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
        if text[:1] in "[{" and "\\u" in text:
            try:
                text = json.dumps(json.loads(text), ensure_ascii=False)
            except ValueError:
                text = unescape(text)
        elif "\\u" in text:
            text = unescape(text)
    choices = getattr(field, "flatchoices", None) if field is not None else None
    if choices:
        labels = {str(k): str(v) for k, v in choices}
        text = labels.get(text, text)
    if field is not None and getattr(field, "get_internal_type", lambda: "")() == "BooleanField":
        text = {"True": _("yes"), "False": _("no")}.get(text, text)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _field(model: Any, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _label(field: Any, name: str) -> str:
    related = getattr(field, "related_model", None) if field is not None else None
    verbose = getattr(field, "verbose_name", None) if field is not None else None
    if verbose and related is not None and str(verbose) == name.replace("_", " "):
        # a relation left with Django's automatic name: the related model's (translated) name
        return str(related._meta.verbose_name)
    if verbose:
        return str(verbose)
    if related is not None:  # a reverse relation (m2m seen from the other side)
        return str(related._meta.verbose_name_plural)
    return name.replace("_", " ")


def field_changes(entry: Any) -> list[FieldChange]:
    """The entry's changes, one per field, in the order stored."""
    changes = entry.changes
    if isinstance(changes, str):
        try:
            changes = json.loads(changes)
        except ValueError:
            return []
    if not isinstance(changes, dict):
        return []
    model = entry.content_type.model_class() if entry.content_type_id else None
    rows = []
    for name, change in changes.items():
        field = _field(model, name)
        if isinstance(change, dict) and change.get("type") == "m2m":
            before = ""
            after = (
                f"{change.get('operation', '')} {', '.join(map(str, change.get('objects', [])))}"
            )
        elif isinstance(change, (list, tuple)) and len(change) == 2:
            before, after = change
        else:
            before, after = "", change
        rows.append(
            FieldChange(
                field=_label(field, name),
                before=_readable(before, field),
                after=_readable(after, field),
            )
        )
    return rows
