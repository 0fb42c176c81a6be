"""``{% clock_badge clock %}``: one SLA clock (a :class:`~yuqi.complaints.presenters.ClockView`)
as the coloured status line the work queue, the ticket page and the panels show.

Built in Python rather than by an included template: the work queue shows two clocks on each of
its 50 rows, and an ``{% include %}`` per clock was a good part of the page's time. The markup,
its escaping and its translations are those of the former ``complaints/partials/clock.html``
(``tests/complaints/test_clock_badge.py`` compares the two).
"""

from __future__ import annotations

from django import template
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from yuqi.complaints.presenters import ClockView

register = template.Library()


@register.simple_tag
def clock_badge(clock: ClockView) -> SafeString:
    colour = "grey" if clock.paused else str(clock.colour)
    title = ""
    if clock.due_at:
        due = formats.date_format(timezone.localtime(clock.due_at), "Y-m-d H:i")
        title = f' title="{escape(gettext("due"))} {escape(due)}"'
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
