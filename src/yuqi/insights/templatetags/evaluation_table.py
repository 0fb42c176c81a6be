"""``{% evaluation_row row snap %}``: one row of the evaluation table (``<tr>`` and its
cells), written in one pass instead of a template loop of fourteen cells with three branches
each (the page's rendering was most of its time). The same HTML as the loop it replaced: the
row carries the expectation's code, the code links to the expectation, the evidence keeps its
line breaks, an empty value is a dash, every value escaped and localised as ``{{ cell }}``
would be (``tests/insights/test_evaluation_cells.py`` compares the two)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from yuqi.core.id_links import id_link
from yuqi.core.template_values import shown

register = template.Library()


def expectation_link(context: template.Context) -> Callable[[int], str]:
    """``pk`` → ``{% url 'insights:expectation' pk %}``."""
    return id_link(context, "insights:expectation")


def value_writer(context: template.Context) -> Callable[[Any], str]:
    """``{{ value }}`` in ``context``: :func:`shown` where autoescaping is on (the pages)."""
    if context.autoescape:
        return shown
    return lambda value: str(render_value_in_context(value, context))


@register.simple_tag(takes_context=True)
def evaluation_row(context: template.Context, row: Sequence[Any], snap: Any) -> SafeString:
    v, link = value_writer(context), expectation_link(context)
    parts = [f'<tr data-code="{v(snap.code)}">']
    for position, cell in enumerate(row, start=1):
        if position == 2:
            text = f'<a href="{link(snap.expectation_id_at_run)}">{v(cell)}</a>'
        elif position == 5:
            text = linebreaksbr(cell, autoescape=context.autoescape)
        elif cell is None:
            text = "–"
        else:
            text = v(cell)
        parts.append(f"<td>{text}</td>")
    parts.append("</tr>")
    return mark_safe("".join(parts))  # every value escaped above


def _month(value: Any) -> str:
    """``value|date:"Y-m"``."""
    if type(value) is dt.date:
        return f"{value.year:04d}-{value.month:02d}"
    return date_filter(value, "Y-m")


@register.simple_tag(takes_context=True)
def evaluation_run_links(context: template.Context, runs: Sequence[Any], run: Any) -> SafeString:
    """The links to the recent runs (``run`` marked as the page's), as the template's loop
    drew them: ``#pk YYYY-MM (status)``, separated by `` · ``."""
    v, link = value_writer(context), id_link(context, "insights:evaluation_run")
    current = getattr(run, "pk", None)  # no run: {{ run.pk }} is "", no run's pk
    parts = []
    for r in runs:
        mark = ' aria-current="page"' if r.pk == current else ""
        parts.append(
            f'<a href="{link(r.pk)}"{mark}>'
            f"#{v(r.pk)} {v(_month(r.period_end))} ({v(r.get_status_display())})</a>"
        )
    return mark_safe(" · ".join(parts))  # every value escaped above


@register.simple_tag(takes_context=True)
def evaluation_changes(context: template.Context, changes: Mapping[str, Any]) -> SafeString:
    """The ``<li>`` of a run's changes since the previous run (grades moved, scores moved,
    new and retired expectations), as the template's four loops drew them, a line break
    between the loops; a value missing from a change reads as the template's ``""``."""
    v = value_writer(context)

    def listed(key: str) -> Any:
        return changes.get(key) or ()

    def part(change: Any, key: str) -> Any:
        return change.get(key, "") if isinstance(change, Mapping) else ""

    grade, score = gettext("Grade"), gettext("Score")  # template literals: not escaped
    new, retired = gettext("New"), gettext("No longer in the table")
    grades = "".join(
        f"<li>{grade} {v(part(c, 'code'))}: {v(part(c, 'from') or '–')} → "
        f"{v(part(c, 'to') or '–')}</li>"
        for c in listed("grade_moved")
    )
    scores = "".join(
        f"<li>{score} {v(part(c, 'code'))}: {v(part(c, 'from'))} → {v(part(c, 'to'))} "
        f"({v(part(c, 'delta'))})</li>"
        for c in listed("score_moved")
    )
    added = "".join(f"<li>{new}: {v(code)}</li>" for code in listed("new"))
    gone = "".join(f"<li>{retired}: {v(code)}</li>" for code in listed("retired"))
    return mark_safe("\n  ".join((grades, scores, added, gone)))  # every value escaped above
