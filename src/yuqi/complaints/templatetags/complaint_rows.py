"""``{% queue_row row bulk %}``: one ticket of the work queue as its table row;
``{% my_ticket_row row %}``: one of the home page's "my open tickets".

The work queue draws 50 rows of ten cells, each with a badge, up to two clocks and a
translated label; through the template engine that was most of the page's time. This tag
writes the same markup (escaped and localised as the template's variables were; the former
template text is kept in ``tests/complaints/test_queue_row.py``, which compares the two) in
one pass.

A row is its ticket's fields, which change when the ticket does, and its SLA state and clocks,
which move with the time. The markup of the fields is kept per process (:func:`_row_parts`,
keyed by every value it is drawn from and the language), so the tickets every user sees at the
top of the queue are drawn once, not on every request; so is a row's clocks' markup, keyed by
what ``{% clock_badge %}`` shows of them (their text moves by the minute), the language and
the time zone.
"""

from __future__ import annotations

import datetime as dt
import html
import unicodedata
from functools import lru_cache
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext

from yuqi.complaints.presenters import ClockView
from yuqi.complaints.queries import QueueRow
from yuqi.complaints.templatetags.complaint_clocks import clock_badge
from yuqi.core.templatetags.badges import badge

register = template.Library()

DASH = "—"
ACCOUNT_CHARS = 40
#: Rows whose markup is kept (a few pages of every filter in use).
KEPT_ROWS = 2048
_NO_TIME = dt.timedelta(0)


def _v(value: Any) -> str:
    """A value as ``{{ value }}`` prints it: localised, then escaped (a plain string is not
    localised and is escaped as ``escape`` does)."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(str(localize(value)))


@lru_cache(maxsize=512)
def _state_badge(state: str, language: str | None) -> SafeString:
    """A state's badge in a language: the same few states on every row of every page."""
    return badge(state, "complaints.ComplaintState")


@lru_cache(maxsize=64)
def _select_text(language: str | None) -> str:
    return gettext("Select %(number)s")


def _truncated(text: str) -> str:
    """``text|truncatechars:40``: short texts (their normalised form) as they are."""
    normal = unicodedata.normalize("NFC", text)
    if len(normal) <= ACCOUNT_CHARS:
        return normal
    return Truncator(text).chars(ACCOUNT_CHARS)


@lru_cache(maxsize=KEPT_ROWS)
def _row_parts(fields: tuple[Any, ...], bulk: bool, language: str | None) -> tuple[str, str, str]:
    """The row's markup before its SLA state, between the state and the clocks, and after the
    clocks, drawn from ``fields`` (:func:`_fields`) in ``language``."""
    (
        number_value,
        url,
        level_label,
        level_is_top,
        state,
        category_label,
        customer_name,
        tier_label,
        tier_is_vip,
        owner_name,
        team_name,
        risk_score,
        account,
    ) = fields
    number = _v(number_value)
    select = ""
    if bulk:
        label = _select_text(language) % {"number": number}
        select = (
            f'<td><input type="checkbox" name="tickets" value="{number}" form="bulk-assign" '
            f'aria-label="{label}"></td>'
        )
    tier = ""
    if tier_label:
        vip = " vip" if tier_is_vip else ""
        tier = f' <span class="badge{vip}">{_v(tier_label)}</span>'
    team = f' <span class="muted">· {_v(team_name)}</span>' if team_name else ""
    level_vip = " vip" if level_is_top else ""
    head = f'\n    <tr data-number="{number}" data-sla="'
    middle = (
        '">\n'
        f"      {select}\n"
        f'      <td><a href="{_v(url)}">{number}</a></td>\n'
        f'      <td><span class="badge{level_vip}">{_v(level_label)}</span></td>\n'
        f"      <td>{_state_badge(state, language)}</td>\n"
        "      <td>"
    )
    tail = (
        "</td>\n"
        f"      <td>{_v(category_label or DASH)}</td>\n"
        f"      <td>{_v(customer_name or DASH)}{tier}</td>\n"
        f"      <td>{_v(owner_name or DASH)}{team}</td>\n"
        f'      <td class="num">{_v(risk_score)}</td>\n'
        f'      <td class="muted">{_v(_truncated(account))}</td>\n'
        "    </tr>\n  "
    )
    return head, middle, tail


