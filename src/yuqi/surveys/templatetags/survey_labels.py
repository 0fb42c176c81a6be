"""Strata in people's words: ``tier=diamond|region=北京`` → ``客户等级=钻石 · 地区=北京``.

A stratum's key is stored with codes (it is the campaign's sampling frame); pages show it
with the field's and the value's labels. Tier names are read once per rendered page.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from yuqi.core.choices import choice_set
from yuqi.customers.facade import tier_labels
from yuqi.surveys.campaigns import UNSTRATIFIED
from yuqi.surveys.choices import StrataField

register = template.Library()


def _names(context: Any) -> dict[str, dict[str, str]]:
    cache = context.render_context
    if "survey_stratum_names" not in cache:
        cache["survey_stratum_names"] = {
            "tier": tier_labels(),
            "segment": {k: str(v) for k, v in choice_set("customers.Segment").choices},
        }
    return cache["survey_stratum_names"]


@register.simple_tag(takes_context=True)
def stratum_label(context: Any, key: str) -> str:
    """The stratum ``key`` with field and value labels."""
    if not key or key == UNSTRATIFIED:
        return _("All customers")
    fields = dict(StrataField.choices)
    names = _names(context)
    parts = []
    for part in str(key).split("|"):
        field, _sep, value = part.partition("=")
        value_label = names.get(field, {}).get(value, value)
        parts.append(f"{fields.get(field, field)}={value_label}")
    return " · ".join(parts)


@register.filter
def strata_field_labels(fields: list[str]) -> str:
    """A campaign's strata fields by their labels (``客户等级, 地区``)."""
    labels = dict(StrataField.choices)
    return ", ".join(str(labels.get(field, field)) for field in fields or [])


@register.filter(name="method_label")
def method_label_filter(method: str) -> str:
    """A figure's estimation method in the reader's language (:mod:`surveys.method_labels`)."""
    from yuqi.surveys.method_labels import method_label

    return method_label(method or "")
