"""KPI labels and values formatted one way everywhere (rates as %, times in seconds); the
``minute`` and ``day`` filters: ``date:"Y-m-d H:i"`` and ``date:"Y-m-d"`` written out
(:mod:`yuqi.core.template_values`)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from yuqi.core import template_values

register = template.Library()

LABELS = {
    "service_level": _("Service level"),
    "answer_rate": _("Answer rate"),
    "abandon_rate": _("Abandon rate"),
    "asa": _("ASA (s)"),
    "aht": _("AHT (s)"),
    "fcr": _("First-contact resolution"),
    "derived_fcr": _("FCR (no repeat)"),
    "transfer_rate": _("Transfer rate"),
    "occupancy": _("Occupancy"),
    "offered": _("Offered"),
}
RATES = {
    "service_level",
    "answer_rate",
    "abandon_rate",
    "fcr",
    "derived_fcr",
    "transfer_rate",
    "occupancy",
}


@register.simple_tag
def kpi_label(code: str) -> str:
    return str(LABELS.get(code, code))


@register.simple_tag
def kpi_value(code: str, value: object) -> str:
    if value is None:
        return "—"
    number = float(value)  # type: ignore[arg-type]
    if code in RATES:
        return f"{number * 100:.1f}%"
    return f"{number:.0f}" if number >= 10 else f"{number:.1f}"


@register.filter(expects_localtime=True, is_safe=False)
def minute(value: object) -> str:
    """``{{ value|minute }}``: what ``{{ value|date:"Y-m-d H:i" }}`` prints."""
    return template_values.minute(value)


@register.filter(expects_localtime=True, is_safe=False)
def day(value: object) -> str:
    """``{{ value|day }}``: what ``{{ value|date:"Y-m-d" }}`` prints."""
    return template_values.day(value)
