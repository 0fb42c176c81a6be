"""``{% queue_row row bulk %}``: one ticket of the work queue as its table row.

The work queue draws 50 rows of ten cells, each with a badge, up to two clocks and a
translated label; through the template engine that was most of the page's time. This tag
writes the same markup (escaped and localised as the template's variables were; the former
template text is kept in ``tests/complaints/test_queue_row.py``, which compares the two) in
one pass.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext

from yuqi.complaints.queries import QueueRow
from yuqi.complaints.templatetags.complaint_clocks import clock_badge
from yuqi.core.templatetags.badges import badge

register = template.Library()

DASH = "—"


def _v(value: Any) -> str:
    """A value as ``{{ value }}`` prints it: localised, then escaped."""
    return conditional_escape(str(localize(value)))


@lru_cache(maxsize=512)
def _state_badge(state: str, language: str | None) -> SafeString:
    """A state's badge in a language: the same few states on every row of every page."""
    return badge(state, "complaints.ComplaintState")


@lru_cache(maxsize=64)
def _select_text(language: str | None) -> str:
    return gettext("Select %(number)s")


@register.simple_tag
def queue_row(row: QueueRow, bulk: Any = None) -> SafeString:
    number = _v(row.number)
    language = get_language()
    select = ""
    if bulk:
        label = _select_text(language) % {"number": number}
        select = (
            f'<td><input type="checkbox" name="tickets" value="{number}" form="bulk-assign" '
            f'aria-label="{label}"></td>'
        )
    clocks = "<br>".join(clock_badge(clock) for clock in row.clocks) if row.clocks else DASH
    tier = ""
    if row.tier_label:
        vip = " vip" if row.tier_is_vip else ""
        tier = f' <span class="badge{vip}">{_v(row.tier_label)}</span>'
    team = f' <span class="muted">· {_v(row.team_name)}</span>' if row.team_name else ""
    level_vip = " vip" if row.level_is_top else ""
    return mark_safe(  # every value is escaped by _v or by the tags it calls
        f'\n    <tr data-number="{number}" data-sla="{_v(row.sla_state)}">\n'
        f"      {select}\n"
        f'      <td><a href="{_v(row.url)}">{number}</a></td>\n'
        f'      <td><span class="badge{level_vip}">{_v(row.level_label)}</span></td>\n'
        f"      <td>{_state_badge(row.state, language)}</td>\n"
        f"      <td>{clocks}</td>\n"
        f"      <td>{_v(row.category_label or DASH)}</td>\n"
        f"      <td>{_v(row.customer_name or DASH)}{tier}</td>\n"
        f"      <td>{_v(row.owner_name or DASH)}{team}</td>\n"
        f'      <td class="num">{_v(row.risk_score)}</td>\n'
        f'      <td class="muted">{_v(Truncator(row.account).chars(40))}</td>\n'
        "    </tr>\n  "
    )
