"""``{% benchmark_rows %}`` and ``{% benchmark_charts %}`` draw the benchmarks page's
indicator rows and chart cards exactly as the template loops they replaced: every branch
(no value of ours, no n, no rank or percentile, no period, a note, no charts), escaping and
number formats, in Chinese and English."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import translation

ROWS_LOOP = """{% load i18n %}  {% for card in cards %}
    <tr data-indicator="{{ card.item.indicator }}" data-scope="{{ card.item.scope }}">
      <td>{{ card.item.label }} <span class="muted">{% if card.item.direction == "lower" %}↓{% else %}↑{% endif %}</span>
        <br><small class="badge muted">{{ card.item.scope_label }}</small></td>
      <td>{{ card.item.period.label|default:"–" }}</td>
      {% if card.item.ours is None %}
        <td class="num muted" title="{{ card.item.ours_note }}">{% translate "No data yet" %}</td>
      {% else %}<td class="num" data-value="{{ card.item.ours }}">{{ card.ours }}{% if card.item.ours_n is not None %}<br><small class="muted">n = {{ card.item.ours_n }}</small>{% endif %}</td>{% endif %}
      <td class="num">{{ card.item.position.n_peers }}</td>
      <td class="num">{{ card.best }}</td><td class="num">{{ card.median }}</td>
      <td class="num">{% if card.percentile is None %}–{% else %}{{ card.percentile }}{% endif %}</td>
      <td class="num">{% if card.item.position.rank %}{{ card.item.position.rank }} / {{ card.item.position.n_peers|add:1 }}{% else %}–{% endif %}</td>
      <td class="num">{{ card.gap_to_best }}</td><td class="num">{{ card.target }}</td>
      <td class="num">{{ card.gap_to_target }}</td><td>{{ card.trend }}</td>
    </tr>
    {% if card.item.ours_note %}<tr><td colspan="12" class="hint">{{ card.item.label }} ({{ card.item.scope_label }}): {{ card.item.ours_note }}</td></tr>{% endif %}
  {% endfor %}"""  # noqa: E501 (the template as it was)
ROWS_TAG = "{% load benchmark_table %}  {% benchmark_rows cards %}"

CHARTS_LOOP = """{% load i18n %}{% for card in cards %}
  <section class="card">
    <h3>{{ card.item.label }} <small class="muted">{{ card.item.scope_label }}</small></h3>
    {% if card.strip_chart %}
      <div class="chart" data-height="140" data-echarts>{{ card.strip_chart|json_script:card.chart_id }}</div>
    {% else %}<p class="muted">{% translate "No peer values in this range." %}</p>{% endif %}
    {% if card.trend_chart %}
      <div class="chart" data-echarts>{{ card.trend_chart|json_script:"" }}</div>
    {% endif %}
  </section>
{% endfor %}"""  # noqa: E501
CHARTS_TAG = "{% load benchmark_table %}{% benchmark_charts cards %}"


def _card(**changes):
    item = {
        "indicator": "answer_rate",
        "scope": "voice",
        "label": 'Answer <rate> & "more"',
        "scope_label": "语音热线",
        "direction": "higher",
        "period": SimpleNamespace(label="2026-05"),
        "ours": 0.889003255457679,
        "ours_n": 41776,
        "ours_note": "",
        "position": SimpleNamespace(n_peers=6, rank=3),
    }
    card = {
        "ours": "88.9%",
        "best": "95.7%",
        "median": "93.6%",
        "target": "—",
        "gap_to_best": "+6.8 pp",
        "gap_to_target": "—",
        "percentile": 50,
        "trend": "Gap <closing>",
        "strip_chart": {"series": [{"name": "同行 </script>", "data": [1.5, None]}]},
        "trend_chart": {"xAxis": {"data": ["2026-04", "2026-05"]}, "when": date(2026, 5, 1)},
        "chart_id": "bench-answer_rate-voice",
    }
    for key, value in changes.items():
        if key.startswith("item_"):
            item[key[5:]] = value
        else:
            card[key] = value
    card["item"] = SimpleNamespace(**item)
    return card


CARDS = [
    _card(),
    _card(item_direction="lower", item_ours=15.5, item_ours_n=None, percentile=None),
    _card(
        item_ours=None,
        item_ours_n=None,
        item_ours_note="No <contacts> & none",
        item_period=None,
        item_position=SimpleNamespace(n_peers=0, rank=None),
        percentile=0,
        strip_chart=None,
        trend_chart=None,
    ),
    _card(
        item_ours=1234567.891,
        item_ours_note="Survey: 满意度",
        item_position=SimpleNamespace(n_peers=12, rank=0),
        trend_chart=None,
    ),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("loop", "tag"), [(ROWS_LOOP, ROWS_TAG), (CHARTS_LOOP, CHARTS_TAG)])
def test_the_tags_equal_the_template_loops(language, loop, tag):
    engine = engines["django"]
    with translation.override(language):
        for cards in (CARDS, CARDS[2:3], []):
            expected = engine.from_string(loop).render({"cards": cards})
            assert engine.from_string(tag).render({"cards": cards}) == expected
    assert "&lt;" in engine.from_string(tag).render({"cards": CARDS})


OFFERINGS_LOOP = """{% load i18n %}  <tbody>
  {% for row in offerings.they_have %}
    <tr data-offering="{{ row.code }}"><td>{% if LANGUAGE_CODE == "en" and row.name_en %}{{ row.name_en }} <span class="muted">{{ row.name }}</span>{% else %}{{ row.name }}{% endif %}</td>
      <td class="num">{{ row.peer_count }} / {{ offerings.n_peers }}</td><td>{{ row.peers|join:"、" }}</td></tr>
  {% empty %}
    <tr><td colspan="3">{% translate "Every offering a peer has, we have too." %}</td></tr>
  {% endfor %}
  </tbody>"""  # noqa: E501 (the template as it was)
OFFERINGS_TAG = """{% load i18n benchmark_table %}  <tbody>
  {% offering_rows offerings.they_have offerings.n_peers LANGUAGE_CODE %}{% if not offerings.they_have %}
    <tr><td colspan="3">{% translate "Every offering a peer has, we have too." %}</td></tr>
  {% endif %}
  </tbody>"""  # noqa: E501
QUEUES_LOOP = (
    '{% for code, name in queue_options %}<label><input type="checkbox" name="queue" '
    'value="{{ code }}"{% if code in queues %} checked{% endif %}> {{ name }}</label>{% endfor %}'
)
QUEUES_TAG = "{% load benchmark_table %}{% queue_checkboxes queue_options queues %}"

OFFERING_ROWS = (
    SimpleNamespace(
        code="callback", name="回拨 <预约>", name_en='Call "back" & more', peers=("甲", "乙<丙>"),
        peer_count=2, share=0.5,
    ),
    SimpleNamespace(code="web&chat", name="网聊", name_en="", peers=(), peer_count=0, share=0.0),
    SimpleNamespace(
        code="vip", name="VIP", name_en="VIP line", peers=("丁",), peer_count=1234, share=0.1
    ),
)  # fmt: skip


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("rows", [OFFERING_ROWS, OFFERING_ROWS[1:2], ()])
def test_offering_rows_equal_the_template_loop(language, rows):
    engine = engines["django"]
    context = {
        "offerings": SimpleNamespace(they_have=rows, n_peers=1500),
        "LANGUAGE_CODE": language,
    }
    with translation.override(language):
        expected = engine.from_string(OFFERINGS_LOOP).render(context)
        assert engine.from_string(OFFERINGS_TAG).render(context) == expected
    assert ("&lt;预约&gt;" in expected) == bool(rows and rows[0] is OFFERING_ROWS[0])


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("queues", [(), ("q<1>",), ("q<1>", "sales"), ("other",)])
def test_queue_checkboxes_equal_the_template_loop(language, queues):
    engine = engines["django"]
    context = {
        "queue_options": [("q<1>", "热线 & <一>"), ("sales", 'Sales "B"'), ("", "")],
        "queues": queues,
    }
    with translation.override(language):
        expected = engine.from_string(QUEUES_LOOP).render(context)
        assert engine.from_string(QUEUES_TAG).render(context) == expected
