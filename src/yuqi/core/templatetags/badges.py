"""``{% badge value "app.ChoiceSetName" %}``: any :class:`~yuqi.core.choices.ChoiceSet` value as a
badge with its translated label and its colour (``{% badge member %}`` for a member itself).

One markup for every list, page and panel; an unknown value is shown as it is, in grey, so a
stale code in old rows still reads. The tag builds its ``<span>`` itself (escaped like the
template variables it replaces): a work queue draws one per row, and an inclusion template per
badge cost a template context and render each time.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from yuqi.core.choices import ChoiceSet, Colour, choice_set

register = template.Library()


def badge_context(value: Any, set_name: str = "") -> dict[str, Any]:
    """What the badge template needs: value, label and colour (empty for a blank value)."""
    if isinstance(value, ChoiceSet):
        return {"value": value.value, "label": value.label, "colour": value.colour}
    if value in (None, ""):
        return {"value": "", "label": "", "colour": ""}
    try:
        member = choice_set(set_name)(value)
    except ValueError:
        return {"value": str(value), "label": str(value), "colour": Colour.GREY}
    return {"value": member.value, "label": member.label, "colour": member.colour}


@register.simple_tag
def badge(value: Any, set_name: str = "") -> SafeString:
    """``<span class="badge colour-…" data-value="…">label</span>`` and a line break (the
    output of the former ``core/partials/badge.html``); only the line break for a blank
    value."""
    found = badge_context(value, set_name)
    if not found["label"]:
        return mark_safe("\n")
    return format_html(
        '<span class="badge colour-{}" data-value="{}">{}</span>\n',
        found["colour"],
        found["value"],
        found["label"],
    )
