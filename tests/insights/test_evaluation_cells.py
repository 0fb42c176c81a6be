"""``{% evaluation_row %}`` draws the evaluation table's row exactly as the template loop it
replaced: the row's code, links, line breaks, dashes for empty values, escaping and number
formats, in Chinese and English."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import translation

from yuqi.insights.models import EvaluationRun, RunStatus

LOOP = (
    '<tr data-code="{{ snap.code }}">'
    '{% for cell in row %}<td>{% if forloop.counter == 2 %}<a href="{% url '
    "'insights:expectation' snap.expectation_id_at_run %}\">{{ cell }}</a>{% elif "
    'forloop.counter == 5 %}{{ cell|linebreaksbr }}{% else %}{{ cell|default_if_none:"–" }}'
    "{% endif %}</td>{% endfor %}</tr>"
)
TAG = "{% load evaluation_table %}{% evaluation_row row snap %}"

ROWS = [
    [1, "E-001", "等待 <太久>", "服务", "CSAT 4.2\nNPS 31 & more", 87.5, Decimal("0.823"),
     0.9, 0.077, "A", 71.25, "张三", "复盘", "2026-12-31"],
    [12, "E-012", "Wait & \"see\"", "", "", None, None, None, None, "", None, "", "", ""],
    [3, "E'3", "x", "y", "one\r\ntwo", 1234567.891, -0.5, 0, 10**7, "C", 0.0, None, None,
     date(2026, 1, 2)],
]  # fmt: skip


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("row", ROWS)
def test_cells_equal_the_template_loop(language, row):
    engine = engines["django"]
    context = {"row": row, "snap": SimpleNamespace(expectation_id_at_run=42, code=row[1])}
    with translation.override(language):
        expected = engine.from_string(LOOP).render(context)
        assert engine.from_string(TAG).render(context) == expected
    assert 'href="/' in expected


RUNS_LOOP = (
    "{% for r in runs %}<a href=\"{% url 'insights:evaluation_run' r.pk %}\"{% if r.pk == run.pk %}"
    ' aria-current="page"{% endif %}>#{{ r.pk }} {{ r.period_end|date:"Y-m" }} '
    "({{ r.get_status_display }})</a>{% if not forloop.last %} · {% endif %}{% endfor %}"
)
RUNS_TAG = "{% load evaluation_table %}{% evaluation_run_links runs run %}"


def _runs() -> list[EvaluationRun]:
    return [
        EvaluationRun(pk=pk, period_start=date(2025, month, 1), period_end=end, status=status)
        for pk, month, end, status in [
            (12, 11, date(2025, 11, 30), RunStatus.FINISHED),
            (3, 1, date(2025, 1, 31), RunStatus.RUNNING),
            (10**6, 2, date(999, 2, 28), "<odd>"),
        ]
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("current", [0, 1, None])
def test_run_links_equal_the_template_loop(language, current):
    runs = _runs()
    for shown in (runs, runs[:1], []):
        context = {"runs": shown, "run": None if current is None else runs[current]}
        with translation.override(language):
            expected = engines["django"].from_string(RUNS_LOOP).render(context)
            assert engines["django"].from_string(RUNS_TAG).render(context) == expected


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_links_kept_per_request_are_each_urls_own(language):
    """A request keeps each URL's pattern apart (the expectation's, the run's)."""
    both = (
        "{% load evaluation_table %}{% evaluation_row row snap %}"
        "{% evaluation_run_links runs run %}"
    )
    loops = LOOP + RUNS_LOOP
    runs = _runs()
    context = {
        "row": ROWS[0],
        "snap": SimpleNamespace(expectation_id_at_run=7, code="E-001"),
        "runs": runs,
        "run": runs[1],
    }
    with translation.override(language):
        expected = engines["django"].from_string(loops).render(context)
        request = SimpleNamespace()
        for _ in range(2):  # the second time from the patterns kept on the request
            found = engines["django"].from_string(both).render({**context, "request": request})
            assert found == expected


CHANGES_LOOPS = """{% load i18n %}
  {% for c in changes.grade_moved %}<li>{% translate "Grade" %} {{ c.code }}: {{ c.from|default:"–" }} → {{ c.to|default:"–" }}</li>{% endfor %}
  {% for c in changes.score_moved %}<li>{% translate "Score" %} {{ c.code }}: {{ c.from }} → {{ c.to }} ({{ c.delta }})</li>{% endfor %}
  {% for code in changes.new %}<li>{% translate "New" %}: {{ code }}</li>{% endfor %}
  {% for code in changes.retired %}<li>{% translate "No longer in the table" %}: {{ code }}</li>{% endfor %}
"""  # noqa: E501 (the template as it was)
CHANGES_TAG = """{% load evaluation_table %}
  {% evaluation_changes changes %}
"""
CHANGES = [
    {
        "new": ["elder-line", "a<b>"],
        "retired": ["old & gone"],
        "grade_moved": [
            {"to": "B", "code": "vip-answer-15s", "from": "C"},
            {"to": "", "code": "refund-3d", "from": None},
            {"code": "no-grades"},
        ],
        "score_moved": [
            {"to": 50.3, "code": "callback-2h", "from": 48.6, "delta": 1.7},
            {"to": 0.0, "code": "x<y>", "from": 1234567.5, "delta": -1e-05},
            {"to": 45},
        ],
        "previous_run": 1,
    },
    {"new": [], "retired": None, "grade_moved": [], "score_moved": [{"code": 7}]},
    {"previous_run": 3},
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("changes", CHANGES)
def test_changes_equal_the_template_loops(language, changes):
    with translation.override(language):
        expected = engines["django"].from_string(CHANGES_LOOPS).render({"changes": changes})
        found = engines["django"].from_string(CHANGES_TAG).render({"changes": changes})
    assert found == expected
