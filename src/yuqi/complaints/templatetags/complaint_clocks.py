"""``{% clock_badge clock %}``: one SLA clock (a :class:`~yuqi.complaints.presenters.ClockView`)
as the coloured status line the work queue, the ticket page and the panels show.

Built in Python rather than by an included template: the work queue shows two clocks on each of
its 50 rows, and an ``{% include %}`` per clock was a good part of the page's time. The markup,
its escaping and its translations are those of the former ``complaints/partials/clock.html``
(``tests/complaints/test_clock_badge.py`` compares the two).
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from yuqi.complaints.presenters import ClockView

register = template.Library()


@lru_cache(maxsize=64)
def _due_word(language: str | None) -> str:
    """``due``, translated and escaped, once per language (every clock with a due time)."""
    return escape(gettext("due"))


@register.simple_tag
def clock_badge(clock: ClockView) -> SafeString:
    colour = "grey" if clock.paused else str(clock.colour)
    title = ""
    if clock.due_at:
        t = timezone.localtime(clock.due_at)
        # date_format(t, "Y-m-d H:i") written out: the format names no localised part
        due = f"{t.year:04d}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}"
        title = f' title="{_due_word(get_language())} {escape(due)}"'
    warning = ""
    if clock.provisional:
        years = ", ".join(escape(year) for year in clock.provisional_years)
        # the translation is inserted as written, as {% blocktranslate %} does
        note = gettext(
            "Computed without holiday data for %(years)s: a manager must enter that year's "
            "holidays."
        ) % {"years": years}
        assumed = escape(gettext("assumed holidays"))
        warning = f' <span class="warn" title="{note}">⚠ {assumed}</span>'
    return mark_safe(  # every value above is escaped
        f'<span class="status colour-{escape(colour)} clock" data-clock="{escape(clock.kind)}" '
        f'data-state="{escape(clock.state)}"{title}>{escape(clock.kind_label)}: '
        f"{escape(clock.text)}{warning}</span>\n"
    )