def _fields(row: QueueRow) -> tuple[Any, ...]:
    """What the row's markup other than its SLA state and clocks is drawn from."""
    return (
        row.number,
        row.url,
        row.level_label,
        row.level_is_top,
        row.state,
        row.category_label,
        row.customer_name,
        row.tier_label,
        row.tier_is_vip,
        row.owner_name,
        row.team_name,
        row.risk_score,
        row.account,
    )


def _clock_key(clock: ClockView) -> tuple[Any, ...]:
    """What ``clock_badge`` shows of a clock: all but ``remaining``, which its text says."""
    return (
        clock.kind,
        clock.kind_label,
        clock.phase,
        clock.state,
        clock.due_at,
        clock.text,
        clock.provisional,
        clock.provisional_years,
    )


@lru_cache(maxsize=KEPT_ROWS)
def _kept_clocks(keys: tuple[tuple[Any, ...], ...], language: str | None, zone: Any) -> str:
    return "<br>".join(clock_badge(_shown_clock(*key)) for key in keys)


def _shown_clock(
    kind: str,
    kind_label: str,
    phase: str,
    state: str,
    due_at: dt.datetime | None,
    text: str,
    provisional: bool,
    provisional_years: tuple[int, ...],
) -> ClockView:
    return ClockView(
        kind=kind,
        kind_label=kind_label,
        phase=phase,
        state=state,
        due_at=due_at,
        remaining=_NO_TIME,
        text=text,
        provisional=provisional,
        provisional_years=provisional_years,
    )


def _clocks(clocks: tuple[ClockView, ...], language: str | None) -> str:
    """The clocks' cell: their badges one per line, a dash for none."""
    if not clocks:
        return DASH
    keys = tuple(_clock_key(clock) for clock in clocks)
    if all(type(key[1]) is str and type(key[5]) is str for key in keys):
        return _kept_clocks(keys, language, timezone.get_current_timezone())
    return "<br>".join(clock_badge(clock) for clock in clocks)


#: The kinds of value kept rows are drawn from (a marked-safe string, equal to its plain text,
#: would be drawn from the plain text's entry).
_PLAIN = frozenset({str, int, bool, type(None)})


@register.simple_tag
def queue_row(row: QueueRow, bulk: Any = None) -> SafeString:
    fields = _fields(row)
    language = get_language()
    if all(type(value) in _PLAIN for value in fields):
        head, middle, tail = _row_parts(fields, bool(bulk), language)
    else:
        head, middle, tail = _row_parts.__wrapped__(fields, bool(bulk), language)
    clocks = _clocks(row.clocks, language)
    return mark_safe(  # every value is escaped by _v or by the tags it calls
        f"{head}{_v(row.sla_state)}{middle}{clocks}{tail}"
    )


@lru_cache(maxsize=KEPT_ROWS)
def _my_ticket_parts(fields: tuple[Any, ...], language: str | None) -> tuple[str, str]:
    """A home-page row's markup between its SLA state and its clocks, and after the clocks."""
    number, url, level_label, level_is_top, state, category_label, customer_name = fields
    level_vip = " vip" if level_is_top else ""
    middle = (
        '">\n'
        f'        <td class="nowrap"><a href="{_v(url)}">{_v(number)}</a></td>\n'
        f'        <td class="nowrap"><span class="badge{level_vip}">{_v(level_label)}</span></td>\n'
        f'        <td class="nowrap">{_state_badge(state, language)}</td>\n'
        "        <td>"
    )
    tail = (
        "</td>\n"
        f'        <td class="nowrap">{_v(customer_name)}</td>\n'
        f"        <td>{_v(category_label or DASH)}</td>\n"
        "      </tr>\n    "
    )
    return middle, tail


@register.simple_tag
def my_ticket_row(row: QueueRow) -> SafeString:
    """A row of ``complaints/panels/home_my_tickets.html`` (the former loop's text is kept in
    ``tests/complaints/test_queue_row.py``); its ticket's markup kept as the queue's rows'."""
    fields = (
        row.number,
        row.url,
        row.level_label,
        row.level_is_top,
        row.state,
        row.category_label,
        row.customer_name,
    )
    language = get_language()
    if all(type(value) in _PLAIN for value in fields):
        middle, tail = _my_ticket_parts(fields, language)
    else:
        middle, tail = _my_ticket_parts.__wrapped__(fields, language)
    clocks = _clocks(row.clocks, language)
    return mark_safe(  # every value is escaped by _v or by the tags it calls
        f'\n      <tr data-sla="{_v(row.sla_state)}{middle}{clocks}{tail}'
    )
