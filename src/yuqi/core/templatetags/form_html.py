"""``{{ form|as_div_kept }}``: ``form.as_div`` drawn once per distinct look
(:mod:`yuqi.core.form_html`)."""

from __future__ import annotations

from typing import Any

from django import template

from yuqi.core.form_html import form_as_div

register = template.Library()


@register.filter
def as_div_kept(form: Any) -> Any:
    return form_as_div(form) if form else ""
