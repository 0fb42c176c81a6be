"""``{% expectation_badges pk %}``: an expectation's origins and level flags as badges (the
evaluation table and the register show the same)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from yuqi.insights import levels
from yuqi.insights.templatetags.evaluation_table import expectation_link, value_writer

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


def badges_html(context: template.Context, level: Any, origins: Any) -> str:
    """``level_badges_inner.html`` for ``level`` and ``origins``, written in one pass (its
    trailing line break included), every value escaped as the template does."""

    v = value_writer(context)
    parts = ['<span class="expectation-badges">']
    if level is not None and level.over_served:
        parts.append(
            f'<span class="badge level-over" title="'
            f'{v(gettext("Perception exceeds expectation by a wide margin"))}">'
            f"{v(gettext('possibly over-served: resources may be better spent elsewhere'))}"
            "</span>"
        )
    if level is not None and level.too_low:
        parts.append(
            f'<span class="badge level-low" title="{v(gettext("Expectation unusually low"))}">'
            f"{v(gettext('customers expecting nothing may be leaving'))}</span>"
        )
    for origin in origins or ():
        parts.append(
            f'<span class="badge origin origin-{v(origin.origin)}">'
            f"{v(origin.get_origin_display())}</span>"
        )
    parts.append("</span>\n")
    return "".join(parts)


@register.simple_tag(takes_context=True)
def evaluation_level_rows(context: template.Context, lines: Any) -> SafeString:
    """The evaluation page's "origins and level flags" rows, one per expectation of the
    table with an origin or a flag: the loop of ``evaluation_levels.html`` (a tag and an
    included template per row) in one pass, the same HTML
    (``tests/insights/test_expectation_levels.py`` compares the two)."""

    v = value_writer(context)
    parts = []
    for _row, snap in lines or ():
        info = expectation_badges(context, snap.expectation_id_at_run)
        level, origins = info["level"], info["origins"]
        parts.append("\n      ")
        if origins or (level is not None and level.flags.any):
            link = expectation_link(context)(snap.expectation_id_at_run)
            parts.append(
                f'<tr data-code="{v(snap.code)}"><td><a href="{link}">{v(snap.code)}</a></td>'
                f"<td>{v(snap.statement)}</td><td>{badges_html(context, level, origins)}</td></tr>"
            )
        parts.append("\n    ")
    return mark_safe("".join(parts))  # every value escaped above
