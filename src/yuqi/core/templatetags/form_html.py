"""``{{ form|as_div_kept }}``: ``form.as_div`` drawn once per distinct look; ``{{
form|field_divs_kept:"notes" }}``: each field but ``notes`` in its own ``div``, likewise; ``{{
form|only_field_divs_kept:"notes" }}``: ``notes`` alone in its ``div``
(:mod:`yuqi.core.form_html`)."""

from __future__ import annotations

from typing import Any

from django import template

from yuqi.core.form_html import field_divs, form_as_div, only_field_divs

register = template.Library()


@register.filter
def as_div_kept(form: Any) -> Any:
    return form_as_div(form) if form else ""


@register.filter
def field_divs_kept(form: Any, skip: str = "") -> Any:
    return field_divs(form, skip) if form else ""


@register.filter
def only_field_divs_kept(form: Any, only: str) -> Any:
    return only_field_divs(form, only) if form else ""
