"""``{% category_options choices selected %}``: the ``<option>``s of the text-analysis panel's
"correct category" list (``textmining/panels/complaint.html``), the selected code marked.

Some twenty categories of three parts each through the template engine were a quarter of the
panel's drawing; the tag writes the same markup (escaped and localised as the template's
variables were; the former loop is kept in ``tests/textmining/test_category_options.py``) in
one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from yuqi.core.template_values import shown

register = template.Library()


@register.simple_tag
def category_options(choices: Iterable[tuple[Any, Any]], selected: Any = None) -> SafeString:
    return mark_safe(  # every value is escaped by shown()
        "".join(
            f'<option value="{shown(code)}"{" selected" if code == selected else ""}>'
            f"{shown(label)}</option>"
            for code, label in choices or ()
        )
    )
