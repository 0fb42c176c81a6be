"""``{% expectation_badges pk %}``: an expectation's origins and level flags as badges (the
evaluation table and the register show the same)."""

from __future__ import annotations

from typing import Any

from django import template

from yuqi.insights import levels

register = template.Library()
_CACHE = "_yuqi_expectation_levels"


def badge_info(
    pk: int,
    level_map: dict[int, levels.ExpectationLevel],
    origin_map: dict[int, list[Any]],
) -> dict[str, Any]:
    return {"level": level_map.get(pk), "origins": origin_map.get(pk, [])}


@register.inclusion_tag("insights/partials/level_badges_inner.html", takes_context=True)
def expectation_badges(context: template.Context, pk: int) -> dict[str, Any]:
    """Both maps are read once per request (two queries), whatever the number of rows."""
    request = context.get("request")
    cached = getattr(request, _CACHE, None) if request is not None else None
    if cached is None:
        cached = (levels.levels(), levels.origins())
        if request is not None:
            setattr(request, _CACHE, cached)
    return badge_info(int(pk), *cached)


@register.simple_tag(takes_context=True)
def expectation_level_info(context: template.Context, pk: int) -> dict[str, Any]:
    """The same as :func:`expectation_badges` as data (``{% ... as info %}``)."""
    return expectation_badges(context, pk)
