"""``minute``, ``day`` and ``shown`` print what ``date:"Y-m-d H:i"``, ``date:"Y-m-d"`` and
``{{ value }}`` print, for every kind of value the pages hand them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from yuqi.core.template_values import shown

UTC = dt.UTC
VALUES = [
    dt.datetime(2026, 12, 7, 23, 59, 30, tzinfo=UTC),  # the next day in Shanghai
    dt.datetime(2026, 1, 2, 3, 4, tzinfo=ZoneInfo("America/New_York")),
    dt.datetime(2026, 12, 7, 8, 5),  # naive
    dt.datetime(999, 3, 4, 5, 6, tzinfo=UTC),
    dt.date(2026, 2, 3),
    dt.date(5, 2, 3),
    None,
    "",
    "2026-12-07",
    "not a date",
    0,
]


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "America/New_York"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_minute_and_day_print_what_the_date_filter_printed(value, language, zone):
    pairs = [
        ('{{ v|date:"Y-m-d" }}', "{{ v|day }}"),
        ('{{ v|date:"Y-m-d"|default:"—" }}', '{{ v|day|default:"—" }}'),
    ]
    if type(value) is not dt.date:  # a date has no hours: the date filter refuses it
        pairs += [
            ('{{ v|date:"Y-m-d H:i" }}', "{{ v|minute }}"),
            ('{{ v|date:"Y-m-d H:i"|default:"—" }}', '{{ v|minute|default:"—" }}'),
        ]
    with translation.override(language), timezone.override(zone):
        for old, new in pairs:
            expected = Template(old).render(Context({"v": value}))
            assert (
                Template("{% load yuqi_format %}" + new).render(Context({"v": value})) == expected
            )


def test_minute_refuses_a_date_as_the_date_filter_did():
    with pytest.raises(TypeError):
        Template('{{ v|date:"Y-m-d H:i" }}').render(Context({"v": dt.date(2026, 2, 3)}))
    with pytest.raises(TypeError):
        Template("{% load yuqi_format %}{{ v|minute }}").render(Context({"v": dt.date(2026, 2, 3)}))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "<b> & \"quoted\" 'single'",
        mark_safe("<i>safe</i>"),
        gettext_lazy("Open"),
        12345,
        -3,
        1.5,
        Decimal("12.50"),
        True,
        None,
        dt.date(2026, 2, 3),
        dt.datetime(2026, 12, 7, 23, 59, tzinfo=UTC),
        ("a", "<b>"),
    ],
    ids=repr,
)
def test_shown_prints_what_a_template_variable_printed(value, language):
    with translation.override(language), timezone.override("Asia/Shanghai"):
        assert shown(value) == Template("{{ v }}").render(Context({"v": value}))
