# ruff: noqa: E501 (the former template lines are kept as they were written)
"""``{% queue_row %}`` draws a work-queue row exactly as the template loop it replaced did."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.complaints.factories import clock_view
from yuqi.complaints.queries import QueueRow

#: The former rows of ``complaints/partials/queue_results.html``.
LOOP = (
    "{% load i18n badges complaint_clocks %}"
    "  {% for row in rows %}\n"
    '    <tr data-number="{{ row.number }}" data-sla="{{ row.sla_state }}">\n'
    '      {% if bulk_form %}<td><input type="checkbox" name="tickets" value="{{ row.number }}" form="bulk-assign" aria-label="{% blocktranslate with number=row.number %}Select {{ number }}{% endblocktranslate %}"></td>{% endif %}\n'
    '      <td><a href="{{ row.url }}">{{ row.number }}</a></td>\n'
    '      <td><span class="badge{% if row.level_is_top %} vip{% endif %}">{{ row.level_label }}</span></td>\n'
    '      <td>{% badge row.state "complaints.ComplaintState" %}</td>\n'
    "      <td>{% for clock in row.clocks %}{% clock_badge clock %}{% if not forloop.last %}<br>{% endif %}{% empty %}—{% endfor %}</td>\n"
    '      <td>{{ row.category_label|default:"—" }}</td>\n'
    '      <td>{{ row.customer_name|default:"—" }}{% if row.tier_label %} <span class="badge{% if row.tier_is_vip %} vip{% endif %}">{{ row.tier_label }}</span>{% endif %}</td>\n'
    '      <td>{{ row.owner_name|default:"—" }}{% if row.team_name %} <span class="muted">· {{ row.team_name }}</span>{% endif %}</td>\n'
    '      <td class="num">{{ row.risk_score }}</td>\n'
    '      <td class="muted">{{ row.account|truncatechars:40 }}</td>\n'
    "    </tr>\n"
    "  {% empty %}\n"
    '    <tr><td colspan="10">{% translate "No open tickets match." %}</td></tr>\n'
    "  {% endfor %}\n"
)
NEW = (
    "{% load i18n complaint_rows %}"
    "  {% for row in rows %}{% queue_row row bulk_form %}{% empty %}\n"
    '    <tr><td colspan="10">{% translate "No open tickets match." %}</td></tr>\n'
    "  {% endfor %}\n"
)


def _row(**changes: object) -> QueueRow:
    values: dict = {
        "number": "TS-2026-000123",
        "url": "/complaints/TS-2026-000123/",
        "level_label": "Level 2",
        "level_is_top": False,
        "state": "investigating",
        "state_label": "Investigating",
        "category_label": "Billing › Fees",
        "customer_name": "张三",
        "customer_external_id": "C001",
        "tier_label": "Gold",
        "tier_is_vip": True,
        "owner_name": "王强",
        "team_name": "Complaints",
        "risk_score": 1234,
        "account": "A long account of what happened, well over forty characters in all.",
        "sla_state": "at_risk",
        "clocks": (clock_view(), clock_view(kind="response", phase="paused", due_at=None)),
    }
    return QueueRow(**(values | changes))


ROWS = [
    _row(),
    _row(level_is_top=True, tier_label="", team_name="", clocks=(), risk_score=0),
    _row(category_label="", customer_name="", owner_name="", account="", state="odd"),
    _row(
        number='<x "y">&',
        url="/a?b=1&c=<2>",
        level_label="<L>",
        tier_label="T&T",
        tier_is_vip=False,
        account="短" * 41,
        clocks=(clock_view(provisional=True, provisional_years=(2027,)),),
    ),
]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("bulk", [True, None])
def test_the_tag_draws_what_the_loop_drew(language, bulk):
    for rows in (ROWS, []):
        context = {"rows": rows, "bulk_form": bulk}
        with translation.override(language):
            old = Template(LOOP).render(Context(context))
            new = Template(NEW).render(Context(context))
        assert new == old


def test_a_kept_row_is_drawn_again_when_its_ticket_or_language_changes():
    """The rows' markup is kept per process, keyed by every value it is drawn from: a ticket
    changed (owner, state, account) or another language draws anew, never the kept text."""
    template = Template(NEW)
    first = _row()
    changed = [
        _row(owner_name="李娜"),
        _row(state="resolved"),
        _row(account="Short."),
        _row(risk_score=7),
        _row(level_is_top=True),
    ]
    with translation.override("en"):
        before = template.render(Context({"rows": [first], "bulk_form": True}))
        for row in changed:
            drawn = template.render(Context({"rows": [row], "bulk_form": True}))
            assert drawn != before
            assert drawn == Template(LOOP).render(Context({"rows": [row], "bulk_form": True}))
        assert template.render(Context({"rows": [first], "bulk_form": None})) != before
    with translation.override("zh-hans"):
        chinese = template.render(Context({"rows": [first], "bulk_form": True}))
        assert chinese == Template(LOOP).render(Context({"rows": [first], "bulk_form": True}))
    assert chinese != before


def test_a_marked_safe_value_is_not_drawn_from_its_plain_twin():
    from django.utils.safestring import mark_safe

    plain = _row(level_label="<b>L</b>")
    safe = _row(level_label=mark_safe("<b>L</b>"))
    template = Template(NEW)
    with translation.override("en"):
        for row in (plain, safe, plain):
            context = {"rows": [row], "bulk_form": None}
            assert template.render(Context(context)) == Template(LOOP).render(Context(context))


#: The former rows of ``complaints/panels/home_my_tickets.html``.
HOME_LOOP = (
    "{% load i18n badges complaint_clocks %}"
    "<tbody>{% for row in rows %}\n"
    '      <tr data-sla="{{ row.sla_state }}">\n'
    '        <td class="nowrap"><a href="{{ row.url }}">{{ row.number }}</a></td>\n'
    '        <td class="nowrap"><span class="badge{% if row.level_is_top %} vip{% endif %}">{{ row.level_label }}</span></td>\n'
    '        <td class="nowrap">{% badge row.state "complaints.ComplaintState" %}</td>\n'
    "        <td>{% for clock in row.clocks %}{% clock_badge clock %}{% if not forloop.last %}<br>{% endif %}{% empty %}—{% endfor %}</td>\n"
    '        <td class="nowrap">{{ row.customer_name }}</td>\n'
    '        <td>{{ row.category_label|default:"—" }}</td>\n'
    "      </tr>\n"
    "    {% endfor %}</tbody>"
)
HOME_NEW = (
    "{% load complaint_rows %}"
    "<tbody>{% for row in rows %}{% my_ticket_row row %}{% endfor %}</tbody>"
)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_home_row_tag_draws_what_the_loop_drew(language):
    from django.utils.safestring import mark_safe

    rows = [*ROWS, _row(customer_name=""), _row(level_label=mark_safe("<i>L</i>"))]
    for chosen in (rows, [], [_row(owner_name="other", state="resolved")]):
        context = {"rows": chosen}
        with translation.override(language):
            old = Template(HOME_LOOP).render(Context(context))
            new = Template(HOME_NEW).render(Context(context))
        assert new == old


def test_kept_clocks_follow_their_text_language_and_time_zone():
    """A row's clocks' markup is kept by what the badge shows (not ``remaining``, which the
    text says by the minute): a new text, state or due time, another language or time zone
    draw anew, each equal to ``{% clock_badge %}``'s own drawing."""
    import datetime as dt

    from django.utils import timezone

    from tests.complaints.factories import clock_view
    from yuqi.complaints.templatetags.complaint_clocks import clock_badge
    from yuqi.complaints.templatetags.complaint_rows import _clocks

    def direct(clocks):
        return "<br>".join(clock_badge(c) for c in clocks)

    base = (clock_view(), clock_view(kind="response", phase="paused", due_at=None))
    variants = [
        base,
        (clock_view(remaining=dt.timedelta(hours=2, seconds=7)), base[1]),
        (clock_view(text="1 h 59 min left"), base[1]),
        (clock_view(state="breached"), base[1]),
        (clock_view(due_at=dt.datetime(2026, 3, 2, 1, 31, tzinfo=dt.UTC)), base[1]),
        (clock_view(provisional=True, provisional_years=(2027,)),),
    ]
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for zone in ("Asia/Shanghai", "UTC"):
                with timezone.override(zone):
                    drawn = {_clocks(clocks, language) for clocks in variants}
                    assert all(_clocks(c, language) == direct(c) for c in variants)
                    assert len(drawn) == len(variants) - 1  # only ``remaining`` differed
    assert _clocks((), "en") == "—"
