"""``{% clock_badge %}`` draws a clock exactly as the included template it replaced did."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.complaints.factories import clock_view

#: The former ``complaints/partials/clock.html``, as it was included per clock.
INCLUDED = (
    "{% load i18n %}"
    '<span class="status colour-{% if clock.paused %}grey{% else %}{{ clock.colour }}{% endif %}'
    ' clock" data-clock="{{ clock.kind }}" data-state="{{ clock.state }}"{% if clock.due_at %}'
    " title=\"{% translate 'due' %} {{ clock.due_at|date:'Y-m-d H:i' }}\"{% endif %}>"
    "{{ clock.kind_label }}: {{ clock.text }}{% if clock.provisional %} "
    '<span class="warn" title="{% blocktranslate with years=clock.provisional_years|join:\', \' %}'
    "Computed without holiday data for {{ years }}: a manager must enter that year's holidays."
    '{% endblocktranslate %}">⚠ {% translate "assumed holidays" %}</span>{% endif %}</span>\n'
)


CLOCKS = [
    clock_view(),
    clock_view(phase="paused", text="paused, 2 h 0 min left"),
    clock_view(state="breached", due_at=None, text="overdue 1 d 3 h"),
    clock_view(provisional=True, provisional_years=(2027, 2028)),
    clock_view(kind='x"<y>', kind_label="<b>&'", text='"quoted" & <tag>', state="odd"),
    clock_view(phase="stopped", state="met", text="met"),
]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("clock", CLOCKS)
def test_the_tag_draws_what_the_included_template_drew(clock, language):
    with translation.override(language):
        included = Template(INCLUDED).render(Context({"clock": clock}))
        tag = Template("{% load complaint_clocks %}{% clock_badge clock %}").render(
            Context({"clock": clock})
        )
    assert tag == included


def test_a_provisional_clock_says_so_in_chinese():
    with translation.override("zh-hans"):
        html = Template("{% load complaint_clocks %}{% clock_badge clock %}").render(
            Context({"clock": clock_view(provisional=True, provisional_years=(2027,))})
        )
    assert "2027" in html
    assert "assumed holidays" not in html
