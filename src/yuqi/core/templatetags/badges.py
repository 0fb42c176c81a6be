"""``{% badge value "app.ChoiceSetName" %}``: any :class:`~yuqi.core.choices.ChoiceSet` value as a
badge with its translated label and its colour (``{% badge member %}`` for a member itself).

One template, ``core/partials/badge.html``, for every list, page and panel; an unknown value is
shown as it is, in grey, so a stale code in old rows still reads.
"""

from __future__ import annotations

from typing import Any

from django import template

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


@register.inclusion_tag("core/partials/badge.html")
def badge(value: Any, set_name: str = "") -> dict[str, Any]:
    return badge_context(value, set_name)
